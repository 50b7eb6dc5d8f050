"""`nli-probe datamap` on bad input: every case is one error line, exit status 2, nothing
written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nli_probe.scoring.datamap.dynamics import write_dynamics
from tests.hostile.conftest import Cli
from tests.test_cli_datamap import _dynamics


@pytest.fixture
def run(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    folder.mkdir()
    write_dynamics(folder / "dynamics.npz", _dynamics())
    return folder


def test_missing_and_damaged_runs(cli: Cli, tmp_path: Path, run: Path) -> None:
    out = tmp_path / "out"
    assert "no such run folder" in cli("datamap", tmp_path / "nope", "--out", out).error
    shards = tmp_path / "training"
    (shards / "dynamics-shards").mkdir(parents=True)
    assert "training is still running or was interrupted" in cli("datamap", shards).error
    arrays = dict(np.load(run / "dynamics.npz"))
    arrays["votes"] = arrays["votes"][:3]
    np.savez(tmp_path / "short.npz", **arrays)
    error = cli("datamap", tmp_path / "short.npz", "--out", out).error
    assert "short.npz: damaged training dynamics file (votes do not match 30 pairs)" in error
    (tmp_path / "text.npz").write_text("hello")
    assert "not a readable training dynamics file" in cli("datamap", tmp_path / "text.npz").error
    assert not out.exists()


def test_options_and_outputs(cli: Cli, tmp_path: Path, run: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert "is a file, not a folder" in cli("datamap", run, "--out", a_file).error
    out = tmp_path / "out"
    assert "--easy: '2' is neither" in cli("datamap", run, "--easy", "2", "--out", out).error
    error = cli("datamap", run, "--votes", tmp_path / "none.jsonl", "--out", out).error
    assert "none.jsonl" in error
    error = cli("datamap", run, "--weak-majority", "1.5", "--out", out).error
    assert "argument --weak-majority" in error
    assert not out.exists()
