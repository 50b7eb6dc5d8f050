"""The Suites pane: every probe's failure rate per model; a probe's failing cases on enter."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from nli_probe.report import Report


class SuitesPane(Vertical):
    """Probes and their failure rates."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report

    def compose(self) -> ComposeResult:
        yield Static(Text("no probe results in this report", style="dim"), id="suites-body")

    def show(self, report: Report) -> None:
        self.report = report
