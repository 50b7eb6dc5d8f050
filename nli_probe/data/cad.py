"""Reader for counterfactually revised SNLI (Kaushik, Hovy & Lipton 2020):
`NLI/{original,revised_premise,revised_hypothesis}/{train,dev,test}.tsv`.

Each file is tab-separated with the header `sentence1`, `sentence2`, `gold_label`, and some
fields are quoted as spreadsheets write them (`"... ""Politie"" ..."`), so unlike the plain TSV
reader this one honours quotes. The files have no ids: pairing is by position. Original row i
(0-based) was revised into rows 2i and 2i+1 of `revised_premise` (new premise, same hypothesis)
and of `revised_hypothesis` (same premise, new hypothesis), each revision for one of the two
other labels. So each pair keeps `meta["revision"]` (the folder) and `meta["pair_index"]` (the
original's row, i or i // 2), and its id is `<revision>:<split>:<row>`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from nli_probe.core.example import Example
from nli_probe.data import fields
from nli_probe.data.fields import RowError
from nli_probe.data.lines import check_utf8_start, data_stem
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

HEADER = ["sentence1", "sentence2", "gold_label"]
REVISED = ("revised_premise", "revised_hypothesis")
FOLDERS = ("original", *REVISED, "revised_combined", "all_combined")
"""Folders of the authors' NLI/ directory; the two combined ones reorder the others' rows, so
their pairs get no `pair_index`."""


def looks_like(path: Path, header: Sequence[str]) -> bool:
    """True for a TSV in one of the authors' folders with their three columns."""
    return path.parent.name in FOLDERS and list(header) == HEADER


def read(path: Path, *, source: str | None = None) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per row (or a `RowProblem` for a bad one)."""
    shown = str(path)
    source = source or data_stem(path)
    revision = path.parent.name if path.parent.name in FOLDERS else "original"
    split = data_stem(path)
    with path.open("rb") as raw:
        check_utf8_start(path, raw.read(4))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as error:
            raise NLIProbeError(f"{path}:1: unreadable header row ({error})") from None
        if header != HEADER:
            raise NLIProbeError(
                f"{path}:1: expected the header {chr(9).join(HEADER)!r} of the counterfactual "
                f"SNLI files, found {chr(9).join(header or [])!r}"
            )
        index = 0
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader, None)
            except (csv.Error, UnicodeDecodeError) as error:
                yield RowProblem(path=shown, line=line, field="", message=str(error))
                return  # the reader cannot find the next row after this
            if cells is None:
                return
            if not cells:
                continue
            try:
                yield _example(cells, revision, split, index, source)
            except RowError as error:
                yield error.problem(shown, line)
            index += 1


def _example(cells: list[str], revision: str, split: str, index: int, source: str) -> Example:
    if len(cells) != len(HEADER):
        raise RowError("", f"{len(cells)} fields, the header has {len(HEADER)}")
    row = dict(zip(HEADER, cells, strict=True))
    meta = {"revision": revision}
    if revision == "original":
        meta["pair_index"] = str(index)
    elif revision in REVISED:
        meta["pair_index"] = str(index // 2)
    return Example(
        id=f"{revision}:{split}:{index}",
        premise=fields.text(row, "sentence1"),
        hypothesis=fields.text(row, "sentence2"),
        gold=fields.label(row["gold_label"], "gold_label"),
        source=source,
        meta=meta,
    )
