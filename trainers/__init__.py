"""Built-in trainers (full fine-tuning and LoRA) and their presets; installed as
`nli_probe.trainers`.

    from nli_probe.trainers import load_preset, train
    config = load_preset("quick-lora", ["epochs=1"])
    result = train(config, "runs/quick-lora")
    result.metrics["eval"]["accuracy"], result.model_dir

Importing this package loads no torch: `train` imports the training stack when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nli_probe.core.presets import toml_value
from nli_probe.data.split import evaluation_examples, held_out_split

from .config import (
    LoraSettings,
    TrainConfig,
    config_from_dict,
    dump_toml,
    load_preset,
    preset_names,
)
from .result import RunPaths, TrainResult


def train(
    config: TrainConfig,
    out_dir: Path | str,
    *,
    resume: bool = False,
    progress: bool = True,
    callbacks: Sequence[Any] = (),
) -> TrainResult:
    """Train `config` into the run folder `out_dir` (see `nli_probe.trainers.run.train`)."""
    from .run import train as run_train

    return run_train(config, out_dir, resume=resume, progress=progress, callbacks=callbacks)


__all__ = [
    "LoraSettings",
    "RunPaths",
    "TrainConfig",
    "TrainResult",
    "config_from_dict",
    "dump_toml",
    "evaluation_examples",
    "held_out_split",
    "load_preset",
    "preset_names",
    "toml_value",
    "train",
]
