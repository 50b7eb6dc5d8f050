"""What `train` returns, and the layout of a run folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, kw_only=True, slots=True)
class RunPaths:
    """The files of a run folder.

    The folder itself is the model (Hugging Face layout: `config.json` with the label names,
    full weights or the LoRA adapter only, safetensors, and the tokenizer), so
    `nli_probe.load_model(run_folder)` loads it as is. Beside it: the resolved config
    (`config.toml`), `data_summary.json`, `training_log.jsonl`, `metrics.json`,
    `eval_predictions.jsonl` (the final model's probabilities on the evaluation pairs),
    `dynamics.npz` (the training dynamics, when recorded), the model card `README.md`, and
    `checkpoints/`. `metrics.json` is written last, so its
    presence marks a finished run.
    """

    root: Path

    @property
    def model(self) -> Path:
        return self.root

    @property
    def checkpoints(self) -> Path:
        return self.root / "checkpoints"

    @property
    def config_toml(self) -> Path:
        return self.root / "config.toml"

    @property
    def data_summary(self) -> Path:
        return self.root / "data_summary.json"

    @property
    def training_log(self) -> Path:
        return self.root / "training_log.jsonl"

    @property
    def metrics(self) -> Path:
        return self.root / "metrics.json"

    @property
    def card(self) -> Path:
        return self.root / "README.md"

    @property
    def dynamics(self) -> Path:
        """The training dynamics, with `record_dynamics` (see `nli_probe.scoring.datamap`)."""
        from nli_probe.scoring.datamap.dynamics import FILE_NAME

        return self.root / FILE_NAME

    @property
    def dynamics_shards(self) -> Path:
        """Each process's records while training runs (merged into `dynamics` at the end)."""
        from nli_probe.scoring.datamap.dynamics import SHARDS

        return self.root / SHARDS

    @property
    def eval_predictions(self) -> Path:
        """The final model's probabilities on the evaluation pairs (see `eval_predictions.py`)."""
        from .eval_predictions import FILE_NAME

        return self.root / FILE_NAME


@dataclass(frozen=True, kw_only=True, slots=True)
class TrainResult:
    """A finished run: where its files are and what it measured.

    `metrics` is the content of `metrics.json`: `eval` (accuracy, weighted/macro P/R/F1 of the
    best checkpoint on the evaluation pairs), `train` (runtime, examples/s, steps),
    `best_checkpoint` and `majority_baseline`. `reused` is True when the folder already held
    this finished run; `resumed_from` names the checkpoint an interrupted run continued from.
    """

    paths: RunPaths
    metrics: dict[str, Any]
    reused: bool = False
    resumed_from: str | None = None

    @property
    def run_dir(self) -> Path:
        return self.paths.root

    @property
    def model_dir(self) -> Path:
        return self.paths.model

    @property
    def accuracy(self) -> float:
        return float(self.metrics["eval"]["accuracy"])
