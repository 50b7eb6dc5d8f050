"""Agreement levels, human ceiling, fit to the human distribution, low-agreement pairs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.scoring.agreement import (
    NO_CONSENSUS,
    AgreementBreakdown,
    agreement_breakdown,
    agreement_levels,
    level_order,
)
from nli_probe.scoring.ceiling import human_agreement, majority_credit, model_agreement
from nli_probe.scoring.disagreement import LowAgreementPair, low_agreement_pairs, sort_pairs
from nli_probe.scoring.divergence import distribution_fit
from nli_probe.scoring.example_arrays import example_arrays

_LETTERS = {label.short: label for label in Label}
E, N = int(Label.ENTAILMENT), int(Label.NEUTRAL)


def _example(i: int, letters: str, gold: str | None = "auto") -> Example:
    labels = tuple(_LETTERS[c] for c in letters)
    if gold == "auto":
        top = max(set(labels), key=labels.count) if labels else None
        gold_label = top if labels and labels.count(top) * 2 > len(labels) else None
    else:
        gold_label = None if gold is None else _LETTERS[gold]
    return Example(
        id=f"x{i}", premise=f"p{i}", hypothesis=f"h{i}", gold=gold_label, annotator_labels=labels
    )


def _votes(*letters: str) -> np.ndarray:
    return np.array([[s.count("e"), s.count("n"), s.count("c")] for s in letters])


def test_levels_for_five_and_four_annotators() -> None:
    examples = [
        _example(0, "eeeee"),
        _example(1, "eeeen"),
        _example(2, "eeenc"),
        _example(3, "eencc"),
        _example(4, "eeee"),
        _example(5, "eeen"),
        _example(6, "eenn"),
        _example(7, ""),
    ]
    scheme, levels = agreement_levels(example_arrays(examples))
    assert scheme == "votes"
    assert levels == ["5/5", "4/5", "3/5", NO_CONSENSUS, "4/4", "3/4", NO_CONSENSUS, None]
    assert level_order(levels) == ["5/5", "4/5", "3/5", NO_CONSENSUS, "4/4", "3/4"]


def test_entropy_levels_for_many_annotators() -> None:
    examples = [
        _example(0, "e" * 100),
        _example(1, "e" * 50 + "n" * 50),  # 1 bit
        _example(2, "e" * 34 + "n" * 33 + "c" * 33),  # ~log2(3)
    ]
    scheme, levels = agreement_levels(example_arrays(examples))
    assert scheme == "entropy"
    assert levels == ["entropy 0.00-0.50", "entropy 1.00-1.25", "entropy 1.25-1.58"]


def test_human_agreement_hand_computed() -> None:
    agreement = human_agreement(_votes("eeeee", "eeeen", "eeenn", "eeenc", "eencc", "e"))
    # eeenn: each e sees e2 n2 among the others (a tie: credit 1/2), each n sees e3 n1 (0).
    # eencc: each annotator's label loses to the others' majority or tie it elsewhere.
    assert agreement[:5] == pytest.approx([1.0, 0.8, 0.3, 0.6, 0.0])
    assert math.isnan(agreement[5])  # one annotator has no others


def test_majority_credit_splits_ties() -> None:
    votes = _votes("eeeen", "eencc", "eencc")
    credit = majority_credit(votes, np.array([1, 0, 1]))
    assert credit == pytest.approx([0.0, 0.5, 0.0])


def test_model_is_compared_with_the_same_leave_one_out_majorities() -> None:
    votes = _votes("eeenn", "eeeen", "eeeen", "eeeee")
    model = model_agreement(votes, np.array([E, E, N, E]))
    # eeenn, model e: each e left out leaves eenn (a tie: 1/2), each n left out leaves eeen (1),
    # so (3 x 1/2 + 2 x 1) / 5 = 0.7, where one annotator scores 0.3 (see above). Against the
    # majority of all five the model would score 1.0.
    assert model[0] == pytest.approx(0.7)
    assert human_agreement(votes)[0] == pytest.approx(0.3)
    # eeeen: e wins whoever is left out (1.0); n never does (0.0).
    assert model[1:] == pytest.approx([1.0, 0.0, 1.0])
    assert math.isnan(model_agreement(_votes("e"), np.array([E]))[0])
    # The breakdown reports exactly these, level by level.
    level = agreement_breakdown(
        example_arrays([_example(0, "eeenn")]), np.array([[0.8, 0.1, 0.1]])
    ).level("3/5")
    assert (level.human_agreement, level.model_agreement) == pytest.approx((0.3, 0.7))


def test_distribution_fit_hand_computed() -> None:
    fit = distribution_fit(np.array([[1.0, 0.0, 0.0]]), np.array([[0.5, 0.25, 0.25]]))
    assert fit.count == 1
    assert fit.cross_entropy == pytest.approx(math.log(2))
    assert fit.kl == pytest.approx(math.log(2))
    # Jensen-Shannon distance: sqrt of the mean KL of h and q to their midpoint m (natural log).
    h, q = np.array([1.0, 0.0, 0.0]), np.array([0.5, 0.25, 0.25])
    m = (h + q) / 2
    assert m.tolist() == [0.75, 0.125, 0.125]
    kl_h = 1.0 * math.log(1.0 / m[0])
    kl_q = 0.5 * math.log(0.5 / m[0]) + 2 * 0.25 * math.log(0.25 / m[1])
    assert fit.jsd == pytest.approx(math.sqrt((kl_h + kl_q) / 2))
    assert distribution_fit(np.zeros((0, 3)), np.zeros((0, 3))).jsd is None


def test_breakdown_scores_no_consensus_against_humans() -> None:
    examples = [
        _example(0, "eeeee"),
        _example(1, "eeeee"),
        _example(2, "nnnnc"),
        _example(3, "eencc"),
        _example(4, ""),
    ]
    probs = np.array(
        [[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.1, 0.8, 0.1], [0.4, 0.2, 0.4], [1, 0, 0]]
    )
    breakdown = agreement_breakdown(example_arrays(examples), probs, name="m")
    assert breakdown.scheme == "votes"
    assert breakdown.unannotated == 1
    assert [level.level for level in breakdown.levels] == ["5/5", "4/5", NO_CONSENSUS]
    full = breakdown.level("5/5")
    assert (full.count, full.scored, full.accuracy) == (2, 2, 0.5)
    # Single-class slice: only entailment in gold, predictions e and n.
    assert full.f1_macro == pytest.approx((2 / 3 + 0) / 2)
    assert full.human_agreement == 1.0
    assert full.model_agreement == 0.5
    assert full.calibration.count == 2
    none = breakdown.level(NO_CONSENSUS)
    assert (none.count, none.scored, none.accuracy, none.f1_macro) == (1, 0, None, None)
    assert none.calibration.ece is None
    assert none.fit.count == 1 and none.fit.jsd is not None
    assert none.human_agreement == 0.0
    # eencc, model e: e left out leaves encc (0), n left out leaves eecc (a tie: 1/2), c left
    # out leaves eenc (1): (2 x 0 + 1 x 1/2 + 2 x 1) / 5.
    assert none.model_agreement == 0.5
    assert breakdown.overall.count == 4
    assert AgreementBreakdown.from_json(breakdown.to_json()) == breakdown
    with pytest.raises(KeyError):
        breakdown.level("2/3")


def test_breakdown_respects_missing_predictions() -> None:
    examples = [_example(0, "eeeee"), _example(1, "eeeen")]
    probs = np.array([[1.0, 0, 0], [0, 0, 0]])
    breakdown = agreement_breakdown(
        example_arrays(examples), probs, present=np.array([True, False])
    )
    assert [level.level for level in breakdown.levels] == ["5/5", "4/5"]
    assert breakdown.level("4/5").count == 0
    assert breakdown.level("4/5").accuracy is None
    assert breakdown.level("4/5").fit.jsd is None


def test_low_agreement_pairs_order_and_sort() -> None:
    examples = [_example(0, "eeeee"), _example(1, "eencc"), _example(2, "eeenc")]
    arrays = example_arrays(examples)
    _, levels = agreement_levels(arrays)
    probs = {
        "a": (np.array([[1.0, 0, 0], [0.4, 0.2, 0.4], [0.1, 0.1, 0.8]]), np.ones(3, bool)),
        "b": (np.array([[1.0, 0, 0], [0.0, 1.0, 0.0], [0.6, 0.2, 0.2]]), np.ones(3, bool)),
    }
    pairs = low_agreement_pairs(arrays, levels, probs, limit=2)
    assert [pair.id for pair in pairs] == ["x1", "x2"]
    first = pairs[0]
    assert first.human == pytest.approx((0.4, 0.2, 0.4))
    assert first.level == NO_CONSENSUS
    assert first.gold is None
    view = first.view("a")
    assert view is not None and view.jsd == pytest.approx(0.0, abs=1e-6)
    assert view.label == "entailment"
    assert [p.id for p in sort_pairs(pairs, by="jsd", model="b")] == ["x1", "x2"]
    assert [p.id for p in sort_pairs(pairs, by="jsd", model="a")] == ["x2", "x1"]
    assert [p.id for p in sort_pairs(pairs, by="entropy", descending=False)] == ["x2", "x1"]
    assert LowAgreementPair.from_json(first.to_json()) == first
    with pytest.raises(ValueError):
        sort_pairs(pairs, by="jsd")


def test_real_snli_dev_level_counts_match_manifest() -> None:
    from nli_probe.testing.fakes import FakeModel
    from tests.snli import snli_dev

    examples = snli_dev()
    model = FakeModel()
    probs = np.array([p.probs for p in model.predict([e.pair for e in examples])])
    breakdown = agreement_breakdown(example_arrays(examples), probs, name=model.name)
    counts = {level.level: level.count for level in breakdown.levels}
    assert counts == {
        "5/5": 5479,
        "4/5": 2845,
        "3/5": 1507,
        NO_CONSENSUS: 155 + 3,
        "4/4": 4,
        "3/4": 7,
    }
    assert breakdown.level(NO_CONSENSUS).scored == 0
    assert breakdown.level("5/5").human_agreement == 1.0
    assert breakdown.level("4/5").human_agreement == pytest.approx(0.8)


def test_chaosnli_layout_uses_entropy_bins(tmp_path: Path) -> None:
    from nli_probe.data import load_examples
    from nli_probe.testing.fakes import FakeModel
    from tests.snli import write_chaosnli_like

    write_chaosnli_like(tmp_path)
    examples = load_examples("chaosnli:snli", data_dir=tmp_path)
    model = FakeModel()
    probs = np.array([p.probs for p in model.predict([e.pair for e in examples])])
    breakdown = agreement_breakdown(example_arrays(examples), probs)
    assert breakdown.scheme == "entropy"
    assert sum(level.count for level in breakdown.levels) == 1514
    assert breakdown.overall.scored == 1514


def test_level_scores_match_sklearn() -> None:
    from sklearn.metrics import accuracy_score, f1_score

    from nli_probe.scoring.agreement import level_scores
    from nli_probe.scoring.calibration import calibration

    rng = np.random.default_rng(11)
    n = 200
    gold = rng.integers(0, 3, n)
    gold[:20] = -1  # no gold label
    votes = rng.multinomial(5, [0.5, 0.3, 0.2], size=n)
    probs = rng.dirichlet([2.0, 1.0, 1.0], size=n)
    level = level_scores("x", gold, votes, probs, calibration_bins=10)
    y, p = gold[20:], probs[20:]
    assert level.scored == 180
    assert level.accuracy == pytest.approx(accuracy_score(y, p.argmax(axis=1)))
    for average in ("macro", "weighted"):
        expected = f1_score(y, p.argmax(axis=1), average=average, zero_division=0)
        assert getattr(level, f"f1_{average}") == pytest.approx(expected)
    reference = calibration(y, p, bins=10)
    assert level.calibration.brier == pytest.approx(reference.brier)
    assert level.calibration.nll == pytest.approx(reference.nll)
    assert level.calibration.ece == pytest.approx(reference.ece)
