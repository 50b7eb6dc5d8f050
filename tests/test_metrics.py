"""Metric reports: hand-computed cases, empty and single-class slices, bootstrap intervals."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from nli_probe.core.labels import Label
from nli_probe.scoring.metrics import (
    BASELINE_NAME,
    HEADLINE,
    MetricReport,
    majority_baseline,
    majority_label,
    metric_report,
    scores_from_confusion,
)

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION


def test_hand_computed_three_class_case() -> None:
    gold = [E, E, N, N, C, C]
    predicted = [E, N, N, N, C, E]
    report = metric_report(gold, predicted, name="m", resamples=0)
    assert report.count == 6
    assert report.accuracy == pytest.approx(4 / 6)
    assert report.confusion == ((1, 1, 0), (0, 2, 0), (1, 0, 1))
    by_label = {scores.label: scores for scores in report.per_class}
    assert by_label["entailment"].precision == pytest.approx(1 / 2)
    assert by_label["entailment"].recall == pytest.approx(1 / 2)
    assert by_label["neutral"].precision == pytest.approx(2 / 3)
    assert by_label["neutral"].recall == pytest.approx(1.0)
    assert by_label["neutral"].f1 == pytest.approx(0.8)
    assert by_label["contradiction"].precision == pytest.approx(1.0)
    assert by_label["contradiction"].f1 == pytest.approx(2 / 3)
    assert all(scores.support == 2 for scores in report.per_class)
    assert report.precision_macro == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert report.f1_macro == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    # Equal supports: weighted equals macro.
    assert report.f1_weighted == pytest.approx(report.f1_macro)
    assert report.recall_weighted == pytest.approx(report.accuracy)
    assert report.intervals == {}


def test_empty_slice_has_no_numbers() -> None:
    report = metric_report([], [], name="m", resamples=100)
    assert report.count == 0
    assert all(report.value(metric) is None for metric in HEADLINE)
    assert report.per_class == ()
    assert report.intervals == {}
    assert report.confusion == ((0, 0, 0), (0, 0, 0), (0, 0, 0))


def test_single_class_slice_averages_over_present_labels() -> None:
    # Gold is all contradiction; one prediction says entailment.
    report = metric_report([C, C, C, C], [C, C, E, C], resamples=0)
    assert report.accuracy == pytest.approx(0.75)
    by_label = {scores.label: scores for scores in report.per_class}
    assert by_label["contradiction"].f1 == pytest.approx(6 / 7)
    assert by_label["entailment"].f1 == 0.0
    assert by_label["neutral"].support == 0
    # Macro over the labels seen in gold or predictions (entailment, contradiction).
    assert report.f1_macro == pytest.approx((0 + 6 / 7) / 2)
    assert report.f1_weighted == pytest.approx(6 / 7)


def test_single_class_all_right_has_degenerate_intervals() -> None:
    report = metric_report([N, N, N], [N, N, N], resamples=200)
    assert report.accuracy == 1.0
    assert report.f1_macro == 1.0
    interval = report.interval("accuracy")
    assert interval is not None
    assert (interval.low, interval.high) == (1.0, 1.0)


def test_majority_baseline_hand_computed() -> None:
    gold = [E, E, E, N, C]
    assert majority_label(gold) == E
    report = majority_baseline(gold, resamples=0)
    assert report.name == BASELINE_NAME
    assert report.accuracy == pytest.approx(0.6)
    # Only entailment is ever predicted: precision 0.6 there, 0 elsewhere, weighted by support.
    assert report.precision_weighted == pytest.approx(0.6 * 0.6)
    assert report.recall_weighted == pytest.approx(0.6)
    assert report.f1_weighted == pytest.approx(0.6 * 0.75)


def test_majority_label_tie_takes_the_first_label() -> None:
    assert majority_label([C, N]) == N
    assert majority_label([]) == E


def test_vectorised_scores_match_sklearn() -> None:
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(1, 40))
        gold = rng.integers(0, 3, n)
        pred = np.where(rng.random(n) < 0.5, gold, rng.integers(0, 3, n))
        if rng.random() < 0.3:
            gold[:] = 1  # single-class slices too
        cm = confusion_matrix(gold, pred, labels=[0, 1, 2])
        vectorised = scores_from_confusion(cm[None])
        for average in ("weighted", "macro"):
            p, r, f, _ = precision_recall_fscore_support(
                gold, pred, average=average, zero_division=0
            )
            assert vectorised[f"precision_{average}"][0] == pytest.approx(p)
            assert vectorised[f"recall_{average}"][0] == pytest.approx(r)
            assert vectorised[f"f1_{average}"][0] == pytest.approx(f)
        assert vectorised["accuracy"][0] == pytest.approx((gold == pred).mean())


def test_bootstrap_is_seeded_and_covers_the_estimate() -> None:
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 500)
    pred = np.where(rng.random(500) < 0.7, gold, rng.integers(0, 3, 500))
    first = metric_report(gold, pred, name="m", resamples=500, seed=1)
    again = metric_report(gold, pred, name="m", resamples=500, seed=1)
    other = metric_report(gold, pred, name="m", resamples=500, seed=2)
    assert first == again
    assert first.intervals != other.intervals
    assert set(first.intervals) == set(HEADLINE)
    for metric in HEADLINE:
        interval = first.interval(metric)
        value = first.value(metric)
        assert interval is not None and value is not None
        assert interval.low <= value <= interval.high
    accuracy = first.interval("accuracy")
    assert accuracy is not None
    # Binomial standard error at n=500, p~0.8 is ~0.018: a 95% interval is ~0.07 wide.
    assert 0.04 < accuracy.high - accuracy.low < 0.10


def test_metric_report_json_round_trip() -> None:
    report = metric_report([E, N, C, C], [E, C, C, C], name="m", resamples=50)
    again = MetricReport.from_json(json.loads(json.dumps(report.to_json())))
    assert again == report
    empty = metric_report([], [], resamples=0)
    assert MetricReport.from_json(json.loads(json.dumps(empty.to_json()))) == empty


def test_mismatched_lengths_and_bad_labels_raise() -> None:
    with pytest.raises(ValueError):
        metric_report([E, N], [E], resamples=0)
    with pytest.raises(ValueError):
        metric_report([3], [0], resamples=0)
