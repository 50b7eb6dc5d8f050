"""Cases 3, 4, 8 and 10: evaluate and probe refuse pairs that share an id, an unclosed CSV quote
is reported where it opens and swallows nothing, `predict --file` reads through the data readers,
and every command that reads data takes the data options its errors suggest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.conftest import Cli, ModelFolders, write_pairs


@pytest.fixture
def shared_ids(tmp_path: Path) -> Path:
    return write_pairs(
        tmp_path / "dups.jsonl",
        [
            ("x", "a man is playing .", "a man is outside .", "entailment"),
            ("x", "a dog is sleeping .", "two children are eating .", "neutral"),
            ("y", "a girl is running .", "a boy is sitting .", "contradiction"),
        ],
    )


@pytest.mark.parametrize("command", ["evaluate", "probe"])
def test_pairs_sharing_an_id_are_refused_with_the_id(
    cli: Cli, models: ModelFolders, shared_ids: Path, tmp_path: Path, command: str
) -> None:
    suite = ["-s", "robustness"] if command == "probe" else []
    result = cli(command, "-m", models.tiny, "-d", shared_ids, *suite, "-o", tmp_path / "run")
    assert "1 id(s) name more than one pair ('x')" in result.error
    assert not (tmp_path / "run" / "report.json").exists()


def _unclosed_quote_csv(path: Path) -> Path:
    lines = ["id,premise,hypothesis,label"]
    for number in range(1, 100):
        premise = '"a man is playing' if number == 2 else f"a man {number}"
        lines.append(f"{number},{premise},a man is outside,entailment")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_unclosed_quote_is_reported_at_its_line(cli: Cli, tmp_path: Path) -> None:
    data = _unclosed_quote_csv(tmp_path / "quote.csv")
    error = cli("data", "info", data).error
    assert f"{data}:3: a quote is opened and never closed" in error
    assert "--skip-bad-rows" in error


def test_an_unclosed_quote_swallows_no_other_row(cli: Cli, tmp_path: Path) -> None:
    data = _unclosed_quote_csv(tmp_path / "quote.csv")
    result = cli("data", "info", data, "--skip-bad-rows", "--json")
    assert result.status == 0, result.err
    info = json.loads(result.out)
    assert info["rows"] == 98 and info["skipped"] == 1
    assert info["skipped_rows"][0]["line"] == 3


def test_a_quoted_field_may_still_span_lines(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "multi.csv"
    data.write_text(
        'id,premise,hypothesis,label\n1,"a man\nis playing",a man,entailment\n'
        "2,a dog,a cat,neutral\n",
        encoding="utf-8",
    )
    result = cli("data", "info", data, "--json")
    assert result.status == 0, result.err
    assert json.loads(result.out)["rows"] == 2


def test_predict_file_reads_invalid_utf8_like_the_data_readers(
    cli: Cli, models: ModelFolders, tmp_path: Path
) -> None:
    data = tmp_path / "pairs.jsonl"
    data.write_bytes(
        b'{"premise": "a man \xff", "hypothesis": "a dog"}\n'
        b'{"premise": "a man", "hypothesis": "a dog"}\n'
    )
    error = cli("predict", "-m", models.tiny, "-f", data).error
    assert f"{data}:1: not valid UTF-8" in error and "--skip-bad-rows" in error
    skipped = cli("predict", "-m", models.tiny, "-f", data, "--skip-bad-rows")
    assert skipped.status == 0, skipped.err
    assert len(skipped.out.splitlines()) == 1
    assert f"{data}:1: not valid UTF-8" in skipped.err


def test_predict_file_accepts_a_bom_and_refuses_empty_text(
    cli: Cli, models: ModelFolders, tmp_path: Path
) -> None:
    data = tmp_path / "pairs.jsonl"
    data.write_bytes(b'\xef\xbb\xbf{"premise": "a man", "hypothesis": "a dog"}\n')
    result = cli("predict", "-m", models.tiny, "-f", data)
    assert result.status == 0, result.err
    assert json.loads(result.out)["id"] == "pairs:1"
    data.write_bytes(data.read_bytes() + b'{"premise": "", "hypothesis": "a dog"}\n')
    assert (
        f"{data}:2: field 'premise': empty text"
        in cli("predict", "-m", models.tiny, "-f", data).error
    )
    assert "the premise is empty" in cli("predict", "-m", models.tiny, " ", "a dog").error


def test_predict_file_reads_csv_and_named_columns(
    cli: Cli, models: ModelFolders, tmp_path: Path
) -> None:
    data = tmp_path / "pairs.csv"
    data.write_text("s1,s2\na man is playing,a man is outside\n", encoding="utf-8")
    argv = ["predict", "-m", models.tiny, "-f", data]
    assert "--premise-column" in cli(*argv).error
    result = cli(*argv, "--premise-column", "s1", "--hypothesis-column", "s2")
    assert result.status == 0, result.err
    assert json.loads(result.out)["premise"] == "a man is playing"


@pytest.mark.parametrize("command", ["evaluate", "probe"])
def test_skip_bad_rows_is_there_where_the_hint_names_it(
    cli: Cli, models: ModelFolders, pairs: Path, tmp_path: Path, command: str
) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text(pairs.read_text() + "not json\n", encoding="utf-8")
    suite = ["-s", "robustness"] if command == "probe" else ["--resamples", "0"]
    argv = [command, "-m", models.tiny, "-d", data, *suite, "--no-progress"]
    assert "use --skip-bad-rows" in cli(*argv, "-o", tmp_path / "a").error
    result = cli(*argv, "-o", tmp_path / "b", "--skip-bad-rows")
    assert result.status == 0, result.err
    assert f"{data}:21: malformed JSON" in result.err
