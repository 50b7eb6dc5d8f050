"""Checked access to one row's fields: text, labels and label lists, with `RowProblem`s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nli_probe.core.labels import Label, parse_label
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

# Written where annotators reached no majority (SNLI's "-") or a row carries no label (HF's -1).
NO_GOLD: frozenset[str] = frozenset({"-", "-1", ""})


class RowError(Exception):
    """Raised inside a reader for one bad row; the reader turns it into a `RowProblem`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def problem(self, path: str, line: int) -> RowProblem:
        return RowProblem(path=path, line=line, field=self.field, message=self.message)


def text(row: Mapping[str, Any], key: str) -> str:
    """A non-empty text field."""
    if key not in row:
        raise RowError(key, "missing field")
    value = row[key]
    if not isinstance(value, str):
        raise RowError(key, f"expected text, found {type(value).__name__} {value!r}")
    if not value.strip():
        raise RowError(key, "empty text")
    return value


def label(value: object, key: str, spellings: Mapping[str, Label] | None = None) -> Label | None:
    """A gold label, or None for a "no gold" marker (`-`, `-1`, empty)."""
    if value is None or str(value).strip() in NO_GOLD:
        return None
    try:
        return parse_label(value, spellings=dict(spellings) if spellings else None)
    except NLIProbeError as error:
        raise RowError(key, str(error)) from None


def label_list(
    value: object, key: str, spellings: Mapping[str, Label] | None = None
) -> tuple[Label, ...]:
    """A list of annotator labels; every item must be a label (a "-" vote is an error)."""
    if not isinstance(value, list):
        raise RowError(key, f"expected a list of labels, found {type(value).__name__}")
    labels: list[Label] = []
    for item in value:
        parsed = label(item, key, spellings)
        if parsed is None:
            raise RowError(key, f"annotator label {item!r} is not a label")
        labels.append(parsed)
    return tuple(labels)
