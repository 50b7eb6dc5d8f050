"""`nli-probe probe` and `nli-probe suites ls/validate`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nli_probe.cli import main
from nli_probe.core.report import Report, load_report, save_report
from nli_probe.testing.fakes import FakeModel

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake_loader(monkeypatch: pytest.MonkeyPatch) -> list[FakeModel]:
    """Replace the transformers loader with the fake overlap model."""
    import nli_probe.models.load

    loaded: list[FakeModel] = []

    def load_model(spec: str, **kwargs: Any) -> FakeModel:
        model = FakeModel(name=kwargs.get("name") or spec)
        loaded.append(model)
        return model

    monkeypatch.setattr(nli_probe.models.load, "load_model", load_model)
    return loaded


def _data(tmp_path: Path) -> Path:
    rows = [
        ("1", "John is not walking in Paris.", "John isn't walking.", "entailment"),
        ("2", "Two dogs run in a park.", "Two cats sleep.", "contradiction"),
        ("3", "A woman sings.", "A woman sings loudly.", "neutral"),
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text(
        "".join(
            json.dumps({"pairID": i, "sentence1": p, "sentence2": h, "gold_label": g}) + "\n"
            for i, p, h, g in rows
        )
    )
    return path


def test_probe_runs_suites_prints_table_and_saves(
    tmp_path: Path, fake_loader: list[FakeModel], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    status = main(
        ["probe", "-m", "fake", "-s", "robustness", "-d", str(_data(tmp_path)), "-o", str(out),
         "--no-cache", "--no-progress", "--show-failures", "1"]
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert status == 0
    assert "robustness on fake" in printed and "typos-hypothesis" in printed
    assert "failure rate (95% CI)" in printed
    report = load_report(out / "report.json")
    (run,) = report.suites
    assert run.suite == "robustness" and run.model == "fake" and len(report.examples) == 3
    # Every distinct pair went to the model once.
    (model,) = fake_loader
    assert len(model.pairs_seen) == len(set(model.pairs_seen)) == run.distinct_pairs
    assert run.probe("contract").tested == 1  # only "is not" contracts


def test_probe_merges_into_an_evaluate_report(
    tmp_path: Path, fake_loader: list[FakeModel], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    save_report(
        Report(dataset="x", examples=(), extra={"scores": {"kept": True}}), out / "report.json"
    )
    data = str(_data(tmp_path))
    args = ["probe", "-m", "fake", "-d", data, "-o", str(out), "--no-cache", "--no-progress"]
    assert main([*args, "-s", "robustness"]) == 0
    assert main([*args, "-s", "robustness", "-s", "logic", "--limit", "2"]) == 0
    report = load_report(out / "report.json")
    assert report.extra == {"scores": {"kept": True}}
    assert [run.suite for run in report.suites] == ["robustness", "logic"]
    assert report.suites[0].probe("typos-hypothesis").examples == 2  # replaced by the rerun


def test_probe_checks_suites_before_loading_a_model(
    tmp_path: Path, fake_loader: list[FakeModel], capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["probe", "-m", "fake", "-s", "robustnes", "-d", str(_data(tmp_path))])
    assert status == 2 and not fake_loader
    assert "did you mean 'robustness'" in capsys.readouterr().err


def test_suites_ls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suites", "ls"]) == 0
    printed = capsys.readouterr().out
    assert "robustness" in printed and "swap-names" in printed
    assert main(["suites", "ls", "--all"]) == 0
    printed = capsys.readouterr().out
    assert "perturbations" in printed and "expectations" in printed
    assert "mode='lower', target='both'" in printed


def test_suites_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.toml"
    good.write_text('name = "g"\n[[probe]]\nname = "t"\ncapability = "c"\nperturbation = "typos"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "b"\n\n[[probe]]\nname = "t"\ncapability = "c"\nperturbation = "typo"\n')
    broken = tmp_path / "broken.py"
    broken.write_text("from nli_probe import Suite\n\nsuite = Suite(name=\n")
    assert main(["suites", "validate", str(good)]) == 0
    assert "ok " in capsys.readouterr().out
    assert main(["suites", "validate", str(good), str(bad), str(broken)]) == 2
    captured = capsys.readouterr()
    assert "suite 'g', 1 probes (MFT)" in captured.out
    assert f"{bad}:3: probe 't': unknown perturbation 'typo'; did you mean 'typos'" in captured.err
    assert f"{broken}:3: syntax error" in captured.err


def test_suites_validate_does_not_import_torch(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom nli_probe.cli import main\n"
        "assert main(['suites', 'validate', 'robustness', 'logic', 'heuristics', 'artefacts']) "
        "in (0, 2)\nprint(' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    loaded = set(result.stdout.split())
    assert "torch" not in loaded and "transformers" not in loaded


def test_probe_held_out_of_needs_a_trainer_run(
    tmp_path: Path, fake_loader: list[FakeModel], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["probe", "-m", "fake", "-s", "robustness", "-d", str(_data(tmp_path))]
    assert main([*args, "--held-out-of", str(tmp_path)]) == 2
    assert "not a trainer run folder" in capsys.readouterr().err
    assert not fake_loader


class _Counting:
    """Wraps a real model, counting the pairs it is asked about."""

    def __init__(self, model: Any) -> None:
        self.model, self.pairs = model, 0
        self.name, self.fingerprint = model.name, model.fingerprint

    def predict(self, pairs: Any) -> Any:
        self.pairs += len(pairs)
        return self.model.predict(pairs)


@pytest.mark.slow
def test_probe_with_a_real_tiny_model_and_the_cache(
    tmp_path: Path,
    tiny_bert: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import nli_probe.models.load

    real, loaded = nli_probe.models.load.load_model, []

    def load_model(spec: str, **kwargs: Any) -> _Counting:
        loaded.append(_Counting(real(spec, **kwargs)))
        return loaded[-1]

    monkeypatch.setattr(nli_probe.models.load, "load_model", load_model)
    args = ["probe", "-m", str(tiny_bert), "-s", "robustness", "-s", "heuristics",
            "-d", str(_data(tmp_path)), "--cache", str(tmp_path / "cache.sqlite3"),
            "--no-progress", "--device", "cpu"]  # fmt: skip
    assert main([*args, "-o", str(tmp_path / "a")]) == 0
    assert main([*args, "-o", str(tmp_path / "b")]) == 0  # every pair from the cache now
    assert loaded[0].pairs == sum(
        run.distinct_pairs for run in load_report(tmp_path / "a" / "report.json").suites
    )
    assert loaded[1].pairs == 0
    first = load_report(tmp_path / "a" / "report.json").suites
    second = load_report(tmp_path / "b" / "report.json").suites
    assert [run.probes for run in first] == [run.probes for run in second]
    assert first[1].probe("lexical-overlap").tested > 0
    assert "heuristics on tiny_bert" in capsys.readouterr().out
