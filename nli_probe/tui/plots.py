"""The Plots pane: the report's scores drawn in the terminal (`nli_probe.tui.plot`).

- reliability diagram per model (accuracy per confidence bin, the bin's mean confidence marked:
  a calibrated model's bar ends on its mark);
- confidence histogram per model (pairs per top-label confidence bin);
- per-class precision, recall and F1;
- accuracy by annotator-agreement level, with the human ceiling.

Every number is the scores' (`ReportScores`): the pane only draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Select, Static

from nli_probe.core.report import Report
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.plot import BarChart, ColumnChart, Series

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ModelScores, ReportScores

PLOTS: tuple[tuple[str, str], ...] = (
    ("reliability", "reliability diagram"),
    ("confidence", "confidence histogram"),
    ("per_class", "per-class precision, recall, F1"),
    ("agreement", "accuracy by annotator agreement"),
)


class PlotsPane(PaneHooks, Vertical):
    """A choice of plot and the plot, scrolled when taller than the terminal."""

    MAIN_CONTROL = "#plots-kind"
    """What gets the focus when the pane's tab opens."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.scores: ReportScores | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filters last"):
            yield Select(
                [(title, key) for key, title in PLOTS],
                value="reliability",
                allow_blank=False,
                id="plots-kind",
                compact=True,
            )
        with VerticalScroll(id="plots-box"):
            yield Static(Text("computing scores…", style="dim"), id="plots-body")

    def on_mount(self) -> None:
        self.call_after_refresh(self._catch_up)

    def _catch_up(self) -> None:
        scores = getattr(self.app, "scores", None)
        if scores is not None:
            self.scores_changed(self.report, scores)

    def scores_changed(self, report: Report, scores: ReportScores | None) -> None:
        self.report, self.scores = report, scores
        self.draw()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        """Draw the chosen plot of the current scores."""
        if not self.is_mounted:
            return
        body = self.query_one("#plots-body", Static)
        if self.scores is None or not self.scores.models:
            body.update(Text("no model scores to plot", style="dim"))
            return
        kind = str(self.query_one("#plots-kind", Select).value)
        body.update(plot(kind, self.scores, width=max(self.size.width - 2, 40)))


@register_pane(id="plots", title="Plots", order=80)
def plots_pane(app: Workbench) -> Widget:
    return PlotsPane(app.report)


def plot(kind: str, scores: ReportScores, *, width: int = 80) -> RenderableType:
    """The plot `kind` (a key of `PLOTS`) of `scores`."""
    models = scores.models
    if kind == "reliability":
        charts = [reliability(model) for model in models]
        note = Text(
            "bars: accuracy in each top-label confidence bin · ━ the bin's mean confidence "
            "(a calibrated model's bar ends there) · empty bins have no bar",
            style="dim",
        )
        return Group(_side_by_side(charts, width, 34), note)
    if kind == "confidence":
        return confidence_histogram(models)
    if kind == "per_class":
        return Group(*per_class(models))
    return agreement_bars(models)


def _bins(model: ModelScores) -> list[str]:
    return [f"{b.lower:.1f}".lstrip("0") or "0" for b in model.calibration.bins]


def reliability(model: ModelScores) -> ColumnChart:
    bins = model.calibration.bins
    ece = model.calibration.ece
    title = f"{model.name}: reliability" + (f" (ECE {ece:.3f})" if ece is not None else "")
    return ColumnChart(
        _bins(model),
        [
            Series(
                name=model.name,
                values=[b.accuracy for b in bins],
                markers=[b.confidence for b in bins],
            )
        ],
        height=8,
        y_max=1.0,
        title=title,
        marker="mean confidence",
    )


def confidence_histogram(models: tuple[ModelScores, ...]) -> ColumnChart:
    return ColumnChart(
        _bins(models[0]),
        [Series(name=m.name, values=[float(b.count) for b in m.calibration.bins]) for m in models],
        height=10,
        y_format="{:,.0f}",
        title="pairs per top-label confidence bin (scored pairs, with gold)",
    )


def per_class(models: tuple[ModelScores, ...]) -> list[RenderableType]:
    charts: list[RenderableType] = []
    for index, scores in enumerate(models[0].metrics.per_class):
        series = []
        for model in models:
            by_label = (
                model.metrics.per_class[index] if index < len(model.metrics.per_class) else None
            )
            values = [by_label.precision, by_label.recall, by_label.f1] if by_label else [None] * 3
            series.append(Series(name=model.name, values=values))
        title = f"{scores.label} (support {scores.support:,})"
        charts.append(BarChart(["precision", "recall", "F1"], series, title=title))
    return charts


def agreement_bars(models: tuple[ModelScores, ...]) -> RenderableType:
    levels = list(dict.fromkeys(lv.level for m in models for lv in m.agreement.levels))
    if not levels:
        return Text("no annotator votes in this data: no agreement levels to plot", style="dim")

    def values(model: ModelScores, what: str) -> list[float | None]:
        found = {lv.level: lv for lv in model.agreement.levels}
        return [getattr(found[level], what) if level in found else None for level in levels]

    series = [Series(name=m.name, values=values(m, "accuracy")) for m in models]
    series.append(
        Series(name="humans", values=values(models[0], "human_agreement"), style="bright_black")
    )
    return Group(
        BarChart(levels, series, title="accuracy by annotator agreement"),
        Text(
            "humans: how often one annotator agrees with the others' majority (a ceiling)",
            style="dim",
        ),
    )


def _side_by_side(charts: list[Any], width: int, each: int) -> RenderableType:
    """`charts` in rows of as many as fit `width` at `each` cells apiece."""
    per_row = max(1, min(len(charts), width // each))
    grid = Table.grid(padding=(1, 2))
    for _ in range(per_row):
        grid.add_column(width=max(each, width // per_row - 2))
    for start in range(0, len(charts), per_row):
        row = charts[start : start + per_row]
        grid.add_row(*row, *([""] * (per_row - len(row))))
    return grid
