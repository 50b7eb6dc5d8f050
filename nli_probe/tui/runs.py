"""What the Run pane starts: an evaluation of the loaded models on the report's examples, or
a probe suite. Plain functions (no textual) that report progress through a callback; the
callback may raise `RunCancelled` to stop between batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from nli_probe.engine import predict
from nli_probe.protocol import Model
from nli_probe.report import ModelRun, Report

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total); may raise `RunCancelled`."""


class RunCancelled(Exception):
    """Raised from a progress callback to stop a run; the report is left as it was."""


def evaluate_models(
    report: Report, models: Sequence[Model], *, progress: Progress, batch_size: int = 32
) -> Report:
    """`report` plus one new `ModelRun` per model, predicted on the report's examples.

    A model whose name is taken gets a `#n` suffix. Stored scores are dropped: they no longer
    cover every model.
    """
    pairs = [example.pair for example in report.examples]
    taken = {run.name for run in report.models}
    runs: list[ModelRun] = []
    for model in models:
        stage = f"evaluating {model.name}"
        progress(stage, 0, len(pairs))

        def step(done: int, total: int, stage: str = stage) -> None:
            progress(stage, done, total)

        predictions = predict(model, pairs, batch_size=batch_size, progress=step)
        name, n = model.name, 1
        while name in taken:
            n += 1
            name = f"{model.name}#{n}"
        taken.add(name)
        runs.append(
            ModelRun(
                name=name,
                fingerprint=model.fingerprint,
                predictions={e.id: p for e, p in zip(report.examples, predictions, strict=True)},
                settings={"source": "tui live run"},
            )
        )
    extra = {key: value for key, value in report.extra.items() if key != "scores"}
    return replace(report, models=(*report.models, *runs), extra=extra)
