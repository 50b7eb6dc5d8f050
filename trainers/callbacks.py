"""Trainer callbacks: the run folder's training log, a rich progress bar, and the recording of
each evaluation's predictions.

The log and the bar act on the main process only, so `torchrun` runs write one log and draw one
bar.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from transformers import TrainerCallback


class JsonlLog(TrainerCallback):  # type: ignore[misc]
    """Appends every logged dict (loss, learning rate, eval metrics) to a JSON-lines file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not logs:
            return
        record = {"step": state.global_step, "epoch": state.epoch, "time": time.time(), **logs}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


class EvalRecording(TrainerCallback):  # type: ignore[misc]
    """Files each evaluation's probabilities (kept by the `EvalRecorder` that is the Trainer's
    `compute_metrics`) under the step it ran at."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder

    def on_evaluate(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.recorder.record(state.global_step)


class RichProgress(TrainerCallback):  # type: ignore[misc]
    """A progress bar over optimisation steps, with the last loss and eval accuracy."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._progress: Any = None
        self._task: Any = None

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        self._progress.start()
        self._task = self._progress.add_task(
            self.description, total=state.max_steps, completed=state.global_step, status=""
        )

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=state.global_step)

    def note(self, text: str) -> None:
        """Show `text` beside the bar (e.g. while training dynamics are recorded)."""
        if self._progress is not None:
            self._progress.update(self._task, status=text)

    def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kwargs: Any) -> None:
        if self._progress is None or not logs:
            return
        if "eval_accuracy" in logs:
            self._progress.console.print(
                f"epoch {state.epoch:.2f}  step {state.global_step}  "
                f"eval accuracy {logs['eval_accuracy']:.4f}  eval loss {logs['eval_loss']:.4f}"
            )
        elif "loss" in logs:
            self._progress.update(self._task, status=f"loss {logs['loss']:.4f}")

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
