"""The export dialog: a file name (jsonl or csv), written in a worker thread, the absolute path
said when done. Opened by `e` on any `PairActions` pane (`nli_probe.tui.pair_actions`) and
from the command palette."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from nli_probe.tui.export import default_export_path, write_records
from nli_probe.tui.messages import describe_error
from nli_probe.tui.pair_actions import ExportSource


class ExportScreen(ModalScreen[Path | None]):
    """Ask where to write `source`'s records; dismissed with the written path (None: cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Close")]

    def __init__(self, source: ExportSource) -> None:
        super().__init__()
        self.source = source
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        count = self.source.count
        with Vertical(id="export-box"):
            yield Static(
                Text.assemble(
                    ("export ", "bold"),
                    f"{count:,} {self.source.what.replace('-', ' ')} "
                    "with every model's probabilities",
                ),
                id="export-title",
            )
            yield Input(str(default_export_path(self.source.what)), id="export-path", compact=True)
            with Horizontal(classes="filters"):
                yield Button("Write", id="export-write", variant="primary", compact=True)
                yield Button(".jsonl", id="export-jsonl", compact=True)
                yield Button(".csv", id="export-csv", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)
            yield Static(
                Text("enter: write · the suffix (.jsonl or .csv) sets the format", style="dim"),
                id="export-status",
            )

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.write()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "export-write":
            self.write()
        elif button == "export-cancel":
            self.dismiss(None)
        else:
            path = self.query_one("#export-path", Input)
            path.value = str(
                Path(path.value).with_suffix(".jsonl" if button == "export-jsonl" else ".csv")
            )

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def write(self) -> None:
        """Write the records to the path typed, in a worker thread."""
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self._status(Text("type a file name ending in .jsonl or .csv", style="yellow"))
            return
        self._status(Text(f"writing {self.source.count:,} records…", style="dim"))
        self.query_one("#export-write", Button).disabled = True
        self._write(Path(value))

    @work(thread=True, exclusive=True, group="export")
    def _write(self, path: Path) -> None:
        try:
            written = write_records(self.source.records(), path)
        # A failed export is said in the dialog; it must not end the UI.
        except Exception as error:
            self.app.call_from_thread(self._failed, describe_error(error))
            return
        self.app.call_from_thread(self._done, written)

    def _failed(self, error: str) -> None:
        self.query_one("#export-write", Button).disabled = False
        self._status(Text(error, style="bold red"))

    def _done(self, written: Path) -> None:
        self.written = written
        self.app.notify(f"exported {self.source.count:,} records to {written}", timeout=8)
        self.dismiss(written)

    def _status(self, text: Text) -> None:
        self.query_one("#export-status", Static).update(text)
