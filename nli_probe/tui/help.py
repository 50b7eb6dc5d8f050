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

from nli_probe.tui.panes import PANE_KEYS, pane_specs

KEY_MAP: tuple[tuple[str, str, str], ...] = (
    ("everywhere", "[ / ]", "previous / next tab"),
    (
        "everywhere",
        "ctrl+p",
        "command palette: jump to a tab, probe, example id, model, comparison; export",
    ),
    ("everywhere", "tab / shift+tab", "next / previous control"),
    ("everywhere", "esc", "leave a text box (then the number keys switch tabs again)"),
    ("everywhere", "?", "this help"),
    ("everywhere", "t", "dark / light theme"),
    ("everywhere", "q", "quit (ctrl+q inside a text box)"),
    (
        "tables",
        "↑ ↓ pgup pgdn home end",
        "move (home/end: the first/last row of the list); enter opens the row",
    ),
    ("tables", "click a header", "sort by that column (again: the other way; ▲/▼ shows it)"),
    ("lists of pairs", "p", "send the pair to the Playground"),
    ("lists of pairs", "c", "copy the pair to the clipboard (JSON)"),
    ("lists of pairs", "e", "export the list to jsonl or csv, every model's probabilities"),
    ("Overview", "d", "to the comparisons; enter: where the two models disagree"),
    ("Agreement", "enter", "a least-agreed pair: humans vs each model"),
    ("Suites", "enter", "a probe's failing cases, every model (e: export them)"),
    ("Suites", "enter on an attack", "its adversarial pairs, each model's own, the edit marked"),
    ("Examples", "/", "search premise, hypothesis and id (matches are marked)"),
    ("Examples", "r", "reset every filter"),
    ("Examples", "o", "reverse the order (the count line says which way)"),
    ("Examples", "enter", "the pair's details"),
    ("Playground", "enter / ctrl+r", "predict the pair with every loaded model"),
    ("Playground", "ctrl+t", "attack the pair with the chosen recipe, every loaded model"),
    ("Run", "ctrl+r", "start the run; ctrl+x (or the button) cancels, keeping finished models"),
    ("Run", "ctrl+s", "save the report with the run's results to runs/tui-TIME/"),
    ("Compare", "enter", "the pair's details; the lists: A right/B wrong, A wrong/B right, ..."),
    ("Slices", "enter", "the slice's pairs with each model's label"),
    ("dialogs", "esc", "close"),
)
"""(where, keys, what they do); the tabs' number keys come first (`tab_keys`)."""


def tab_keys() -> tuple[str, str, str]:
    """The number keys of the registered tabs (`nli_probe.tui.panes`): `1 … 8`, and the titles."""
    specs = pane_specs()
    keys = PANE_KEYS[: len(specs)]
    span = keys[0] if len(keys) == 1 else f"{keys[0]} … {keys[-1]}"
    return ("everywhere", span, ", ".join(spec.title for spec in specs[: len(keys)]))


def key_map_table() -> Table:
    """The key map, one heading per place (compact enough for 80x24 with a scroll)."""
    table = Table(title="nli-probe tui: keys", title_justify="left", box=None, expand=True)
    table.add_column("keys", style="bold cyan", no_wrap=True)
    table.add_column("does")
    where = ""
    for place, keys, does in (tab_keys(), *KEY_MAP):
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
