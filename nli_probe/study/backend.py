"""`Backend`: the work a study delegates to the data, trainer, model, engine and probe layers.

`run_study` calls only these methods, so the orchestration is tested in seconds with a subclass
that trains nothing and loads fake models. Heavy libraries are imported inside the methods.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.core.example import Example

if TYPE_CHECKING:
    from rich.console import Console

    from nli_probe.core.prediction import Prediction
    from nli_probe.core.protocol import Model, Pair
    from nli_probe.core.suite_run import SuiteRun
    from nli_probe.models.cache import PredictionCache
    from nli_probe.scoring.datamap import DataMapSection
    from nli_probe.study.config import StudyConfig


@dataclass(frozen=True, kw_only=True)
class PreparedStudyData:
    """The evaluation pairs and how the data was prepared."""

    evaluation: list[Example]
    description: str
    """One line naming the evaluation data (e.g. `snli:dev, 2,000 held-out pairs`)."""
    summary: Mapping[str, Any] = field(default_factory=dict)
    """JSON-ready: the trainers' data summary (class balance before/after)."""


class Backend:
    """The real layers: `nli_probe.trainers`, `nli_probe.models`, the engine and the probes."""

    def __init__(self, console: Console, *, model_options: Mapping[str, Any] | None = None) -> None:
        """`model_options`: further `load_model` keyword arguments for the models evaluated
        (`label_names`, `trust_remote_code`, `progress`); the study config gives device,
        precision and batch size."""
        self.console = console
        self.model_options: dict[str, Any] = dict(model_options or {})

    def load_train_config(self, preset: str, overrides: Sequence[str]) -> Any:
        from nli_probe.trainers import load_preset

        return load_preset(preset, list(overrides))

    def prepare(self, train_config: Any, *, train: bool, preset: str) -> PreparedStudyData:
        """Prepare as the trainer will (so the summary is the training run's); with
        `train=False` (existing models) only the evaluation pairs are read."""
        from nli_probe.data.split import prepare_data, read_evaluation

        held = f", {train_config.held_out:,} held-out pairs" if train_config.held_out else ""
        description = f"{train_config.eval_data}{held}"
        if not train:
            evaluation, origin = read_evaluation(train_config)
            return PreparedStudyData(
                evaluation=evaluation,
                description=description,
                summary={
                    "read": [origin],
                    "eval": {"source": train_config.eval_data, "pairs": len(evaluation)},
                },
            )
        prepared = prepare_data(train_config)
        return PreparedStudyData(
            evaluation=list(prepared.eval),
            description=description,
            summary={"preset": preset, **prepared.summary},
        )

    def show_data(self, data: PreparedStudyData, console: Console) -> None:
        from nli_probe.data.balance import ClassBalance, balance_table

        for line in data.summary.get("read", ()):
            console.print(f"data: {line}", highlight=False, markup=False)
        train = data.summary.get("train")
        if isinstance(train, Mapping) and "balance_before" in train:
            console.print(
                balance_table(
                    ClassBalance.from_json(train["balance_before"]),
                    ClassBalance.from_json(train["balance_after"]),
                    title=f"Training pairs ({train.get('loaded', 0):,} read, "
                    f"{train.get('sampled', 0):,} kept)",
                )
            )
        evaluation = data.summary.get("eval")
        if isinstance(evaluation, Mapping) and "balance" in evaluation:
            console.print(
                balance_table(
                    ClassBalance.from_json(evaluation["balance"]),
                    title="Evaluation pairs",
                )
            )

    def train(self, train_config: Any, out_dir: Path) -> tuple[Path, bool]:
        """(model folder, whether a finished run was reused)."""
        from nli_probe.models import distributed
        from nli_probe.trainers import train

        result = train(train_config, out_dir, resume=True)
        world = distributed.current()
        if world is not None:
            # Under torchrun rank 0 saves the model after training; the others wait for it
            # before anyone loads it.
            world.barrier(what="waiting for rank 0 to save the trained model")
        return Path(result.model_dir), bool(result.reused)

    def builtin_suites(self) -> list[str]:
        """The suites a study runs when it names none (attacks only when named)."""
        from nli_probe.probing.loader import default_suite_names

        return default_suite_names()

    @contextmanager
    def open_cache(self, path: Path) -> Iterator[PredictionCache | None]:
        """The study's prediction cache; under torchrun, on rank 0 only (the engine keeps the
        other ranks' batches in journals beside it)."""
        from nli_probe.models.cache import PredictionCache
        from nli_probe.models.distributed import is_main_process

        if not is_main_process():
            yield None
            return
        with PredictionCache(path) as cache:
            yield cache

    def identify(self, spec: str, config: StudyConfig) -> str:
        """What decides a model's predictions, without loading it: its folder's files (names,
        sizes, modification times) or its hub name, and the inference settings."""
        from nli_probe.models import distributed
        from nli_probe.models.device import precision_choice, resolve_device

        device = resolve_device(config.device)
        # The precision `auto` resolves to here: a copy of the run folder on another kind of
        # machine predicts again rather than reuse another precision's results.
        precision = precision_choice(config.precision, device).precision
        if distributed.launched_size() > 1:
            # Under torchrun each rank has its own GPU (cuda:LOCAL_RANK); all ranks must find
            # the same steps done, so the identity names the kind of device only.
            device = device.split(":")[0]
        settings = f"{device}|{precision}"
        if self.model_options.get("label_names"):
            settings += f"|labels={','.join(self.model_options['label_names'])}"
        digest = hashlib.sha256(settings.encode())
        folder = Path(spec)
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(folder)}|{stat.st_size}|{stat.st_mtime_ns}".encode()
                )
        else:
            digest.update(spec.encode())
        return digest.hexdigest()

    def load_model(self, spec: str, name: str, config: StudyConfig) -> Model:
        from nli_probe.models.load import load_model

        with self.console.status(f"loading {name} from {spec}"):
            return load_model(
                spec,
                **self.model_options,
                device=config.device,
                precision=config.precision,
                batch_size=config.batch_size or None,
                batch_tokens=config.batch_tokens or None,
                name=name,
            )

    def precisions(self, config: StudyConfig, train_configs: Mapping[str, Any]) -> dict[str, str]:
        """What each precision resolves to on this machine, and why: `inference` and, per
        trained model, `train ARM` (e.g. `bf16 (auto: this CPU (AVX512) has AMX)`)."""
        from nli_probe.models.device import precision_choice, resolve_device
        from nli_probe.trainers.arguments import resolve_precision

        device = resolve_device(config.device)
        found = {
            f"train {arm}": resolve_precision(train_config.precision).describe()
            for arm, train_config in train_configs.items()
        }
        found["inference"] = precision_choice(config.precision, device).describe()
        return found

    def reuse_training_predictions(
        self,
        model: Model,
        spec: str,
        evaluation: Sequence[Example],
        cache: PredictionCache | None,
    ) -> int:
        """Put the trainer's own final predictions on `evaluation` into `cache`, when `spec`
        is a trainer run folder that kept them (`eval_predictions.jsonl`) and the engine would
        compute the same: same max length and precision, and fp32 or a CPU (on a GPU the engine
        casts a half-precision network whole, where training used autocast). Returns how many
        pairs it stored; the engine then predicts only the rest."""
        from nli_probe.core.prediction import Prediction
        from nli_probe.trainers.eval_predictions import read_eval_predictions

        if cache is None:
            return 0
        found, how = read_eval_predictions(Path(spec))
        precision = str(getattr(model, "precision", ""))
        device = str(getattr(model, "device", "")).split(":")[0]
        same = (
            how.get("precision") == precision
            and how.get("max_length") == getattr(model, "max_length", None)
            and how.get("device") == device
            and (precision == "fp32" or device == "cpu")
        )
        if not found or not same:
            return 0
        items = [
            (example.pair, Prediction(probs=(probs[0], probs[1], probs[2])))
            for example in evaluation
            if len(probs := found.get(example.id, [])) == 3
        ]
        cache.put_many(model.fingerprint, items, name=model.name)
        return len(items)

    def data_maps(
        self, model_dirs: Mapping[str, str], *, resamples: int, seed: int
    ) -> DataMapSection | None:
        """The data maps of the models whose run folders recorded training dynamics (named
        like the models), side by side; None when none did."""
        from nli_probe.scoring.datamap import build_data_map, data_map_section, read_dynamics
        from nli_probe.scoring.datamap.dynamics import FILE_NAME

        maps = [
            build_data_map(read_dynamics(path), name=name, resamples=resamples, seed=seed)
            for name, spec in model_dirs.items()
            if (path := Path(spec) / FILE_NAME).is_file()
        ]
        return data_map_section(maps, seed=seed) if maps else None

    def settings(self, model: Model) -> dict[str, str]:
        keys = ("device", "precision", "max_length")
        return {key: str(getattr(model, key)) for key in keys if hasattr(model, key)}

    def predict(
        self, model: Model, pairs: Sequence[Pair], cache: PredictionCache | None, label: str
    ) -> list[Prediction]:
        from nli_probe.models.engine import predict

        with self._progress(label) as update:
            return predict(model, pairs, progress=update, cache=cache)

    def run_suites(
        self,
        model: Model,
        names: Sequence[str],
        sample: Sequence[Example],
        cache: PredictionCache | None,
        *,
        seed: int,
        label: str,
    ) -> tuple[SuiteRun, ...]:
        from nli_probe.probing.loader import load_suite
        from nli_probe.probing.runner import run_suites

        suites = [load_suite(name) for name in names]
        with self._progress(label) as update:
            return run_suites(model, suites, sample, seed=seed, progress=update, cache=cache)

    @contextmanager
    def _progress(self, label: str) -> Iterator[Any]:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (
            "{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.console, transient=False) as progress:
            task = progress.add_task(f"{label} (distinct pairs)", total=None)

            def update(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            yield update
