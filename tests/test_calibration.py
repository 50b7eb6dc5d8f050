"""Calibration: ECE, Brier score, NLL and reliability bins, hand-computed."""

from __future__ import annotations

import math

import pytest

from nli_probe.scoring.calibration import Calibration, calibration

E, N, C = 0, 1, 2


def test_hand_computed_two_examples() -> None:
    result = calibration([E, E], [[0.8, 0.1, 0.1], [0.4, 0.5, 0.1]], bins=10)
    assert result.count == 2
    # Right at confidence 0.8, wrong at 0.5: ECE = 0.5*|1-0.8| + 0.5*|0-0.5|.
    assert result.ece == pytest.approx(0.35)
    # Brier over three labels: (0.2² + 0.1² + 0.1²) and (0.6² + 0.5² + 0.1²), averaged.
    assert result.brier == pytest.approx((0.06 + 0.62) / 2)
    assert result.nll == pytest.approx(-(math.log(0.8) + math.log(0.4)) / 2)
    filled = [b for b in result.bins if b.count]
    assert [(b.lower, b.count, b.confidence, b.accuracy) for b in filled] == [
        (pytest.approx(0.5), 1, pytest.approx(0.5), 0.0),
        (pytest.approx(0.8), 1, pytest.approx(0.8), 1.0),
    ]
    assert len(result.bins) == 10


def test_confidence_on_a_bin_edge_goes_into_the_bin_it_opens() -> None:
    # Confidence exactly 0.6 (right) and 0.65 (wrong) share the bin [0.6, 0.7): accuracy 0.5,
    # mean confidence 0.625, so ECE = |0.5 - 0.625| = 0.125. (np.linspace edges, 0.6000000000000001,
    # once put the 0.6 into [0.5, 0.6): ECE 0.5*0.4 + 0.5*0.65 = 0.525.)
    result = calibration([E, N], [[0.6, 0.2, 0.2], [0.65, 0.2, 0.15]], bins=10)
    assert result.ece == pytest.approx(0.125)
    assert [b.count for b in result.bins] == [0, 0, 0, 0, 0, 0, 2, 0, 0, 0]
    assert (result.bins[6].lower, result.bins[6].upper) == (0.6, 0.7)
    # 0.7 exactly opens the next bin.
    seventy = calibration([E], [[0.7, 0.15, 0.15]], bins=10)
    assert seventy.bins[7].count == 1 and seventy.ece == pytest.approx(0.3)


def test_perfect_confident_predictions() -> None:
    result = calibration([E, N, C], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], bins=5)
    assert result.ece == pytest.approx(0.0)
    assert result.brier == pytest.approx(0.0, abs=1e-12)
    assert result.nll == pytest.approx(0.0, abs=1e-12)
    # Confidence 1.0 belongs to the last bin.
    assert result.bins[-1].count == 3


def test_confidently_wrong_is_finite() -> None:
    result = calibration([E], [[0.0, 1.0, 0.0]])
    assert result.ece == pytest.approx(1.0)
    assert result.brier == pytest.approx(2.0)
    assert result.nll is not None and math.isfinite(result.nll)


def test_empty_slice() -> None:
    result = calibration([], [], bins=4)
    assert result == Calibration(count=0, bins=result.bins)
    assert result.ece is None and result.brier is None and result.nll is None
    assert [b.count for b in result.bins] == [0, 0, 0, 0]
    assert all(b.confidence is None and b.accuracy is None for b in result.bins)


def test_single_class_slice_and_rounded_probabilities() -> None:
    # Saved predictions are rounded to 6 places: rows need not sum to exactly 1.
    result = calibration([C, C], [[0.333333, 0.333333, 0.333333], [0.1, 0.1, 0.8]])
    assert result.count == 2
    assert result.nll == pytest.approx(-(math.log(1 / 3) + math.log(0.8)) / 2, rel=1e-5)


def test_json_round_trip() -> None:
    result = calibration([E, N], [[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]], bins=3)
    assert Calibration.from_json(result.to_json()) == result


def test_slice_calibration_matches_the_sklearn_path() -> None:
    import numpy as np

    from nli_probe.scoring.calibration import slice_calibration

    rng = np.random.default_rng(5)
    for n in (0, 1, 7, 300):
        gold = rng.integers(0, 3, n)
        probs = rng.dirichlet([1.0, 1.0, 1.0], size=n).round(6)
        fast = slice_calibration(gold, probs, bins=10)
        reference = calibration(gold, probs, bins=10)
        assert fast.count == reference.count
        assert fast.bins == reference.bins
        for name in ("ece", "brier", "nll"):
            if reference.count:
                assert getattr(fast, name) == pytest.approx(getattr(reference, name))
            else:
                assert getattr(fast, name) is None
