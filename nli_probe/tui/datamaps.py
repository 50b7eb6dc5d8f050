"""The Data maps pane: the training dynamics of a study's models (`extra.datamaps` in its
report, see `nli_probe.scoring.datamap`).

Pick a map and a region (or the possible label errors): the regions' shares on every map side
by side (`nli_probe.tui.plot`), the chosen map as a density plot (confidence up, variability
right, coloured by correctness, the region cutoffs drawn in), and the region's pairs from the
report's sample with their annotator votes and every model's label and coordinates; the
highlighted pair is shown in full above the plots. Every number is the section's: nothing is
computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Select, Static

from nli_probe.core.report import Report
from nli_probe.reports.datamap_console import density_plot
from nli_probe.reports.datamap_html import votes_text
from nli_probe.scoring.datamap import REGION_NAMES
from nli_probe.scoring.datamap.section import section_from_json
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.plot import BarChart, Series

if TYPE_CHECKING:
    from nli_probe.scoring.datamap import DataMapSection, DataMapSummary
    from nli_probe.scoring.datamap.points import MapPoint
    from nli_probe.tui.table import ExampleTable

LABEL_ERRORS = "label errors"
"""The list of a map's possible label errors (beside its regions)."""
NO_MAPS = (
    "no data maps in this report: a study keeps them when its trainers record training "
    "dynamics (record_dynamics = true; see README, 'Training dynamics and data maps')"
)


class DataMapsPane(PaneHooks, Vertical):
    """A map and a list to choose, the plots, the pairs listed, the highlighted pair."""

    MAIN_CONTROL = "#dm-table"
    """What gets the focus when the pane's tab opens."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.section = _section(report)
        self.rows: list[tuple[str, ...]] = []
        """What each table row shows in full (the detail below the table)."""

    def compose(self) -> ComposeResult:
        names = [(m.name, m.name) for m in self.section.maps] if self.section else []
        lists = [(region, region) for region in REGION_NAMES] + [(LABEL_ERRORS, LABEL_ERRORS)]
        with Horizontal(classes="filters last"):
            yield Select(
                names,
                prompt="map",
                value=names[0][1] if names else Select.NULL,
                id="dm-map",
                compact=True,
            )
            yield Select(
                lists, value=REGION_NAMES[1], allow_blank=False, id="dm-list", compact=True
            )
        # Above: the highlighted pair, then the plots (scrolled); below: the list, which
        # scrolls on its own, so moving through it never pushes the pair out of view.
        with VerticalScroll(id="dm-box"):
            yield Static(id="dm-detail")
            yield Static(id="dm-plot")
        yield Static(id="dm-caption")
        yield DataTable(id="dm-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.draw()

    def report_changed(self, report: Report, table: ExampleTable) -> None:
        self.section = _section(report)
        if self.is_mounted:
            choice = self.query_one("#dm-map", Select)
            names = [(m.name, m.name) for m in self.section.maps] if self.section else []
            choice.set_options(names)
            if names:
                choice.value = names[0][1]
        self.draw()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.draw()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show(event.cursor_row)

    def chosen(self) -> tuple[DataMapSummary | None, str]:
        """The map and the list chosen (the first map when none is)."""
        if self.section is None or not self.section.maps:
            return None, REGION_NAMES[1]
        name = self.query_one("#dm-map", Select).value
        summary = next((m for m in self.section.maps if m.name == name), self.section.maps[0])
        return summary, str(self.query_one("#dm-list", Select).value)

    def draw(self) -> None:
        """Redraw the plots and the list for the chosen map and list."""
        if not self.is_mounted:
            return
        plot = self.query_one("#dm-plot", Static)
        table = self.query_one("#dm-table", DataTable)
        table.clear(columns=True)
        self.rows = []
        summary, listed = self.chosen()
        if self.section is None or summary is None:
            plot.update(Text(NO_MAPS, style="dim"))
            self.query_one("#dm-detail", Static).update("")
            self._caption("")
            return
        plot.update(self._plots(self.section, summary))
        if listed == LABEL_ERRORS:
            self._fill_label_errors(table, summary)
        else:
            self._fill_region(table, self.section, summary, listed)
        self._show(0)

    def _plots(self, section: DataMapSection, summary: DataMapSummary) -> RenderableType:
        shares = BarChart(
            list(REGION_NAMES),
            [
                Series(name=m.name, values=[m.region(region).share for region in REGION_NAMES])
                for m in section.maps
            ],
            title="share of the training pairs per region",
        )
        parts: list[RenderableType] = [shares]
        density = section.densities.get(summary.name)
        if density is not None:
            title = f"{summary.name}: {summary.pairs:,} pairs, {summary.records} records"
            parts.append(density_plot(density, cutoffs=summary.cutoffs, title=title))
        return Group(*parts)

    def _fill_region(
        self, table: DataTable[Any], section: DataMapSection, summary: DataMapSummary, region: str
    ) -> None:
        names = [m.name for m in section.maps]
        table.add_columns("id", "premise", "hypothesis", "gold", "votes", *names)
        points = [p for p in section.points if _region_of(p, summary.name) == region]
        for point in points:
            cells = [point.id, point.premise, point.hypothesis, point.gold, votes_text(point.votes)]
            for name in names:
                where = point.positions.get(name)
                cells.append(
                    "–"
                    if where is None
                    else f"{where.label} · {where.confidence:.2f} · {where.variability:.2f}"
                )
            table.add_row(*(Text(_short(cell)) for cell in cells))
            self.rows.append(_detail_lines(point))
        size = summary.region(region)
        self._caption(
            f"{region} on {summary.name}: {size.pairs:,} pairs, {len(points):,} of them in the "
            f"report's sample; per model: label · confidence · variability"
        )

    def _fill_label_errors(self, table: DataTable[Any], summary: DataMapSummary) -> None:
        table.add_columns("id", "premise", "hypothesis", "gold", "model", "votes", "conf.", "why")
        ties = summary.annotators
        suspects = ties.suspects if ties is not None else ()
        for s in suspects:
            cells = [
                s.id,
                s.premise,
                s.hypothesis,
                s.gold,
                s.model_label,
                votes_text(s.votes),
                f"{s.confidence:.2f}",
                "; ".join(s.reasons),
            ]
            table.add_row(*(Text(_short(cell)) for cell in cells))
            self.rows.append(
                (
                    s.id,
                    f"premise: {s.premise}",
                    f"hypothesis: {s.hypothesis}",
                    f"gold: {s.gold} · votes {votes_text(s.votes)}",
                    f"{summary.name}: chose {s.model_label}, confidence {s.confidence:.3f}; "
                    + "; ".join(s.reasons),
                )
            )
        found = ties.label_errors if ties is not None else 0
        self._caption(
            f"possible label errors on {summary.name}: {found:,} hard-to-learn pairs with a weak "
            f"gold majority or votes favouring the model's label; the first {len(suspects):,}"
            if ties is not None
            else f"{summary.name}: no annotator labels, so no label errors to suggest"
        )

    def _caption(self, text: str) -> None:
        self.query_one("#dm-caption", Static).update(Text(text, style="bold"))

    def _show(self, row: int) -> None:
        detail = self.query_one("#dm-detail", Static)
        if not 0 <= row < len(self.rows):
            detail.update("")
            return
        # Text, not markup: the pairs are data and may hold brackets.
        detail.update(Text("\n".join(self.rows[row])))


@register_pane(id="datamaps", title="Data maps", order=100)
def datamaps_pane(app: Workbench) -> Widget:
    return DataMapsPane(app.report)


def _section(report: Report) -> DataMapSection | None:
    return section_from_json(report.extra.get("datamaps"))


def _region_of(point: MapPoint, name: str) -> str | None:
    where = point.positions.get(name)
    return where.region if where is not None else None


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _detail_lines(point: MapPoint) -> tuple[str, ...]:
    lines = [
        point.id,
        f"premise: {point.premise}",
        f"hypothesis: {point.hypothesis}",
        f"gold: {point.gold}" + (f" · votes {votes_text(point.votes)}" if any(point.votes) else ""),
    ]
    for name, where in point.positions.items():
        lines.append(
            f"{name}: {where.region}, chose {where.label}; confidence {where.confidence:.3f}, "
            f"variability {where.variability:.3f}, correctness {where.correctness:.2f}"
        )
    return tuple(lines)
