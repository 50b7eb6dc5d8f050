"""pandas views (`Report.to_pandas`, `ReportScores.to_pandas`, `SuiteRun.to_pandas`): the
report's and the scores' own values, one row per pair / model / level / outcome."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from nli_probe import Example, Label, ModelRun, Prediction, Report
from nli_probe.core.frames import outcomes_frame
from nli_probe.core.suite_run import Outcome, ProbeRun, SuiteRun
from nli_probe.scoring.scores import score_report

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION


def _report() -> Report:
    examples = (
        Example(
            id="a",
            premise="P1",
            hypothesis="H1",
            gold=E,
            annotator_labels=(E, E, E, N, N),
            source="snli:dev",
            meta={"captionID": "1.jpg#0"},
        ),
        Example(id="b", premise="P2", hypothesis="H2", gold=None, annotator_labels=(E, E, N, N, C)),
        Example(id="c", premise="P3", hypothesis="H3", gold=C),
    )
    full = ModelRun(
        name="full",
        fingerprint="f",
        predictions={
            "a": Prediction(probs=(0.7, 0.2, 0.1)),
            "b": Prediction(probs=(0.1, 0.6, 0.3)),
            "c": Prediction(probs=(0.2, 0.2, 0.6)),
        },
    )
    lora = ModelRun(name="lora", fingerprint="l", predictions={"a": Prediction(probs=(0, 1, 0))})
    return Report(dataset="d", examples=examples, models=(full, lora))


def test_report_frame_one_row_per_pair() -> None:
    frame = _report().to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == ["a", "b", "c"] and frame.index.name == "id"
    assert list(frame.columns) == [
        "premise",
        "hypothesis",
        "gold",
        "votes",
        "votes_entailment",
        "votes_neutral",
        "votes_contradiction",
        "agreement",
        "source",
        "full:entailment",
        "full:neutral",
        "full:contradiction",
        "full:label",
        "lora:entailment",
        "lora:neutral",
        "lora:contradiction",
        "lora:label",
        "meta:captionID",
    ]
    a, b, c = (frame.loc[key] for key in "abc")
    assert (a.gold, a.votes, a.votes_entailment, a.votes_neutral, a.agreement) == (
        "entailment",
        "eeenn",
        3,
        2,
        "3/5",
    )
    assert a["full:entailment"] == 0.7 and a["full:label"] == "entailment"
    assert a["lora:label"] == "neutral" and a["meta:captionID"] == "1.jpg#0"
    # Missing values are pandas' missing values (NaN / None, by the column's dtype).
    assert pd.isna(b.gold) and b.agreement == "2/5" and b["full:label"] == "neutral"
    assert math.isnan(b["lora:neutral"]) and pd.isna(b["lora:label"])  # no prediction
    assert c.votes == "" and pd.isna(c.agreement) and pd.isna(c["meta:captionID"])
    # Accuracy from the frame is the report's accuracy.
    scored = frame[frame.gold.notna()]
    assert (scored.gold == scored["full:label"]).mean() == 1.0


def test_scores_frames_carry_the_computed_scores() -> None:
    scores = score_report(_report(), resamples=50, seed=0)
    models = scores.to_pandas()
    assert list(models.index) == ["majority baseline", "full", "lora"]
    full = scores.model("full")
    assert models.loc["full", "accuracy"] == full.metrics.accuracy == 1.0
    assert models.loc["full", "f1_macro"] == full.metrics.f1_macro
    interval = full.metrics.interval("accuracy")
    assert interval is not None and models.loc["full", "accuracy_low"] == interval.low
    assert models.loc["full", "ece"] == full.calibration.ece
    assert bool(models.loc["majority baseline", "baseline"]) is True
    assert models.loc["lora", "missing"] == 2

    per_class = scores.to_pandas("per_class")
    assert per_class.loc[("full", "contradiction"), "support"] == 1
    assert per_class.loc[("full", "entailment"), "f1"] == 1.0

    levels = scores.to_pandas("agreement")
    three = full.agreement.level("3/5")
    assert levels.loc[("full", "3/5"), "count"] == three.count == 1
    assert levels.loc[("full", "3/5"), "model_agreement"] == pytest.approx(0.7)
    assert levels.loc[("full", "3/5"), "human_agreement"] == pytest.approx(0.3)
    assert ("full", "all") in levels.index

    comparisons = scores.to_pandas("comparisons")
    (item,) = scores.comparisons
    row = comparisons.loc[("full", "lora")]
    assert row["count"] == item.count and row["mcnemar_p"] == item.mcnemar_p
    with pytest.raises(ValueError, match="unknown table 'nope'"):
        scores.to_pandas("nope")  # type: ignore[arg-type]


def test_outcomes_frame_one_row_per_outcome() -> None:
    outcomes = (
        Outcome(example_id="a", variant_id="a:1", premise="P", hypothesis="H", gold=E,
                variant_premise="P", variant_hypothesis="h", implied=E,
                before=Prediction(probs=(0.8, 0.1, 0.1)), after=Prediction(probs=(0.2, 0.7, 0.1)),
                status="failed"),
        Outcome(example_id="b", variant_id="b:1", premise="Q", hypothesis="R", gold=None,
                status="errored", error="ValueError: no"),
    )  # fmt: skip
    probe = ProbeRun(probe="typos", capability="typos", kind="INV", perturbation="typos",
                     expectation="same_label", examples=2, tested=1, failed=1, errored=1,
                     outcomes=outcomes)  # fmt: skip
    run = SuiteRun(suite="robustness", model="full", fingerprint="f", probes=(probe,))
    frame = run.to_pandas()
    assert len(frame) == 2
    failed, errored = frame.iloc[0], frame.iloc[1]
    assert (failed.suite, failed.model, failed.probe, failed.status) == (
        "robustness",
        "full",
        "typos",
        "failed",
    )
    assert (failed.before, failed.after, failed["after:neutral"]) == ("entailment", "neutral", 0.7)
    assert pd.isna(errored.after) and math.isnan(errored["after:entailment"])
    assert errored.error == "ValueError: no" and pd.isna(errored.gold)
    both = outcomes_frame([run, run])
    assert len(both) == 4 and list(both.columns) == list(frame.columns)
    assert outcomes_frame([]).empty
