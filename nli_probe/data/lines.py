"""Reading a JSON-lines file row by row, turning decoding and JSON errors into `RowProblem`s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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
    try:
        handle = path.open("rb")
    except OSError as error:
        raise NLIProbeError(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        check_utf8_start(path, handle.peek(4)[:4] if hasattr(handle, "peek") else b"")
        for number, raw in enumerate(handle, start=1):
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


def first_object(path: Path) -> dict[str, Any] | None:
    """The first line that parses as a JSON object (for sniffing the format), or None."""
    for number, value in iter_json_lines(path):
        if isinstance(value, dict):
            return value
        if number > 20:
            break
    return None
