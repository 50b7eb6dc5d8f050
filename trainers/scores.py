"""The evaluation metrics the trainer logs each epoch and keeps the best checkpoint by.

They are `nli_probe.scoring.metrics`' own definitions (`scores_from_confusion`, pinned to
scikit-learn by the tests): a run's `metrics.json` and an `nli-probe evaluate` of its model
report the same macro F1, averaged over the labels present in the gold labels or the
predictions. The Trainer gets them through `eval_predictions.EvalRecorder`, which also keeps
the probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nli_probe.scoring.metrics import scores_from_confusion

_REPORTED = ("accuracy", "precision_weighted", "recall_weighted", "f1_weighted", "f1_macro")


def classification_scores(logits: Any, labels: Any) -> dict[str, float]:
    """Accuracy, weighted precision/recall/F1 and macro F1 over the three labels.

    Args:
        logits: (n, 3) array of model outputs (a tuple's first element is used).
        labels: (n,) array of gold label ids.
    """
    if isinstance(logits, tuple):
        logits = logits[0]
    predicted = np.asarray(logits).argmax(axis=-1).reshape(-1)
    gold = np.asarray(labels).reshape(-1)
    if gold.size == 0:
        return dict.fromkeys(_REPORTED, 0.0)
    confusion = np.bincount(gold * 3 + predicted, minlength=9).reshape(3, 3)
    scores = scores_from_confusion(confusion)
    return {name: float(scores[name]) for name in _REPORTED}
