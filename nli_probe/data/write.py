"""Writing examples as jsonl in the official SNLI layout, so every reader here (and most NLI
code elsewhere) reads the file back: `pairID`, `sentence1`, `sentence2`, `gold_label` (`-`
for none), `annotator_labels`, plus `source` and `meta` (read back into `Example.meta`)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nli_probe.core.example import Example
from nli_probe.errors import NLIProbeError


def example_to_json(example: Example) -> dict[str, Any]:
    """One example as an SNLI-layout JSON object."""
    row: dict[str, Any] = {
        "pairID": example.id,
        "sentence1": example.premise,
        "sentence2": example.hypothesis,
        "gold_label": str(example.gold) if example.gold is not None else "-",
        "annotator_labels": [str(label) for label in example.annotator_labels],
    }
    if example.source:
        row["source"] = example.source
    if example.meta:
        row["meta"] = dict(example.meta)
    return row


def write_jsonl(examples: Iterable[Example], path: Path) -> int:
    """Write examples to `path` atomically (a temporary file renamed into place, so an
    interrupted write leaves any earlier file whole); returns the number written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise NLIProbeError(f"cannot write {path}: {error.strerror or error}") from None
    count = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for example in examples:
                out.write(json.dumps(example_to_json(example), ensure_ascii=False))
                out.write("\n")
                count += 1
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
