"""What the Run pane starts: an evaluation of the loaded models on the report's examples, or
a probe suite on them. Plain functions (no textual) that report progress through a callback; the
callback may raise `RunCancelled` to stop between batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from nli_probe.core.protocol import Model
from nli_probe.core.report import ModelRun, Report
from nli_probe.core.suite_run import SuiteRun
from nli_probe.models.engine import predict

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total); may raise `RunCancelled`."""


class RunCancelled(Exception):
    """Raised from a progress callback to stop a run; the report is left as it was."""


def evaluate_models(
    report: Report,
    models: Sequence[Model],
    *,
    progress: Progress,
    batch_size: int | None = None,
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
                settings={"source": "tui live run", **_settings(model)},
            )
        )
    extra = {key: value for key, value in report.extra.items() if key != "scores"}
    return replace(report, models=(*report.models, *runs), extra=extra)


def run_probes(
    report: Report,
    models: Sequence[Model],
    suite_name: str,
    *,
    progress: Progress,
    batch_size: int | None = None,
) -> Report:
    """`report` plus each model's run of the suite `suite_name` (a built-in name or a .py or
    .toml file) on the report's examples. Earlier runs of the same suite and model are
    replaced."""
    from nli_probe.probing.loader import load_suite
    from nli_probe.probing.runner import run_suite

    suite = load_suite(suite_name)
    runs: list[SuiteRun] = []
    for model in models:
        stage = f"{suite.name} on {model.name}"
        progress(stage, 0, 1)

        def step(done: int, total: int, stage: str = stage) -> None:
            progress(stage, done, total)

        runs.append(
            run_suite(
                model,
                suite,
                report.examples,
                progress=step,
                batch_size=batch_size,
                dataset=report.dataset,
            )
        )
    fresh = {(run.suite, run.model) for run in runs}
    kept = tuple(run for run in report.suites if (run.suite, run.model) not in fresh)
    return replace(report, suites=(*kept, *runs))


def _settings(model: Model) -> dict[str, str]:
    """Device and precision of a loaded transformer (a fake model has neither)."""
    return {key: str(getattr(model, key)) for key in ("device", "precision") if hasattr(model, key)}
