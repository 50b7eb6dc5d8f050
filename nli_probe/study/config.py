"""`StudyConfig`: what `nli-probe study` runs, read from a TOML preset plus `key=value` overrides.

Built-in presets live in `nli_probe/study/presets/` (`quick`, `roberta-snli`); a path to a `.toml`
file works too. Study keys are overridden as `key=value`; the two trainer runs take trainer
overrides as `train.KEY=VALUE` (both), `full.KEY=VALUE` or `lora.KEY=VALUE` (one), in the
trainer presets' own keys (`train.epochs=2`, `lora.lora.r=16`).
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from nli_probe.errors import NLIProbeError

ARMS = ("full", "lora")
"""The study's two trained models, in report order."""


@dataclass(frozen=True, kw_only=True)
class StudyConfig:
    """Everything that decides a study (except where its data and run folder are)."""

    name: str = "custom"
    description: str = ""
    full: str = "quick-full"
    """Trainer preset (name or .toml path) of the fully fine-tuned model; "" trains none."""
    lora: str = "quick-lora"
    """Trainer preset of the LoRA model; "" trains none."""
    train_overrides: tuple[str, ...] = ()
    """Trainer `key=value` overrides applied to both runs."""
    full_overrides: tuple[str, ...] = ()
    lora_overrides: tuple[str, ...] = ()
    eval_examples: int = 0
    """Score at most this many of the held-out evaluation pairs (stratified sample); 0: all."""
    suites: tuple[str, ...] = ()
    """Suites to run (built-in names or files); empty: every built-in suite."""
    probe_examples: int = 300
    """Evaluation pairs (a stratified sample) the suites perturb; 0: all of them."""
    sample_seed: int = 0
    """Seed of the evaluation and probe samples and of the perturbations."""
    device: str = "auto"
    precision: str = "auto"
    """Inference precision (fp32, bf16, fp16; auto: decided by the hardware, see README,
    "Models and inference"). The trainers' own `precision` key decides training."""
    batch_size: int = 0
    """Most pairs per forward pass; 0: only `batch_tokens` limits a batch."""
    batch_tokens: int = 0
    """Most padded tokens per forward pass; 0: the device's default (1,024 CPU, 16,384 CUDA)."""
    resamples: int = 1000
    """Bootstrap resamples for intervals and paired tests."""
    seed: int = 0
    """Bootstrap seed."""
    title: str = ""

    def arm_overrides(self, arm: str) -> tuple[str, ...]:
        own = self.full_overrides if arm == "full" else self.lora_overrides
        return (*self.train_overrides, *own)

    def preset(self, arm: str) -> str:
        return self.full if arm == "full" else self.lora


def studies_dir() -> Path:
    return Path(str(resources.files("nli_probe.study") / "presets"))


def study_names() -> list[str]:
    return sorted(path.stem for path in studies_dir().glob("*.toml"))


def load_study(name_or_path: str, overrides: Sequence[str] = ()) -> StudyConfig:
    """A study preset (built-in name or TOML path) with `key=value` overrides applied.

    Raises:
        NLIProbeError: unknown preset or key (with a did-you-mean), bad TOML or values.
    """
    path = _preset_path(name_or_path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise NLIProbeError(f"{path}: not valid TOML: {error}") from None
    raw.setdefault("name", path.stem)
    config = config_from_mapping(raw, where=str(path))
    return apply_overrides(config, overrides)


def config_from_mapping(raw: Mapping[str, Any], *, where: str) -> StudyConfig:
    known = {f.name: f for f in fields(StudyConfig)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise NLIProbeError(f"{where}: unknown study key {key!r}{_did_you_mean(key, known)}")
        values[key] = _coerce(key, value, getattr(StudyConfig(), key), where=where)
    return StudyConfig(**values)


def apply_overrides(config: StudyConfig, overrides: Sequence[str]) -> StudyConfig:
    """`key=value` for study keys, `train.`/`full.`/`lora.` prefixed ones for the trainers."""
    changes: dict[str, Any] = {}
    extra: dict[str, list[str]] = {"train": [], "full": [], "lora": []}
    for item in overrides:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise NLIProbeError(
                f"override {item!r} is not key=value (e.g. probe_examples=100, train.epochs=2)"
            )
        scope, dot, rest = key.partition(".")
        if dot and scope in extra:
            extra[scope].append(f"{rest}={text}")
            continue
        known = [f.name for f in fields(StudyConfig)]
        if key not in known:
            hint = _did_you_mean(key, [*known, "train.epochs", "full.epochs", "lora.epochs"])
            raise NLIProbeError(
                f"unknown study key {key!r} in override {item!r}{hint} (trainer keys go as "
                "train.KEY=VALUE, full.KEY=VALUE or lora.KEY=VALUE)"
            )
        default = getattr(StudyConfig(), key)
        changes[key] = _coerce(key, _parse(text.strip(), default), default, where="override")
    return replace(
        config,
        **changes,
        train_overrides=(*config.train_overrides, *extra["train"]),
        full_overrides=(*config.full_overrides, *extra["full"]),
        lora_overrides=(*config.lora_overrides, *extra["lora"]),
    )


def config_to_dict(config: StudyConfig) -> dict[str, Any]:
    return {
        f.name: list(value) if isinstance(value := getattr(config, f.name), tuple) else value
        for f in fields(config)
    }


def _parse(text: str, default: Any) -> Any:
    if isinstance(default, str):
        return text
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _coerce(key: str, value: Any, default: Any, *, where: str) -> Any:
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise NLIProbeError(f"{where}: {key} must be a list of strings, got {value!r}")
        return tuple(value)
    if isinstance(default, bool) or type(value) is not type(default):
        raise NLIProbeError(f"{where}: {key} must be {type(default).__name__}, got {value!r}")
    if isinstance(value, int) and value < 0:
        raise NLIProbeError(f"{where}: {key} must be 0 or more, got {value}")
    return value


def _preset_path(name_or_path: str) -> Path:
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml":
        if not candidate.is_file():
            raise NLIProbeError(f"study preset file {candidate} not found")
        return candidate
    builtin = studies_dir() / f"{name_or_path}.toml"
    if builtin.is_file():
        return builtin
    names = study_names()
    raise NLIProbeError(
        f"unknown study preset {name_or_path!r}{_did_you_mean(name_or_path, names)} "
        f"(built-in: {', '.join(names)}; or give a path to a .toml file)"
    )


def _did_you_mean(name: str, known: Sequence[str] | Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
