"""Which reader a file needs: the official SNLI/MultiNLI layout, ChaosNLI, or plain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from nli_probe.core.example import Example
from nli_probe.data import chaosnli, plain, snli_format
from nli_probe.data.lines import COMPRESSIONS, data_suffix, first_object
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

FORMATS = ("snli", "chaosnli", "plain")
SUFFIXES = (".jsonl", ".json", ".csv", ".tsv", ".txt")
COMPRESSED_SUFFIXES = tuple(f".jsonl{compression}" for compression in COMPRESSIONS)
"""JSON lines may be compressed (read as they stream); the other types may not."""


def sniff(path: Path) -> str:
    """`snli` (SNLI/MultiNLI official jsonl), `chaosnli` or `plain`, from the first row."""
    suffix = data_suffix(path)
    if suffix in (".csv", ".tsv", ".txt"):
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
    if snli_format.looks_like(row):
        return "snli"
    return "plain"


def read_file(
    path: Path,
    *,
    format: str | None = None,
    columns: plain.Columns | None = None,
    source: str | None = None,
) -> tuple[str, Iterator[Example | RowProblem]]:
    """(format used, a stream of examples and problems) for one file."""
    if not path.is_file():
        hint = " (it is a folder)" if path.is_dir() else ""
        raise NLIProbeError(f"no such data file: {path}{hint}")
    compressed = path.suffix.lower() in COMPRESSIONS
    if data_suffix(path) not in SUFFIXES or (compressed and data_suffix(path) != ".jsonl"):
        kind = data_suffix(path) + path.suffix.lower() if compressed else path.suffix
        raise NLIProbeError(
            f"{path}: unsupported file type {kind!r} (use "
            f"{', '.join(SUFFIXES)}, or {', '.join(COMPRESSED_SUFFIXES)}; .txt is read as TSV, "
            "like HANS)"
        )
    chosen = format or ("plain" if columns is not None and columns.names_given else sniff(path))
    if chosen == "snli":
        return chosen, snli_format.read(path, source=source)
    if chosen == "chaosnli":
        return chosen, chaosnli.read(path, source=source)
    if chosen == "plain":
        return chosen, plain.read(path, columns, source=source)
    raise NLIProbeError(f"unknown format {chosen!r} (known: {', '.join(FORMATS)})")
