"""The Examples pane: every pair with gold, annotators and each model's prediction, filtered.

The filter controls build an `ExampleQuery`; `select_rows` (pure) answers it; the table
renders the answer a page at a time (`PAGE` rows, the next page when the cursor or the
scroll position reaches the end), so 10,000 rows never sit in the widget at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static

from nli_probe.core.labels import LABELS
from nli_probe.core.report import Report
from nli_probe.tui.browse import SORT_KEYS, ExampleQuery, select_rows
from nli_probe.tui.render import example_details, label_text
from nli_probe.tui.table import NO_CONSENSUS, NO_LABEL, ExampleTable

PAGE = 100
"""Rows added to the table at a time (more than any terminal shows at once)."""

_YES_NO: dict[str, bool] = {"yes": True, "no": False}


class PagedTable(DataTable[Any]):
    """A DataTable that asks for more rows when scrolled or moved near its end."""

    # Rows matter more than columns here: home/end go to the first/last row, not column.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    class NearEnd(Message):
        """The view reached the last rows loaded."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # max_scroll_y is 0 until the first layout: no page is "near its end" before that.
        if self.row_count and self.max_scroll_y > 0 and new_value >= self.max_scroll_y - 2:
            self.post_message(self.NearEnd())

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if new.row != old.row and self.row_count and new.row >= self.row_count - 3:
            self.post_message(self.NearEnd())


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


class ExamplesPane(Vertical):
    """Filter controls, a count line and the paged table of pairs."""

    MAIN_CONTROL = "#ex-table"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", show=False),
        Binding("r", "reset", "Reset filters"),
        Binding("o", "reverse", "Reverse order"),
    ]

    def __init__(self, report: Report, table: ExampleTable, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.table = table
        self.query_state = ExampleQuery()
        self.rows: list[int] = []
        self.loaded = 0

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

    def rebuild(self) -> None:
        """Show `self.table` after it changed (a live run added models): new columns and
        model choices; the filters that still make sense are kept."""
        self.query_one(PagedTable).clear(columns=True)
        self._add_columns()
        names = self.table.model_names
        self.query_one("#ex-model", Select).set_options([(name, name) for name in names])
        if self.query_state.model not in (None, *names):
            self.query_state = replace(self.query_state, model=None)
        self.refresh_rows()

    def _add_columns(self) -> None:
        table = self.query_one(PagedTable)
        table.add_column("#", key="row")
        table.add_column("gold", key="gold")
        table.add_column("agr", key="agr")
        table.add_column("votes", key="votes")
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
        self.set_query(**{field: value})

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
        widget.clear()
        self.loaded = 0
        self.load_more()
        total = len(self.table)
        self.query_one("#ex-count", Static).update(
            f"{len(self.rows):,} of {total:,} pairs · enter: details"
        )

    def load_more(self) -> None:
        """Add the next page of rows to the table."""
        if self.loaded >= len(self.rows):
            return
        page = self.rows[self.loaded : self.loaded + PAGE]
        # Table row n shows self.rows[n]: the table is never sorted on its own.
        self.query_one(PagedTable).add_rows(self._cells(index) for index in page)
        self.loaded += len(page)

    def on_paged_table_near_end(self, event: PagedTable.NearEnd) -> None:
        event.stop()
        self.load_more()

    def _cells(self, i: int) -> list[Any]:
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
        cells.append(example.hypothesis)
        cells.append(example.premise)
        return cells

    # -- actions ----------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self.show_details(self.rows[event.cursor_row])

    def show_details(self, row: int) -> None:
        """Open the detail view of table row `row`."""
        example = self.table.examples[row]
        predictions = [(run.name, run.predictions.get(example.id)) for run in self.report.models]
        self.app.push_screen(ExampleDetail(example_details(example, predictions)))

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
