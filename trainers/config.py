"""What a training run is: `TrainConfig` (with its `LoraSettings` section), read from a TOML preset
plus `key=value` overrides.

Presets are TOML files in `presets/` (or any path); every key is optional and falls back to the
defaults below. They are read by the rules every preset follows (`nli_probe.core.presets`):
unknown keys, presets and values get an `NLIProbeError` with a did-you-mean.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from nli_probe.core.presets import PresetKind
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError

METHODS = ("full", "lora")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
EVAL_STRATEGIES = ("epoch", "steps")
LR_SCHEDULERS = (
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "inverse_sqrt",
    "reduce_lr_on_plateau",
)
"""transformers' schedulers that need no arguments beyond the warm-up."""
BEST_METRICS = (
    "accuracy",
    "f1_weighted",
    "f1_macro",
    "precision_weighted",
    "recall_weighted",
    "loss",
)
"""What `keep_best` may choose the checkpoint by: the evaluation's scores, or its loss."""
DYNAMICS_PASSES = ("training", "inference")
"""How training dynamics are recorded (see `dynamics.py`)."""
SEED_LIMIT = 2**32 - 1
"""numpy's legacy seeding (which `transformers.set_seed` calls) takes 0 .. 2**32 - 1."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LoraSettings:
    """The LoRA section (used when `method = "lora"`).

    Empty `target_modules` / `modules_to_save` mean: look them up for the base model's
    architecture (see `targets.py`).
    """

    r: int = 8
    alpha: int = 16
    dropout: float = 0.1
    target_modules: tuple[str, ...] = ()
    modules_to_save: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class TrainConfig:
    """Everything that decides a training run (and nothing that does not, e.g. the run folder).

    Data: `train_data` specs (data set names such as `snli:train` or file paths) are read from
    `data_dir`, filtered (pairs without a gold label dropped; `min_agreement`) and sampled
    (`train_fraction` or `train_count`, stratified by label, `sample_seed`). `eval_data` is
    evaluated each epoch and at the end (with `keep_best` the final model is the best evaluated
    checkpoint by `best_metric`, else the last one); with `held_out > 0` only a seeded
    stratified part of that many pairs is evaluated and the rest of it joins the training pool
    (before sampling). With `skip_bad_rows`, malformed rows are skipped and listed in the data
    summary instead of stopping the run.

    With `record_dynamics`, the run folder keeps, per training pair, the gold label's
    probability and the chosen label once per epoch (`dynamics.npz`, read by `nli-probe
    datamap`): from the training forward passes themselves (`dynamics_pass = "training"`, at no
    extra cost) or from an inference pass over the training pairs (`"inference"`), which can
    also record every `dynamics_steps` optimisation steps (see `dynamics.py`).
    """

    name: str = "custom"
    description: str = ""
    base_model: str = "roberta-base"
    method: str = "full"
    max_length: int = 128
    # data
    data_dir: str = ""
    train_data: tuple[str, ...] = ("snli:train",)
    eval_data: str = "snli:dev"
    held_out: int = 0
    split_seed: int = 13
    skip_bad_rows: bool = False
    min_agreement: int = 0
    train_fraction: float = 1.0
    train_count: int = 0
    sample_seed: int = 42
    # optimisation
    epochs: float = 3.0
    max_steps: int = -1
    batch_size: int = 32
    eval_batch_size: int = 128
    grad_accum: int = 1
    learning_rate: float = 2e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    lr_scheduler: str = "linear"
    max_grad_norm: float = 1.0
    precision: str = "auto"
    seed: int = 42
    # evaluation and checkpoints
    eval_strategy: str = "epoch"
    eval_steps: int = 0
    logging_steps: int = 50
    save_total_limit: int = 2
    keep_best: bool = True
    best_metric: str = "accuracy"
    dataloader_workers: int = 0
    # training dynamics (data maps: `nli-probe datamap`)
    record_dynamics: bool = False
    dynamics_pass: str = "training"
    dynamics_steps: int = 0
    lora: LoraSettings = field(default_factory=LoraSettings)

    def to_dict(self) -> dict[str, Any]:
        """A TOML/JSON-ready dict (tuples become lists)."""
        return _plain(dataclasses.asdict(self))


def presets_dir() -> Path:
    """The folder of built-in presets."""
    return Path(str(resources.files(__package__ or "nli_probe.trainers") / "presets"))


def preset_names() -> list[str]:
    """Names of the built-in presets, sorted."""
    return PRESETS.names()


def load_preset(name_or_path: str, overrides: Sequence[str] = ()) -> TrainConfig:
    """Read a preset (built-in name or TOML path) and apply `key=value` overrides.

    Overrides use the preset's keys, dotted for sections (`lora.r=16`); values are parsed as
    TOML values where they parse (`epochs=2`, `train_data=["a.jsonl", "b.jsonl"]`,
    `precision=bf16`), else taken as strings. A comma-separated string is accepted for list keys
    (`lora.target_modules=query,value`). The rules are every preset's
    (`nli_probe.core.presets`).

    Raises:
        NLIProbeError: unknown preset or key (with suggestions), unreadable TOML, bad values.
    """
    return PRESETS.load(name_or_path, overrides)


def config_from_dict(raw: Mapping[str, Any], *, source: str = "config") -> TrainConfig:
    """Build a `TrainConfig` from a nested dict (a parsed preset), checking keys and types."""
    return PRESETS.from_mapping(raw, where=source)


def _validate(config: TrainConfig, source: str) -> None:
    """Every key's range, checked when the config is read: a bad value fails here, in one line,
    not as a torch error after the data has loaded."""
    choices = {
        "method": (config.method, METHODS),
        "precision": (config.precision, PRECISIONS),
        "eval_strategy": (config.eval_strategy, EVAL_STRATEGIES),
        "lr_scheduler": (config.lr_scheduler, LR_SCHEDULERS),
        "best_metric": (config.best_metric, BEST_METRICS),
        "dynamics_pass": (config.dynamics_pass, DYNAMICS_PASSES),
    }
    for key, (value, allowed) in choices.items():
        if value not in allowed:
            raise NLIProbeError(
                f"{source}: `{key}` = {value!r} is not one of {', '.join(allowed)}"
                f"{did_you_mean(value, allowed)}"
            )
    at_least = {
        "batch_size": (config.batch_size, 1),
        "eval_batch_size": (config.eval_batch_size, 1),
        "grad_accum": (config.grad_accum, 1),
        "max_length": (config.max_length, 8),
        "logging_steps": (config.logging_steps, 1),
        "save_total_limit": (config.save_total_limit, 1),
        "lora.r": (config.lora.r, 1),
        "lora.alpha": (config.lora.alpha, 1),
        "held_out": (config.held_out, 0),
        "min_agreement": (config.min_agreement, 0),
        "train_count": (config.train_count, 0),
        "eval_steps": (config.eval_steps, 0),
        "dataloader_workers": (config.dataloader_workers, 0),
        "dynamics_steps": (config.dynamics_steps, 0),
    }
    for key, (number, minimum) in at_least.items():
        if number < minimum:
            raise NLIProbeError(f"{source}: `{key}` must be at least {minimum}, got {number}")
    for key in ("seed", "split_seed", "sample_seed"):
        value = getattr(config, key)
        if not 0 <= value <= SEED_LIMIT:
            raise NLIProbeError(f"{source}: `{key}` must be from 0 to {SEED_LIMIT}, got {value}")
    if config.max_steps != -1 and config.max_steps < 1:
        raise NLIProbeError(
            f"{source}: `max_steps` must be -1 (train for `epochs`) or at least 1, "
            f"got {config.max_steps}"
        )
    floats = {
        # key: (value, low, high, low included, high included)
        "epochs": (config.epochs, 0.0, math.inf, False, False),
        "learning_rate": (config.learning_rate, 0.0, math.inf, False, False),
        "weight_decay": (config.weight_decay, 0.0, math.inf, True, False),
        "warmup_ratio": (config.warmup_ratio, 0.0, 1.0, True, False),
        "max_grad_norm": (config.max_grad_norm, 0.0, math.inf, True, False),
        "train_fraction": (config.train_fraction, 0.0, 1.0, False, True),
        "lora.dropout": (config.lora.dropout, 0.0, 1.0, True, False),
    }
    for key, (value, low, high, low_in, high_in) in floats.items():
        above = value >= low if low_in else value > low
        below = value <= high if high_in else value < high
        if not (math.isfinite(value) and above and below):
            lower = f"{low:g} or more" if low_in else f"more than {low:g}"
            upper = (
                "" if math.isinf(high) else (f"at most {high:g}" if high_in else f"below {high:g}")
            )
            bounds = f"{lower} and {upper}" if upper else lower
            raise NLIProbeError(f"{source}: `{key}` must be {bounds}, got {value}")
    if config.dynamics_steps and not config.record_dynamics:
        raise NLIProbeError(
            f"{source}: `dynamics_steps` = {config.dynamics_steps} needs `record_dynamics` = true"
        )
    if config.dynamics_steps and config.dynamics_pass != "inference":
        raise NLIProbeError(
            f"{source}: `dynamics_steps` = {config.dynamics_steps} needs `dynamics_pass` = "
            f"'inference' (the training pass sees each pair once per epoch, so it records once "
            f"per epoch)"
        )
    if config.eval_strategy == "steps" and config.eval_steps < 1:
        raise NLIProbeError(f"{source}: eval_strategy = 'steps' needs `eval_steps` >= 1")
    if not config.train_data and config.held_out <= 0:
        raise NLIProbeError(
            f"{source}: `train_data` is empty and `held_out` = 0: nothing to train on (name "
            "training data, or hold out part of `eval_data` and train on the rest)"
        )
    for key in ("base_model", "eval_data"):
        if not str(getattr(config, key)).strip():
            raise NLIProbeError(f"{source}: `{key}` is empty")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def dump_toml(config: TrainConfig) -> str:
    """The config as a TOML preset (loading it back gives an equal config), written by tomli-w
    so that any string (quotes, backslashes, control and non-BMP characters) stays valid TOML."""
    import tomli_w

    data = config.to_dict()
    lora = data.pop("lora")
    return tomli_w.dumps({**data, "lora": lora})


PRESETS: PresetKind[TrainConfig] = PresetKind(
    what="preset",
    config=TrainConfig,
    folder=presets_dir,
    example="epochs=2, lora.r=16",
    validate=_validate,
)
"""How trainer presets are read (the rules: `nli_probe.core.presets`)."""
