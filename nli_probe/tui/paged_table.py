"""`PagedTable`: a DataTable over a long list of rows, a window of pages at a time.

A DataTable holding 10,000 rows takes seconds to fill; this one holds a window of the caller's
rows (`PAGE` at first), adds the next page when the cursor or the scroll position nears the
window's end and the previous one near its start, and `home` / `end` jump to the first / last
row of the whole list, not of the window. Shared by every pane that lists many pairs.

    table.show_rows(len(rows), lambda i: cells_of(rows[i]))   # row i of the list -> cells
    table.cursor_index                                        # the list index under the cursor
    table.go_to(1234)                                         # show it and put the cursor on it
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable

__all__ = ["MAX_WINDOW", "PAGE", "PagedTable"]

PAGE = 100
"""Rows added to the table at a time (more than any terminal shows at once)."""
MAX_WINDOW = 5 * PAGE
"""Rows kept at most when a page is added before the window (the far end is dropped)."""

Cells = Callable[[int], list[Any]]


class PagedTable(DataTable[Any]):
    """A DataTable showing a window of `count` rows, whose cells `cells(index)` gives."""

    # Rows matter more than columns here: home/end go to the first/last row, not column.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count = 0
        """Rows in the whole list."""
        self.start = 0
        """The list index of the table's first row."""
        self._cells: Cells = lambda index: []
        self._busy = False

    @property
    def stop(self) -> int:
        """One past the list index of the table's last row."""
        return self.start + self.row_count

    @property
    def cursor_index(self) -> int | None:
        """The list index under the cursor (None when the table is empty)."""
        if not self.row_count:
            return None
        return self.start + self.cursor_row

    def show_rows(self, count: int, cells: Cells, *, at: int = 0) -> None:
        """Show a new list of `count` rows (the columns stay), from the page holding `at`."""
        self.count = count
        self._cells = cells
        self._window(at, cursor=at)

    def go_to(self, index: int) -> None:
        """Put the cursor on list row `index`, loading its page if it is not shown."""
        if not self.count:
            return
        index = min(max(index, 0), self.count - 1)
        if not self.start <= index < self.stop:
            self._window(max(0, index - PAGE // 2), cursor=index)
        else:
            self.move_cursor(row=index - self.start)

    def _window(self, first: int, *, cursor: int) -> None:
        """Rebuild the table from list row `first` (a page), the cursor on list row `cursor`."""
        self._busy = True
        try:
            self.clear()
            self.start = max(0, min(first, self.count - PAGE)) if self.count > PAGE else 0
            self._append(max(PAGE, cursor - self.start + 1))
            if self.row_count:
                self.move_cursor(row=min(max(cursor - self.start, 0), self.row_count - 1))
        finally:
            self._busy = False

    def _append(self, rows: int) -> None:
        stop = min(self.stop + rows, self.count)
        self.add_rows(self._cells(index) for index in range(self.stop, stop))

    def load_next(self) -> None:
        """Add the next page after the window (no-op at the end of the list)."""
        if self.stop < self.count and not self._busy:
            self._busy = True
            try:
                self._append(PAGE)
            finally:
                self._busy = False

    def load_previous(self) -> None:
        """Add the page before the window (no-op at the start), keeping the cursor on its row."""
        if self.start == 0 or self._busy:
            return
        cursor = self.start + self.cursor_row
        first = max(0, self.start - PAGE)
        stop = min(self.stop, first + MAX_WINDOW)
        self._busy = True
        try:
            self.clear()
            self.start = first
            self._append(stop - first)
            self.move_cursor(row=cursor - first, animate=False)
            self.scroll_to_region(self._row_region(cursor - first), animate=False)
        finally:
            self._busy = False

    def _row_region(self, row: int) -> Any:
        return self._get_cell_region(Coordinate(row, 0))

    def action_first_row(self) -> None:
        if self.start > 0:
            self._window(0, cursor=0)
        self.move_cursor(row=0)
        self.scroll_home(animate=False)

    def action_last_row(self) -> None:
        if not self.count:
            return
        if self.stop < self.count:
            self._window(self.count - PAGE, cursor=self.count - 1)
        self.move_cursor(row=self.row_count - 1)
        self.scroll_end(animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # max_scroll_y is 0 until the first layout: no page is "near its end" before that.
        if self.row_count and self.max_scroll_y > 0 and new_value >= self.max_scroll_y - 2:
            self.call_later(self.load_next)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if new.row == old.row or not self.row_count or self._busy:
            return
        if new.row >= self.row_count - 3:
            self.call_later(self.load_next)
        elif new.row < old.row and new.row <= 2 and self.start > 0:
            self.call_later(self.load_previous)
