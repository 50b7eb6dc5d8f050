"""Reader for three parallel plain files: premises, hypotheses and labels, one per line.

This is how the robust-nli hard subsets of MultiNLI dev are shipped (`s1.test`, `s2.test`,
`labels.test`; Mahabadi, Belinkov & Henderson 2020), and how many older NLI releases are. Give
the premises' file (`s1.<split>`; the other two are found beside it) or a folder that holds one
such triple. The three files must have the same number of lines; line n of each makes pair n,
whose id is `<folder>:<n>`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.data import fields
from nli_probe.data.fields import RowError
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

PREMISES, HYPOTHESES, LABELS = "s1", "s2", "labels"


def triple(path: Path) -> tuple[Path, Path, Path] | None:
    """(premises, hypotheses, labels) for `s1.<split>` or a folder holding one `s1.*`, when
    both companions exist; None otherwise."""
    if path.is_dir():
        candidates = sorted(path.glob(f"{PREMISES}.*"))
        if len(candidates) != 1:
            return None
        path = candidates[0]
    name = path.name
    if not name.startswith(f"{PREMISES}.") or not path.is_file():
        return None
    split = name[len(PREMISES) + 1 :]
    others = (path.with_name(f"{HYPOTHESES}.{split}"), path.with_name(f"{LABELS}.{split}"))
    if not all(other.is_file() for other in others):
        return None
    return (path, others[0], others[1])


def looks_like(path: Path) -> bool:
    return triple(path) is not None


def read(
    path: Path, *, source: str | None = None, spellings: Mapping[str, Label] | None = None
) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per line (or a `RowProblem` for a bad one)."""
    files = triple(path)
    if files is None:
        raise NLIProbeError(
            f"{path}: expected s1.<split> (premises) with s2.<split> (hypotheses) and "
            "labels.<split> beside it, or a folder holding one such triple"
        )
    counts = [_count_lines(file) for file in files]
    if len(set(counts)) != 1:
        shown = ", ".join(f"{file} has {n:,} lines" for file, n in zip(files, counts, strict=True))
        raise NLIProbeError(f"parallel files of different lengths: {shown}")
    folder = files[0].parent.name
    source = source or folder
    handles = [file.open("rb") for file in files]
    try:
        for number, lines in enumerate(itertools.zip_longest(*handles), start=1):
            try:
                texts = [_decode(line, file) for line, file in zip(lines, files, strict=True)]
                row = dict(zip(("premise", "hypothesis", "label"), texts, strict=True))
                yield Example(
                    id=f"{folder}:{number}",
                    premise=fields.text(row, "premise"),
                    hypothesis=fields.text(row, "hypothesis"),
                    gold=fields.label(row["label"], "label", spellings),
                    source=source,
                )
            except RowError as error:
                at_fault = {"premise": files[0], "hypothesis": files[1], "label": files[2]}
                yield error.problem(str(at_fault.get(error.field, files[0])), number)
    finally:
        for handle in handles:
            handle.close()


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _decode(line: bytes | None, path: Path) -> str:
    try:
        return (line or b"").decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise RowError(path.name, f"not valid UTF-8 (byte {error.start})") from None
