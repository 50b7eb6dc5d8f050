"""`nli-probe tui` refuses a bad `--model` before the screen switches (issue 20, bug 1): a
missing or non-model folder, named or not, and two models under one name; the UI never
starts, so nothing is lost at the first prediction."""

from __future__ import annotations

from pathlib import Path

import pytest

from nli_probe import save_report
from tests.hostile.conftest import Cli, ModelFolders
from tests.tui.fixtures import scored_report


@pytest.fixture
def run(tmp_path: Path) -> Path:
    save_report(scored_report(), tmp_path / "run" / "report.json")
    return tmp_path / "run"


@pytest.mark.parametrize("spec", ["full=./no/such/folder", "./no/such/folder"])
def test_a_missing_model_folder(cli: Cli, run: Path, spec: str) -> None:
    error = cli("tui", run, "-m", spec).error
    assert error.startswith(f"nli-probe: error: --model {spec}: ")
    assert "no/such/folder does not exist" in error


def test_a_folder_that_holds_no_model(cli: Cli, run: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    error = cli("tui", run, "-m", f"full={empty}").error
    assert error.startswith(f"nli-probe: error: --model full={empty}: {empty}")
    assert "config.json" in error  # what a model folder holds


def test_two_models_under_one_name(cli: Cli, run: Path, models: ModelFolders) -> None:
    error = cli("tui", run, "-m", f"m={models.tiny}", "-m", f"m={models.tiny}").error
    assert "two models are called 'm'; name them NAME=MODEL" in error
