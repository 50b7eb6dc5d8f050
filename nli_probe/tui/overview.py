"""The Overview pane: the models side by side, and whether their differences are significant.

The comparisons are a table of their own: `d` (or a click) goes to it, and enter on a row opens
the two models' disagreements in the Compare tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.box import SIMPLE_HEAD
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static

from nli_probe.core.report import Report
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.probes import failure_totals, probe_models, probe_rows
from nli_probe.tui.render import fmt
from nli_probe.tui.sources import run_sources

if TYPE_CHECKING:
    from nli_probe.scoring.scores import (
        Interval,
        PairedComparison,
        ReportScores,
        SideBySideRow,
    )

SIGNIFICANCE = 0.05


class OverviewPane(PaneHooks, VerticalScroll):
    """Scores per model (filled in when the scores worker finishes), then the comparisons."""

    MAIN_CONTROL = ""
    """What gets the focus when the pane's tab opens (the pane scrolls with the keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "comparisons", "Disagreements"),
    ]

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.comparisons: tuple[PairedComparison, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text("computing scores…", style="dim"), id="overview-body")
        yield Static(id="comparisons-title")
        yield DataTable(id="comparisons-table", cursor_type="row", show_cursor=True)

    def on_mount(self) -> None:
        self.query_one("#comparisons-table", DataTable).display = False
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

    def scores_changed(self, report: Report, scores: ReportScores | None) -> None:
        self.show(report, scores)

    def show(self, report: Report, scores: ReportScores | None) -> None:
        """Show `scores` of `report` (None: scoring failed or unavailable)."""
        if not self.is_mounted:
            return  # `_catch_up` shows them once mounted
        self.report = report
        self.query_one("#overview-body", Static).update(overview(report, scores))
        self.comparisons = scores.comparisons if scores is not None else ()
        table = self.query_one("#comparisons-table", DataTable)
        title = self.query_one("#comparisons-title", Static)
        table.clear(columns=True)
        table.display = bool(self.comparisons)
        if not self.comparisons:
            title.update("")
            return
        title.update(
            Text.assemble(
                ("\npaired comparisons (accuracy)", "bold italic"),
                ("  d, then enter: where the two disagree", "dim"),
            )
        )
        fill_comparisons(table, self.comparisons)

    def action_comparisons(self) -> None:
        table = self.query_one("#comparisons-table", DataTable)
        if table.display:
            table.focus()
            table.scroll_visible()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.comparisons):
            item = self.comparisons[event.cursor_row]
            call_pane = getattr(self.app, "call_pane", None)
            if call_pane is not None:
                call_pane("compare", item.model_a, item.model_b)


@register_pane(id="overview", title="Overview", order=10)
def overview_pane(app: Workbench) -> Widget:
    return OverviewPane(app.report)


def overview(report: Report, scores: ReportScores | None) -> RenderableType:
    """The Overview's top: header, the runs merged (if several), models table, probes table."""
    head = Text.assemble(
        (report.dataset or "report", "bold"),
        f" · {len(report.examples):,} pairs · {len(report.models)} model(s)",
        (f" · created {report.created}" if report.created else "", "dim"),
    )
    parts: list[RenderableType] = [head]
    runs = runs_table(report)
    if runs is not None:
        parts += [Text(""), runs]
    if scores is not None:
        parts += [Text(""), models_table(scores)]
    probes = probes_table(report)
    if probes is not None:
        parts += [Text(""), probes]
    return Group(*parts)


def runs_table(report: Report) -> Table | None:
    """Which run each model came from, for a merged report; None for one run."""
    sources = run_sources(report)
    if len(sources) < 2:
        return None
    table = Table(title="runs merged", title_justify="left", expand=False, box=SIMPLE_HEAD)
    table.add_column("run", style="bold", no_wrap=True)
    table.add_column("data set")
    table.add_column("pairs", justify="right")
    table.add_column("models")
    for source in sources:
        table.add_row(
            source.label, source.dataset, f"{source.pairs:,}", ", ".join(source.models) or "–"
        )
    return table


def _interval(interval: Interval | None) -> str:
    """`.407–.427`: short enough for four columns at 80 cells."""
    if interval is None:
        return ""
    return f"{interval.low:.3f}–{interval.high:.3f}".replace("0.", ".")


def models_table(scores: ReportScores) -> Table:
    """Metrics as rows, the baseline(s) and each model as columns, best value in bold.

    With several data sets (runs merged from different data, or a run over several), each set
    has its own baseline column: one baseline pooled over two data sets describes neither."""
    from nli_probe.scoring.scores import side_by_side_row

    rows: list[SideBySideRow] = list(scores.table())
    headers = ["baseline" if row.is_baseline else row.name for row in rows]
    if len(scores.datasets) > 1:
        models = [row for row in rows if not row.is_baseline]
        rows = [side_by_side_row(part.baseline) for part in scores.datasets] + models
        headers = [f"baseline {_short(part.dataset)}" for part in scores.datasets] + [
            row.name for row in models
        ]
    pct = round(scores.confidence * 100)
    table = Table(title="models side by side", title_justify="left", expand=False, box=SIMPLE_HEAD)
    table.add_column("metric", style="bold", no_wrap=True)
    for row, name in zip(rows, headers, strict=True):  # "majority baseline" is too wide
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
        # Models scored on different pairs (runs merged from different data) are not ranked.
        ranked = len(known) > 1 and len({row.count for row in models}) == 1
        best = (max(known) if higher else min(known)) if ranked else None
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


def _short(label: str) -> str:
    """A run's label for a column header: its last path part (`runs/eval-a` -> `eval-a`)."""
    parts = [part for part in label.replace("\\", "/").split("/") if part]
    if parts and parts[-1] == "report.json" and len(parts) > 1:
        return parts[-2]
    return parts[-1] if parts else label


def comparison_cells(item: PairedComparison) -> list[RenderableType]:
    """One comparison's cells: A vs B, shared pairs, A - B, interval, McNemar p, verdict.

    Models that share no scored pairs (runs on different data) are `n/a`, not "not
    significant": nothing was compared."""
    if not item.count:
        na = Text("n/a", style="dim")
        return [
            f"{item.model_a} vs {item.model_b}",
            Text("0", style="dim"),
            na,
            Text(""),
            na,
            Text("no shared pairs", style="yellow"),
        ]
    p = item.mcnemar_p
    significant = p is not None and p < SIGNIFICANCE
    verdict = (
        Text("significant", style="bold green")
        if significant
        else Text("not significant", style="dim")
    )
    difference = "–" if item.difference is None else f"{item.difference:+.3f}"
    return [
        f"{item.model_a} vs {item.model_b}",
        f"{item.count:,}",
        difference,
        Text(_interval(item.interval), style="dim"),
        "–" if p is None else f"{p:.3g}",
        verdict,
    ]


COMPARISON_COLUMNS = ("A vs B", "pairs", "A - B", "interval", "McNemar p", "")


def comparisons_table(scores: ReportScores) -> Table:
    """Each pair of models: shared pairs, accuracy difference with its interval, McNemar's
    test (a rich table, as the reports print it; the pane uses `fill_comparisons`)."""
    table = Table(
        title="paired comparisons (accuracy)", title_justify="left", expand=False, box=SIMPLE_HEAD
    )
    for name in COMPARISON_COLUMNS:
        table.add_column(name, justify="left" if name in ("A vs B", "") else "right")
    for item in scores.comparisons:
        table.add_row(*comparison_cells(item))
    return table


def fill_comparisons(table: DataTable[Any], comparisons: Sequence[PairedComparison]) -> None:
    """The comparisons as rows of the pane's table (enter on one opens its disagreements)."""
    for name in COMPARISON_COLUMNS:
        table.add_column(name, key=name or "verdict")
    for item in comparisons:
        table.add_row(*comparison_cells(item))
