"""`nli-probe datamap`: run folders and study folders in; the console, the HTML page, every pair's
coordinates, the retraining subset out; annotator labels joined from other data; bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nli_probe.cli import main
from nli_probe.data.read import read_dataset
from nli_probe.scoring.datamap.dynamics import Dynamics, PairTable, TextColumn, write_dynamics

SCRIPT = "<script>alert('x')</script>"


def _dynamics(n: int = 30, *, seed: int = 0, records: int = 4) -> Dynamics:
    rng = np.random.default_rng(seed)
    gold = (np.arange(n) % 3).astype(np.int8)
    votes = np.zeros((n, 3), dtype=np.uint16)
    for row in range(n):
        votes[row, gold[row]] = 3 + row % 3  # 3/5, 4/5, 5/5 in turn
        votes[row, (gold[row] + 1) % 3] = 5 - votes[row, gold[row]]
    mean = np.linspace(0.05, 0.95, n)
    spread = rng.random(n) * 0.2
    gold_prob = np.clip(mean + spread * rng.standard_normal((records, n)), 0, 1)
    predicted = np.where(gold_prob > 0.4, gold, (gold + 1) % 3).astype(np.int8)
    return Dynamics(
        pairs=PairTable(
            ids=TextColumn.of([f"pair{i}" for i in range(n)]),
            premises=TextColumn.of([f"A {SCRIPT} premise {i}" for i in range(n)]),
            hypotheses=TextColumn.of([f"hypothesis {i} [bold]x[/bold]" for i in range(n)]),
            gold=gold,
            votes=votes,
        ),
        gold_prob=gold_prob.astype(np.float32),
        predicted=predicted,
        steps=np.arange(1, records + 1, dtype=np.int64) * 5,
        epochs=np.arange(1, records + 1, dtype=np.float64),
        meta={"pass": "training", "name": "tiny", "method": "full"},
    )


def _run(tmp_path: Path, name: str = "run", **kwargs: int) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    write_dynamics(folder / "dynamics.npz", _dynamics(**kwargs))
    return folder


def test_datamap_of_a_run_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run(tmp_path)
    out = tmp_path / "out"
    status = main(["datamap", str(run), "--out", str(out), "--resamples", "50", "--show", "2"])
    printed = capsys.readouterr().out
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "datamap.html",
        "datamap.json",
        "pairs-run.jsonl",
    ]
    assert "Data map: run · 30 training pairs · 4 records" in printed
    for region in ("easy-to-learn", "ambiguous", "hard-to-learn"):
        assert f"run: {region} (most typical first)" in printed
    assert "Spearman rho (variability, human entropy)" in printed
    assert "[bold]" in printed  # pair text is shown as text, not as markup
    rows = [json.loads(line) for line in (out / "pairs-run.jsonl").read_text().splitlines()]
    assert len(rows) == 30 and rows[4]["id"] == "pair4" and rows[4]["index"] == 4
    assert sum(row["region"] == "ambiguous" for row in rows) == 10  # 33% of 30
    section = json.loads((out / "datamap.json").read_text())
    assert section["maps"][0]["pairs"] == 30 and len(section["points"]) == 30
    html = (out / "datamap.html").read_text()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert html.count("<circle") == 30


def test_subset_for_retraining_and_value_cutoffs(tmp_path: Path) -> None:
    run = _run(tmp_path)
    out = tmp_path / "out"
    argv = ["datamap", str(run), "--out", str(out), "--resamples", "0", "--show", "0"]
    argv += ["--out-subset", "hard", "--fraction", "0.2", "--ambiguous", "0.9", "--easy", "0.8"]
    assert main(argv) == 0
    subset = out / "run-hard-0.2.jsonl"
    dataset = read_dataset(str(subset))
    assert len(dataset.examples) == 6  # 20% of 30, least confident first
    rows = [json.loads(line) for line in (out / "pairs-run.jsonl").read_text().splitlines()]
    confidence = {row["id"]: row["confidence"] for row in rows}
    chosen = [example.id for example in dataset.examples]
    assert chosen == sorted(confidence, key=confidence.__getitem__)[:6]
    assert dataset.examples[0].annotator_labels  # the training data's labels come along
    # Value cutoffs: nothing has variability 0.9, so nothing is ambiguous.
    assert not any(row["region"] == "ambiguous" for row in rows)
    assert {row["region"] for row in rows if row["confidence"] >= 0.8} <= {"easy-to-learn"}


def test_study_folder_maps_side_by_side_with_votes_joined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "study"
    _run(study / "models", "full", seed=1)
    _run(study / "models", "lora", seed=2)
    votes = tmp_path / "votes.jsonl"
    votes.write_text(
        "".join(
            json.dumps(
                {
                    "pairID": f"pair{i}",
                    "sentence1": "p",
                    "sentence2": "h",
                    "gold_label": "neutral",
                    "annotator_labels": ["neutral"] * 6 + ["entailment"] * 4,
                }
            )
            + "\n"
            for i in range(0, 30, 3)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    argv = ["datamap", str(study), "--out", str(out), "--votes", str(votes), "--resamples", "20"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "Regions: full (rows) × lora (columns) · 30 shared pairs" in printed
    section = json.loads((out / "datamap.json").read_text())
    assert section["maps"][0]["votes_from"] == f"{votes} (10 of 30 pairs found)"
    assert [m["name"] for m in section["maps"]] == ["full", "lora"]
    assert section["maps"][0]["annotators"]["annotated"] == 10
    assert set(section["points"][0]["positions"]) == {"full", "lora"}
    assert sorted(p.name for p in out.glob("pairs-*.jsonl")) == [
        "pairs-full.jsonl",
        "pairs-lora.jsonl",
    ]
    html = (out / "datamap.html").read_text()
    assert html.count("<svg") == 2 and "full against lora" in html


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--ambiguous", "lots"], "--ambiguous: 'lots' is neither a share"),
        (["--hard", "60%", "--easy", "50%"], "overlap"),
        (["--fraction", "0"], "argument --fraction: must be more than 0"),
        (["--out-subset", "ambigous"], "argument --out-subset: invalid choice"),
    ],
)
def test_bad_options_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    run = _run(tmp_path)
    status = main(["datamap", str(run), "--out", str(tmp_path / "out"), *argv])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and message in err
    assert not (tmp_path / "out").exists()


def test_runs_without_dynamics_say_how_to_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").mkdir()
    assert main(["datamap", str(tmp_path / "plain"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "holds no training dynamics" in err and "record_dynamics=true" in err
    (tmp_path / "plain" / "dynamics.npz").write_bytes(b"garbage")
    assert main(["datamap", str(tmp_path / "plain"), "--out", str(tmp_path / "out")]) == 2
    assert "not a readable training dynamics file" in capsys.readouterr().err
