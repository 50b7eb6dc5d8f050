"""`run_study`: the main job, from data to a report, in one run folder.

Steps: prepare the data (class balance before and after), train the full and LoRA models (or
take existing ones), predict the evaluation pairs with each, run every suite on a sample of them,
score everything (with the majority baseline and the agreement breakdowns) and write the report.

Everything lands in one folder, and a rerun reuses every finished step: the trainers reuse a
finished run folder, each evaluation and suite run is saved under `steps/` keyed by what decides
it (the model folder's files, the pairs, the suites, the seeds, the tool version), and
predictions are cached in `predictions.sqlite`, so an interrupted step resumes too.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.errors import NLIProbeError
from nli_probe.example import Example
from nli_probe.report import ModelRun, Report, prediction_from_json, prediction_to_json
from nli_probe.study_backend import Backend, PreparedStudyData
from nli_probe.study_config import ARMS, StudyConfig, config_to_dict
from nli_probe.version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from nli_probe.cache import PredictionCache
    from nli_probe.protocol import Model
    from nli_probe.render.view import ReportView
    from nli_probe.suite_run import SuiteRun


@dataclass(frozen=True, kw_only=True)
class StudyPaths:
    root: Path

    def model(self, arm: str) -> Path:
        return self.root / "models" / arm

    @property
    def steps(self) -> Path:
        return self.root / "steps"

    @property
    def cache(self) -> Path:
        return self.root / "predictions.sqlite"

    @property
    def data_summary(self) -> Path:
        return self.root / "data_summary.json"

    @property
    def study_json(self) -> Path:
        return self.root / "study.json"


@dataclass(frozen=True, kw_only=True)
class StudyResult:
    """What a study produced: the report's view, the files written, and each step's time."""

    view: ReportView
    written: tuple[Path, ...]
    timings: Mapping[str, float]
    """Step name → seconds."""
    reused: tuple[str, ...] = ()
    """Steps that found their results from an earlier run."""


@dataclass
class _Clock:
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start


def run_study(
    config: StudyConfig,
    out_dir: Path,
    *,
    backend: Backend,
    console: Console,
    models: Mapping[str, str] | None = None,
    data_overrides: Sequence[str] = (),
) -> StudyResult:
    """Run (or finish, or reuse) the study `config` in `out_dir`.

    Args:
        config: the study (see `nli_probe.study_config.load_study`).
        out_dir: the run folder.
        backend: data, training and model loading (`default_backend()` outside tests).
        console: where progress and tables go.
        models: name → model folder or hub name, evaluated instead of training any.
        data_overrides: trainer `key=value` overrides naming the data (data_dir, train_data,
            eval_data), applied to both trainer presets.
    """
    from nli_probe.render.build import build_view
    from nli_probe.render.outputs import write_outputs
    from nli_probe.scores import score_report

    paths = StudyPaths(root=out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clock = _Clock()
    arms = [arm for arm in ARMS if config.preset(arm)]
    if not arms and not models:
        raise NLIProbeError("the study names no trainer preset (full, lora) and no --model")
    preset = config.preset(arms[0]) if arms else config.full or "quick-full"
    train_configs = {
        arm: backend.load_train_config(
            config.preset(arm), [*data_overrides, *config.arm_overrides(arm)]
        )
        for arm in (arms or ["full"])
    }
    provenance = {
        "config": config_to_dict(config),
        "data_overrides": list(data_overrides),
        "tool": __version__,
    }
    _write_json(paths.study_json, {**provenance, "models": dict(models or {})})

    console.rule("[bold]1. data")
    with clock.step("data"):
        data = backend.prepare(
            train_configs[arms[0] if arms else "full"], train=not models, preset=preset
        )
        evaluation = _sample(data.evaluation, config.eval_examples, config.sample_seed)
        _write_json(paths.data_summary, data.summary)
        backend.show_data(data, console)
    console.print(f"evaluating on {len(evaluation):,} pairs ({data.description})")

    model_dirs: dict[str, str] = dict(models or {})
    if not models:
        for arm in arms:
            console.rule(f"[bold]2. train: {arm} ({config.preset(arm)})")
            with clock.step(f"train {arm}"):
                model_dir, reused = backend.train(train_configs[arm], paths.model(arm))
            model_dirs[arm] = str(model_dir)
            if reused:
                clock.reused.append(f"train {arm}")
                console.print(f"reused the finished run in {paths.model(arm)}")

    suite_names = list(config.suites) or backend.builtin_suites()
    probe_sample = _sample(evaluation, config.probe_examples, config.sample_seed)
    model_runs: list[ModelRun] = []
    suite_runs: list[SuiteRun] = []
    with backend.open_cache(paths.cache) as cache:
        for name, spec in model_dirs.items():
            loader = _LazyModel(backend, spec, name, config)
            identity = backend.identify(spec, config)
            console.rule(f"[bold]3. evaluate: {name}")
            with clock.step(f"evaluate {name}"):
                run = _evaluate(name, loader, evaluation, identity, paths, cache, backend, clock)
            model_runs.append(run)
            console.rule(f"[bold]4. probe: {name} ({', '.join(suite_names)})")
            with clock.step(f"probe {name}"):
                suite_runs += _probe(
                    name,
                    loader,
                    probe_sample,
                    suite_names,
                    identity,
                    paths,
                    cache,
                    backend,
                    config,
                    clock,
                )
    console.rule("[bold]5. report")
    with clock.step("report"):
        report = Report(
            dataset=data.description,
            examples=tuple(evaluation),
            models=tuple(model_runs),
            created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            extra={
                "study": {**provenance, "models": model_dirs},
                "data": data.summary,
            },
            suites=tuple(suite_runs),
        )
        scores = score_report(report, resamples=config.resamples, seed=config.seed)
        view = build_view(
            report,
            scores,
            suites=suite_runs,
            title=config.title or f"nli-probe study: {config.name}",
            notes=[
                f"study preset {config.name}; models: "
                + ", ".join(f"{k} = {v}" for k, v in model_dirs.items()),
                f"suites on a stratified sample of {len(probe_sample):,} evaluation pairs "
                f"(seed {config.sample_seed})",
            ],
        )
        written = write_outputs(report, scores, view, out_dir)
    return StudyResult(
        view=view, written=tuple(written), timings=dict(clock.timings), reused=tuple(clock.reused)
    )


class _LazyModel:
    """Loads the model the first time a step needs it, so a fully reused study loads none."""

    def __init__(self, backend: Backend, spec: str, name: str, config: StudyConfig) -> None:
        self._backend, self._spec, self._name, self._config = backend, spec, name, config
        self._model: Model | None = None

    def get(self) -> Model:
        if self._model is None:
            self._model = self._backend.load_model(self._spec, self._name, self._config)
        return self._model


def _evaluate(
    name: str,
    loader: _LazyModel,
    evaluation: Sequence[Example],
    identity: str,
    paths: StudyPaths,
    cache: PredictionCache | None,
    backend: Backend,
    clock: _Clock,
) -> ModelRun:
    key = _key("evaluate", identity, *(e.id for e in evaluation))
    step = paths.steps / f"evaluate-{_slug(name)}.json"
    saved = _saved_step(step, key)
    if saved is not None:
        clock.reused.append(f"evaluate {name}")
        return ModelRun(
            name=name,
            fingerprint=str(saved["fingerprint"]),
            settings=saved.get("settings", {}),
            predictions={k: prediction_from_json(v) for k, v in saved["predictions"].items()},
        )
    model = loader.get()
    predictions = backend.predict(model, [e.pair for e in evaluation], cache, f"predict {name}")
    run = ModelRun(
        name=name,
        fingerprint=model.fingerprint,
        settings=backend.settings(model),
        predictions={e.id: p for e, p in zip(evaluation, predictions, strict=True)},
    )
    _write_json(
        step,
        {
            "key": key,
            "fingerprint": run.fingerprint,
            "settings": dict(run.settings),
            "predictions": {k: prediction_to_json(p) for k, p in run.predictions.items()},
        },
    )
    return run


def _probe(
    name: str,
    loader: _LazyModel,
    sample: Sequence[Example],
    suite_names: Sequence[str],
    identity: str,
    paths: StudyPaths,
    cache: PredictionCache | None,
    backend: Backend,
    config: StudyConfig,
    clock: _Clock,
) -> list[SuiteRun]:
    from nli_probe.suite_run import suite_run_from_json

    key = _key("probe", identity, str(config.sample_seed), *suite_names, *(e.id for e in sample))
    step = paths.steps / f"probe-{_slug(name)}.json"
    saved = _saved_step(step, key)
    if saved is not None:
        clock.reused.append(f"probe {name}")
        return [suite_run_from_json(item) for item in saved["runs"]]
    runs = backend.run_suites(
        loader.get(), suite_names, sample, cache, seed=config.sample_seed, label=f"probe {name}"
    )
    _write_json(step, {"key": key, "runs": [_suite_json(run) for run in runs]})
    return list(runs)


def _suite_json(run: SuiteRun) -> dict[str, Any]:
    from nli_probe.suite_run import suite_run_to_json

    return suite_run_to_json(run)


def _sample(examples: Sequence[Example], count: int, seed: int) -> list[Example]:
    if count <= 0 or count >= len(examples):
        return list(examples)
    from nli_probe.data import stratified_sample

    return list(stratified_sample(list(examples), count=count, seed=seed))


def _key(*parts: str) -> str:
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


def _saved_step(path: Path, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent, or cut short by an interruption: the step runs again
    return data if isinstance(data, dict) and data.get("key") == key else None


def _write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "model"


__all__ = ["PreparedStudyData", "StudyPaths", "StudyResult", "run_study"]
