"""The final model's predictions on the evaluation pairs, kept in the run folder.

The Trainer evaluates the held-out pairs at the end of each epoch; the run folder keeps what the
final model predicted (`eval_predictions.jsonl`, one `{"id", "probs"}` line per pair, the
probabilities in entailment, neutral, contradiction order) and how (`metrics.json`,
`eval_predictions`: step, precision, device type, max length). `nli-probe study` puts them into
its prediction cache when the engine would compute the same thing, so each held-out pair is
predicted once per model, not once by the trainer and again by the evaluation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .scores import classification_scores

FILE_NAME = "eval_predictions.jsonl"


class EvalRecorder:
    """The Trainer's `compute_metrics` hook that also keeps each evaluation's probabilities,
    by the step it ran at (see `record`)."""

    def __init__(self) -> None:
        self.by_step: dict[int, np.ndarray] = {}
        self._last: np.ndarray | None = None

    def __call__(self, eval_prediction: Any) -> dict[str, float]:
        logits = eval_prediction.predictions
        if isinstance(logits, tuple):
            logits = logits[0]
        self._last = softmax(np.asarray(logits, dtype=np.float32))
        return classification_scores(logits, eval_prediction.label_ids)

    def record(self, step: int) -> None:
        """File the last evaluation's probabilities under `step` (called on each evaluation)."""
        if self._last is not None:
            self.by_step[step] = self._last
            self._last = None


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax in float32, as the engine computes it."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    result: np.ndarray = shifted / shifted.sum(axis=-1, keepdims=True)
    return result


def write_eval_predictions(path: Path, ids: Sequence[str], probs: np.ndarray) -> None:
    """One line per evaluation pair, written whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for example_id, row in zip(ids, probs.tolist(), strict=True):
            handle.write(json.dumps({"id": example_id, "probs": row}) + "\n")
    partial.replace(path)


def read_eval_predictions(run_dir: Path) -> tuple[dict[str, list[float]], Mapping[str, Any]]:
    """(id → probabilities, how they were computed) from a finished run folder; empty when it
    kept none (an older run, or a final model whose evaluation was not recorded)."""
    try:
        metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
        lines = (run_dir / FILE_NAME).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return {}, {}
    how = metrics.get("eval_predictions") if isinstance(metrics, dict) else None
    if not isinstance(how, dict):
        return {}, {}
    found: dict[str, list[float]] = {}
    for line in lines:
        try:
            row = json.loads(line)
            found[str(row["id"])] = [float(p) for p in row["probs"]]
        except (ValueError, KeyError, TypeError):
            return {}, {}  # a damaged file is not used: the pairs are predicted again
    return found, how
