"""The Overview pane: the models side by side, and whether their differences are significant."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from nli_probe.report import Report


class OverviewPane(VerticalScroll):
    """Scores per model (filled in when the scores worker finishes)."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report

    def compose(self) -> ComposeResult:
        yield Static(Text("computing scores…", style="dim"), id="overview-body")

    def show(self, report: Report, scores: Any) -> None:
        self.report = report
        self.query_one("#overview-body", Static).update(Text(f"{len(report.models)} models"))
