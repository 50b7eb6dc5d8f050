"""Edit-distance budget: how many characters an attack may change."""

from __future__ import annotations

from functools import lru_cache

from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.constraint import Candidate, Constraint, register_constraint


@lru_cache(maxsize=65536)
def levenshtein(a: str, b: str) -> int:
    """Insertions, deletions and substitutions that turn `a` into `b`."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def edit_distance_of(candidate: Candidate) -> int:
    """The Levenshtein distance of the edited words, summed: an upper bound of the distance
    between the original and the candidate text (words are replaced in place), and computed on
    a few short words rather than whole sentences."""
    return sum(levenshtein(edit.before, edit.after) for edit in candidate.edits)


@register_constraint("edit_distance")
def edit_distance(*, max_distance: int = 30) -> Constraint:
    """At most `max_distance` character edits (Levenshtein) from the original, summed over the
    words changed."""
    if isinstance(max_distance, bool) or not isinstance(max_distance, int) or max_distance < 0:
        raise NLIProbeError(f"max_distance must be an integer of 0 or more, got {max_distance!r}")
    return Constraint(
        name="edit_distance",
        candidates=lambda candidates: [
            edit_distance_of(candidate) <= max_distance for candidate in candidates
        ],
        description=f"edit distance at most {max_distance}",
    )
