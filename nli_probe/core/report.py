"""`Report`: everything one run measured, saved as versioned JSON.

A report holds measurements (the examples, each model's predictions, probe outcomes). Scores
(metrics, agreement breakdowns, calibration) are pure functions of those measurements, so every
front-end computes them the same way; the JSON writer also stores them for machines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.core.parts import THREE_WAY, TWO_WAY, BaselinePrior, DataSetPart
from nli_probe.core.prediction import Prediction
from nli_probe.core.suite_run import SuiteRun, suite_run_from_json, suite_run_to_json
from nli_probe.errors import NLIProbeError
from nli_probe.version import __version__

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 2
"""Bumped whenever a saved report changes shape; `load_report` refuses newer versions.

2: several data sets per report (`datasets`), the majority baseline's training balance
(`baseline`), two-way pairs scored two-way. Version 1 files load unchanged."""


@dataclass(frozen=True, kw_only=True)
class ModelRun:
    """One model's predictions on the report's examples."""

    name: str
    fingerprint: str
    predictions: Mapping[str, Prediction]
    """Example id → prediction."""
    settings: Mapping[str, str] = field(default_factory=dict)
    """How the predictions were made: source, precision, device, max length."""


@dataclass(frozen=True, kw_only=True)
class Report:
    """Everything one run measured."""

    dataset: str
    examples: tuple[Example, ...]
    models: tuple[ModelRun, ...] = ()
    created: str = ""
    tool_version: str = __version__
    schema_version: int = SCHEMA_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Sections added by later stages (data summary, probe runs, computed scores), JSON-ready."""
    suites: tuple[SuiteRun, ...] = ()
    """Probe suite runs (`nli_probe.probing.runner.run_suite`), one per suite and model."""
    datasets: tuple[DataSetPart, ...] = ()
    """The data sets of a run over several (`evaluate -d A -d B`), or one with its slices;
    empty in older reports: see `parts`."""
    baseline: BaselinePrior | None = None
    """The training label balance the majority baseline predicts; None: the majority of the
    evaluated pairs (an oracle, and labelled as one)."""

    def __post_init__(self) -> None:
        if not self.datasets:
            return
        known = {example.id for example in self.examples}
        for part in self.datasets:
            missing = [example_id for example_id in part.ids if example_id not in known]
            if missing:
                raise NLIProbeError(
                    f"data set {part.name!r} names {len(missing)} pair(s) the report does not "
                    f"hold (first: {missing[0]!r})"
                )

    def parts(self) -> tuple[DataSetPart, ...]:
        """The report's data sets: the stored ones, else one over every example (named
        `dataset`, two-way when every example is)."""
        if self.datasets:
            return self.datasets
        two_way = bool(self.examples) and all(
            example.meta.get("label_scheme") == TWO_WAY for example in self.examples
        )
        return (
            DataSetPart(
                name=self.dataset,
                ids=tuple(example.id for example in self.examples),
                label_scheme=TWO_WAY if two_way else THREE_WAY,
            ),
        )

    def model(self, name: str) -> ModelRun:
        """The run of the model called `name`; `NLIProbeError` naming the known ones if absent."""
        for run in self.models:
            if run.name == name:
                return run
        known = ", ".join(run.name for run in self.models) or "none"
        raise NLIProbeError(f"report has no model {name!r} (models: {known})")

    def to_pandas(self) -> pd.DataFrame:
        """One row per pair: gold, votes, every model's probabilities and label, meta (see
        `nli_probe.core.frames.report_frame` for the columns). Needs pandas."""
        from nli_probe.core.frames import report_frame

        return report_frame(self)


def example_to_json(example: Example) -> dict[str, Any]:
    """An example as a JSON object; annotator labels as a string of letters (`eenec`)."""
    return {
        "id": example.id,
        "premise": example.premise,
        "hypothesis": example.hypothesis,
        "gold": None if example.gold is None else str(example.gold),
        "annotators": "".join(label.short for label in example.annotator_labels),
        "source": example.source,
        "meta": dict(example.meta),
    }


_BY_LETTER = {label.short: label for label in Label}


def example_from_json(data: Mapping[str, Any]) -> Example:
    gold = data.get("gold")
    return Example(
        id=str(data["id"]),
        premise=str(data["premise"]),
        hypothesis=str(data["hypothesis"]),
        gold=None if gold is None else Label[str(gold).upper()],
        annotator_labels=tuple(_BY_LETTER[letter] for letter in data.get("annotators", "")),
        source=str(data.get("source", "")),
        meta={str(k): str(v) for k, v in data.get("meta", {}).items()},
    )


def prediction_to_json(prediction: Prediction) -> list[float]:
    return [round(p, 6) for p in prediction.probs]


def prediction_from_json(data: list[float]) -> Prediction:
    e, n, c = (float(p) for p in data)
    return Prediction(probs=(e, n, c))


def report_to_json(report: Report) -> dict[str, Any]:
    return {
        "schema_version": report.schema_version,
        "tool_version": report.tool_version,
        "created": report.created,
        "dataset": report.dataset,
        "examples": [example_to_json(example) for example in report.examples],
        "models": [
            {
                "name": run.name,
                "fingerprint": run.fingerprint,
                "settings": dict(run.settings),
                "predictions": {
                    example_id: prediction_to_json(prediction)
                    for example_id, prediction in run.predictions.items()
                },
            }
            for run in report.models
        ],
        "extra": dict(report.extra),
        "suites": [suite_run_to_json(run) for run in report.suites],
        "datasets": [part.to_json() for part in report.datasets],
        "baseline": None if report.baseline is None else report.baseline.to_json(),
    }


def report_from_json(data: Mapping[str, Any], *, where: str = "report") -> Report:
    version = data.get("schema_version")
    if not isinstance(version, int):
        raise NLIProbeError(f"{where}: not an nli-probe report (no schema_version)")
    if version > SCHEMA_VERSION:
        raise NLIProbeError(
            f"{where}: report schema {version} is newer than this nli-probe understands "
            f"({SCHEMA_VERSION}); upgrade nli-probe"
        )
    try:
        return Report(
            schema_version=version,
            tool_version=str(data.get("tool_version", "")),
            created=str(data.get("created", "")),
            dataset=str(data["dataset"]),
            examples=tuple(example_from_json(item) for item in data["examples"]),
            models=tuple(
                ModelRun(
                    name=str(item["name"]),
                    fingerprint=str(item["fingerprint"]),
                    settings={str(k): str(v) for k, v in item.get("settings", {}).items()},
                    predictions={
                        str(example_id): prediction_from_json(probs)
                        for example_id, probs in item["predictions"].items()
                    },
                )
                for item in data.get("models", [])
            ),
            extra=dict(data.get("extra", {})),
            # Absent in reports written before probe suites existed.
            suites=tuple(suite_run_from_json(item) for item in data.get("suites", [])),
            # Absent in version 1 reports: one data set, the evaluated pairs' majority.
            datasets=tuple(DataSetPart.from_json(item) for item in data.get("datasets", [])),
            baseline=(
                None if data.get("baseline") is None else BaselinePrior.from_json(data["baseline"])
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise NLIProbeError(
            f"{where}: malformed report ({type(error).__name__}: {error})"
        ) from None


def save_report(report: Report, path: Path) -> None:
    """Write `report` as JSON, atomically: a crash mid-write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(report_to_json(report), ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def load_report(path: Path) -> Report:
    """Read a report written by `save_report`; `NLIProbeError` naming the file if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NLIProbeError(f"{path}: no such report file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NLIProbeError(f"{path}: cannot read report ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NLIProbeError(
            f"{path}:{error.lineno}: not valid JSON ({error.msg}, column {error.colno})"
        ) from None
    if not isinstance(data, dict):
        raise NLIProbeError(f"{path}: not an nli-probe report (top level is not an object)")
    return report_from_json(data, where=str(path))
