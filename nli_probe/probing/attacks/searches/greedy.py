"""Greedy search by word importance (TextAttack's `GreedyWordSwapWIR`, DeepWordBug's and
TextFooler's search)."""

from __future__ import annotations

from typing import Literal, get_args

from nli_probe.core.words import Word
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.search import (
    Found,
    Query,
    Reply,
    Search,
    SearchProblem,
    SearchRun,
    register_search,
)

Importance = Literal["delete", "candidate", "order"]
IMPORTANCES: tuple[str, ...] = get_args(Importance)


@register_search("greedy")
def greedy(*, importance: Importance = "delete") -> Search:
    """Greedy by word importance: rank the editable words by how far deleting each moves the
    prediction (one query per word, all in one batch), then edit them in that order, keeping a
    word's best replacement when it moves the prediction further, until it changes.

    `importance="candidate"` ranks the words by their first candidate instead: one query per
    word, as with deleting, but each of those queries is a real candidate (it passes the
    constraints and may already fool the model), and the top word's is not asked again. With
    DeepWordBug's typos it needed a fifth fewer queries for as many successes
    (`benchmarks/bench_attacks.py`; README, "Adversarial attacks", "Compared with TextAttack").
    `importance="order"` skips the ranking and edits the words left to right.
    """
    if importance not in IMPORTANCES:
        raise NLIProbeError(
            f"importance must be one of {', '.join(IMPORTANCES)}, got {importance!r}"
        )

    def run(problem: SearchProblem) -> SearchRun:
        current = problem.start_state()
        order = list(problem.positions)
        if importance == "candidate" and order:
            firsts = [(word, problem.candidates((), word)[:1]) for word in order]
            order = [word for word, first in firsts if first]
            probes = tuple(first[0] for _, first in firsts if first)
            if not probes:
                return Found(state=current, succeeded=False)
            reply = yield Query(candidates=probes)
            best = problem.best(current, probes, reply)
            if best is not None and problem.succeeded(best.prediction):
                return Found(state=best, succeeded=True)
            if reply.exhausted:
                return Found(state=best or current, succeeded=False)
            order = _ranked(order, problem, reply)
        elif importance == "delete" and len(order) > 1:
            probes = tuple(problem.deleted(word) for word in order)
            reply = yield Query(candidates=probes, checked=False)
            if reply.exhausted:
                return Found(state=current, succeeded=False)
            order = _ranked(order, problem, reply)
        for word in order:
            candidates = tuple(problem.candidates(current.edits, word))
            if not candidates:
                continue
            reply = yield Query(candidates=candidates)
            better = problem.best(current, candidates, reply)
            if better is not None:
                current = better
                if problem.succeeded(current.prediction):
                    return Found(state=current, succeeded=True)
            if reply.exhausted:
                break
        return Found(state=current, succeeded=False)

    description = {
        "delete": "greedy by word importance",
        "candidate": "greedy by word importance (each word's first candidate)",
        "order": "greedy, in order",
    }[importance]
    return Search(name="greedy", run=run, description=description)


def _ranked(words: list[Word], problem: SearchProblem, reply: Reply) -> list[Word]:
    """`words` by the score of their probe in `reply`, highest first; a probe with no
    prediction (rejected, or over the budget) ranks last, and a stable sort keeps text order
    among equal scores."""
    scores = [
        problem.score(prediction) if prediction is not None else float("-inf")
        for prediction in reply.predictions
    ]
    ranked = sorted(range(len(words)), key=lambda i: -scores[i])
    return [words[i] for i in ranked]
