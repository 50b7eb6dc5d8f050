"""The challenge sets' error paths (issue 16): a misspelt name, a set not downloaded, a wrong
file given to `data download --from`, a misspelt slice field or slice threshold, a
`--baseline-from` that is not there, a bad HANS row. Each is one line, exit status 2, and leaves
nothing behind (no run folder, no file in the data folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.conftest import REPO, Cli, ModelFolders, Result

FIXTURES = REPO / "tests" / "fixtures" / "challenge_data"


def error_after_reading(result: Result) -> str:
    """The one error line, after the line saying which file a name was read from (the error
    comes once the data is read)."""
    lines = result.err.splitlines()
    assert lines and lines[0].startswith("reading "), result.err
    return Result(status=result.status, out=result.out, err="\n".join(lines[1:])).error


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the hand-written challenge-set fixtures, as the data folder."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    monkeypatch.setenv("NLI_PROBE_DATA", str(folder))
    return folder


def test_a_misspelt_set_name_suggests_the_right_one(cli: Cli, data_dir: Path) -> None:
    assert "unknown data set 'hnas'; did you mean 'hans'?" in cli("data", "download", "hnas").error
    error = cli("data", "info", "breaking_nl").error
    assert "no such data file or data set name: 'breaking_nl'; did you mean 'breaking_nli'" in error


def test_a_set_not_downloaded_says_how_to_get_it(
    cli: Cli, data_dir: Path, models: ModelFolders, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    error = cli("evaluate", "-m", models.tiny, "-d", "hans:train", "-o", run).error
    assert "heuristics_train_set.txt is missing" in error
    assert "`nli-probe data download hans`" in error
    assert not run.exists()


def test_a_wrong_file_is_refused_and_nothing_lands_in_the_data_folder(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "empty-data"
    monkeypatch.setenv("NLI_PROBE_DATA", str(folder))
    other = tmp_path / "heuristics_evaluation_set.txt"
    other.write_text("gold_label\tsentence1\tsentence2\n", encoding="utf-8")
    error = cli("data", "download", "hans:evaluation", "--from", other).error
    assert "checksum mismatch (git blob id" in error
    assert "expected e042af242b19708d9c0256c713e873415c0b58a1" in error
    not_a_zip = tmp_path / "stress.zip"
    not_a_zip.write_text("<html>Google Drive can't scan this file</html>", encoding="utf-8")
    assert "not a zip file" in cli("data", "download", "stress", "--from", not_a_zip).error
    left = [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []
    assert left == []


def test_a_misspelt_slice_field_fails_before_any_model_loads(
    cli: Cli, data_dir: Path, models: ModelFolders, tmp_path: Path
) -> None:
    # The truncated checkpoint would fail to load: the --by error must come first.
    run = tmp_path / "run"
    argv = ("evaluate", "-m", models.truncated, "-d", "hans:evaluation", "--by", "heuristc")
    error = error_after_reading(cli(*argv, "-o", run))
    assert "--by: no field 'heuristc' to slice by; did you mean 'heuristic'?" in error
    assert not run.exists()


def test_a_missing_baseline_source_fails_before_any_model_loads(
    cli: Cli, data_dir: Path, models: ModelFolders, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-run"
    argv = ("evaluate", "-m", models.truncated, "-d", "anli:test", "--baseline-from", missing)
    error = error_after_reading(cli(*argv, "-o", tmp_path / "run"))
    assert error.startswith(f"nli-probe: error: --baseline-from: no such data file: {missing}")


def test_a_misspelt_slice_threshold_suggests_the_value(
    cli: Cli, data_dir: Path, models: ModelFolders, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    argv = ("evaluate", "-m", models.tiny, "-d", "hans:evaluation", "-d", "anli:test")
    assert cli(*argv, "--resamples", "0", "-o", run).status == 0
    threshold = "hans/heuristic=lexical_overlapp:accuracy=0.6"
    error = cli(
        "report", run, "--format", "json", "--out", tmp_path / "out", "--fail-under", threshold
    ).error
    assert "'lexical_overlapp'" in error and "did you mean 'lexical_overlap'?" in error
    assert not (tmp_path / "out").exists()


def test_a_bad_hans_row_is_named_and_can_be_skipped(cli: Cli, data_dir: Path) -> None:
    hans = data_dir / "hans" / "heuristics_evaluation_set.txt"
    lines = hans.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("entailment", "maybe", 1)
    hans.write_text("".join(lines), encoding="utf-8")
    error = cli("data", "info", "hans:evaluation").error
    assert f"{hans}:3:" in error and "'maybe'" in error and "--skip-bad-rows" in error
    result = cli("data", "info", "hans:evaluation", "--skip-bad-rows", "--json")
    assert result.status == 0, result.err
