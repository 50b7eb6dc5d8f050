"""`score_report`: every model, the baseline, pairwise comparisons, JSON round trip, speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nli_probe import Example, Label, ModelRun, Prediction, Report, load_report, save_report
from nli_probe.scoring.agreement import NO_CONSENSUS
from nli_probe.scoring.metrics import BASELINE_NAME
from nli_probe.scoring.scores import ReportScores, score_report, store_scores, stored_scores
from nli_probe.testing.fakes import FakeModel, constant_rule
from tests.snli import snli_dev

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION


def _examples() -> tuple[Example, ...]:
    rows = [
        ("a", E, (E, E, E, E, E)),
        ("b", E, (E, E, E, E, N)),
        ("c", N, (N, N, N, C, C)),
        ("d", C, (C, C, C, C, C)),
        ("e", None, (E, E, N, N, C)),
    ]
    return tuple(
        Example(id=i, premise=f"premise {i}", hypothesis=f"hyp {i}", gold=g, annotator_labels=a)
        for i, g, a in rows
    )


def _run(name: str, labels: dict[str, Label], *, skip: str = "") -> ModelRun:
    predictions = {}
    for example_id, label in labels.items():
        if example_id == skip:
            continue
        probs = [0.1, 0.1, 0.1]
        probs[label] = 0.8
        predictions[example_id] = Prediction(probs=(probs[0], probs[1], probs[2]))
    return ModelRun(name=name, fingerprint=name, predictions=predictions)


def _report() -> Report:
    good = _run("good", {"a": E, "b": E, "c": N, "d": C, "e": E})
    poor = _run("poor", {"a": E, "b": N, "c": C, "d": C, "e": N}, skip="d")
    return Report(dataset="tiny", examples=_examples(), models=(good, poor))


def test_score_report_rows_and_baseline() -> None:
    scores = score_report(_report(), resamples=100, seed=0)
    assert (scores.count, scores.with_gold) == (5, 4)
    assert [row.name for row in scores.rows] == [BASELINE_NAME, "good", "poor"]
    baseline = scores.baseline
    assert baseline.is_baseline
    assert baseline.metrics.accuracy == pytest.approx(0.5)  # always entailment: a, b of a-d
    good = scores.model("good")
    assert good.metrics.accuracy == 1.0
    assert good.metrics.count == 4
    poor = scores.model("poor")
    assert (poor.count, poor.missing) == (4, 1)
    assert poor.metrics.count == 3  # d has no prediction, e no gold
    assert poor.metrics.accuracy == pytest.approx(1 / 3)
    levels = {level.level: level for level in good.agreement.levels}
    assert list(levels) == ["5/5", "4/5", "3/5", NO_CONSENSUS]
    assert levels[NO_CONSENSUS].scored == 0
    assert levels[NO_CONSENSUS].fit.count == 1
    assert good.calibration.count == 4


def test_comparisons_cover_every_pair_on_shared_examples() -> None:
    scores = score_report(_report(), resamples=100)
    (comparison,) = scores.comparisons
    assert (comparison.model_a, comparison.model_b) == ("good", "poor")
    assert comparison.count == 3  # a, b, c: both predicted, with gold
    assert comparison.only_a == 2 and comparison.both_correct == 1
    assert scores.comparison("good", "poor") == comparison


def test_low_agreement_first_and_table() -> None:
    scores = score_report(_report(), resamples=0)
    assert scores.low_agreement[0].id == "e"
    assert {view.name for view in scores.low_agreement[0].models} == {"good", "poor"}
    table = scores.table()
    assert [row.name for row in table] == [BASELINE_NAME, "good", "poor"]
    assert table[1].accuracy == 1.0 and table[1].accuracy_interval is None


def test_json_round_trip_through_a_saved_report(tmp_path: Path) -> None:
    report = _report()
    scores = score_report(report, resamples=50)
    assert ReportScores.from_json(json.loads(json.dumps(scores.to_json()))) == scores
    path = tmp_path / "report.json"
    save_report(store_scores(report, scores), path)
    loaded = load_report(path)
    assert stored_scores(loaded) == scores
    assert stored_scores(report) is None


def test_same_seed_same_scores() -> None:
    assert score_report(_report(), resamples=80, seed=3) == score_report(
        _report(), resamples=80, seed=3
    )


def test_report_without_models_scores_the_baseline() -> None:
    scores = score_report(Report(dataset="tiny", examples=_examples()), resamples=10)
    assert scores.models == () and scores.comparisons == ()
    assert scores.baseline.metrics.count == 4


def _fake_report(examples: list[Example], models: list[FakeModel]) -> Report:
    pairs = [example.pair for example in examples]
    runs = []
    for model in models:
        predictions = model.predict(pairs)
        runs.append(
            ModelRun(
                name=model.name,
                fingerprint=model.fingerprint,
                predictions={e.id: p for e, p in zip(examples, predictions, strict=True)},
            )
        )
    return Report(dataset="snli:dev", examples=tuple(examples), models=tuple(runs))


def test_real_snli_dev_baseline_matches_the_study() -> None:
    # Scoring speed is measured by benchmarks/bench_scores.py, not asserted here.
    examples = snli_dev()
    models = [
        FakeModel(name="overlap"),
        FakeModel(name="contradiction", rule=constant_rule(C)),
        FakeModel(name="neutral", rule=constant_rule(N)),
    ]
    report = _fake_report(examples, models)
    scores = score_report(report, resamples=1000)
    baseline = scores.baseline.metrics
    assert baseline.count == 9842
    assert round(baseline.accuracy or 0, 4) == 0.3382
    assert round(baseline.precision_weighted or 0, 4) == 0.1144
    assert round(baseline.recall_weighted or 0, 4) == 0.3382
    assert round(baseline.f1_weighted or 0, 4) == 0.1710
    counts = {level.level: level.count for level in scores.model("overlap").agreement.levels}
    assert counts["5/5"] == 5479 and counts[NO_CONSENSUS] == 158
    assert len(scores.comparisons) == 3
    assert ReportScores.from_json(json.loads(json.dumps(scores.to_json()))) == scores


def test_empty_report_and_data_without_annotators() -> None:
    empty = score_report(Report(dataset="empty", examples=()), resamples=10)
    assert empty.baseline.metrics.count == 0 and empty.baseline.agreement.levels == ()
    examples = tuple(
        Example(id=str(i), premise="p", hypothesis=f"h{i}", gold=Label(i % 3)) for i in range(6)
    )
    report = Report(
        dataset="no annotators",
        examples=examples,
        models=(
            ModelRun(name="silent", fingerprint="s", predictions={}),
            ModelRun(name="one", fingerprint="o", predictions={"0": Prediction(probs=(1, 0, 0))}),
        ),
    )
    scores = score_report(report, resamples=10)
    silent = scores.model("silent")
    assert (silent.count, silent.missing, silent.metrics.accuracy) == (0, 6, None)
    one = scores.model("one")
    assert one.metrics.accuracy == 1.0
    assert one.agreement.levels == () and one.agreement.unannotated == 1
    assert one.agreement.overall.fit.jsd is None
    assert scores.comparisons[0].count == 0
    assert scores.low_agreement == ()
    # Valid strict JSON: undefined numbers are null, never NaN.
    text = json.dumps(scores.to_json(), allow_nan=False)
    assert ReportScores.from_json(json.loads(text)) == scores
