"""The Slices pane: a data set's scores per value of a slice field, the models side by side.

Pick a data set (a run over several has one part each) and one of its slice fields (`heuristic`,
`round`, `genre`, ... as `evaluate --by` or the set's own defaults made them); the table shows per
value the pairs, the majority baseline, each model's accuracy with its Wilson interval and macro
F1, and with two models their paired difference. Enter opens the slice's pairs with every
model's prediction. A report without slices says how to get them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Select, Static

from nli_probe.core.example import Example
from nli_probe.core.report import Report
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.render import fmt, label_text

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ReportScores
    from nli_probe.scoring.slices import SliceRow, SliceTable
    from nli_probe.tui.table import ExampleTable

SHOWN = 200
"""Pairs listed when a slice is opened (the first ones, in report order)."""


class SlicesPane(PaneHooks, Vertical):
    """Data set and field pickers, a hint line and the table of slice values."""

    MAIN_CONTROL = "#slices-table"
    """What gets the focus when the pane's tab opens."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.scores: ReportScores | None = None
        self.rows: tuple[SliceRow, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filters last"):
            yield Select[str]([], prompt="data set", id="slices-set", compact=True)
            yield Select[str]([], prompt="field", id="slices-field", compact=True)
        yield Static(Text("computing scores…", style="dim"), id="slices-hint")
        yield DataTable(id="slices-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        # Scores that arrived while this pane was mounting (it mounts after the first frame).
        self.call_after_refresh(self._catch_up)

    def _catch_up(self) -> None:
        scores = getattr(self.app, "scores", None)
        if scores is not None:
            self.show(getattr(self.app, "report", self.report), scores)

    def scores_changed(self, report: Report, scores: ReportScores | None) -> None:
        self.show(report, scores)

    def report_changed(self, report: Report, table: ExampleTable) -> None:
        self.report = report

    def show(self, report: Report, scores: ReportScores | None) -> None:
        """Offer the sliced data sets of `scores` and show the first one's first field."""
        if not self.is_mounted:
            return  # `_catch_up` shows them once mounted
        self.report, self.scores = report, scores
        sets = self.query_one("#slices-set", Select)
        sliced = [part.dataset for part in _parts(scores) if part.slices]
        if not sliced:
            self._hint(
                "no data set of this report is sliced: `nli-probe evaluate --by FIELD` slices "
                "one, and a challenge set (hans:evaluation, anli:test, ...) brings its own"
            )
            self.query_one("#slices-table", DataTable).clear(columns=True)
            return
        chosen = sets.value if sets.value in sliced else sliced[0]
        with self.prevent(Select.Changed):
            sets.set_options([(name, name) for name in sliced])
            sets.value = chosen
        self._offer_fields(str(chosen))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "slices-set" and isinstance(event.value, str):
            self._offer_fields(event.value)
        elif event.select.id == "slices-field":
            self._show_table()

    def _offer_fields(self, dataset: str) -> None:
        part = self._part(dataset)
        fields = self.query_one("#slices-field", Select)
        names = [table.field for table in part.slices] if part is not None else []
        chosen = fields.value if fields.value in names else (names[0] if names else None)
        with self.prevent(Select.Changed):
            fields.set_options([(name, name) for name in names])
            if chosen is not None:
                fields.value = chosen
        self._show_table()

    def _part(self, dataset: Any) -> ReportScores | None:
        return next((part for part in _parts(self.scores) if part.dataset == dataset), None)

    def _selected(self) -> tuple[ReportScores, SliceTable] | None:
        part = self._part(self.query_one("#slices-set", Select).value)
        field = self.query_one("#slices-field", Select).value
        if part is None:
            return None
        table = next((table for table in part.slices if table.field == field), None)
        return None if table is None else (part, table)

    def _show_table(self) -> None:
        table = self.query_one("#slices-table", DataTable)
        table.clear(columns=True)
        selected = self._selected()
        if selected is None:
            self.rows = ()
            return
        part, sliced = selected
        models = [model.name for model in part.models]
        table.add_columns(sliced.field, "pairs", "baseline")
        for name in models:
            table.add_columns(f"{name} acc [95% CI]", f"{name} F1m")
        pairs = [(a, b) for index, a in enumerate(models) for b in models[index + 1 :]]
        table.add_columns(*(f"{a} − {b}" for a, b in pairs))
        self.rows = sliced.rows
        for row in sliced.rows:
            cells: list[Any] = [row.value, f"{row.count:,}", fmt(row.baseline)]
            for name in models:
                found = row.model(name)
                cells += _model_cells(found)
            for a, b in pairs:
                cells.append(_difference(row, a, b))
            table.add_row(*cells)
        scheme = ", scored two-way" if part.label_scheme == "two-way" else ""
        self._hint(
            f"{part.dataset} by {sliced.field}: {len(sliced.rows)} values{scheme} · baseline: "
            f"{part.baseline.description or 'majority baseline'} · enter: the slice's pairs"
        )

    def _hint(self, text: str) -> None:
        self.query_one("#slices-hint", Static).update(Text(text, style="dim"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        selected = self._selected()
        if selected is None or not 0 <= event.cursor_row < len(self.rows):
            return
        part, sliced = selected
        row = self.rows[event.cursor_row]
        pairs = slice_examples(self.report, part.dataset, sliced.field, row.values)
        self.app.push_screen(ExampleDetail(slice_view(self.report, sliced.field, row, pairs)))


@register_pane(id="slices", title="Slices", order=90)
def slices_pane(app: Workbench) -> Widget:
    return SlicesPane(app.report)


def _parts(scores: ReportScores | None) -> tuple[ReportScores, ...]:
    return () if scores is None else scores.parts()


def _model_cells(found: Any) -> list[str]:
    if found is None or found.accuracy is None:
        return ["–", "–"]
    interval = found.interval
    ci = f" [{interval.low:.3f}, {interval.high:.3f}]" if interval is not None else ""
    return [f"{found.accuracy:.3f}{ci}", fmt(found.f1_macro)]


def _difference(row: SliceRow, a: str, b: str) -> str:
    found = next((c for c in row.comparisons if (c.model_a, c.model_b) == (a, b)), None)
    if found is None or found.difference is None:
        return "–"
    interval = found.interval
    ci = f" [{interval.low:+.3f}, {interval.high:+.3f}]" if interval is not None else ""
    return f"{found.difference:+.3f}{ci}"


def slice_examples(
    report: Report, dataset: str, field: str, values: Sequence[str]
) -> list[Example]:
    """The pairs of `dataset` in `report` whose `field` (crossed: `a,b`) has `values`."""
    from nli_probe.scoring.slices import CROSS, slice_values

    part = next((part for part in report.parts() if part.name == dataset), None)
    if part is None:
        return []
    ids = set(part.ids)
    examples = [example for example in report.examples if example.id in ids]
    columns = [slice_values(examples, name) for name in field.split(CROSS)]
    wanted = tuple(values)
    return [
        example
        for example, found in zip(examples, zip(*columns, strict=True), strict=True)
        if tuple(found) == wanted
    ]


def _gold(example: Example) -> Text:
    """The gold label; a two-way set's non-entailment (stored as neutral) by its own name."""
    from nli_probe.core.labels import Label

    if example.gold is Label.NEUTRAL and example.meta.get("label_scheme") == "two-way":
        return Text("non-e", style="bold")
    return label_text(-1 if example.gold is None else int(example.gold))


def slice_view(report: Report, field: str, row: SliceRow, pairs: Sequence[Example]) -> Any:
    """A slice's pairs: premise, hypothesis, gold and each model's predicted label."""
    from nli_probe.core.prediction import Prediction

    table = Table(
        title=f"{field} = {row.value}: {len(pairs):,} pairs"
        + (f" (the first {SHOWN} shown)" if len(pairs) > SHOWN else ""),
        title_justify="left",
        expand=True,
    )
    table.add_column("premise", ratio=3)
    table.add_column("hypothesis", ratio=2)
    table.add_column("gold", no_wrap=True)
    for run in report.models:
        table.add_column(run.name, no_wrap=True)
    for example in pairs[:SHOWN]:
        cells: list[Any] = [example.premise, example.hypothesis, _gold(example)]
        for run in report.models:
            prediction = run.predictions.get(example.id)
            cells.append(
                Text("–", style="dim")
                if prediction is None
                else label_text(Prediction.label_value(prediction.probs))
            )
        table.add_row(*cells)
    return table
