"""`nli-probe report`: run folders in, report files out, the gate's exit status."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from nli_probe.cli import main
from nli_probe.core.report import load_report, save_report
from nli_probe.scoring.scores import stored_scores
from tests.report_fixtures import SCRIPT, suite_run, two_model_report


def _run_folder(tmp_path: Path, name: str, models: slice = slice(None)) -> Path:
    report = two_model_report()
    suites = [suite_run(m.name, 2 + i) for i, m in enumerate(report.models[models])]
    report = dataclasses.replace(
        report,
        models=report.models[models],
        suites=tuple(suites),
    )
    folder = tmp_path / name
    save_report(report, folder / "report.json")
    return folder


def test_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run_folder(tmp_path, "run")
    out = tmp_path / "out"
    assert main(["report", str(run), "--out", str(out), "--resamples", "50"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.md"]
    printed = capsys.readouterr().out
    assert "majority" in printed and f"wrote {out / 'report.html'}" in printed
    html = (out / "report.html").read_text(encoding="utf-8")
    assert SCRIPT not in html and "Failure rate per probe" in html
    # The JSON is a report with its scores: it renders again without recomputing.
    saved = load_report(out / "report.json")
    scores = stored_scores(saved)
    assert scores is not None and scores.resamples == 50
    again = tmp_path / "again"
    assert main(["report", str(out / "report.json"), "--out", str(again), "--format", "md"]) == 0
    assert (again / "report.md").read_text() == (out / "report.md").read_text()


def test_runs_side_by_side(tmp_path: Path) -> None:
    first = _run_folder(tmp_path, "a", slice(0, 1))
    second = _run_folder(tmp_path, "b", slice(1, 2))
    out = tmp_path / "out"
    assert main(["report", str(first), str(second), "--out", str(out), "--format", "json"]) == 0
    data = json.loads((out / "report.json").read_text())
    assert [m["name"] for m in data["models"]] == ["overlap", "always-neutral"]
    assert len(data["extra"]["scores"]["comparisons"]) == 1
    assert len(data["suites"]) == 2


def test_other_examples_cannot_go_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _run_folder(tmp_path, "a")
    report = two_model_report()
    save_report(dataclasses.replace(report, examples=report.examples[:3]), tmp_path / "b.json")
    status = main(["report", str(first), str(tmp_path / "b.json"), "--out", str(tmp_path / "o")])
    assert status == 2
    assert "same examples" in capsys.readouterr().err


def test_gate_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run_folder(tmp_path, "run")
    out = str(tmp_path / "out")
    args = ["report", str(run), "--out", out, "--format", "json"]
    assert main([*args, "--fail-under", "accuracy=0.0"]) == 0
    assert "gate passed: 1 threshold(s) met" in capsys.readouterr().out
    status = main([*args, "--max-failure-rate", "robustness/typos=0.25"])
    assert status == 1
    err = capsys.readouterr().err
    assert "gate FAILED: 1 threshold(s) crossed" in err
    assert "always-neutral: robustness/typos = 0.3000" in err
    gate = tmp_path / "gate.toml"
    gate.write_text("[model.overlap.fail_under]\naccuracy = 1.01\n", encoding="utf-8")
    assert main([*args, "--gate", str(gate)]) == 1


def test_unknown_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run_folder(tmp_path, "run")
    out = tmp_path / "out"
    status = main(["report", str(run), "--out", str(out), "--fail-under", "acurracy=0.5"])
    assert status == 2
    assert "did you mean 'accuracy'" in capsys.readouterr().err
    assert not out.exists()  # nothing written before the gate's names are checked
    assert main(["report", str(run), "--out", str(out), "--format", "htm"]) == 2
    assert "did you mean 'html'" in capsys.readouterr().err
    assert main(["report", str(tmp_path), "--out", str(out)]) == 2
    assert "needs a report.json" in capsys.readouterr().err
