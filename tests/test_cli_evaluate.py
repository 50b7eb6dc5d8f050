"""`nli-probe evaluate`: tables, the run folder, saved runs, and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nli_probe.cli import main
from nli_probe.core.labels import Label
from nli_probe.core.report import load_report
from nli_probe.scoring.scores import stored_scores
from nli_probe.testing.fakes import FakeModel, constant_rule


@pytest.fixture
def fake_loader(monkeypatch: pytest.MonkeyPatch) -> list[FakeModel]:
    """Replace the transformers loader: `--model overlap` and `--model contradiction` are fakes."""
    import nli_probe.models.load

    loaded: list[FakeModel] = []

    def load_model(spec: str, **kwargs: Any) -> FakeModel:
        rule = constant_rule(Label.CONTRADICTION) if spec == "contradiction" else None
        model = (
            FakeModel(name=kwargs.get("name") or spec)
            if rule is None
            else FakeModel(name=kwargs.get("name") or spec, rule=rule)
        )
        loaded.append(model)
        return model

    monkeypatch.setattr(nli_probe.models.load, "load_model", load_model)
    return loaded


def _data(tmp_path: Path) -> Path:
    rows = [
        ("1", "A man is outside.", "A man is outside.", "entailment", "eeeee"),
        ("2", "A dog runs.", "A cat is not running.", "contradiction", "cccce"),
        ("3", "Two kids play.", "The kids are brothers.", "neutral", "nnnce"),
        ("4", "A woman sings.", "A woman sings loudly.", "-", "eennc"),
    ]
    letters = {"e": "entailment", "n": "neutral", "c": "contradiction"}
    path = tmp_path / "tiny.jsonl"
    with path.open("w") as handle:
        for pair_id, premise, hypothesis, gold, annotators in rows:
            handle.write(
                json.dumps(
                    {
                        "pairID": pair_id,
                        "sentence1": premise,
                        "sentence2": hypothesis,
                        "gold_label": gold,
                        "annotator_labels": [letters[c] for c in annotators],
                    }
                )
                + "\n"
            )
    return path


def test_evaluate_prints_tables_and_writes_a_run_folder(
    tmp_path: Path, fake_loader: list[FakeModel], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    status = main(
        [
            "evaluate",
            "--model", "overlap",
            "--model", "contradiction",
            "--data", str(_data(tmp_path)),
            "--out", str(out),
            "--resamples", "50",
            "--no-cache",
            "--no-progress",
        ]
    )  # fmt: skip
    assert status == 0
    printed = capsys.readouterr().out
    assert "majority baseline" in printed
    assert "no consensus" in printed
    assert "Paired comparisons" in printed
    report = load_report(out / "report.json")
    assert [run.name for run in report.models] == ["overlap", "contradiction"]
    scores = stored_scores(report)
    assert scores is not None
    assert scores.with_gold == 3
    assert scores.model("contradiction").metrics.accuracy == pytest.approx(1 / 3)
    lines = (out / "predictions.jsonl").read_text().splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert set(first["predictions"]) == {"overlap", "contradiction"}


def test_from_run_never_reruns_a_model(
    tmp_path: Path, fake_loader: list[FakeModel], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data(tmp_path)
    common = ["--resamples", "20", "--no-cache", "--no-progress"]
    assert (
        main(["evaluate", "-m", "overlap", "-d", str(data), "-o", str(tmp_path / "a"), *common])
        == 0
    )
    assert (
        main(
            ["evaluate", "-m", "contradiction", "-d", str(data), "-o", str(tmp_path / "b"), *common]
        )
        == 0
    )
    calls = len(fake_loader)
    status = main(
        ["evaluate", "--from-run", str(tmp_path / "a"), "--from-run", str(tmp_path / "b"),
         "-o", str(tmp_path / "both"), *common]
    )  # fmt: skip
    assert status == 0
    assert len(fake_loader) == calls  # nothing loaded, nothing predicted
    report = load_report(tmp_path / "both" / "report.json")
    assert [run.name for run in report.models] == ["overlap", "contradiction"]
    scores = stored_scores(report)
    assert scores is not None and len(scores.comparisons) == 1


def test_cache_makes_the_second_run_free(tmp_path: Path, fake_loader: list[FakeModel]) -> None:
    data = _data(tmp_path)
    common = ["--resamples", "0", "--cache", str(tmp_path / "cache.sqlite3"), "--no-progress"]
    assert (
        main(["evaluate", "-m", "overlap", "-d", str(data), "-o", str(tmp_path / "a"), *common])
        == 0
    )
    assert (
        main(["evaluate", "-m", "overlap", "-d", str(data), "-o", str(tmp_path / "b"), *common])
        == 0
    )
    first, second = fake_loader
    assert first.calls >= 1 and second.calls == 0


def test_limit_and_errors(
    tmp_path: Path, fake_loader: list[FakeModel], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _data(tmp_path)
    out = tmp_path / "limited"
    args = ["evaluate", "-m", "overlap", "-d", str(data), "-o", str(out), "--no-cache"]
    assert main([*args, "--limit", "2", "--resamples", "0", "--no-progress"]) == 0
    assert len(load_report(out / "report.json").examples) == 2
    capsys.readouterr()
    assert main(["evaluate", "-d", str(data)]) == 2
    assert "--model" in capsys.readouterr().err
    assert main(["evaluate", "-m", "overlap"]) == 2
    assert "--data" in capsys.readouterr().err
    assert main(["evaluate", "-m", "overlap", "-d", str(tmp_path / "missing.jsonl")]) == 2


@pytest.mark.slow
def test_evaluate_a_tiny_real_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.tiny_models import make_tiny_classifier

    folder = make_tiny_classifier(tmp_path / "tiny", arch="bert")
    out = tmp_path / "run"
    status = main(
        ["evaluate", "-m", str(folder), "-d", str(_data(tmp_path)), "-o", str(out),
         "--resamples", "20", "--no-cache", "--no-progress", "--device", "cpu"]
    )  # fmt: skip
    assert status == 0
    report = load_report(out / "report.json")
    (run,) = report.models
    assert len(run.predictions) == 4
    scores = stored_scores(report)
    assert scores is not None and scores.model(run.name).metrics.count == 3


@pytest.mark.slow
def test_held_out_and_exclude_trained_follow_the_trainer_split(
    tmp_path: Path, fake_loader: list[FakeModel]
) -> None:
    from nli_probe.trainers import dump_toml, evaluation_examples, load_preset

    from nli_probe.data.split import prepare_data

    config = load_preset("quick-full")  # SNLI dev: the embedded copy
    run = tmp_path / "quick-full"
    run.mkdir()
    (run / "config.toml").write_text(dump_toml(config), encoding="utf-8")
    held_out = {example.id for example in evaluation_examples(config)}
    trained = {example.id for example in prepare_data(config).train}
    common = ["-m", "overlap", "-d", "snli:dev", "--no-cache", "--resamples", "0",
              "--no-progress"]  # fmt: skip

    assert main(["evaluate", *common, "--held-out-of", str(run), "-o", str(tmp_path / "h")]) == 0
    report = load_report(tmp_path / "h" / "report.json")
    assert {example.id for example in report.examples} == held_out
    assert len(held_out) == 2000

    assert (
        main(["evaluate", *common, "--exclude-trained", str(run), "-o", str(tmp_path / "x")]) == 0
    )
    report = load_report(tmp_path / "x" / "report.json")
    kept = {example.id for example in report.examples}
    assert not kept & trained
    assert held_out <= kept
    assert sum(example.gold is None for example in report.examples) == 158
    scores = stored_scores(report)
    assert scores is not None
    assert scores.model("overlap").agreement.level("no consensus").count == 158


def test_model_names_and_run_folders(tmp_path: Path, fake_loader: list[FakeModel]) -> None:
    run = tmp_path / "quick-full"
    (run / "model").mkdir(parents=True)
    (run / "config.toml").write_text('name = "quick-full"\n', encoding="utf-8")
    out = tmp_path / "out"
    args = [
        "evaluate",
        "-d",
        str(_data(tmp_path)),
        "-o",
        str(out),
        "--no-cache",
        "--resamples",
        "0",
    ]
    assert (
        main([*args, "-m", str(run), "-m", "mine=overlap", "-m", "overlap", "--no-progress"]) == 0
    )
    report = load_report(out / "report.json")
    assert [r.name for r in report.models] == ["quick-full", "mine", "overlap"]
    assert [r.settings["source"] for r in report.models] == [
        str(run / "model"),
        "overlap",
        "overlap",
    ]
