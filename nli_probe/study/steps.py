"""The steps of a study that are saved and reused: evaluation and suite runs under `steps/`.

Each step's file holds a key made of everything that decides its result (the model folder's
identity, the pairs, the suites, the seeds, the nli-probe version); a rerun whose key matches
reads the file instead of loading the model. Files are written atomically, so an interrupted
step just runs again (its predictions come back from the cache).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.core.example import Example
from nli_probe.core.report import ModelRun, prediction_from_json, prediction_to_json
from nli_probe.models.distributed import is_main_process
from nli_probe.study.backend import Backend
from nli_probe.study.config import StudyConfig
from nli_probe.version import __version__

if TYPE_CHECKING:
    from nli_probe.core.protocol import Model
    from nli_probe.core.suite_run import SuiteRun
    from nli_probe.models.cache import PredictionCache


@dataclass(frozen=True, kw_only=True)
class StudyPaths:
    """The files of a study's run folder (see README, "The study")."""

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


@dataclass
class StepClock:
    """Each step's wall time, and which steps were reused."""

    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start


class LazyModel:
    """Loads the model the first time a step needs it, so a fully reused study loads none."""

    def __init__(self, backend: Backend, spec: str, name: str, config: StudyConfig) -> None:
        self._backend, self._spec, self._name, self._config = backend, spec, name, config
        self._model: Model | None = None

    def get(self) -> Model:
        if self._model is None:
            self._model = self._backend.load_model(self._spec, self._name, self._config)
        return self._model


def evaluate_step(
    name: str,
    spec: str,
    loader: LazyModel,
    evaluation: Sequence[Example],
    identity: str,
    paths: StudyPaths,
    cache: PredictionCache | None,
    backend: Backend,
    clock: StepClock,
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
    # The trainer predicted these pairs with this very model in its final evaluation: those
    # predictions go into the cache, so the engine predicts only what they miss.
    reused = backend.reuse_training_predictions(model, spec, evaluation, cache)
    if reused:
        backend.console.print(f"{reused:,} of {len(evaluation):,} pairs from {name}'s training run")
    predictions = backend.predict(model, [e.pair for e in evaluation], cache, f"predict {name}")
    run = ModelRun(
        name=name,
        fingerprint=model.fingerprint,
        settings=backend.settings(model),
        predictions={e.id: p for e, p in zip(evaluation, predictions, strict=True)},
    )
    write_json(
        step,
        {
            "key": key,
            "fingerprint": run.fingerprint,
            "settings": dict(run.settings),
            "predictions": {k: prediction_to_json(p) for k, p in run.predictions.items()},
        },
    )
    return run


def probe_step(
    name: str,
    loader: LazyModel,
    sample: Sequence[Example],
    suite_names: Sequence[str],
    identity: str,
    paths: StudyPaths,
    cache: PredictionCache | None,
    backend: Backend,
    config: StudyConfig,
    clock: StepClock,
) -> list[SuiteRun]:
    from nli_probe.core.suite_run import suite_run_from_json

    key = _key("probe", identity, str(config.sample_seed), *suite_names, *(e.id for e in sample))
    step = paths.steps / f"probe-{_slug(name)}.json"
    saved = _saved_step(step, key)
    if saved is not None:
        clock.reused.append(f"probe {name}")
        return [suite_run_from_json(item) for item in saved["runs"]]
    runs = backend.run_suites(
        loader.get(), suite_names, sample, cache, seed=config.sample_seed, label=f"probe {name}"
    )
    write_json(step, {"key": key, "runs": [suite_json(run) for run in runs]})
    return list(runs)


def suite_json(run: SuiteRun) -> dict[str, Any]:
    from nli_probe.core.suite_run import suite_run_to_json

    return suite_run_to_json(run)


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


def write_json(path: Path, value: Any) -> None:
    """Write a study file whole (or not at all). Under torchrun only rank 0 writes: every
    rank runs the same steps, and rank 0's files are the study's."""
    if not is_main_process():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "model"
