"""`describe`: what a data file holds (rows, labels, agreement histogram, fields)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nli_probe.data.balance import ClassBalance, class_balance
from nli_probe.data.dataset import Dataset
from nli_probe.data.lines import data_suffix, first_object


@dataclass(frozen=True, kw_only=True, slots=True)
class DataInfo:
    """A summary of one data set.

    `agreement` counts pairs per level `top/n` (`5/5`, `4/5`, ...; `none` without annotator
    labels), `annotators` pairs per number of annotator labels, `fields` the file's own
    columns or keys (from its first row), `meta_fields` the keys kept in `Example.meta`.
    """

    name: str
    path: str
    format: str
    rows: int
    balance: ClassBalance
    agreement: Mapping[str, int] = field(default_factory=dict)
    annotators: Mapping[int, int] = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    meta_fields: tuple[str, ...] = ()
    duplicate_ids: int = 0
    skipped: int = 0

    @property
    def has_annotator_labels(self) -> bool:
        return any(count for n, count in self.annotators.items() if n > 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "format": self.format,
            "rows": self.rows,
            "labels": self.balance.to_json(),
            "agreement": dict(self.agreement),
            "annotators": {str(n): count for n, count in self.annotators.items()},
            "fields": list(self.fields),
            "meta_fields": list(self.meta_fields),
            "duplicate_ids": self.duplicate_ids,
            "skipped": self.skipped,
        }


def describe(dataset: Dataset) -> DataInfo:
    """Summarise a data set read by `read_dataset`."""
    levels: Counter[str] = Counter()
    annotators: Counter[int] = Counter()
    meta_keys: dict[str, None] = {}
    ids: Counter[str] = Counter()
    for example in dataset.examples:
        agreement = example.agreement
        levels["none" if agreement is None else f"{agreement[0]}/{agreement[1]}"] += 1
        annotators[len(example.annotator_labels)] += 1
        meta_keys.update(dict.fromkeys(example.meta))
        ids[example.id] += 1
    ordered = dict(sorted(levels.items(), key=_level_order))
    return DataInfo(
        name=dataset.name,
        path=dataset.path,
        format=dataset.format,
        rows=len(dataset.examples),
        balance=class_balance(dataset.examples),
        agreement=ordered,
        annotators=dict(sorted(annotators.items())),
        fields=_file_fields(Path(dataset.path)) if dataset.format != "hf" else (),
        meta_fields=tuple(meta_keys),
        duplicate_ids=sum(count - 1 for count in ids.values() if count > 1),
        skipped=len(dataset.skipped),
    )


def _level_order(item: tuple[str, int]) -> tuple[int, int, int]:
    level = item[0]
    if level == "none":
        return (1, 0, 0)
    top, n = (int(part) for part in level.split("/"))
    return (0, -n, -top)


def _file_fields(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    suffix = data_suffix(path)
    if suffix in (".csv", ".tsv", ".txt"):
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader(handle, delimiter="," if suffix == ".csv" else "\t"), [])
        return tuple(header)
    if suffix == ".json":
        return ()  # a JSON array: its keys are in the meta fields
    row = first_object(path)
    return tuple(sorted(row)) if row else ()
