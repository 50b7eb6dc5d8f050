"""`nli-probe evaluate` over several named data sets in one run, sliced, with the tiny test model
(and a second tiny model) end to end; the honest baseline; re-slicing a saved run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nli_probe.cli import main
from nli_probe.core.labels import Label
from nli_probe.core.report import load_report
from nli_probe.scoring.scores import stored_scores
from tests.tiny_models import make_tiny_classifier

FIXTURES = Path(__file__).parent / "fixtures" / "challenge_data"
SETS = ("hans:evaluation", "anli:test", "breaking_nli")


@pytest.fixture(scope="module")
def second_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_classifier(tmp_path_factory.mktemp("second"), arch="bert", seed=7)


def _evaluate(*argv: str | Path) -> int:
    return main(["evaluate", *map(str, argv), "--no-progress", "--resamples", "100"])


def test_several_sets_in_one_run_with_their_slices(
    tmp_path: Path,
    tiny_roberta: Path,
    second_model: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "run"
    data = [arg for name in SETS for arg in ("-d", name)]
    status = _evaluate(
        "-m", f"a={tiny_roberta}", "-m", f"b={second_model}", *data,
        "--data-dir", FIXTURES, "--by", "hypothesis_overlap", "--out", out,
        "--cache", tmp_path / "cache.sqlite3",
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert status == 0
    report = load_report(out / "report.json")
    assert [part.name for part in report.datasets] == list(SETS)
    assert [len(part.ids) for part in report.datasets] == [6, 4, 5]
    hans, anli, breaking = report.datasets
    assert hans.ids[0] == "hans:evaluation/ex0"  # several sets: ids say which set
    assert hans.label_scheme == "two-way" and anli.label_scheme == "three-way"
    assert hans.slices == ("heuristic", "heuristic,gold", "subcase", "hypothesis_overlap")
    assert anli.slices == ("round", "hypothesis_overlap")
    assert breaking.slices == ("category", "hypothesis_overlap")
    scores = stored_scores(report)
    assert scores is not None and scores.label_scheme == "mixed"
    assert [part.dataset for part in scores.parts()] == list(SETS)
    # One row per (model, data set), each computed from that set's predictions alone, and HANS
    # two-way: a neutral or contradiction prediction is non-entailment.
    lines = (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    predictions = {row["id"]: row for row in map(json.loads, lines)}
    for part in report.datasets:
        for model in ("a", "b"):
            right = 0
            for example_id in part.ids:
                row = predictions[example_id]
                label = Label(max(range(3), key=lambda i: row["predictions"][model][i]))
                gold = Label[row["gold"].upper()]
                if part.label_scheme == "two-way" and label is not Label.ENTAILMENT:
                    label = Label.NEUTRAL
                right += label is gold
            accuracy = scores.part(part.name).model(model).metrics.accuracy
            assert accuracy == pytest.approx(right / len(part.ids))
    by_round = scores.part("anli:test").slice("round")
    assert [(row.value, row.count) for row in by_round.rows] == [("R1", 2), ("R2", 1), ("R3", 1)]
    heuristics = scores.part("hans:evaluation").slice("heuristic,gold")
    assert heuristics.rows[0].values == ("lexical_overlap", "entailment")
    assert [row.count for row in heuristics.rows] == [1, 1, 1, 1, 1, 1]
    assert scores.part("breaking_nli").baseline.description == "evaluation-set majority (oracle)"
    # The terminal: the (model, data set) table, then each set's tables with its slices.
    assert "By data set" in printed
    assert "hans:evaluation by heuristic,gold" in printed
    assert "anli:test by round" in printed
    assert "breaking_nli by category" in printed
    assert "majority baseline: evaluation-set majority (oracle)" in printed


def test_a_saved_run_is_sliced_again_without_a_model(
    tmp_path: Path, tiny_roberta: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    args = ("-d", "anli:test", "-d", "cad_snli:test", "--data-dir", FIXTURES, "--no-cache")
    assert _evaluate("-m", tiny_roberta, *args, "--out", first) == 0
    again = tmp_path / "again"
    assert _evaluate("--from-run", first, "--by", "genre", "--out", again) == 0
    printed = capsys.readouterr().out
    report = load_report(again / "report.json")
    assert [part.slices for part in report.datasets] == [("round", "genre"), ("revision",)]
    assert "cad_snli:test: no 'genre' field in its pairs; not sliced by it" in printed
    scores = stored_scores(report)
    assert scores is not None
    genre = scores.part("anli:test").slice("genre")
    assert [(row.value, row.count) for row in genre.rows] == [("wiki", 3), ("fiction", 1)]
    revision = scores.part("cad_snli:test").slice("revision")
    assert [row.count for row in revision.rows] == [2, 4, 4]


def test_an_unknown_slice_field_fails_before_any_model_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _evaluate(
        "-m", "no-such-model", "-d", "hans:evaluation", "--data-dir", FIXTURES,
        "--by", "heuristc", "--out", tmp_path / "run",
    )  # fmt: skip
    assert status == 2
    error = capsys.readouterr().err
    assert "--by: no field 'heuristc' to slice by; did you mean 'heuristic'?" in error
    assert not (tmp_path / "run").exists()


def _run_folder(root: Path, model: Path, counts: dict[str, int]) -> Path:
    """A trainer run folder as far as the baseline reads it: its model and data summary."""
    import shutil

    shutil.copytree(model, root / "model")
    summary = {"train": {"balance_after": {"total": sum(counts.values()), "counts": counts}}}
    (root / "data_summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return root


def test_the_baseline_is_the_training_majority_when_known(
    tmp_path: Path, tiny_roberta: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _run_folder(tmp_path / "trained", tiny_roberta, {"entailment": 5, "neutral": 3})
    out = tmp_path / "eval"
    args = ("-d", "breaking_nli", "--data-dir", FIXTURES, "--no-cache")
    assert _evaluate("-m", run / "model", *args, "--out", out) == 0
    printed = capsys.readouterr().out
    scores = stored_scores(load_report(out / "report.json"))
    assert scores is not None
    # Breaking NLI is 4/5 contradiction: the oracle would score 0.8; always-entailment scores
    # 0.2 (the synonyms pair).
    assert scores.baseline.metrics.accuracy == pytest.approx(0.2)
    assert scores.baseline.description.startswith("training-set majority (entailment, 62.5% of 8")
    assert "majority baseline: training-set majority (entailment" in printed
    # --baseline-from names the training data instead: a file's gold labels.
    out2 = tmp_path / "eval2"
    source = FIXTURES / "breaking_nli" / "dataset.jsonl"
    assert _evaluate("-m", tiny_roberta, *args, "--baseline-from", source, "--out", out2) == 0
    scores2 = stored_scores(load_report(out2 / "report.json"))
    assert scores2 is not None and scores2.baseline.metrics.accuracy == pytest.approx(0.8)
    assert scores2.baseline.description.startswith("training-set majority (contradiction")
    status = _evaluate(
        "-m", tiny_roberta, *args, "--baseline-from", tmp_path, "--out", tmp_path / "x"
    )
    assert status == 2
    assert "a run folder needs a data_summary.json" in capsys.readouterr().err


def test_on_two_way_pairs_the_baseline_says_its_two_way_label() -> None:
    from nli_probe import Report
    from nli_probe.core.parts import BaselinePrior
    from nli_probe.data import read_dataset
    from nli_probe.scoring.scores import score_report

    hans = read_dataset("hans:evaluation", data_dir=FIXTURES)  # 3 entailed, 3 not
    # Three-way, entailment ties contradiction and wins (37.5%); read two-way, neutral +
    # contradiction (62.5%) is the majority, so the baseline says non-entailment every time.
    prior = BaselinePrior(source="x", counts={"entailment": 3, "neutral": 2, "contradiction": 3})
    report = Report(dataset="hans", examples=tuple(hans.examples), baseline=prior)
    scores = score_report(report, resamples=0)
    assert scores.baseline.description == (
        "training-set majority read two-way (non-entailment, 62.5% of 8 pairs; x)"
    )
    assert scores.baseline.metrics.accuracy == pytest.approx(0.5)
    assert prior.describe().startswith("training-set majority (entailment, 37.5% of 8 pairs")
