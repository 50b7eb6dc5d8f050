"""What any pane can do with the pair under its cursor, and with the rows it lists.

- `p`: send the pair to the playground (the app opens the Playground with it and predicts);
- `c`: copy the pair to the clipboard (one JSON object: id, premise, hypothesis, gold);
- `e`: export what the pane lists to a jsonl or csv file (`nli_probe.tui.export`), with every
  model's probabilities, from a dialog that proposes a file name and writes in a worker thread.

Shared by every pane that shows pairs (Examples, a probe's cases, Agreement, the disagreement
view, and panes added later). A pane or screen opts in by inheriting `PairActions`, adding
`PAIR_BINDINGS` to its `BINDINGS`, and implementing `current_pair` and/or `export_source`:

    class MyPane(PairActions, Vertical):
        BINDINGS = [*PAIR_BINDINGS]

        def current_pair(self) -> PairRef | None: ...       # the pair under the cursor
        def export_source(self) -> ExportSource | None: ... # what `e` writes
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding, BindingType
from textual.message import Message

from nli_probe.core.labels import Label

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = [
    "PAIR_BINDINGS",
    "ExportSource",
    "PairActions",
    "PairRef",
    "SendToPlayground",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class PairRef:
    """A pair some pane shows: where it came from, its text and its gold label."""

    id: str
    premise: str
    hypothesis: str
    gold: int | None = None
    """A `Label` value, or None."""

    def to_json(self) -> str:
        """One line of JSON, as the clipboard gets it."""
        gold = None if self.gold is None or self.gold < 0 else str(Label(self.gold))
        record = {"id": self.id, "premise": self.premise, "hypothesis": self.hypothesis}
        return json.dumps({**record, "gold": gold}, ensure_ascii=False)


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportSource:
    """What a pane's `e` exports: a name for the file and the records (built when asked, in the
    export dialog's worker thread)."""

    what: str
    """Names the default file (`exports/WHAT-TIME.jsonl`) and the dialog's title."""
    count: int
    """How many records `records()` returns (shown before anything is built)."""
    records: Callable[[], list[dict[str, Any]]]


class SendToPlayground(Message):
    """A pane asks the app to open `pair` in the playground."""

    def __init__(self, pair: PairRef) -> None:
        super().__init__()
        self.pair = pair


PAIR_BINDINGS: list[BindingType] = [
    Binding("p", "send_to_playground", "To playground"),
    Binding("c", "copy_pair", "Copy", show=False),
    Binding("e", "export", "Export"),
]
"""Add these to the `BINDINGS` of a `PairActions` pane (textual reads bindings only from
widget classes, not from mixins)."""


class PairActions:
    """The `p`, `c` and `e` actions for a widget or screen that implements the two hooks."""

    def current_pair(self) -> PairRef | None:
        """The pair under the cursor, if any."""
        return None

    def export_source(self) -> ExportSource | None:
        """What `e` exports, if anything."""
        return None

    def action_send_to_playground(self) -> None:
        widget = cast("Widget", self)
        pair = self.current_pair()
        if pair is None:
            widget.notify("no pair under the cursor", severity="warning")
            return
        widget.post_message(SendToPlayground(pair))

    def action_copy_pair(self) -> None:
        widget = cast("Widget", self)
        pair = self.current_pair()
        if pair is None:
            widget.notify("no pair under the cursor", severity="warning")
            return
        widget.app.copy_to_clipboard(pair.to_json())
        widget.notify(f"copied {pair.id} to the clipboard (as JSON)")

    def action_export(self) -> None:
        widget = cast("Widget", self)
        source = self.export_source()
        if source is None or not source.count:
            widget.notify("nothing to export here", severity="warning")
            return
        from nli_probe.tui.export_screen import ExportScreen

        widget.app.push_screen(ExportScreen(source))
