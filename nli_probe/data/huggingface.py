"""Reader for Hugging Face `datasets`: `hf:NAME[:split]` (hub name or local folder).

`datasets` is imported here only, when such a name is read. Integer labels are read through
the data set's `ClassLabel` names when it has them (so HANS's 0/1 = entailment /
non-entailment is read right), else as the study's 0/1/2; -1 means no gold. The hub's `snli`,
`multi_nli` and `hans` keep no annotator labels: asking for agreement on them is an error that
says so (see `filter_examples`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nli_probe.core.example import Example
from nli_probe.data.fields import RowError
from nli_probe.data.plain import Columns, resolve_columns, row_to_example
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

DEFAULT_SPLIT = "train"


def parse_hf_spec(spec: str) -> tuple[str, str]:
    """`hf:snli:test` → (`snli`, `test`); `hf:/data/my_set` → (`/data/my_set`, `train`)."""
    body = spec[3:] if spec.startswith("hf:") else spec
    if not body:
        raise NLIProbeError("hf: needs a data set name, e.g. hf:snli:validation")
    if Path(body).exists():
        return body, DEFAULT_SPLIT
    name, sep, split = body.rpartition(":")
    if sep and name and "/" not in split:
        return name, split
    return body, DEFAULT_SPLIT


def iter_hf(spec: str, *, columns: Columns | None = None) -> Iterator[Example | RowProblem]:
    """Stream one split of a Hugging Face data set as examples (or problems per bad row)."""
    name, split = parse_hf_spec(spec)
    table = _load(name, split)
    columns = columns or Columns()
    resolved = resolve_columns(Path(name), columns, table.column_names)
    label_names = _label_names(table, resolved.label)
    two_way = columns.two_way or _is_two_way(label_names)
    if two_way and not columns.two_way:
        columns = dataclasses.replace(columns, two_way=True)
        resolved = resolve_columns(Path(name), columns, table.column_names)
    stem = Path(name).name or name
    where = f"hf:{name}:{split}"
    for index, row in enumerate(table):
        if label_names is not None and resolved.label is not None:
            row = _named_label(row, resolved.label, label_names)
        try:
            yield row_to_example(row, resolved, f"{stem}:{split}:{index}", where, two_way)
        except RowError as error:
            yield error.problem(where, index + 1)


def _load(name: str, split: str) -> Any:
    try:
        import datasets
    except ImportError:  # pragma: no cover - datasets is a dependency
        raise NLIProbeError(
            "hf: names need the `datasets` package (pip install datasets)"
        ) from None
    path = Path(name)
    try:
        if path.is_dir() and (path / "dataset_info.json").exists():
            return datasets.load_from_disk(str(path))
        if path.is_dir() and (path / "dataset_dict.json").exists():
            loaded = datasets.load_from_disk(str(path))
            if split not in loaded:
                raise NLIProbeError(f"hf:{name}: no split {split!r} (splits: {', '.join(loaded)})")
            return loaded[split]
        return datasets.load_dataset(name, split=split)
    except NLIProbeError:
        raise
    except (FileNotFoundError, ValueError, ConnectionError) as error:
        raise NLIProbeError(
            f"hf:{name}:{split}: could not load it: {error} (a hub name needs internet access "
            "or a local cache; a local folder must hold data files or a saved data set)"
        ) from None


def _label_names(table: Any, column: str | None) -> list[str] | None:
    if column is None:
        return None
    feature = table.features.get(column)
    names = getattr(feature, "names", None)
    return list(names) if names else None


def _is_two_way(names: list[str] | None) -> bool:
    return names is not None and len(names) == 2


def _named_label(row: dict[str, Any], column: str, names: list[str]) -> dict[str, Any]:
    value = row.get(column)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return {**row, column: names[value]}
    return row
