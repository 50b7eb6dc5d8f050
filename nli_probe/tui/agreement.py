"""The Agreement pane: scores per annotator-agreement level, and the low-agreement pairs."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from nli_probe.report import Report


class AgreementPane(VerticalScroll):
    """Scores per model (filled in when the scores worker finishes)."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report

    def compose(self) -> ComposeResult:
        yield Static(Text("computing scores…", style="dim"), id="agreement-body")

    def show(self, report: Report, scores: Any) -> None:
        self.report = report
        self.query_one("#agreement-body", Static).update(Text(f"{len(report.models)} models"))
