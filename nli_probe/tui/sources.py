"""What the TUI opens: run folders or report files, several merged into one `Report`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from nli_probe.core.example import Example
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


def open_reports(paths: Sequence[Path]) -> Report:
    """Load every report that `paths` name and merge them (see `merge_reports`)."""
    if not paths:
        raise NLIProbeError("name at least one run folder or report file")
    return merge_reports([load_report(report_path(path)) for path in paths])


def merge_reports(reports: Sequence[Report]) -> Report:
    """One report holding every model of `reports`, side by side.

    Examples are united by id (the first report's copy wins); a model name seen twice gets a
    `#2` suffix so both stay visible. With one report, that report is returned unchanged, with
    its precomputed scores; a merge drops `extra["scores"]`, which no longer matches.
    """
    if len(reports) == 1:
        return reports[0]
    examples: dict[str, Example] = {}
    models: list[ModelRun] = []
    names: set[str] = set()
    suites: list[SuiteRun] = []
    for report in reports:
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
    first = reports[0]
    extra = {key: value for key, value in first.extra.items() if key != "scores"}
    return replace(
        first,
        examples=tuple(examples.values()),
        models=tuple(models),
        suites=tuple(suites),
        extra=extra,
    )
