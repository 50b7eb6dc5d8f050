"""`nli-probe data download|info|prepare`, end to end through the CLI's `main`."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from nli_probe.cli import main
from nli_probe.data import load_examples, write_jsonl
from tests.snli import write_chaosnli_like


def test_info_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "info", "snli:dev"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "rows: 10,000" in out
    for needle in ("3,329", "3,235", "3,278", "158", "5/5", "5,479", "2,845", "1,507"):
        assert needle in out
    assert "sentence1, sentence2" in out  # the file's own fields
    assert "captionID" in out
    # No data folder here: the output says the embedded copy was read.
    assert "reading snli:dev: the copy embedded in nli-probe" in " ".join(captured.err.split())


def test_info_names_the_data_folder_copy(
    snli_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "info", "snli:dev", "--data-dir", str(snli_folder)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"reading snli:dev: {snli_folder / 'snli_1.0' / 'snli_1.0_dev.jsonl'}" in err


def test_info_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, rows = write_chaosnli_like(tmp_path)
    assert main(["data", "info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["rows"] == len(rows) == 1_514 and info["format"] == "chaosnli"
    majority = Counter(row["majority_label"] for row in rows)
    assert info["labels"]["counts"] == {
        "entailment": majority["e"],
        "neutral": majority["n"],
        "contradiction": majority["c"],
    }
    assert info["annotators"] == {"100": 1_514}
    assert info["skipped_rows"] == []


def test_info_without_votes_says_agreement_is_unavailable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stripped.jsonl"
    path.write_text('{"premise": "A.", "hypothesis": "B.", "label": "neutral"}\n')
    assert main(["data", "info", str(path)]) == 0
    assert "no annotator labels" in capsys.readouterr().out


def test_prepare_like_the_study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run" / "train.jsonl"
    argv = ["data", "prepare", "snli:dev", "-o", str(out)]
    assert main([*argv, "--fraction", "0.5", "--seed", "0"]) == 0
    printed = capsys.readouterr().out
    assert "dropped 158: no gold label" in printed and "4,921" in printed
    summary = json.loads((tmp_path / "run" / "train.summary.json").read_text())
    assert summary["before"]["total"] == 10_000
    assert summary["filtered"]["total"] == 9_842
    assert summary["after"]["counts"] == {
        "entailment": 1_665,
        "neutral": 1_617,
        "contradiction": 1_639,
    }
    assert summary["dropped"] == {"no gold label": 158}
    assert summary["recipe"]["seed"] == 0 and summary["sampled_out"] == 4_921
    assert summary["skipped_rows"] == {"count": 0, "rows": []}
    prepared = load_examples(out)
    assert len(prepared) == 4_921
    original = {e.id: e for e in load_examples("snli:dev")}
    for example in prepared[:50]:
        source = original[example.id]
        assert (example.premise, example.gold) == (source.premise, source.gold)
        assert example.annotator_labels == source.annotator_labels
        assert example.meta == source.meta and example.source == "snli:dev"


def test_prepare_agreement_and_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "two_way.jsonl"
    argv = ["data", "prepare", "snli:dev", "-o", str(out)]
    assert main([*argv, "--min-agreement", "5", "--map", "contradiction=neutral"]) == 0
    examples = load_examples(out)
    assert len(examples) == 5_479
    assert {str(e.gold) for e in examples} == {"entailment", "neutral"}
    assert all(e.meta["label_scheme"] == "two-way" for e in examples)
    capsys.readouterr()


def test_bad_rows_exit_2_or_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("premise,hypothesis,label\nA.,B.,e\nA.,,n\nA.,C.,maybe\n")
    assert main(["data", "info", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3: field 'hypothesis': empty text" in err and "--skip-bad-rows" in err
    out_file = tmp_path / "clean.jsonl"
    argv = ["data", "prepare", str(path), "-o", str(out_file), "--skip-bad-rows"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "skipped 2 bad row(s)" in captured.err
    assert f"{path}:4: field 'label'" in captured.err
    summary = json.loads(out_file.with_suffix(".summary.json").read_text())
    assert summary["skipped_rows"]["count"] == 2
    assert [row["line"] for row in summary["skipped_rows"]["rows"]] == [3, 4]


def test_plain_column_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("key\ttext\tclaim\tverdict\nr1\tA.\tB.\tyes\nr2\tA.\tC.\tno\n")
    argv = ["data", "info", str(path), "--json", "--premise-column", "text"]
    argv += ["--hypothesis-column", "claim", "--label-column", "verdict", "--id-column", "key"]
    argv += ["--label", "yes=entailment", "--label", "no=contradiction"]
    assert main(argv) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["labels"]["counts"] == {"entailment": 1, "neutral": 0, "contradiction": 1}
    assert main(["data", "info", str(path), "--label", "oops"]) == 2
    assert "SPELLING=LABEL" in capsys.readouterr().err


def test_missing_split_exit_2(snli_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "info", "snli:test", "--data-dir", str(snli_folder)]) == 2
    err = capsys.readouterr().err
    assert "snli_1.0_test.jsonl is missing" in err and "nli-probe data download" in err


def test_download_from_a_local_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = {"pairID": "p1", "sentence1": "A.", "sentence2": "B.", "gold_label": "neutral"}
    zip_path = tmp_path / "snli_1.0.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        for split in ("train", "dev", "test"):
            archive.writestr(f"snli_1.0/snli_1.0_{split}.jsonl", json.dumps(row) + "\n")
    data = tmp_path / "data"
    base = ["data", "download", "--data-dir", str(data), "--from", str(zip_path)]
    assert main(base) == 2
    assert "checksum mismatch" in capsys.readouterr().err
    sha = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert main([*base, "--sha256", sha]) == 0
    assert "snli:dev" in capsys.readouterr().err
    assert main(["data", "download", "--data-dir", str(data)]) == 0
    assert "already in" in capsys.readouterr().err
    assert [e.id for e in load_examples("snli:test", data_dir=data)] == ["p1"]


def test_write_jsonl_round_trips_chaosnli(tmp_path: Path) -> None:
    write_chaosnli_like(tmp_path)
    chaos = load_examples("chaosnli:snli", data_dir=tmp_path)[:20]
    path = tmp_path / "chaos_copy.jsonl"
    assert write_jsonl(chaos, path) == 20
    again = load_examples(path)
    assert again == chaos
    assert [e.meta for e in again] == [e.meta for e in chaos]


def test_data_without_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data"]) == 2
    assert "download" in capsys.readouterr().out
