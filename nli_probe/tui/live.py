"""The Run pane: start an evaluation or a probe run in a worker thread, watch it, cancel it.

The worker never touches a widget: it posts `RunProgress`, `RunFinished` and `ReportChanged`
messages (thread-safe) and checks its own `is_cancelled` flag between batches.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ProgressBar, Select, Static
from textual.worker import get_current_worker

from nli_probe.core.report import Report, save_report
from nli_probe.errors import NLIProbeError
from nli_probe.tui.messages import (
    ModelsLoaded,
    ReportChanged,
    RunFinished,
    RunProgress,
    describe_error,
)
from nli_probe.tui.models import ModelHub
from nli_probe.tui.runs import RunCancelled, evaluate_models, run_probes
from nli_probe.tui.sources import REPORT_FILE

EVALUATE = "evaluate"
SUITE = "suite:"
"""Prefix of a run choice naming a suite."""


class RunPane(Vertical):
    """What to run, start and cancel buttons, a progress bar and a status line."""

    MAIN_CONTROL = "#run-kind"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "start", "Start run"),
        Binding("ctrl+x", "cancel", "Cancel run"),
        Binding("ctrl+s", "save", "Save report"),
    ]

    def __init__(self, report: Report, hub: ModelHub, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.hub = hub
        self.running = False
        self.finished = False

    def compose(self) -> ComposeResult:
        yield Static(
            "Evaluate the loaded models on this report's examples, or run a probe suite on "
            "them. The result joins the other panes when the run ends.",
            id="run-intro",
        )
        with Horizontal(classes="filters"):
            yield Select(
                self._choices(), value=EVALUATE, allow_blank=False, id="run-kind", compact=True
            )
            yield Button("Start", id="run-start", variant="primary", compact=True)
            yield Button("Cancel", id="run-cancel", variant="error", compact=True, disabled=True)
            yield Button("Save", id="run-save", compact=True, disabled=True)
        # A total from the start: an idle indeterminate bar animates (snapshots would flicker).
        yield ProgressBar(id="run-progress", total=1, show_eta=True)
        yield Static(self._idle_line(), id="run-status")

    def _choices(self) -> list[tuple[str, str]]:
        from nli_probe.probing.loader import builtin_suite_names

        suites = [(f"probe suite: {name}", f"{SUITE}{name}") for name in builtin_suite_names()]
        return [("evaluate the loaded models", EVALUATE), *suites]

    def _idle_line(self) -> Text:
        if not self.hub:
            return Text("no models loaded: start the TUI with --model PATH", style="yellow")
        return Text(f"models: {', '.join(self.hub.names)}", style="dim")

    def models_changed(self) -> None:
        # Only the idle line names the models; a run's own status line stays until the next run.
        if not self.running and not self.finished:
            self.query_one("#run-status", Static).update(self._idle_line())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "run-start":
            self.action_start()
        elif event.button.id == "run-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        """Write the report with the live runs' results to a new run folder under `runs/`."""
        report = self.app_report()
        if self.running or report is self.report:
            return  # nothing new to save (the report on disk is the one opened)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = Path("runs") / f"tui-{stamp}" / REPORT_FILE
        save_report(report, path)
        self.query_one("#run-status", Static).update(Text(f"saved {path}", style="green"))

    def action_start(self) -> None:
        if self.running:
            return
        if not self.hub:
            self.query_one("#run-status", Static).update(self._idle_line())
            return
        self.running = True
        self.query_one("#run-start", Button).disabled = True
        self.query_one("#run-cancel", Button).disabled = False
        self.query_one("#run-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#run-status", Static).update(Text("starting…"))
        kind = str(self.query_one("#run-kind", Select).value)
        self.run_job(self.app_report(), kind)

    def app_report(self) -> Report:
        report = getattr(self.app, "report", None)
        return report if isinstance(report, Report) else self.report

    def action_cancel(self) -> None:
        if not self.running:
            return
        self.workers.cancel_group(self, "live")
        self.query_one("#run-status", Static).update(Text("cancelling…", style="yellow"))

    @work(thread=True, exclusive=True, group="live")
    def run_job(self, report: Report, kind: str) -> None:
        """The run itself, in a worker thread."""
        worker = get_current_worker()
        started = time.perf_counter()
        last = 0.0

        def progress(stage: str, done: int, total: int) -> None:
            nonlocal last
            if worker.is_cancelled:
                raise RunCancelled
            now = time.perf_counter()
            if done in (0, total) or now - last > 0.05:  # at most ~20 UI updates a second
                last = now
                self.post_message(RunProgress(stage=stage, done=done, total=total))

        try:
            models = self.hub.load()
            self.post_message(ModelsLoaded())
            if kind == EVALUATE:
                new = evaluate_models(report, models, progress=progress)
                summary = f"evaluated {len(models)} model(s) on {len(report.examples):,} pairs"
            elif kind.startswith(SUITE):
                name = kind.removeprefix(SUITE)
                new = run_probes(report, models, name, progress=progress)
                summary = f"ran suite {name} on {len(models)} model(s)"
            else:
                raise NLIProbeError(f"unknown run {kind!r}")
        except RunCancelled:
            self.post_message(RunFinished(summary="run cancelled", cancelled=True))
            return
        # Anything a model or suite raises is shown; a failed job must not end the UI.
        except Exception as error:
            self.post_message(RunFinished(summary="run failed", error=describe_error(error)))
            return
        seconds = time.perf_counter() - started
        # The precision each model runs in (auto: decided by the hardware), said once.
        choices = {c.describe() for m in models if (c := getattr(m, "precision_choice", None))}
        precision = f"; precision {', '.join(sorted(choices))}" if choices else ""
        self.post_message(RunFinished(summary=f"{summary} in {seconds:.1f} s{precision}"))
        self.post_message(ReportChanged(report=new))

    def on_run_progress(self, message: RunProgress) -> None:
        message.stop()
        bar = self.query_one("#run-progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        self.query_one("#run-status", Static).update(
            Text(f"{message.stage}: {message.done:,} / {message.total:,}")
        )

    def on_run_finished(self, message: RunFinished) -> None:
        message.stop()
        self.running = False
        self.finished = True
        self.query_one("#run-start", Button).disabled = False
        self.query_one("#run-cancel", Button).disabled = True
        self.query_one("#run-save", Button).disabled = bool(message.error or message.cancelled)
        if message.error:
            line = Text(f"{message.summary}: {message.error}", style="bold red")
        elif message.cancelled:
            line = Text(message.summary, style="yellow")
        else:
            line = Text(message.summary, style="green")
        self.query_one("#run-status", Static).update(line)
