"""Example ids must be unique where predictions are stored by id (reports, run folders)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from nli_probe.core.example import Example
from nli_probe.errors import NLIProbeError

SHOWN = 5
"""Repeated ids named in the error; the rest are counted."""


def repeated_ids(examples: Iterable[Example]) -> list[str]:
    """Ids that more than one example carries, in order of first appearance."""
    counts = Counter(example.id for example in examples)
    return [example_id for example_id, count in counts.items() if count > 1]


def require_unique_ids(examples: Iterable[Example], *, source: str) -> None:
    """Refuse examples that share an id: a report keys every model's predictions by id, so a
    second pair with the same id would be shown the first one's probabilities."""
    repeated = repeated_ids(examples)
    if not repeated:
        return
    shown = ", ".join(repr(example_id) for example_id in repeated[:SHOWN])
    more = f" and {len(repeated) - SHOWN:,} more" if len(repeated) > SHOWN else ""
    raise NLIProbeError(
        f"{source}: {len(repeated):,} id(s) name more than one pair ({shown}{more}); "
        f"predictions are stored by id, so every pair needs its own: fix the ids, or name "
        f"another column with --id-column (--id-column '' numbers a plain file's pairs by line)"
    )
