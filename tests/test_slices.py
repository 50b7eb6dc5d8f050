"""Scores per slice (`--by FIELD`), two-way scoring, several data sets in one report, and the
majority baseline's training balance: arithmetic checked by hand on tiny reports."""

from __future__ import annotations

import math

import pytest

from nli_probe import Example, Label, ModelRun, Prediction, Report
from nli_probe.core.parts import ORACLE_BASELINE, TWO_WAY, BaselinePrior, DataSetPart
from nli_probe.errors import NLIProbeError
from nli_probe.scoring.scores import ReportScores, score_report
from nli_probe.scoring.slices import (
    check_slice_fields,
    overlap_bucket,
    parse_slice_field,
    slice_values,
)

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION


def _probs(label: Label) -> Prediction:
    probs = [0.1, 0.1, 0.1]
    probs[label] = 0.8
    return Prediction(probs=(probs[0], probs[1], probs[2]))


def _run(name: str, labels: dict[str, Label]) -> ModelRun:
    return ModelRun(
        name=name,
        fingerprint=name,
        predictions={example_id: _probs(label) for example_id, label in labels.items()},
    )


# Six pairs in two heuristics; gold and two models' labels chosen so every number below can be
# worked out on paper.
_ROWS = [
    # id, heuristic, gold, model a, model b
    ("p1", "overlap", E, E, E),
    ("p2", "overlap", E, N, E),
    ("p3", "overlap", C, C, N),
    ("p4", "overlap", N, N, N),
    ("s1", "subsequence", E, E, C),
    ("s2", "subsequence", C, E, C),
]


def _sliced_report(*, baseline: BaselinePrior | None = None) -> Report:
    examples = tuple(
        Example(
            id=i,
            premise=f"premise {i}",
            hypothesis=f"hypothesis {i}",
            gold=gold,
            meta={"heuristic": heuristic},
        )
        for i, heuristic, gold, _, _ in _ROWS
    )
    return Report(
        dataset="tiny",
        examples=examples,
        models=(
            _run("a", {i: a for i, _, _, a, _ in _ROWS}),
            _run("b", {i: b for i, _, _, _, b in _ROWS}),
        ),
        datasets=(
            DataSetPart(
                name="tiny",
                ids=tuple(e.id for e in examples),
                slices=("heuristic", "heuristic,gold"),
            ),
        ),
        baseline=baseline,
    )


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_slice_arithmetic_by_hand() -> None:
    scores = score_report(_sliced_report(), resamples=200, seed=0)
    table = scores.slice("heuristic")
    assert [row.value for row in table.rows] == ["overlap", "subsequence"]  # file order
    overlap, subsequence = table.rows
    assert (overlap.count, overlap.with_gold, subsequence.count) == (4, 4, 2)
    # Model a: overlap p1 right, p2 wrong, p3 right, p4 right -> 3/4; subsequence 1/2.
    a = overlap.model("a")
    assert a is not None and (a.correct, a.count, a.accuracy) == (3, 4, 0.75)
    low, high = _wilson(3, 4)
    assert a.interval is not None
    assert a.interval.low == pytest.approx(low) and a.interval.high == pytest.approx(high)
    # Macro F1 of a on overlap: gold e e c n, predicted e n c n. Per label (labels present):
    # e: P 1/1, R 1/2 -> 2/3; n: P 1/2, R 1/1 -> 2/3; c: P 1, R 1 -> 1. Mean 7/9.
    assert a.f1_macro == pytest.approx(7 / 9)
    # Model b on overlap: e e n n vs gold e e c n -> 3/4; on subsequence c c vs e c -> 1/2.
    b_sub = subsequence.model("b")
    assert b_sub is not None and b_sub.accuracy == 0.5
    # The oracle baseline predicts the whole set's majority (entailment: 3 of 6) on every slice.
    assert overlap.baseline == 0.5 and subsequence.baseline == 0.5
    assert scores.baseline.description == ORACLE_BASELINE
    # Paired difference a - b: overlap 3/4 - 3/4 = 0; subsequence 1/2 - 1/2 = 0 with s1 only a
    # right and s2 only b right (McNemar p = 1).
    (pair,) = subsequence.comparisons
    assert (pair.model_a, pair.model_b, pair.count, pair.difference) == ("a", "b", 2, 0.0)
    assert pair.mcnemar_p == pytest.approx(1.0)


def test_crossed_fields_keep_every_combination_in_order() -> None:
    scores = score_report(_sliced_report(), resamples=0)
    table = scores.slice("heuristic,gold")
    assert [row.values for row in table.rows] == [
        ("overlap", "entailment"),
        ("overlap", "neutral"),
        ("overlap", "contradiction"),
        ("subsequence", "entailment"),
        ("subsequence", "contradiction"),
    ]
    row = table.row("overlap,entailment")
    assert row is not None and row.count == 2
    model_a = row.model("a")
    assert model_a is not None and model_a.accuracy == 0.5  # p1 right, p2 wrong
    assert sum(r.count for r in table.rows) == 6


def test_training_balance_sets_the_baseline() -> None:
    prior = BaselinePrior(source="training data of run", counts={"neutral": 5, "entailment": 2})
    assert prior.label is N and prior.shares == (2 / 7, 5 / 7, 0.0)
    scores = score_report(_sliced_report(baseline=prior), resamples=0)
    # Always neutral: right on p4 only.
    assert scores.baseline.metrics.accuracy == pytest.approx(1 / 6)
    assert scores.baseline.description.startswith("training-set majority (neutral, 71.4% of 7")
    overlap = scores.slice("heuristic").rows[0]
    assert overlap.baseline == 0.25
    with pytest.raises(NLIProbeError, match="unknown label"):
        BaselinePrior(source="x", counts={"yes": 3})
    with pytest.raises(NLIProbeError, match="no labelled pairs"):
        BaselinePrior(source="x", counts={"neutral": 0})


def _two_way_examples() -> tuple[Example, ...]:
    rows = [
        ("h1", "The doctor saw the actor.", "The actor saw the doctor.", N),
        ("h2", "The doctor near the actor ran.", "The actor ran.", N),
        ("h3", "The doctor ran and the actor sang.", "The actor sang.", E),
        ("h4", "The judge slept.", "The judge slept.", E),
    ]
    return tuple(
        Example(id=i, premise=p, hypothesis=h, gold=gold, meta={"label_scheme": TWO_WAY})
        for i, p, h, gold in rows
    )


def test_a_three_way_model_is_scored_two_way_on_two_way_data() -> None:
    examples = _two_way_examples()
    # Contradiction and neutral both mean non-entailment; h3 is a true miss.
    model = _run("three-way", {"h1": C, "h2": N, "h3": C, "h4": E})
    report = Report(dataset="hans", examples=examples, models=(model,))
    assert report.parts()[0].label_scheme == TWO_WAY
    scores = score_report(report, resamples=0)
    assert scores.label_scheme == TWO_WAY
    metrics = scores.model("three-way").metrics
    assert metrics.accuracy == 0.75
    # Rows gold, columns predicted; non-entailment lives in the neutral column.
    assert metrics.confusion == ((1, 1, 0), (0, 2, 0), (0, 0, 0))
    # Macro F1 over the two labels present: e P 1 R 1/2 -> 2/3; non-e P 2/3 R 1 -> 4/5.
    assert metrics.f1_macro == pytest.approx((2 / 3 + 4 / 5) / 2)
    # The folded probabilities are what calibration sees: 0.8 + 0.1 on h1.
    assert scores.model("three-way").calibration.count == 4


def test_several_data_sets_score_each_alone_and_pooled() -> None:
    hans = _two_way_examples()
    snli = tuple(
        Example(id=f"snli/{i}", premise=f"p{i}", hypothesis=f"h{i}", gold=gold)
        for i, gold in enumerate((E, N, C))
    )
    model = _run("m", {"h1": C, "h2": N, "h3": C, "h4": E, "snli/0": E, "snli/1": C, "snli/2": C})
    report = Report(
        dataset="hans + snli",
        examples=hans + snli,
        models=(model,),
        datasets=(
            DataSetPart(name="hans", ids=tuple(e.id for e in hans), label_scheme=TWO_WAY),
            DataSetPart(name="snli", ids=tuple(e.id for e in snli)),
        ),
    )
    scores = score_report(report, resamples=0)
    assert [part.dataset for part in scores.parts()] == ["hans", "snli"]
    assert scores.part("hans").model("m").metrics.accuracy == 0.75
    assert scores.part("snli").model("m").metrics.accuracy == pytest.approx(2 / 3)
    # Pooled: each pair scored by its own scheme, 3 + 2 of 7.
    assert scores.label_scheme == "mixed"
    assert scores.model("m").metrics.accuracy == pytest.approx(5 / 7)
    # A set's scores are those of its pairs alone.
    alone = score_report(Report(dataset="snli", examples=snli, models=(model,)), resamples=0).model(
        "m"
    )
    assert scores.part("snli").model("m").metrics == alone.metrics
    # The oracle baseline of each set is that set's own majority.
    assert scores.part("hans").baseline.metrics.accuracy == 0.5
    with pytest.raises(NLIProbeError, match="no data set 'mnli'"):
        scores.part("mnli")
    # The scores survive the JSON round trip with their parts and slices.
    again = ReportScores.from_json(scores.to_json())
    assert again == scores


def test_a_part_must_name_pairs_the_report_holds() -> None:
    with pytest.raises(NLIProbeError, match="names 1 pair"):
        Report(
            dataset="x",
            examples=(Example(id="a", premise="p", hypothesis="h"),),
            datasets=(DataSetPart(name="x", ids=("a", "b")),),
        )


def test_slice_fields_are_checked_with_a_suggestion() -> None:
    examples = list(_sliced_report().examples)
    check_slice_fields(["heuristic", "heuristic,gold", "hypothesis_overlap"], examples, where="x")
    with pytest.raises(NLIProbeError, match=r"no field 'heuristc'.*did you mean 'heuristic'"):
        check_slice_fields(["heuristc"], examples, where="--by")
    assert parse_slice_field(" heuristic , gold ") == "heuristic,gold"
    for bad in ("", "a,,b", "gold,gold"):
        with pytest.raises(NLIProbeError, match="--by"):
            parse_slice_field(bad)


def test_built_in_fields() -> None:
    examples = [
        Example(id="1", premise="A man sleeps.", hypothesis="A man sleeps.", gold=E, source="x"),
        Example(id="2", premise="A man sleeps.", hypothesis="A woman sleeps here.", gold=None),
        Example(
            id="3",
            premise="Dogs run.",
            hypothesis="Cats fly.",
            gold=N,
            annotator_labels=(N, N, N, E, C),
            meta={"label_scheme": TWO_WAY},
        ),
    ]
    assert slice_values(examples, "gold") == ["entailment", "no gold", "non-entailment"]
    assert slice_values(examples, "source") == ["x", "(none)", "(none)"]
    assert slice_values(examples, "agreement") == ["(none)", "(none)", "3/5"]
    assert slice_values(examples, "hypothesis_overlap") == ["100%", "50-75%", "0-25%"]
    # "a woman sleeps here": a, sleeps of 4 words -> 50%.
    assert overlap_bucket("A man sleeps.", "a woman sleeps here") == "50-75%"
    assert overlap_bucket("x", "...") == "0-25%"


def test_paired_slices_agree_with_compare_predictions_on_each_slice() -> None:
    import random

    from nli_probe.scoring.comparison import compare_predictions

    # 600 pairs in five groups of different sizes (one with no discordant pair), two models
    # with random labels: each slice's comparison must be compare_predictions on its pairs.
    rng = random.Random(7)
    groups = ["g0"] * 300 + ["g1"] * 200 + ["g2"] * 60 + ["g3"] * 30 + ["g4"] * 10
    gold = [Label(rng.randrange(3)) for _ in groups]
    label_a = [Label(rng.randrange(3)) for _ in groups]
    label_b = [
        a if g == "g4" else Label(rng.randrange(3)) for a, g in zip(label_a, groups, strict=True)
    ]
    examples = tuple(
        Example(id=f"x{i}", premise="p", hypothesis="h", gold=gold[i], meta={"g": g})
        for i, g in enumerate(groups)
    )
    report = Report(
        dataset="random",
        examples=examples,
        models=(
            _run("a", {e.id: label for e, label in zip(examples, label_a, strict=True)}),
            _run("b", {e.id: label for e, label in zip(examples, label_b, strict=True)}),
        ),
        datasets=(DataSetPart(name="random", ids=tuple(e.id for e in examples), slices=("g",)),),
    )
    table = score_report(report, resamples=500, seed=3).slice("g")
    for row in table.rows:
        chosen = [i for i, g in enumerate(groups) if g == row.values[0]]
        expected = compare_predictions(
            [int(gold[i]) for i in chosen],
            [int(label_a[i]) for i in chosen],
            [int(label_b[i]) for i in chosen],
            model_a="a",
            model_b="b",
            resamples=500,
            seed=3,
        )
        (found,) = row.comparisons
        assert (found.count, found.difference) == (expected.count, expected.difference)
        assert found.mcnemar_p == pytest.approx(expected.mcnemar_p, rel=1e-9)
        assert found.interval == expected.interval  # the same bootstrap draws
    assert table.row("g4") is not None and table.row("g4").comparisons[0].mcnemar_p == 1.0
