"""What the Run pane starts: an evaluation of the loaded models on the report's examples (or
on other pairs), or a probe suite on them. Plain functions (no textual) that report progress
through a callback; the callback may raise `RunCancelled` to stop between batches, and what the
run finished before that (whole models) comes back with the `RunCancelled`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from nli_probe.core.example import Example
from nli_probe.core.protocol import Model
from nli_probe.core.report import ModelRun, Report
from nli_probe.core.suite_run import SuiteRun
from nli_probe.models.engine import predict

Progress = Callable[[str, int, int, int, int], None]
"""Called with (stage, done, total, step, steps): `done` of `total` units of `stage`, which is
step `step` (from 0) of `steps`, one per model; may raise `RunCancelled`."""


class RunCancelled(Exception):
    """Raised from a progress callback to stop a run between batches.

    When it leaves the run function, `finished` is the report with the models (or suite runs)
    that completed before the cancel, or None when none had."""

    def __init__(self, finished: Report | None = None, done: int = 0) -> None:
        super().__init__("run cancelled")
        self.finished = finished
        self.done = done
        """How many models finished before the cancel."""


def evaluate_models(
    report: Report,
    models: Sequence[Model],
    *,
    progress: Progress,
    examples: Sequence[Example] | None = None,
    batch_size: int | None = None,
) -> Report:
    """`report` plus one new `ModelRun` per model, predicted on `examples` (default: the
    report's own); examples the report lacks are added to it (united by id).

    A model whose name is taken gets a `#n` suffix. Stored scores are dropped: they no longer
    cover every model. Cancelled (`RunCancelled` from `progress`) after some models finished,
    the `RunCancelled` carries the report with those.
    """
    chosen = tuple(report.examples if examples is None else examples)
    pairs = [example.pair for example in chosen]
    taken = {run.name for run in report.models}
    runs: list[ModelRun] = []
    for step, model in enumerate(models):
        stage = f"evaluating {model.name}"

        def report_progress(done: int, total: int, stage: str = stage, step: int = step) -> None:
            progress(stage, done, total, step, len(models))

        try:
            report_progress(0, len(pairs))
            predictions = predict(model, pairs, batch_size=batch_size, progress=report_progress)
        except RunCancelled:
            raise RunCancelled(
                _with_runs(report, chosen, runs) if runs else None, len(runs)
            ) from None
        name, n = model.name, 1
        while name in taken:
            n += 1
            name = f"{model.name}#{n}"
        taken.add(name)
        runs.append(
            ModelRun(
                name=name,
                fingerprint=model.fingerprint,
                predictions={e.id: p for e, p in zip(chosen, predictions, strict=True)},
                settings={"source": "tui live run", **_settings(model)},
            )
        )
    return _with_runs(report, chosen, runs)


def _with_runs(report: Report, examples: Sequence[Example], runs: Sequence[ModelRun]) -> Report:
    known = {example.id for example in report.examples}
    added = tuple(example for example in examples if example.id not in known)
    extra = {key: value for key, value in report.extra.items() if key != "scores"}
    return replace(
        report,
        examples=(*report.examples, *added),
        models=(*report.models, *runs),
        extra=extra,
    )


def run_probes(
    report: Report,
    models: Sequence[Model],
    suite_name: str,
    *,
    progress: Progress,
    examples: Sequence[Example] | None = None,
    batch_size: int | None = None,
) -> Report:
    """`report` plus each model's run of the suite `suite_name` (a built-in name or a .py or
    .toml file) on `examples` (default: the report's own). Earlier runs of the same suite and
    model are replaced; a cancel keeps the models that finished (see `RunCancelled`)."""
    from nli_probe.probing.loader import load_suite
    from nli_probe.probing.runner import run_suite

    suite = load_suite(suite_name)
    chosen = tuple(report.examples if examples is None else examples)
    runs: list[SuiteRun] = []
    for step, model in enumerate(models):
        stage = f"{suite.name} on {model.name}"

        def report_progress(done: int, total: int, stage: str = stage, step: int = step) -> None:
            progress(stage, done, total, step, len(models))

        try:
            report_progress(0, 1)
            run = run_suite(
                model,
                suite,
                chosen,
                progress=report_progress,
                batch_size=batch_size,
                dataset=report.dataset,
            )
        except RunCancelled:
            raise RunCancelled(_with_suites(report, runs) if runs else None, len(runs)) from None
        runs.append(run)
    return _with_suites(report, runs)


def _with_suites(report: Report, runs: Sequence[SuiteRun]) -> Report:
    fresh = {(run.suite, run.model) for run in runs}
    kept = tuple(run for run in report.suites if (run.suite, run.model) not in fresh)
    return replace(report, suites=(*kept, *runs))


def _settings(model: Model) -> dict[str, str]:
    """Device and precision of a loaded transformer (a fake model has neither)."""
    return {key: str(getattr(model, key)) for key in ("device", "precision") if hasattr(model, key)}
