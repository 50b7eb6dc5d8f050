"""The Examples pane: every pair with gold, annotators and each model's prediction, filtered.

The filter controls build an `ExampleQuery`; `select_rows` (pure) answers it; the table shows
the answer a window of pages at a time (`nli_probe.tui.paged_table`), so 10,000 rows never sit
in the widget at once. A click on a column header sorts by it (again: the other way); the
header and the count line say the order.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from nli_probe.core.labels import LABELS
from nli_probe.core.report import Report
from nli_probe.tui.browse import SORT_KEYS, ExampleQuery, SortKey, describe_order, select_rows
from nli_probe.tui.export import example_records
from nli_probe.tui.paged_table import PAGE, PagedTable
from nli_probe.tui.pair_actions import PAIR_BINDINGS, ExportSource, PairActions, PairRef
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.render import example_details, label_text
from nli_probe.tui.table import NO_CONSENSUS, NO_LABEL, ExampleTable

__all__ = ["PAGE", "ExampleDetail", "ExamplesPane", "PagedTable"]

_YES_NO: dict[str, bool] = {"yes": True, "no": False}

SEARCH_STYLE = "bold reverse"
"""How the search words are marked in the premise and hypothesis cells."""


class ExampleDetail(ModalScreen[None]):
    """One pair in full: text, gold, annotators, human distribution, every model."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,enter", "dismiss", "Close")]

    def __init__(self, renderable: Any) -> None:
        super().__init__()
        self._renderable = renderable

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box"):
            yield Static(self._renderable, id="detail")
            yield Static("[dim]esc to close[/]", id="detail-hint")


class ExamplesPane(PairActions, PaneHooks, Vertical):
    """Filter controls, a count line and the paged table of pairs."""

    MAIN_CONTROL = "#ex-table"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", show=False),
        Binding("r", "reset", "Reset filters"),
        Binding("o", "reverse", "Reverse order"),
        *PAIR_BINDINGS,
    ]

    def __init__(self, report: Report, table: ExampleTable, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.table = table
        self.query_state = ExampleQuery()
        self.rows: list[int] = []

    @property
    def loaded(self) -> int:
        """How far into `rows` the table's window reaches."""
        return self.query_one(PagedTable).stop

    def compose(self) -> ComposeResult:
        labels = [(str(label), int(label)) for label in LABELS]
        names = [(name, name) for name in self.table.model_names]
        with Horizontal(classes="filters"):
            yield Input(placeholder="search text (/)", id="ex-text", compact=True)
            yield Select(
                [*labels, ("no gold", NO_LABEL)], prompt="gold", id="ex-gold", compact=True
            )
            yield Select(labels, prompt="predicted", id="ex-predicted", compact=True)
            yield Select(names, prompt="any model", id="ex-model", compact=True)
        with Horizontal(classes="filters last"):
            yield Select(
                [("right", "yes"), ("wrong", "no")],
                prompt="right/wrong",
                id="ex-correct",
                compact=True,
            )
            yield Select(
                [(level, level) for level in self.table.levels],
                prompt="agreement",
                id="ex-level",
                compact=True,
            )
            yield Select(
                [("models disagree", "yes"), ("models agree", "no")],
                prompt="models",
                id="ex-disagree",
                compact=True,
            )
            yield Select(
                [(f"sort: {key}", key) for key in SORT_KEYS],
                value="order",
                allow_blank=False,
                id="ex-sort",
                compact=True,
            )
        yield Static(id="ex-count")
        yield PagedTable(id="ex-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._add_columns()
        self.refresh_rows()

    def report_changed(self, report: Report, table: ExampleTable) -> None:
        self.report, self.table = report, table
        self.rebuild()

    def rebuild(self) -> None:
        """Show `self.table` after it changed (a live run added models): new columns and
        model choices; the filters that still make sense are kept."""
        self.query_one(PagedTable).clear(columns=True)
        self._add_columns()
        names = self.table.model_names
        self.query_one("#ex-model", Select).set_options([(name, name) for name in names])
        if self.query_state.model not in (None, *names):
            self.query_state = replace(self.query_state, model=None)
        if self.query_state.sort_model not in (None, *names):
            self.query_state = replace(self.query_state, sort_model=None)
        self.refresh_rows()

    _HEADERS: ClassVar[dict[str, str]] = {
        "row": "#",
        "gold": "gold",
        "agr": "agr",
        "votes": "votes",
        "hypothesis": "hypothesis",
        "premise": "premise",
    }

    _HEADER_SORTS: ClassVar[dict[str, SortKey]] = {
        "row": "order",
        "gold": "gold",
        "agr": "agreement",
        "votes": "agreement",
        "hypothesis": "length",
        "premise": "length",
    }

    def _add_columns(self) -> None:
        table = self.query_one(PagedTable)
        for key in ("row", "gold", "agr", "votes"):
            table.add_column(self._HEADERS[key], key=key)
        for name in self.table.model_names:
            table.add_column(name, key=f"model:{name}")
        table.add_column("hypothesis", key="hypothesis", width=36)
        table.add_column("premise", key="premise", width=48)

    # -- the query --------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_query(text=event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value: Any = None if event.value is Select.NULL else event.value
        field = {
            "ex-gold": "gold",
            "ex-predicted": "predicted",
            "ex-model": "model",
            "ex-correct": "correct",
            "ex-level": "level",
            "ex-disagree": "disagree",
            "ex-sort": "sort",
        }[event.select.id or ""]
        if field in ("correct", "disagree") and value is not None:
            value = _YES_NO[str(value)]
        changes: dict[str, Any] = {field: value}
        if field == "sort" and value != self.query_state.sort:
            changes["sort_model"] = None  # the select sorts by the chosen (or first) model
        self.set_query(**changes)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """Sort by the clicked column; a second click on the same column reverses it."""
        event.stop()
        key = str(event.column_key.value)
        sort: SortKey
        sort_model: str | None = None
        if key.startswith("model:"):
            sort, sort_model = "confidence", key.removeprefix("model:")
        elif key in self._HEADER_SORTS:
            sort = self._HEADER_SORTS[key]
        else:
            return
        state = self.query_state
        same = state.sort == sort and state.sort_model == sort_model
        self.sort_by(
            sort, sort_model=sort_model, descending=not state.descending if same else False
        )

    def sort_by(
        self, sort: SortKey, *, sort_model: str | None = None, descending: bool = False
    ) -> None:
        """Order the rows by `sort` (`confidence`: of `sort_model`, else the chosen model)."""
        select = self.query_one("#ex-sort", Select)
        with select.prevent(Select.Changed):
            select.value = sort
        self.set_query(sort=sort, sort_model=sort_model, descending=descending)

    def set_query(self, **changes: Any) -> None:
        """Change the query and show its rows."""
        query = replace(self.query_state, **changes)
        if query == self.query_state:
            return  # e.g. a select announcing its initial value: nothing to redo
        self.query_state = query
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Run the query and show the first page of its answer."""
        self.rows = select_rows(self.table, self.query_state)
        widget = self.query_one(PagedTable)
        rows, words = self.rows, self.query_state.text.lower().split()
        widget.show_rows(len(rows), lambda n: self._cells(rows[n], words))
        self._show_order()
        total = len(self.table)
        order = describe_order(self.table, self.query_state)
        self.query_one("#ex-count", Static).update(
            Text.assemble(
                f"{len(self.rows):,} of {total:,} pairs · ",
                (order, "bold" if self.query_state.descending else ""),
                " · enter: details · p: to playground · e: export",
            )
        )

    def _show_order(self) -> None:
        """Mark the sorted column's header with the direction (▲ ascending, ▼ descending)."""
        widget = self.query_one(PagedTable)
        state = self.query_state
        arrow = " ▼" if state.descending else " ▲"
        sorted_keys: set[str] = set()
        if state.sort == "confidence":
            model = state.sort_model or state.model or next(iter(self.table.model_names), None)
            if model is not None:
                sorted_keys.add(f"model:{model}")
        elif state.sort == "order":
            sorted_keys.add("row")
        else:
            sorted_keys |= {k for k, v in self._HEADER_SORTS.items() if v == state.sort}
            if state.sort == "agreement":
                sorted_keys.discard("votes")
            if state.sort == "length":
                sorted_keys.discard("premise")
        for key, column in widget.columns.items():
            name = str(key.value)
            base = self._HEADERS.get(name, name.removeprefix("model:"))
            column.label = Text(base + (arrow if name in sorted_keys else ""))
        widget.refresh()

    def _cells(self, i: int, words: list[str]) -> list[Any]:
        table = self.table
        example = table.examples[i]
        gold = table.gold[i]
        cells: list[Any] = [
            str(i + 1),
            label_text(gold),
            Text("none", style="dim") if table.level[i] == NO_CONSENSUS else table.level[i],
            table.annotators[i],
        ]
        for column in table.models:
            label = column.label[i]
            if label == NO_LABEL:
                cells.append(Text("-", style="dim"))
                continue
            text = label_text(label)
            text.append(f" {column.confidence[i]:.2f}")
            if gold != NO_LABEL:
                text.append(
                    " ✓" if label == gold else " ✗", style="green" if label == gold else "bold red"
                )
            cells.append(text)
        cells.append(_marked(example.hypothesis, words))
        cells.append(_marked(example.premise, words))
        return cells

    # -- actions ----------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = self.query_one(PagedTable).start + event.cursor_row
        if 0 <= index < len(self.rows):
            self.show_details(self.rows[index])

    def show_details(self, row: int) -> None:
        """Open the detail view of table row `row`."""
        example = self.table.examples[row]
        predictions = [(run.name, run.predictions.get(example.id)) for run in self.report.models]
        self.app.push_screen(ExampleDetail(example_details(example, predictions)))

    def go_to_example(self, example_id: str) -> None:
        """Clear the filters, put the cursor on the pair `example_id` and open it."""
        index = next((i for i, e in enumerate(self.table.examples) if e.id == example_id), None)
        if index is None:
            self.notify(f"no pair {example_id!r} in this report", severity="warning")
            return
        self.action_reset()
        table = self.query_one(PagedTable)
        table.go_to(self.rows.index(index))
        table.focus()
        self.show_details(index)

    def show_model_errors(self, model: str) -> None:
        """Show the pairs `model` gets wrong, least confident first."""
        self.action_reset()
        self.query_one("#ex-model", Select).value = model
        self.query_one("#ex-correct", Select).value = "no"
        self.set_query(model=model, correct=False)
        self.query_one(PagedTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#ex-text", Input).focus()

    def action_reset(self) -> None:
        self.query_one("#ex-text", Input).value = ""
        for select in self.query(Select):
            if select.id == "ex-sort":
                select.value = "order"
            else:
                select.clear()
        self.query_state = ExampleQuery()
        self.refresh_rows()

    def action_reverse(self) -> None:
        self.set_query(descending=not self.query_state.descending)

    # -- PairActions ------------------------------------------------------------------------

    def current_pair(self) -> PairRef | None:
        index = self.query_one(PagedTable).cursor_index
        if index is None or index >= len(self.rows):
            return None
        row = self.rows[index]
        example = self.table.examples[row]
        gold = self.table.gold[row]
        return PairRef(
            id=example.id,
            premise=example.premise,
            hypothesis=example.hypothesis,
            gold=None if gold == NO_LABEL else gold,
        )

    def export_source(self) -> ExportSource | None:
        report = self.report
        ids = [self.table.examples[i].id for i in self.rows]
        filtered = len(ids) < len(self.table)
        return ExportSource(
            what="examples-filtered" if filtered else "examples",
            count=len(ids),
            records=lambda: example_records(report, ids),
        )


@register_pane(id="examples", title="Examples", order=40)
def examples_pane(app: Workbench) -> Widget:
    return ExamplesPane(app.report, app.table)


def _marked(text: str, words: list[str]) -> Text | str:
    """`text` with each search word marked (case-insensitive); plain when there are none."""
    if not words:
        return text
    marked = Text(text)
    marked.highlight_words(words, style=SEARCH_STYLE, case_sensitive=False)
    return marked
