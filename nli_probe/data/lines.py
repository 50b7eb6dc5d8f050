"""Reading a JSON-lines file row by row, turning decoding and JSON errors into `RowProblem`s.

JSON-lines files may be compressed (`.jsonl.gz`, `.jsonl.xz`, `.jsonl.bz2`): they are
decompressed as they stream, so a compressed file is never unpacked on disk or held whole.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

COMPRESSIONS = (".gz", ".xz", ".bz2")
"""The compressions a JSON-lines file may carry (gzip, xz, bzip2)."""


def data_suffix(path: Path) -> str:
    """The file type under any compression suffix, lower-cased: `.jsonl` for `x.jsonl.xz`."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] in COMPRESSIONS:
        return suffixes[-2]
    return path.suffix.lower()


def data_stem(path: Path) -> str:
    """The file name without its type and compression suffixes: `x` for `x.jsonl.xz`."""
    name = path.name
    if path.suffix.lower() in COMPRESSIONS:
        name = name[: -len(path.suffix)]
    return Path(name).stem


def open_binary(path: Path) -> io.BufferedIOBase:
    """The file's bytes, decompressed on the fly when its name ends in a compression suffix."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return gzip.open(path, "rb")
    if suffix == ".xz":
        return lzma.open(path, "rb")
    if suffix == ".bz2":
        return bz2.open(path, "rb")
    return path.open("rb")


def check_utf8_start(path: Path, head: bytes) -> None:
    """Refuse files whose first bytes say they are UTF-16/32: every row would fail alike."""
    if head.startswith(_UTF16_BOMS) or (len(head) >= 2 and head[1:2] == b"\x00"):
        raise NLIProbeError(
            f"{path}:1: the file looks UTF-16/32 encoded; nli-probe reads UTF-8 "
            "(convert it, e.g. `iconv -f UTF-16 -t UTF-8`)"
        )


def iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    """Yield (line number, object) for each non-blank line, or a `RowProblem` for a line that is
    not UTF-8, not JSON, or not a JSON object. Streams: one line in memory at a time."""
    shown = str(path)
    for number, raw in _raw_lines(path):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = raw[error.start : error.start + 1]
            message = f"not valid UTF-8 (byte {error.start} of the line is {bad!r}); "
            message += "re-save the file as UTF-8"
            yield number, RowProblem(path=shown, line=number, field="", message=message)
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            yield (
                number,
                RowProblem(
                    path=shown,
                    line=number,
                    field="",
                    message=f"malformed JSON: {error.msg} at column {error.colno}",
                ),
            )
            continue
        if not isinstance(value, dict):
            yield (
                number,
                RowProblem(
                    path=shown,
                    line=number,
                    field="",
                    message=f"expected a JSON object, found {type(value).__name__}",
                ),
            )
            continue
        yield number, value


# What a corrupt or truncated compressed stream raises while it is read.
_DECOMPRESSION_ERRORS = (OSError, EOFError, lzma.LZMAError)


def _raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each line, decompressing as it goes; a file that cannot be opened
    or decompressed raises `NLIProbeError` (no row after the damage could be read)."""
    try:
        handle = open_binary(path)
    except OSError as error:
        raise NLIProbeError(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        lines = enumerate(handle, start=1)
        try:
            head = handle.peek(4)[:4] if hasattr(handle, "peek") else b""
        except _DECOMPRESSION_ERRORS as error:
            raise NLIProbeError(f"cannot decompress {path}: {error}") from None
        check_utf8_start(path, head)
        while True:
            try:
                number, raw = next(lines)
            except StopIteration:
                return
            except _DECOMPRESSION_ERRORS as error:
                raise NLIProbeError(f"cannot decompress {path}: {error}") from None
            yield number, raw


def first_object(path: Path) -> dict[str, Any] | None:
    """The first line that parses as a JSON object (for sniffing the format), or None."""
    for number, value in iter_json_lines(path):
        if isinstance(value, dict):
            return value
        if number > 20:
            break
    return None
