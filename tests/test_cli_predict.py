"""`nli-probe predict` on tiny models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nli_probe import PredictionCache, cli
from tests.tiny_models import make_tiny_classifier


def test_one_pair(tiny_roberta: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "c.sqlite3"
    argv = ["predict", "--model", str(tiny_roberta), "--cache", str(cache)]
    assert cli.main([*argv, "A man is sleeping.", "Nobody sleeps."]) == 0
    out = capsys.readouterr().out
    assert "entailment" in out and "neutral" in out and "contradiction" in out
    assert cli.main([*argv, "--jsonl", "A man is sleeping.", "Nobody sleeps."]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["premise"] == "A man is sleeping."
    assert sum(record[k] for k in ("entailment", "neutral", "contradiction")) == pytest.approx(1)
    with PredictionCache(cache) as opened:
        assert opened.count() == 1


def test_file_in_jsonl_out_and_cached_rerun(
    tiny_bert: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = tmp_path / "pairs.jsonl"
    lines = [
        {"id": "a", "premise": "Two dogs run.", "hypothesis": "Dogs are outside.", "n": 1},
        {"id": "b", "premise": "A girl sings.", "hypothesis": "Nobody sings.", "n": 2},
        {"id": "a-again", "premise": "Two dogs run.", "hypothesis": "Dogs are outside."},
    ]
    pairs.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    out = tmp_path / "out.jsonl"
    argv = ["predict", "-m", str(tiny_bert), "-f", str(pairs), "-o", str(out)]
    argv += ["--cache", str(tmp_path / "c.sqlite3"), "--batch-size", "2"]
    assert cli.main(argv) == 0
    assert "0 from the cache, 2 predicted" in capsys.readouterr().err
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r.get("id") for r in records] == ["a", "b", "a-again"]
    assert records[1]["premise"] == "A girl sings."
    assert records[1]["n"] == "2"  # other columns travel with the pair (as the readers keep them)
    assert records[0]["entailment"] == records[2]["entailment"]
    assert {r["label"] for r in records} <= {"entailment", "neutral", "contradiction"}
    first = out.read_text()
    assert cli.main(argv) == 0
    assert "2 from the cache, 0 predicted" in capsys.readouterr().err
    assert out.read_text() == first


def test_options_reach_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "nli_probe.models.hardware.cpu_has_native_bf16", lambda: True
    )  # bf16 not slow
    generic = make_tiny_classifier(tmp_path / "generic", labels=("LABEL_0", "LABEL_1", "LABEL_2"))
    argv = ["predict", "-m", str(generic), "--no-cache", "a", "b"]
    assert cli.main(argv) == 2
    assert "--label-names" in capsys.readouterr().err
    argv += ["--label-names", "contradiction,neutral,entailment", "--precision", "bf16"]
    argv += ["--device", "cpu", "--max-length", "32", "--jsonl"]
    assert cli.main(argv) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["label"]
    assert "precision: bf16 (asked for)" in captured.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"premise": "a"}\n', "no hypothesis column"),
        ('{"premise": "a", "hypothesis": "b"}\nnot json\n', "pairs.jsonl:2: malformed JSON"),
        ('{"text": "a"}\n', "no premise column"),
        ("[1, 2]\n", "pairs.jsonl:1: expected a JSON object"),
        ('{"premise": " ", "hypothesis": "b"}\n', "pairs.jsonl:1: field 'premise': empty text"),
    ],
)
def test_bad_input_files(
    tiny_roberta: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(content)
    assert cli.main(["predict", "-m", str(tiny_roberta), "-f", str(pairs), "--no-cache"]) == 2
    assert message in capsys.readouterr().err


def test_usage_errors(tiny_roberta: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["predict", "-m", str(tiny_roberta), "only a premise"]) == 2
    assert "PREMISE and a HYPOTHESIS" in capsys.readouterr().err
