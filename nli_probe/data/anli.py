"""Reader for Adversarial NLI (Nie et al. 2020): `anli_v1.0/R{1,2,3}/{train,dev,test}.jsonl`.

Each row has `uid`, `context` (the premise: a Wikipedia-style paragraph), `hypothesis`, `label`
(`e`, `n`, `c`) and `reason`. The round is not in the rows but in the folder (`R1`, `R2`, `R3`),
as the authors' own loader reads it; it is kept as `meta["round"]` (absent for a file outside
such a folder), with the row's `genre` and `tag` where it has them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nli_probe.core.example import Example
from nli_probe.data import fields
from nli_probe.data.fields import RowError
from nli_probe.data.lines import data_stem, iter_json_lines
from nli_probe.data.problems import RowProblem

ROUND_FOLDER = re.compile(r"^R[1-9]$")
KEPT = ("genre", "tag")


def looks_like(row: dict[str, Any]) -> bool:
    """True for a row shaped like ANLI's jsonl."""
    return "uid" in row and "context" in row and "hypothesis" in row and "label" in row


def round_of(path: Path) -> str | None:
    """`R1`, `R2` or `R3` from the file's folder, as the official archive lays it out."""
    folder = path.parent.name
    return folder if ROUND_FOLDER.match(folder) else None


def read(path: Path, *, source: str | None = None) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per row (or a `RowProblem` for a bad one), streaming the file."""
    shown = str(path)
    source = source or data_stem(path)
    round_ = round_of(path)
    for number, row in iter_json_lines(path):
        if isinstance(row, RowProblem):
            yield row
            continue
        try:
            yield _example(row, source, round_)
        except RowError as error:
            yield error.problem(shown, number)


def _example(row: dict[str, Any], source: str, round_: str | None) -> Example:
    uid = row.get("uid")
    if uid is None or not str(uid).strip():
        raise RowError("uid", "missing field" if uid is None else "empty id")
    # The files call the premise `context`; the authors' README shows `premise`.
    premise = fields.text(row, "context" if "context" in row else "premise")
    hypothesis = fields.text(row, "hypothesis")
    if "label" not in row:
        raise RowError("label", "missing field")
    meta = {key: row[key] for key in KEPT if isinstance(row.get(key), str)}
    if round_ is not None:
        meta["round"] = round_
    return Example(
        id=str(uid),
        premise=premise,
        hypothesis=hypothesis,
        gold=fields.label(row["label"], "label"),
        source=source,
        meta=meta,
    )
