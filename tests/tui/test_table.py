"""The Examples table takes its agreement levels and predicted labels from the value layer, so
the Examples pane and the Agreement pane agree (issue 15: on ChaosNLI the Examples pane showed
vote shares such as "57/100" while the Agreement pane binned the same pairs by entropy)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from nli_probe import Example, Prediction, Report, parse_label, read_dataset, score_report
from nli_probe.testing.fakes import FakeModel
from nli_probe.tui.table import NO_ANNOTATORS, NO_CONSENSUS, build_table
from tests.report_fixtures import model_run
from tests.snli import write_chaosnli_like


def _levels_of_scores(report: Report) -> tuple[str, ...]:
    scores = score_report(report, resamples=0)
    return tuple(level.level for level in scores.models[0].agreement.levels)


def test_chaosnli_levels_are_the_agreement_panes_entropy_bins(tmp_path: Path) -> None:
    path, rows = write_chaosnli_like(tmp_path)
    examples = tuple(read_dataset(str(path)).examples)
    report = Report(dataset="test", examples=examples, models=(model_run(FakeModel(), examples),))
    table = build_table(report)
    scores = score_report(report, resamples=0)
    breakdown = scores.models[0].agreement
    assert breakdown.scheme == "entropy"
    assert all(level.startswith("entropy ") for level in table.level)
    assert table.levels == tuple(level.level for level in breakdown.levels)
    counted = Counter(table.level)
    assert {level.level: level.count for level in breakdown.levels} == dict(counted)
    # The made-up 50/50 ties (every 10th pair) fall in the top bin, [1.0, 1.25).
    tie = next(i for i, row in enumerate(rows) if row["label_counter"] == {"e": 50, "n": 50})
    assert table.level[tie] == "entropy 1.00-1.25"


def test_vote_levels_follow_the_scores_order() -> None:
    """Few annotators: `5/5` ... then no consensus, then other annotator counts (4/4, 3/4),
    the Agreement pane's order; pairs without annotators come last."""
    votes = ["eeeee", "eeeen", "eeenn", "eenc", "eeen", "eeee", "eenn", "eennc", ""]
    examples = tuple(
        Example(
            id=f"x{i}",
            premise="A man sleeps.",
            hypothesis="A man rests.",
            annotator_labels=tuple(parse_label(v) for v in letters),
        )
        for i, letters in enumerate(votes)
    )
    report = Report(dataset="test", examples=examples, models=(model_run(FakeModel(), examples),))
    table = build_table(report)
    assert table.level == (
        "5/5", "4/5", "3/5", NO_CONSENSUS, "3/4", "4/4", NO_CONSENSUS, NO_CONSENSUS, NO_ANNOTATORS,
    )  # fmt: skip
    assert table.levels == (*_levels_of_scores(report), NO_ANNOTATORS)
    assert table.levels == ("5/5", "4/5", "3/5", NO_CONSENSUS, "4/4", "3/4", NO_ANNOTATORS)


@pytest.mark.parametrize("seed", range(5))
def test_label_value_is_the_predictions_and_numpys_argmax(seed: int) -> None:
    import numpy as np

    rng = random.Random(seed)
    cases = [(0.4, 0.4, 0.2), (0.2, 0.4, 0.4), (1 / 3, 1 / 3, 1 / 3), (0.0, 0.0, 1.0)]
    cases += [tuple(rng.choice([0.0, 0.25, 0.5]) for _ in range(3)) for _ in range(200)]
    for probs in cases:
        p = (float(probs[0]), float(probs[1]), float(probs[2]))
        assert Prediction.label_value(p) == int(Prediction(probs=p).label) == int(np.argmax(p)), p
