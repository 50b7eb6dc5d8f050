"""Get it out: what a pane lists, written to a jsonl or csv file with every model's probabilities.

Shared by every pane that lists pairs or cases (Examples, a probe's failing cases, the
disagreement view, and panes added later). Pure (no textual): build records, then write them.

    from nli_probe.tui.export import case_records, example_records, write_records

    path = write_records(example_records(report, ["pair-01", "pair-07"]), Path("out.csv"))

Example records have the columns of `Report.to_pandas()` (`nli_probe.core.frames`), with the id
first, so an exported file reads back as the same frame would: `id`, `premise`, `hypothesis`,
`gold`, `votes`, `votes_entailment` ..., `agreement`, `source`, then per model
`MODEL:entailment`, `MODEL:neutral`, `MODEL:contradiction`, `MODEL:label`, then `meta:KEY`.
Case records have the pair and its variant, then per model `MODEL:status`, `MODEL:before`,
`MODEL:before:entailment` ..., `MODEL:after`, `MODEL:after:entailment` ... . A missing value is
empty in csv and null in jsonl.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nli_probe.core.frames import pair_columns, prediction_columns, side_columns
from nli_probe.core.report import Report
from nli_probe.errors import NLIProbeError
from nli_probe.tui.probes import CaseRow, ProbeRow

__all__ = [
    "FORMATS",
    "case_records",
    "default_export_path",
    "example_records",
    "write_records",
]

FORMATS = ("jsonl", "csv")
"""File formats `write_records` writes, chosen by the file's suffix."""

Record = dict[str, Any]


def example_records(report: Report, example_ids: Iterable[str]) -> list[Record]:
    """One record per example id (in the order given), with every model's probabilities."""
    by_id = {example.id: example for example in report.examples}
    chosen = [by_id[example_id] for example_id in example_ids if example_id in by_id]
    meta_keys = sorted({key for example in chosen for key in example.meta})
    records: list[Record] = []
    for example in chosen:
        record: Record = {"id": example.id, **pair_columns(example)}
        for run in report.models:
            record.update(prediction_columns(run.name, run.predictions.get(example.id)))
        for key in meta_keys:
            record[f"meta:{key}"] = example.meta.get(key)
        records.append(record)
    return records


def case_records(row: ProbeRow, cases: Sequence[CaseRow], models: Sequence[str]) -> list[Record]:
    """One record per case (a variant some model failed), with every model's verdict and both
    predictions' probabilities."""
    records: list[Record] = []
    for case in cases:
        record: Record = {
            "suite": row.suite,
            "probe": row.probe,
            "kind": row.kind,
            "example_id": case.example_id,
            "variant_id": case.variant_id,
            "premise": case.premise,
            "hypothesis": case.hypothesis,
            "gold": _label_name(case.gold),
            "variant_premise": case.variant_premise,
            "variant_hypothesis": case.variant_hypothesis,
            "implied": _label_name(case.implied),
            "note": case.note,
        }
        for model in models:
            outcome = case.outcomes.get(model)
            record[f"{model}:status"] = None if outcome is None else outcome.status
            record.update(
                side_columns(f"{model}:before", None if outcome is None else outcome.before)
            )
            record.update(
                side_columns(f"{model}:after", None if outcome is None else outcome.after)
            )
        records.append(record)
    return records


def write_records(records: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Write `records` to `path` (`.jsonl` or `.csv`), atomically; returns the absolute path.

    Columns are the union of the records' keys, in first-seen order.

    Raises:
        NLIProbeError: another suffix, or the file cannot be written.
    """
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise NLIProbeError(
            f"{path}: cannot export to {path.suffix or 'a file without a suffix'} "
            f"(name a .jsonl or .csv file)"
        )
    text = _jsonl(records) if suffix == "jsonl" else _csv(records)
    target = path.expanduser().resolve()
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as error:
        raise NLIProbeError(
            f"{target}: cannot write the export ({error.strerror or error})"
        ) from None
    return target


def default_export_path(what: str, suffix: str = "jsonl", *, now: datetime | None = None) -> Path:
    """`exports/WHAT-YYYYmmdd-HHMMSS.SUFFIX` under the working directory (what the export
    dialog proposes)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in what).strip("-") or "export"
    return Path("exports") / f"{safe}-{stamp}.{suffix}"


def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for record in records for key in record))


def _plain(value: Any) -> Any:
    """NaN (a missing probability in the frame's convention) as None."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _jsonl(records: Sequence[Mapping[str, Any]]) -> str:
    lines = [
        json.dumps({key: _plain(value) for key, value in record.items()}, ensure_ascii=False)
        for record in records
    ]
    return "".join(line + "\n" for line in lines)


def _csv(records: Sequence[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(records), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: "" if _plain(v) is None else v for key, v in record.items()})
    return buffer.getvalue()


def _label_name(value: int) -> str | None:
    from nli_probe.core.labels import Label

    return None if value < 0 else str(Label(value))
