"""`StudyConfig`: what `nli-probe study` runs, read from a TOML preset plus `key=value` overrides.

Built-in presets live in `nli_probe/study/presets/` (`quick`, `roberta-snli`); a path to a `.toml`
file works too. Study keys are overridden as `key=value`; the two trainer runs take trainer
overrides as `train.KEY=VALUE` (both), `full.KEY=VALUE` or `lora.KEY=VALUE` (one), in the
trainer presets' own keys (`train.epochs=2`, `lora.lora.r=16`). The rules are every preset's
(`nli_probe.core.presets`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from nli_probe.core.presets import PresetKind
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


def _validate(config: StudyConfig, where: str) -> None:
    for spec in fields(config):
        value = getattr(config, spec.name)
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise NLIProbeError(f"{where}: `{spec.name}` must be 0 or more, got {value}")


STUDY_PRESETS: PresetKind[StudyConfig] = PresetKind(
    what="study preset",
    config=StudyConfig,
    folder=studies_dir,
    example="probe_examples=100, train.epochs=2",
    scopes={"train": "train_overrides", "full": "full_overrides", "lora": "lora_overrides"},
    override_hint=" (trainer keys go as train.KEY=VALUE, full.KEY=VALUE or lora.KEY=VALUE)",
    suggest_also=("train.epochs", "full.epochs", "lora.epochs"),
    validate=_validate,
)
"""How study presets are read (the rules: `nli_probe.core.presets`)."""


def study_names() -> list[str]:
    return STUDY_PRESETS.names()


def load_study(name_or_path: str, overrides: Sequence[str] = ()) -> StudyConfig:
    """A study preset (built-in name or TOML path) with `key=value` overrides applied.

    Raises:
        NLIProbeError: unknown preset or key (with a did-you-mean), bad TOML or values.
    """
    return STUDY_PRESETS.load(name_or_path, overrides)


def config_to_dict(config: StudyConfig) -> dict[str, Any]:
    return {
        f.name: list(value) if isinstance(value := getattr(config, f.name), tuple) else value
        for f in fields(config)
    }
