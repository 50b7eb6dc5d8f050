"""Reader for HANS (McCoy, Pavlick & Linzen 2019): `heuristics_{evaluation,train}_set.txt`.

Tab-separated with a header of 11 columns: `gold_label`, four parse-tree columns, `sentence1`,
`sentence2`, `pairID`, `heuristic`, `subcase`, `template`. Labels are two-way (`entailment`,
`non-entailment`): non-entailment is stored as NEUTRAL and every pair is marked
`meta["label_scheme"] = "two-way"`, so a three-way model is scored two-way. `heuristic`
(lexical_overlap, subsequence, constituent), `subcase` (30 of them, e.g. `ln_subject/object_swap`)
and `template` are kept in `meta`; the parse trees are not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from nli_probe.core.example import Example
from nli_probe.data import plain
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

SLICE_COLUMNS = ("heuristic", "subcase", "template")
REQUIRED = ("gold_label", "sentence1", "sentence2", "pairID", *SLICE_COLUMNS)


def looks_like(header: Sequence[str]) -> bool:
    """True for a header with HANS's columns."""
    return all(column in header for column in REQUIRED)


def read(path: Path, *, source: str | None = None) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per row (or a `RowProblem` for a bad one), streaming the file."""
    header = plain.header_of(path)
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise NLIProbeError(
            f"{path}:1: not HANS's layout: no column {', '.join(map(repr, missing))} "
            f"(columns: {', '.join(header) or 'none'})"
        )
    columns = plain.Columns(
        premise="sentence1", hypothesis="sentence2", label="gold_label", id="pairID", two_way=True
    )
    yield from plain.read(path, columns, source=source)
