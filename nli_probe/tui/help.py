"""The key map, shown by the help screen (`?`) and in the README."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_MAP: tuple[tuple[str, str, str], ...] = (
    ("everywhere", "1 … 6", "Overview, Agreement, Suites, Examples, Playground, Run"),
    ("everywhere", "tab / shift+tab", "next / previous control"),
    ("everywhere", "esc", "leave a text box (then 1 … 6 switch tabs again)"),
    ("everywhere", "?", "this help"),
    ("everywhere", "t", "dark / light theme"),
    ("everywhere", "q", "quit (ctrl+q inside a text box)"),
    ("tables", "↑ ↓ pgup pgdn home end", "move; enter opens the row"),
    ("Agreement", "enter", "a low-agreement pair: humans vs each model"),
    ("Suites", "enter", "a probe's failing cases, every model"),
    ("Examples", "/", "search premise, hypothesis and id"),
    ("Examples", "r", "reset every filter"),
    ("Examples", "o", "reverse the order"),
    ("Examples", "enter", "the pair's details"),
    ("Playground", "enter / ctrl+r", "predict the pair with every loaded model"),
    ("Run", "ctrl+r", "start the run; ctrl+x (or the button) cancels"),
    ("Run", "ctrl+s", "save the report with the run's results to runs/tui-TIME/"),
    ("dialogs", "esc", "close"),
)
"""(where, keys, what they do)."""


def key_map_table() -> Table:
    """The key map, one heading per place (compact enough for 80x24 with a scroll)."""
    table = Table(title="nli-probe tui: keys", title_justify="left", box=None, expand=True)
    table.add_column("keys", style="bold cyan", no_wrap=True)
    table.add_column("does")
    where = ""
    for place, keys, does in KEY_MAP:
        if place != where:
            where = place
            table.add_row(Text(place, style="bold underline"), "")
        table.add_row(keys, does)
    return table


class HelpScreen(ModalScreen[None]):
    """The key map over the current screen; any of esc, q, ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(key_map_table())
            yield Static(
                "The mouse works too: click tabs, rows, buttons and selects; scroll tables.\n"
                "[dim]esc to close[/]"
            )
