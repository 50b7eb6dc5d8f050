"""Which reader a file needs, and what each format brings: its default slice fields.

Readers: the official SNLI/MultiNLI jsonl (also Breaking NLI's), ChaosNLI, ANLI, HANS, the
counterfactually revised SNLI files, the NLI stress tests, three parallel plain files (premises,
hypotheses, labels) and plain jsonl/JSON/CSV/TSV with configurable columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from nli_probe.core.example import Example
from nli_probe.data import anli, cad, chaosnli, hans, parallel, plain, snli_format, stress
from nli_probe.data.lines import COMPRESSIONS, data_suffix, first_object
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

FORMATS = ("snli", "chaosnli", "anli", "hans", "cad", "stress", "parallel", "plain")
SUFFIXES = (".jsonl", ".json", ".csv", ".tsv", ".txt")
COMPRESSED_SUFFIXES = tuple(f".jsonl{compression}" for compression in COMPRESSIONS)
"""JSON lines may be compressed (read as they stream); the other types may not."""

SLICES: dict[str, tuple[str, ...]] = {
    "hans": ("heuristic", "heuristic,gold", "subcase"),
    "anli": ("round",),
    "cad": ("revision",),
    "stress": ("category",),
}
"""The slice fields a format's pairs are scored by unless asked otherwise (a named data set's
family may add its own: MultiNLI's genre, Breaking NLI's category)."""


def sniff(path: Path) -> str:
    """The reader a file needs, from its name, header or first row."""
    if parallel.looks_like(path):
        return "parallel"
    suffix = data_suffix(path)
    if suffix in (".tsv", ".txt"):
        header = plain.header_of(path)
        if hans.looks_like(header):
            return "hans"
        if cad.looks_like(path, header):
            return "cad"
        return "plain"
    if suffix == ".csv":
        return "plain"
    if suffix == ".json":
        with path.open("rb") as handle:
            if handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
                return "plain"
    row = first_object(path)
    if row is None:
        return "plain"  # empty or unreadable; the reader reports why, row by row
    if chaosnli.looks_like(row):
        return "chaosnli"
    if anli.looks_like(row):
        return "anli"
    if snli_format.looks_like(row):
        return "stress" if stress.looks_like(path) else "snli"
    return "plain"


def read_file(
    path: Path,
    *,
    format: str | None = None,
    columns: plain.Columns | None = None,
    source: str | None = None,
) -> tuple[str, Iterator[Example | RowProblem]]:
    """(format used, a stream of examples and problems) for one file (or, for three parallel
    files, the premises' file or their folder)."""
    if format is not None and format not in FORMATS:
        raise NLIProbeError(f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    if format == "parallel" or (format is None and parallel.looks_like(path)):
        spellings = columns.spellings() if columns is not None else None
        return "parallel", parallel.read(path, source=source, spellings=spellings)
    if not path.is_file():
        hint = " (it is a folder)" if path.is_dir() else ""
        raise NLIProbeError(f"no such data file: {path}{hint}")
    compressed = path.suffix.lower() in COMPRESSIONS
    if data_suffix(path) not in SUFFIXES or (compressed and data_suffix(path) != ".jsonl"):
        kind = data_suffix(path) + path.suffix.lower() if compressed else path.suffix
        raise NLIProbeError(
            f"{path}: unsupported file type {kind!r} (use "
            f"{', '.join(SUFFIXES)}, or {', '.join(COMPRESSED_SUFFIXES)}; .txt is read as TSV, "
            "like HANS; or three parallel files s1.X, s2.X, labels.X)"
        )
    chosen = format or ("plain" if columns is not None and columns.names_given else sniff(path))
    readers = {
        "snli": lambda: snli_format.read(path, source=source),
        "chaosnli": lambda: chaosnli.read(path, source=source),
        "anli": lambda: anli.read(path, source=source),
        "hans": lambda: hans.read(path, source=source),
        "cad": lambda: cad.read(path, source=source),
        "stress": lambda: stress.read(path, source=source),
        "plain": lambda: plain.read(path, columns, source=source),
    }
    return chosen, readers[chosen]()
