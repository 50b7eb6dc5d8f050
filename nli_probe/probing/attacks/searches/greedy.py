"""Greedy search by word importance (TextAttack's `GreedyWordSwapWIR`, DeepWordBug's and
TextFooler's search)."""

from __future__ import annotations

from typing import Literal, get_args

from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.search import (
    Found,
    Query,
    Search,
    SearchProblem,
    SearchRun,
    register_search,
)

Importance = Literal["delete", "order"]
IMPORTANCES: tuple[str, ...] = get_args(Importance)


@register_search("greedy")
def greedy(*, importance: Importance = "delete") -> Search:
    """Greedy by word importance: rank the editable words by how far deleting each moves the
    prediction (one query per word, all in one batch), then edit them in that order, keeping a
    word's best replacement when it moves the prediction further, until it changes.

    `importance="order"` skips the ranking and edits the words left to right.
    """
    if importance not in IMPORTANCES:
        raise NLIProbeError(
            f"importance must be one of {', '.join(IMPORTANCES)}, got {importance!r}"
        )

    def run(problem: SearchProblem) -> SearchRun:
        current = problem.start_state()
        order = list(problem.positions)
        if importance == "delete" and len(order) > 1:
            probes = tuple(problem.deleted(word) for word in order)
            reply = yield Query(candidates=probes, checked=False)
            if reply.exhausted:
                return Found(state=current, succeeded=False)
            scores = [
                problem.score(prediction) if prediction is not None else float("-inf")
                for prediction in reply.predictions
            ]
            # Most important first; a stable sort keeps text order among equal scores.
            ranked = sorted(range(len(order)), key=lambda i: -scores[i])
            order = [order[i] for i in ranked]
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

    description = "greedy by word importance" if importance == "delete" else "greedy, in order"
    return Search(name="greedy", run=run, description=description)
