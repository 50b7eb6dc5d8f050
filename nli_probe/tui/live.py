"""The Run pane: start an evaluation or a probe run in a worker thread, watch it, cancel it.

The worker never touches a widget: it posts `RunProgress`, `RunFinished` and `ReportChanged`
messages (thread-safe) and checks its own `is_cancelled` flag between batches. A run can read
its pairs from a data file or name instead of the open report, and take a seeded sample of
them; a cancel keeps the models that finished; saving writes in a worker too.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, ProgressBar, Select, Static
from textual.worker import get_current_worker

from nli_probe.core.example import Example
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
from nli_probe.tui.panes import Workbench, register_pane
from nli_probe.tui.runs import RunCancelled, evaluate_models, run_probes
from nli_probe.tui.sources import REPORT_FILE

EVALUATE = "evaluate"
SUITE = "suite:"
"""Prefix of a run choice naming a suite."""
STEPS = 1000
"""The bar's resolution: the whole run (every model) is STEPS units."""


class RunProgressBar(ProgressBar):
    """A progress bar whose ETA stops (shows `--:--:--`) once the run is over: textual's own
    keeps counting down every second after the last update."""

    stopped = False

    def update(self, **kwargs: Any) -> None:
        super().update(**kwargs)
        if self.stopped:
            self._display_eta = None


class RunPane(Vertical):
    """What to run, on which pairs; start, cancel and save buttons; progress and a status line."""

    MAIN_CONTROL = "#run-kind"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "start", "Start run"),
        Binding("ctrl+x", "cancel", "Cancel run"),
        Binding("ctrl+s", "save", "Save report"),
    ]

    def __init__(
        self,
        report: Report,
        hub: ModelHub,
        *,
        data_options: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.hub = hub
        self.data_options = dict(data_options or {})
        """`read_dataset` keyword arguments for a data file or name typed here."""
        self.running = False
        self.finished = False
        self.saved: Path | None = None
        self._last_saved: Report | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            "Evaluate the loaded models, or run a probe suite on them, on this report's pairs "
            "or on a data file or name; optionally a seeded sample. The results join the other "
            "tabs when the run ends (a cancel keeps the models that finished).",
            id="run-intro",
        )
        with Horizontal(classes="filters"):
            yield Select(
                self._choices(), value=EVALUATE, allow_blank=False, id="run-kind", compact=True
            )
            yield Button("Start", id="run-start", variant="primary", compact=True)
            yield Button("Cancel", id="run-cancel", variant="error", compact=True, disabled=True)
            yield Button("Save", id="run-save", compact=True, disabled=True)
        with Horizontal(classes="filters last"):
            yield Input(
                placeholder="pairs: this report's, a file or snli:test",
                id="run-data",
                compact=True,
            )
            yield Input(placeholder="sample: all (or N)", id="run-sample", compact=True)
        # A total from the start: an idle indeterminate bar animates (snapshots would flicker).
        yield RunProgressBar(id="run-progress", total=1, show_eta=True)
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
            self._status(self._idle_line())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "run-start":
            self.action_start()
        elif event.button.id == "run-save":
            self.action_save()
        else:
            self.action_cancel()

    # -- saving -----------------------------------------------------------------------------

    def action_save(self) -> None:
        """Write the report with the live runs' results to a new run folder under `runs/`, in a
        worker thread; the status line says the absolute path, or why there is nothing to save."""
        report = self.app_report()
        if self.running:
            self._status(Text("a run is going on: save when it ends", style="yellow"))
            return
        if report is self.report:
            self._status(
                Text(
                    "nothing new to save: no run has finished since the report was opened",
                    style="yellow",
                )
            )
            return
        if report is self._last_saved and self.saved is not None:
            self._status(Text(f"already saved to {self.saved}", style="green"))
            return
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = (Path("runs") / f"tui-{stamp}" / REPORT_FILE).resolve()
        self._status(Text(f"saving {path}…", style="dim"))
        self.query_one("#run-save", Button).disabled = True
        self._save(report, path)

    # Described: textual would otherwise repr() the whole report on the UI thread.
    @work(thread=True, exclusive=True, group="save", description="save the report")
    def _save(self, report: Report, path: Path) -> None:
        try:
            save_report(report, path)
        except OSError as error:
            self.app.call_from_thread(self._save_failed, f"{path}: {error.strerror or error}")
            return
        self.app.call_from_thread(self._saved, report, path)

    def _saved(self, report: Report, path: Path) -> None:
        self.saved, self._last_saved = path, report
        self.query_one("#run-save", Button).disabled = False
        self._status(Text(f"saved {path}", style="green"))

    def _save_failed(self, error: str) -> None:
        self.query_one("#run-save", Button).disabled = False
        self._status(Text(f"cannot save: {error}", style="bold red"))

    # -- running ----------------------------------------------------------------------------

    def action_start(self) -> None:
        if self.running:
            return
        if not self.hub:
            self._status(self._idle_line())
            return
        try:
            sample = _sample_size(self.query_one("#run-sample", Input).value)
        except NLIProbeError as error:
            self._status(Text(str(error), style="bold red"))
            return
        self.running = True
        self.query_one("#run-start", Button).disabled = True
        self.query_one("#run-cancel", Button).disabled = False
        self.query_one("#run-save", Button).disabled = True
        bar = self.query_one("#run-progress", RunProgressBar)
        bar.stopped = False
        bar.update(total=STEPS, progress=0)
        self._status(Text("starting…"))
        kind = str(self.query_one("#run-kind", Select).value)
        data = self.query_one("#run-data", Input).value.strip()
        self.run_job(self.app_report(), kind, data, sample)

    def app_report(self) -> Report:
        report = getattr(self.app, "report", None)
        return report if isinstance(report, Report) else self.report

    def action_cancel(self) -> None:
        if not self.running:
            return
        self.workers.cancel_group(self, "live")
        self._status(Text("cancelling after the current batch…", style="yellow"))

    # Described: textual would otherwise repr() the whole report on the UI thread.
    @work(thread=True, exclusive=True, group="live", description="live run")
    def run_job(self, report: Report, kind: str, data: str, sample: int | None) -> None:
        """The run itself, in a worker thread."""
        worker = get_current_worker()
        started = time.perf_counter()
        last = 0.0

        def progress(stage: str, done: int, total: int, step: int, steps: int) -> None:
            nonlocal last
            if worker.is_cancelled:
                raise RunCancelled
            now = time.perf_counter()
            if done in (0, total) or now - last > 0.05:  # at most ~20 UI updates a second
                last = now
                self.post_message(
                    RunProgress(stage=stage, done=done, total=total, step=step, steps=steps)
                )

        try:
            examples, where = self._pairs(report, data, sample)
            models = self.hub.load()
            self.post_message(ModelsLoaded())
            if kind == EVALUATE:
                new = evaluate_models(report, models, examples=examples, progress=progress)
                summary = f"evaluated {len(models)} model(s) on {len(examples):,} pairs{where}"
            elif kind.startswith(SUITE):
                name = kind.removeprefix(SUITE)
                new = run_probes(report, models, name, examples=examples, progress=progress)
                summary = (
                    f"ran suite {name} on {len(models)} model(s), {len(examples):,} pairs{where}"
                )
            else:
                raise NLIProbeError(f"unknown run {kind!r}")
        except RunCancelled as cancelled:
            kept = (
                f"; kept the {cancelled.done} model(s) that finished"
                if cancelled.finished is not None
                else "; nothing had finished"
            )
            self.post_message(
                RunFinished(
                    summary=f"run cancelled{kept}", cancelled=True, report=cancelled.finished
                )
            )
            if cancelled.finished is not None:
                self.post_message(ReportChanged(report=cancelled.finished))
            return
        # Anything a model or suite raises is shown; a failed job must not end the UI.
        except Exception as error:
            self.post_message(RunFinished(summary="run failed", error=describe_error(error)))
            return
        seconds = time.perf_counter() - started
        # The precision each model runs in (auto: decided by the hardware), said once.
        choices = {c.describe() for m in models if (c := getattr(m, "precision_choice", None))}
        precision = f"; precision {', '.join(sorted(choices))}" if choices else ""
        self.post_message(
            RunFinished(summary=f"{summary} in {seconds:.1f} s{precision}", report=new)
        )
        self.post_message(ReportChanged(report=new))

    def _pairs(
        self, report: Report, data: str, sample: int | None
    ) -> tuple[Sequence[Example], str]:
        """The pairs to run on (worker thread): the report's, or `data`'s; then the sample."""
        examples: Sequence[Example] = report.examples
        where = ""
        if data:
            from nli_probe.data.read import read_dataset

            dataset = read_dataset(data, **self.data_options)
            examples = dataset.examples
            skipped = f", {len(dataset.skipped):,} bad rows skipped" if dataset.skipped else ""
            where = f" of {data}{skipped}"
        if sample is not None and sample < len(examples):
            from nli_probe.data.prepare import stratified_sample

            examples = stratified_sample(examples, count=sample, seed=0)
            where += " (a seeded sample, seed 0, gold shares kept)"
        if not examples:
            raise NLIProbeError(f"no pairs to run on{where or ' in this report'}")
        return examples, where

    def on_run_progress(self, message: RunProgress) -> None:
        message.stop()
        bar = self.query_one("#run-progress", RunProgressBar)
        share = (message.step + message.done / max(message.total, 1)) / max(message.steps, 1)
        bar.update(total=STEPS, progress=round(share * STEPS))
        of = f" (model {message.step + 1} of {message.steps})" if message.steps > 1 else ""
        self._status(Text(f"{message.stage}{of}: {message.done:,} / {message.total:,}"))

    def on_run_finished(self, message: RunFinished) -> None:
        message.stop()
        self.running = False
        self.finished = True
        bar = self.query_one("#run-progress", RunProgressBar)
        bar.stopped = True
        bar.update()  # the ETA shows --:--:-- from now on
        self.query_one("#run-start", Button).disabled = False
        self.query_one("#run-cancel", Button).disabled = True
        self.query_one("#run-save", Button).disabled = message.report is None
        if message.error:
            line = Text(f"{message.summary}: {message.error}", style="bold red")
        elif message.cancelled:
            line = Text(message.summary, style="yellow")
        else:
            line = Text(message.summary, style="green")
        if message.report is not None:
            line.append(" · ctrl+s saves the report with them", style="dim")
        self._status(line)

    def _status(self, text: Text) -> None:
        self.query_one("#run-status", Static).update(text)


def _sample_size(text: str) -> int | None:
    """The sample box: empty or `all` for every pair, else a positive count."""
    text = text.strip().replace(",", "").replace("_", "")
    if text.lower() in ("", "all"):
        return None
    if not text.isdigit() or int(text) < 1:
        raise NLIProbeError(f"sample: {text!r} is not a number of pairs (leave it empty for all)")
    return int(text)


@register_pane(id="run", title="Run", order=60)
def run_pane(app: Workbench) -> Widget:
    return RunPane(app.report, app.hub, data_options=getattr(app, "data_options", None))
