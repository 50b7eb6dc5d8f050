"""Paired comparison of two models: McNemar and paired bootstrap, hand-computed."""

from __future__ import annotations

import pytest

from nli_probe.scoring.comparison import PairedComparison, compare_predictions


def test_hand_computed_mcnemar() -> None:
    gold = [0] * 10
    # both right 4, only A 4, only B 1, neither 1
    a = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2]
    b = [0, 0, 0, 0, 1, 1, 1, 1, 0, 2]
    result = compare_predictions(gold, a, b, model_a="a", model_b="b", resamples=0)
    assert (result.both_correct, result.only_a, result.only_b, result.neither) == (4, 4, 1, 1)
    assert result.accuracy_a == pytest.approx(0.8)
    assert result.accuracy_b == pytest.approx(0.5)
    assert result.difference == pytest.approx(0.3)
    # Exact two-sided binomial on 5 discordant pairs, 4 vs 1: 2 * (5 + 1) / 32.
    assert result.mcnemar_p == pytest.approx(0.375)
    assert result.mcnemar_statistic == pytest.approx((3 - 1) ** 2 / 5)
    assert result.interval is None


def test_identical_models() -> None:
    result = compare_predictions([0, 1, 2], [0, 1, 1], [0, 1, 1], resamples=100)
    assert result.difference == 0.0
    assert result.mcnemar_p == 1.0
    assert result.interval is not None
    assert (result.interval.low, result.interval.high) == (0.0, 0.0)
    assert result.bootstrap_p == 1.0


def test_empty() -> None:
    result = compare_predictions([], [], [], resamples=100)
    assert result.count == 0
    assert result.difference is None and result.mcnemar_p is None


def test_bootstrap_interval_is_seeded_and_covers_difference() -> None:
    gold = [0] * 200
    a = [0] * 150 + [1] * 50
    b = [0] * 100 + [1] * 100
    first = compare_predictions(gold, a, b, resamples=500, seed=4)
    assert first == compare_predictions(gold, a, b, resamples=500, seed=4)
    assert first.interval is not None and first.difference is not None
    assert first.interval.low <= first.difference <= first.interval.high
    assert first.interval.low > 0  # a is clearly better
    assert first.bootstrap_p is not None and first.bootstrap_p < 0.01
    assert first.mcnemar_p is not None and first.mcnemar_p < 1e-6


def test_json_round_trip() -> None:
    result = compare_predictions([0, 1, 2, 0], [0, 1, 0, 0], [1, 1, 2, 0], resamples=20)
    assert PairedComparison.from_json(result.to_json()) == result
