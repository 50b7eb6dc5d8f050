"""Beam search over word replacements."""

from __future__ import annotations

from nli_probe.core.protocol import Pair
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.constraint import Candidate
from nli_probe.probing.attacks.search import (
    Found,
    Query,
    Search,
    SearchProblem,
    SearchRun,
    State,
    register_search,
)


@register_search("beam")
def beam(*, width: int = 4) -> Search:
    """Beam search of `width`: each step tries every replacement of every word not yet edited
    in each of the `width` best pairs so far, all in one batch, and keeps the `width` best; it
    stops at the first step that changes the prediction (keeping that step's best such pair)."""
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise NLIProbeError(f"width must be an integer of at least 1, got {width!r}")

    def run(problem: SearchProblem) -> SearchRun:
        best = problem.start_state()
        kept = [best]
        while True:
            candidates: list[Candidate] = []
            seen: set[Pair] = set()
            for state in kept:
                for word in problem.positions:
                    for candidate in problem.candidates(state.edits, word):
                        if candidate.pair not in seen:
                            seen.add(candidate.pair)
                            candidates.append(candidate)
            if not candidates:
                break
            reply = yield Query(candidates=tuple(candidates))
            states = [
                State(edits=candidate.edits, pair=candidate.pair, prediction=prediction)
                for candidate, prediction in zip(candidates, reply.predictions, strict=True)
                if prediction is not None
            ]
            if not states:
                break
            # Highest score first; a stable sort keeps candidate order among equal scores.
            states.sort(key=lambda state: -problem.score(state.prediction))
            for state in states:
                if problem.succeeded(state.prediction):
                    return Found(state=state, succeeded=True)
            kept = states[:width]
            if problem.score(kept[0].prediction) > problem.score(best.prediction):
                best = kept[0]
            if reply.exhausted:
                break
        return Found(state=best, succeeded=False)

    return Search(name="beam", run=run, description=f"beam search of width {width}")
