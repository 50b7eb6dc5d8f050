"""The Overview pane: the models side by side, and whether their differences are significant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.box import SIMPLE_HEAD
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from nli_probe.core.report import Report
from nli_probe.tui.probes import failure_totals, probe_models, probe_rows
from nli_probe.tui.render import fmt

if TYPE_CHECKING:
    from nli_probe.scoring.scores import Interval, ReportScores, SideBySideRow

SIGNIFICANCE = 0.05


class OverviewPane(VerticalScroll):
    """Scores per model (filled in when the scores worker finishes)."""

    MAIN_CONTROL = ""
    """What gets the focus when the pane's tab opens (the pane scrolls with the keys)."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report

    def compose(self) -> ComposeResult:
        yield Static(Text("computing scores…", style="dim"), id="overview-body")

    def on_mount(self) -> None:
        if not self.report.models:
            self.query_one(Static).update(
                Text("this report has no models: see the Examples tab", style="dim")
            )
        # Scores that arrived while this pane was mounting (it mounts after the first frame).
        self.call_after_refresh(self._catch_up)

    def _catch_up(self) -> None:
        scores = getattr(self.app, "scores", None)
        if scores is not None:
            self.show(getattr(self.app, "report", self.report), scores)

    def show(self, report: Report, scores: ReportScores | None) -> None:
        """Show `scores` of `report` (None: scoring failed or unavailable)."""
        if not self.is_mounted:
            return  # `_catch_up` shows them once mounted
        self.report = report
        self.query_one("#overview-body", Static).update(overview(report, scores))


def overview(report: Report, scores: ReportScores | None) -> RenderableType:
    """The whole Overview: header line, models table, probes table, comparisons."""
    head = Text.assemble(
        (report.dataset or "report", "bold"),
        f" · {len(report.examples):,} pairs · {len(report.models)} model(s)",
        (f" · created {report.created}" if report.created else "", "dim"),
    )
    parts: list[RenderableType] = [head]
    if scores is not None:
        parts += [Text(""), models_table(scores)]
    probes = probes_table(report)
    if probes is not None:
        parts += [Text(""), probes]
    if scores is not None and scores.comparisons:
        parts += [Text(""), comparisons_table(scores)]
    return Group(*parts)


def _interval(interval: Interval | None) -> str:
    """`.407–.427`: short enough for four columns at 80 cells."""
    if interval is None:
        return ""
    return f"{interval.low:.3f}–{interval.high:.3f}".replace("0.", ".")


def models_table(scores: ReportScores) -> Table:
    """Metrics as rows, the baseline and each model as columns, best value in bold."""
    rows: tuple[SideBySideRow, ...] = scores.table()
    pct = round(scores.confidence * 100)
    table = Table(title="models side by side", title_justify="left", expand=False, box=SIMPLE_HEAD)
    table.add_column("metric", style="bold", no_wrap=True)
    for row in rows:
        name = "baseline" if row.is_baseline else row.name  # "majority baseline" is too wide
        table.add_column(name, justify="right", style="dim" if row.is_baseline else "")
    # (label, value of a row, higher is better)
    lines: list[tuple[str, str, bool]] = [
        ("accuracy", "accuracy", True),
        ("F1 weighted", "f1_weighted", True),
        ("F1 macro", "f1_macro", True),
        ("ECE (calibration)", "ece", False),
        ("Brier", "brier", False),
        ("JSD to humans", "jsd", False),
    ]
    models = [row for row in rows if not row.is_baseline]
    for label, attribute, higher in lines:
        values = [getattr(row, attribute) for row in rows]
        known = [getattr(row, attribute) for row in models if getattr(row, attribute) is not None]
        best = (max(known) if higher else min(known)) if len(known) > 1 else None
        cells = [
            Text(fmt(value), style="bold green" if value is not None and value == best else "")
            for value in values
        ]
        table.add_row(label, *cells)
        if attribute in ("accuracy", "f1_macro"):
            interval = "accuracy_interval" if attribute == "accuracy" else "f1_macro_interval"
            table.add_row(
                Text(f"  {pct}% CI", style="dim"),
                *(Text(_interval(getattr(row, interval)), style="dim") for row in rows),
            )
    table.add_row(Text("pairs scored", style="dim"), *(f"{row.count:,}" for row in rows))
    return table


def probes_table(report: Report) -> Table | None:
    """Failure rate of each model over all probes, and per suite; None without suite runs."""
    if not report.suites:
        return None
    models = probe_models(report)
    table = Table(title="probe failure rates", title_justify="left", expand=False, box=SIMPLE_HEAD)
    table.add_column("suite", style="bold", no_wrap=True)
    for model in models:
        table.add_column(model, justify="right")
    totals = failure_totals(report)
    table.add_row("all probes", *(_rate(*totals.get(model, (0, 0))) for model in models))
    suites = dict.fromkeys(run.suite for run in report.suites)
    rows = probe_rows(report)
    for suite in suites:
        cells = []
        for model in models:
            runs = [row.runs[model] for row in rows if row.suite == suite and model in row.runs]
            cells.append(_rate(sum(r.failed for r in runs), sum(r.tested for r in runs)))
        table.add_row(suite, *cells)
    return table


def _rate(failed: int, tested: int) -> Text:
    if not tested:
        return Text("–", style="dim")
    rate = failed / tested
    style = "green" if rate < 0.05 else "yellow" if rate < 0.2 else "red"
    return Text(f"{rate:.1%} ({failed:,}/{tested:,})", style=style)


def comparisons_table(scores: ReportScores) -> Table:
    """Each pair of models: accuracy difference with its interval and McNemar's test."""
    table = Table(
        title="paired comparisons (accuracy)", title_justify="left", expand=False, box=SIMPLE_HEAD
    )
    table.add_column("A vs B", style="bold", no_wrap=True)
    table.add_column("A - B", justify="right")
    table.add_column("interval", justify="right", style="dim")
    table.add_column("McNemar p", justify="right")
    table.add_column("")
    for item in scores.comparisons:
        p = item.mcnemar_p
        significant = p is not None and p < SIGNIFICANCE
        verdict = (
            Text("significant", style="bold green")
            if significant
            else Text("not significant", style="dim")
        )
        difference = "–" if item.difference is None else f"{item.difference:+.3f}"
        table.add_row(
            f"{item.model_a} vs {item.model_b}",
            difference,
            _interval(item.interval),
            "–" if p is None else f"{p:.3g}",
            verdict,
        )
    return table
