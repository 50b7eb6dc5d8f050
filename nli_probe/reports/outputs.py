"""Reading saved runs into one report, and writing a report's files (JSON, Markdown, HTML).

The JSON file is the report itself (`nli_probe.core.report`'s versioned schema) with its computed
scores stored under `extra.scores`, so it is both what machines read and what `nli-probe report`
renders the other formats from; see README, "Reports and CI gates", for its layout.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.core.report import Report, load_report, save_report
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.reports.html import render_html
from nli_probe.reports.markdown import render_markdown
from nli_probe.reports.view import ReportView

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ReportScores

FORMATS = ("json", "md", "html")
REPORT_FILE = "report.json"
"""A run folder's report (written by `nli-probe evaluate`, `probe` and `study`)."""


def parse_formats(text: str) -> tuple[str, ...]:
    """`json,md,html` → a tuple, checked; `all` means every format."""

    if text.strip() == "all":
        return FORMATS
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    for name in chosen:
        if name not in FORMATS:
            hint = did_you_mean(name, FORMATS)
            raise NLIProbeError(f"unknown report format {name!r}{hint} (formats: json, md, html)")
    if not chosen:
        raise NLIProbeError("no report format given (formats: json, md, html)")
    return chosen


def locate_report(path: Path) -> Path:
    """A report file, or the `report.json` of a run folder."""
    if path.is_dir():
        candidate = path / REPORT_FILE
        if not candidate.is_file():
            found = sorted(p.name for p in path.glob("*.json"))
            hint = f" (JSON files there: {', '.join(found)})" if found else ""
            raise NLIProbeError(f"{path}: a run folder needs a {REPORT_FILE}{hint}")
        return candidate
    return path


def load_reports(paths: Sequence[Path]) -> Report:
    """Read one or more saved reports; several are merged into one when they cover the same
    examples (their models side by side, their suite runs together)."""
    if not paths:
        raise NLIProbeError("no run folder or report given")
    reports = [(path, load_report(locate_report(path))) for path in paths]
    merged = reports[0][1]
    for path, report in reports[1:]:
        merged = merge_reports(merged, report, where=str(path))
    return merged


def merge_reports(first: Report, second: Report, *, where: str = "report") -> Report:
    ids_a = {example.id for example in first.examples}
    ids_b = {example.id for example in second.examples}
    if ids_a != ids_b:
        raise NLIProbeError(
            f"{where}: covers other examples than the first report ({len(ids_b)} vs "
            f"{len(ids_a)}, {len(ids_a & ids_b)} shared); reports side by side must be on "
            "the same examples"
        )
    models = list(first.models)
    for run in second.models:
        same = [m for m in models if m.name == run.name]
        if any(m.fingerprint == run.fingerprint for m in same):
            continue  # the same model's predictions, saved twice
        if same:
            run = dataclasses.replace(run, name=f"{run.name} ({where})")
        models.append(run)
    extra: dict[str, Any] = {k: v for k, v in first.extra.items() if k != "scores"}
    return dataclasses.replace(
        first, models=tuple(models), suites=(*first.suites, *second.suites), extra=extra
    )


def report_scores(report: Report, *, resamples: int = 1000, seed: int = 0) -> ReportScores:
    """The scores stored in the report when they cover its models, else computed now."""
    from nli_probe.scoring.scores import score_report, stored_scores

    stored = stored_scores(report)
    if stored is not None and [m.name for m in stored.models] == [m.name for m in report.models]:
        return stored
    return score_report(report, resamples=resamples, seed=seed)


def write_outputs(
    report: Report,
    scores: ReportScores,
    view: ReportView,
    out_dir: Path,
    *,
    formats: Sequence[str] = FORMATS,
    stem: str = "report",
) -> list[Path]:
    """Write the chosen formats into `out_dir`; returns the paths written."""
    from nli_probe.scoring.scores import store_scores

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        path = out_dir / f"{stem}.{name}"
        if name == "json":
            save_report(store_scores(report, scores), path)
        else:
            text = render_markdown(view) if name == "md" else render_html(view)
            partial = path.with_name(path.name + ".partial")
            partial.write_text(text, encoding="utf-8")
            partial.replace(path)
        written.append(path)
    return written
