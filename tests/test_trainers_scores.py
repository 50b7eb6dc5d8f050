"""The trainer's evaluation metrics (`trainers/scores.py`) are the library's own definitions."""

from __future__ import annotations

import numpy as np
import pytest
from nli_probe.trainers.scores import classification_scores

from nli_probe.scoring.metrics import metric_report


def _logits(labels: list[int]) -> np.ndarray:
    return np.eye(3)[labels] * 5.0


def test_macro_f1_averages_the_labels_that_occur_hand_computed() -> None:
    # Gold e e n n, predicted e e e e. Entailment: precision 2/4, recall 2/2, F1 2/3; neutral:
    # F1 0; contradiction occurs in neither, so macro F1 = (2/3 + 0) / 2 = 1/3 (not (2/3)/3).
    scores = classification_scores(_logits([0, 0, 0, 0]), np.array([0, 0, 1, 1]))
    assert scores["f1_macro"] == pytest.approx(1 / 3)
    assert scores["accuracy"] == pytest.approx(0.5)
    assert scores["precision_weighted"] == pytest.approx((2 * 0.5 + 2 * 0) / 4)
    assert scores["recall_weighted"] == pytest.approx((2 * 1 + 2 * 0) / 4)
    assert scores["f1_weighted"] == pytest.approx((2 * 2 / 3 + 0) / 4)


def test_same_numbers_as_the_evaluation_report() -> None:
    rng = np.random.default_rng(5)
    gold = rng.integers(0, 3, 300)
    logits = rng.normal(size=(300, 3)) + np.eye(3)[gold]
    trainer = classification_scores((logits,), gold)
    report = metric_report(gold, logits.argmax(axis=1), resamples=0)
    for name, value in trainer.items():
        assert value == pytest.approx(getattr(report, name)), name


def test_no_pairs_gives_zeros() -> None:
    assert set(classification_scores(np.zeros((0, 3)), np.zeros(0, dtype=int)).values()) == {0.0}
