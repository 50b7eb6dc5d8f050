"""The Compare pane: where two models disagree.

Pick models A and B (or press enter on a comparison row of the Overview): the counts of pairs
A gets right and B wrong and the reverse, an A x B table of their predicted labels, each
model's confusion matrix, and the pairs of the chosen kind listed with both predictions (enter:
the pair in full; p, c, e as everywhere). Every number is read from the scoring layer
(`contrast_models`, the report's scores); nothing is counted here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Select, Static
from textual.widgets.data_table import ColumnKey

from nli_probe.core.labels import LABELS
from nli_probe.core.report import Report
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.export import example_records
from nli_probe.tui.paged_table import PagedTable
from nli_probe.tui.pair_actions import PAIR_BINDINGS, ExportSource, PairActions, PairRef
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.render import SHORT, example_details, label_text
from nli_probe.tui.table import NO_LABEL, ExampleTable

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ModelContrast, ReportScores

LISTS: tuple[tuple[str, str], ...] = (
    ("only_a_right", "A right, B wrong"),
    ("only_b_right", "A wrong, B right"),
    ("both_wrong_differently", "both wrong, differently"),
    ("label_disagreements", "labels differ (gold or not)"),
)
"""(`ModelContrast` field, what its pairs are), the lists the pane offers."""


class ComparePane(PairActions, PaneHooks, Vertical):
    """Two model choices, the counts and tables, the list of pairs of one kind."""

    MAIN_CONTROL = "#cmp-table"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [*PAIR_BINDINGS]

    def __init__(self, report: Report, table: ExampleTable, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.table = table
        self.contrast: ModelContrast | None = None
        self.listed: tuple[str, ...] = ()
        self._index = {example.id: i for i, example in enumerate(table.examples)}

    def compose(self) -> ComposeResult:
        names = [(name, name) for name in self.table.model_names]
        first = names[0][1] if names else Select.NULL
        second = names[1][1] if len(names) > 1 else Select.NULL
        with Horizontal(classes="filters last"):
            yield Select(names, prompt="model A", value=first, id="cmp-a", compact=True)
            yield Select(names, prompt="model B", value=second, id="cmp-b", compact=True)
            yield Select(
                [(label, key) for key, label in LISTS],
                value=LISTS[0][0],
                allow_blank=False,
                id="cmp-list",
                compact=True,
            )
        yield Static(id="cmp-summary")
        yield PagedTable(id="cmp-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._add_columns()
        self.refresh_contrast()

    def _add_columns(self) -> None:
        table = self.query_one("#cmp-table", PagedTable)
        table.clear(columns=True)
        table.add_column("#")
        table.add_column("gold")
        table.add_column("A", key="a")
        table.add_column("B", key="b")
        table.add_column("hypothesis", width=36)
        table.add_column("premise", width=48)

    def report_changed(self, report: Report, table: ExampleTable) -> None:
        self.report, self.table = report, table
        self._index = {example.id: i for i, example in enumerate(table.examples)}
        names = [(name, name) for name in table.model_names]
        for select_id in ("#cmp-a", "#cmp-b"):
            select = self.query_one(select_id, Select)
            value = select.value
            select.set_options(names)
            if value in table.model_names:
                select.value = value
        self.refresh_contrast()

    def scores_changed(self, report: Report, scores: ReportScores | None) -> None:
        self._show_summary()

    def compare(self, model_a: str, model_b: str) -> None:
        """Show A = `model_a` against B = `model_b` (the Overview's and the palette's jump)."""
        for select_id, name in (("#cmp-a", model_a), ("#cmp-b", model_b)):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.value = name
        self.refresh_contrast()
        self.query_one("#cmp-table", PagedTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "cmp-list":
            self._fill()
        else:
            self.refresh_contrast()

    def _models(self) -> tuple[str, str] | None:
        a = self.query_one("#cmp-a", Select).value
        b = self.query_one("#cmp-b", Select).value
        if a is Select.NULL or b is Select.NULL:
            return None
        return str(a), str(b)

    def refresh_contrast(self) -> None:
        """Contrast the chosen models (a worker thread: it reads every pair)."""
        chosen = self._models()
        self.contrast = None
        if chosen is None or len(self.table.model_names) < 2:
            self.query_one("#cmp-summary", Static).update(
                Text("comparing needs two models in the report", style="dim")
            )
            self.listed = ()
            self.query_one("#cmp-table", PagedTable).show_rows(0, lambda i: [])
            return
        if chosen[0] == chosen[1]:
            self.query_one("#cmp-summary", Static).update(
                Text("choose two different models", style="yellow")
            )
            return
        self.query_one("#cmp-summary", Static).update(Text("comparing…", style="dim"))
        self._contrast(self.report, *chosen)

    # Described: textual would otherwise repr() the whole report on the UI thread.
    @work(thread=True, exclusive=True, group="contrast", description="contrast two models")
    def _contrast(self, report: Report, model_a: str, model_b: str) -> None:
        from nli_probe.scoring.scores import contrast_models

        contrast = contrast_models(report, model_a, model_b)
        self.app.call_from_thread(self._show, report, contrast)

    def _show(self, report: Report, contrast: ModelContrast) -> None:
        if report is not self.report or (contrast.model_a, contrast.model_b) != self._models():
            return  # the choice moved on while this was computed
        self.contrast = contrast
        self._show_summary()
        self._fill()

    def _show_summary(self) -> None:
        if self.contrast is None or not self.is_mounted:
            return
        scores = getattr(self.app, "scores", None)
        self.query_one("#cmp-summary", Static).update(contrast_view(self.contrast, scores))

    def _fill(self) -> None:
        contrast = self.contrast
        if contrast is None:
            return
        kind = str(self.query_one("#cmp-list", Select).value)
        self.listed = getattr(contrast, kind)
        table = self.query_one("#cmp-table", PagedTable)
        for key, name in (("a", contrast.model_a), ("b", contrast.model_b)):
            table.columns[ColumnKey(key)].label = Text(f"{key.upper()}: {name}")
        listed = self.listed
        table.show_rows(len(listed), lambda n: self._cells(n, listed[n]))
        table.refresh()

    def _cells(self, n: int, example_id: str) -> list[Any]:
        row = self._index[example_id]
        contrast = self.contrast
        assert contrast is not None  # rows are listed only once it is known
        gold = self.table.gold[row]
        cells: list[Any] = [str(n + 1), label_text(gold)]
        for name in (contrast.model_a, contrast.model_b):
            column = next(c for c in self.table.models if c.name == name)
            label = column.label[row]
            cell = label_text(label)
            cell.append(f" {column.confidence[row]:.2f}")
            if gold != NO_LABEL and label != NO_LABEL:
                cell.append(
                    " ✓" if label == gold else " ✗", style="green" if label == gold else "bold red"
                )
            cells.append(cell)
        example = self.table.examples[row]
        return [*cells, example.hypothesis, example.premise]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        pair = self.current_pair()
        if pair is None:
            return
        example = self.table.examples[self._index[pair.id]]
        predictions = [(run.name, run.predictions.get(example.id)) for run in self.report.models]
        self.app.push_screen(ExampleDetail(example_details(example, predictions)))

    def current_pair(self) -> PairRef | None:
        index = self.query_one("#cmp-table", PagedTable).cursor_index
        if index is None or index >= len(self.listed):
            return None
        row = self._index[self.listed[index]]
        example = self.table.examples[row]
        gold = self.table.gold[row]
        return PairRef(
            id=example.id,
            premise=example.premise,
            hypothesis=example.hypothesis,
            gold=None if gold == NO_LABEL else gold,
        )

    def export_source(self) -> ExportSource | None:
        contrast = self.contrast
        if contrast is None:
            return None
        report, ids = self.report, list(self.listed)
        kind = str(self.query_one("#cmp-list", Select).value).replace("_", "-")
        return ExportSource(
            what=f"{contrast.model_a}-vs-{contrast.model_b}-{kind}",
            count=len(ids),
            records=lambda: example_records(report, ids),
        )


@register_pane(id="compare", title="Compare", order=70)
def compare_pane(app: Workbench) -> Widget:
    return ComparePane(app.report, app.table)


def contrast_view(contrast: ModelContrast, scores: ReportScores | None) -> RenderableType:
    """The counts line, the A x B table of predicted labels and each model's confusion matrix."""
    a, b = contrast.model_a, contrast.model_b
    if not contrast.shared:
        return Text(
            f"{a} and {b} share no pairs (runs on different data): nothing to compare",
            style="yellow",
        )
    line = Text.assemble(
        ("A ", "bold"), a, (" vs B ", "bold"), b,
        f" · {contrast.shared:,} shared pairs, {contrast.scored:,} with gold: ",
        (f"A right/B wrong {len(contrast.only_a_right):,}", "bold green"), " · ",
        (f"A wrong/B right {len(contrast.only_b_right):,}", "bold red"), " · ",
        f"both right {contrast.both_right:,} · both wrong {contrast.both_wrong:,}",
    )  # fmt: skip
    tables: list[RenderableType] = [_matrix("A × B predicted", "A\\B", contrast.cross)]
    for key, name in (("A", a), ("B", b)):
        matrix = _confusion(scores, name)
        if matrix is not None:
            tables.append(_matrix(f"{key}: gold × predicted", "gold", matrix))
    # Side by side where they fit, the next below where not: a count is never cut to `1,4…`.
    return Group(line, Columns(tables, padding=(0, 3)))


def _confusion(scores: ReportScores | None, name: str) -> tuple[tuple[int, ...], ...] | None:
    if scores is None:
        return None
    for model in scores.models:
        if model.name == name:
            return model.metrics.confusion
    return None


def _matrix(title: str, corner: str, cells: tuple[tuple[int, ...], ...]) -> Table:
    # One space before each column only: three matrices of 4-digit counts fit 80 columns.
    table = Table(
        title=title,
        title_justify="left",
        box=None,
        padding=(0, 0, 0, 1),
        title_style="bold",
        min_width=len(title),  # small counts: the title on one line all the same
    )
    table.add_column(corner, style="bold")
    for label in LABELS:
        table.add_column(SHORT[label], justify="right")
    for label, row in zip(LABELS, cells, strict=True):
        table.add_row(
            SHORT[label],
            *(
                Text(f"{count:,}", style="bold" if i == int(label) else "")
                for i, count in enumerate(row)
            ),
        )
    return table
