"""The evaluation metrics the trainer logs each epoch and keeps the best checkpoint by.

The probing engine computes the full metric report later; these are the few numbers needed to
pick a checkpoint and to fill the model card (the study's accuracy and weighted P/R/F1).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def classification_scores(logits: Any, labels: Any) -> dict[str, float]:
    """Accuracy, weighted and macro precision/recall/F1 over the three labels.

    Args:
        logits: (n, 3) array of model outputs (a tuple's first element is used).
        labels: (n,) array of gold label ids.
    """
    if isinstance(logits, tuple):
        logits = logits[0]
    predicted = np.asarray(logits).argmax(axis=-1)
    gold = np.asarray(labels)
    n_classes = 3
    confusion = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(confusion, (gold, predicted), 1)
    true_pos = np.diag(confusion).astype(float)
    support = confusion.sum(axis=1).astype(float)
    predicted_count = confusion.sum(axis=0).astype(float)
    precision = np.divide(
        true_pos, predicted_count, out=np.zeros(n_classes), where=predicted_count > 0
    )
    recall = np.divide(true_pos, support, out=np.zeros(n_classes), where=support > 0)
    denominator = precision + recall
    f1 = np.divide(
        2 * precision * recall, denominator, out=np.zeros(n_classes), where=denominator > 0
    )
    total = support.sum()
    weights = support / total if total else np.zeros(n_classes)
    return {
        "accuracy": float(true_pos.sum() / total) if total else 0.0,
        "precision_weighted": float((precision * weights).sum()),
        "recall_weighted": float((recall * weights).sum()),
        "f1_weighted": float((f1 * weights).sum()),
        "f1_macro": float(f1.mean()),
    }


def compute_metrics(eval_prediction: Any) -> dict[str, float]:
    """`transformers.Trainer`'s `compute_metrics` hook."""
    return classification_scores(eval_prediction.predictions, eval_prediction.label_ids)
