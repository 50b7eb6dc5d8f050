"""What the TUI opens: run folders or report files, several merged into one `Report`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nli_probe.core.example import Example
from nli_probe.core.parts import DataSetPart
from nli_probe.core.report import ModelRun, Report, load_report
from nli_probe.core.suite_run import SuiteRun
from nli_probe.errors import NLIProbeError

REPORT_FILE = "report.json"
"""The report inside a run folder written by `nli-probe evaluate`."""


def report_path(path: Path) -> Path:
    """The report file that `path` names: the file itself, or `report.json` in a run folder."""
    if path.is_dir():
        candidate = path / REPORT_FILE
        if not candidate.is_file():
            raise NLIProbeError(f"{path}: run folder has no {REPORT_FILE}")
        return candidate
    if not path.exists():
        raise NLIProbeError(f"{path}: no such run folder or report file")
    return path


SOURCES_KEY = "tui_sources"
"""The `Report.extra` key under which a merged report lists the runs it came from."""


@dataclass(frozen=True, kw_only=True, slots=True)
class RunSource:
    """One of the runs a merged report came from: where, on what, and its models' names in the
    merged report (a name seen before gets a `#2` suffix there)."""

    label: str
    """The run folder or report file as it was given."""
    dataset: str
    pairs: int
    """The run's own examples."""
    models: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "dataset": self.dataset,
            "pairs": self.pairs,
            "models": list(self.models),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunSource:
        return cls(
            label=str(data.get("label", "")),
            dataset=str(data.get("dataset", "")),
            pairs=int(data.get("pairs", 0)),
            models=tuple(str(name) for name in data.get("models", ())),
        )


def open_reports(paths: Sequence[Path]) -> Report:
    """Load every report that `paths` name and merge them (see `merge_reports`)."""
    if not paths:
        raise NLIProbeError("name at least one run folder or report file")
    reports = [load_report(report_path(path)) for path in paths]
    return merge_reports(reports, labels=[str(path) for path in paths])


def merge_reports(reports: Sequence[Report], *, labels: Sequence[str] = ()) -> Report:
    """One report holding every model of `reports`, side by side.

    Examples are united by id (the first report's copy wins); a model name seen twice gets a
    `#2` suffix so both stay visible. With one report, that report is returned unchanged, with
    its precomputed scores; a merge drops `extra["scores"]`, which no longer matches, and lists
    the runs it came from under `extra["tui_sources"]` (`run_sources`), labelled by `labels`
    (default `run 1`, `run 2`, ...).

    Runs on different data sets stay different data sets: the merged report has one part per
    data set (`Report.datasets`, the runs' own parts where they have several), so each is
    scored on its own, with its own baseline, and models of different sets are not compared;
    its name joins theirs (`snli_1.0_test + hans`). Runs on the same data set (by name) share
    one part, their pairs united.
    """
    if len(reports) == 1:
        return reports[0]
    examples: dict[str, Example] = {}
    models: list[ModelRun] = []
    names: set[str] = set()
    suites: list[SuiteRun] = []
    sources: list[RunSource] = []
    for index, report in enumerate(reports):
        for example in report.examples:
            examples.setdefault(example.id, example)
        renamed: dict[str, str] = {}
        for run in report.models:
            name, n = run.name, 1
            while name in names:
                n += 1
                name = f"{run.name}#{n}"
            names.add(name)
            renamed[run.name] = name
            models.append(run if name == run.name else replace(run, name=name))
        suites.extend(replace(s, model=renamed.get(s.model, s.model)) for s in report.suites)
        label = labels[index] if index < len(labels) else f"run {index + 1}"
        sources.append(
            RunSource(
                label=label,
                dataset=report.dataset,
                pairs=len(report.examples),
                models=tuple(renamed.values()),
            )
        )
    first = reports[0]
    extra = {key: value for key, value in first.extra.items() if key != "scores"}
    extra[SOURCES_KEY] = [source.to_json() for source in sources]
    parts = _merged_parts(reports)
    baselines = {report.baseline for report in reports}
    return replace(
        first,
        dataset=" + ".join(part.name for part in parts),
        examples=tuple(examples.values()),
        models=tuple(models),
        suites=tuple(suites),
        extra=extra,
        datasets=parts if len(parts) > 1 else (),
        # One training balance for the baseline only when every run names the same.
        baseline=first.baseline if len(baselines) == 1 else None,
    )


def _merged_parts(reports: Sequence[Report]) -> tuple[DataSetPart, ...]:
    """The data sets of `reports`, the parts of one name united (ids in first-seen order)."""
    by_name: dict[str, list[DataSetPart]] = {}
    for report in reports:
        for part in report.parts():
            by_name.setdefault(part.name, []).append(part)
    merged: list[DataSetPart] = []
    for parts in by_name.values():
        ids = tuple(dict.fromkeys(i for part in parts for i in part.ids))
        first = parts[0]
        merged.append(
            replace(
                first,
                ids=ids,
                slices=tuple(dict.fromkeys(field for part in parts for field in part.slices)),
            )
        )
    return tuple(merged)


def run_sources(report: Report) -> list[RunSource]:
    """The runs a merged report came from (empty for a report opened on its own)."""
    data = report.extra.get(SOURCES_KEY)
    if not isinstance(data, list):
        return []
    return [RunSource.from_json(item) for item in data if isinstance(item, Mapping)]


def source_of(report: Report, model: str) -> RunSource | None:
    """The run `model` came from, in a merged report (None otherwise)."""
    for source in run_sources(report):
        if model in source.models:
            return source
    return None
