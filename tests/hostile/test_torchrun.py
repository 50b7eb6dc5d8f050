"""torchrun's variables gone wrong: a command started with WORLD_SIZE but not by torchrun, a
variable that is not a number; and what a rank other than 0 prints (its errors only, tagged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import Cli


def test_world_size_without_torchrun_is_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tiny_roberta: Path, pairs: Path
) -> None:
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.delenv("RANK", raising=False)
    monkeypatch.delenv("MASTER_ADDR", raising=False)
    monkeypatch.delenv("MASTER_PORT", raising=False)
    result = cli("evaluate", "-m", tiny_roberta, "-d", pairs, "--no-progress")
    assert "$WORLD_SIZE is 2, but $MASTER_ADDR and $MASTER_PORT are not set" in result.error
    assert "start the command with torchrun" in result.error


@pytest.mark.parametrize(("name", "value"), [("WORLD_SIZE", "two"), ("RANK", "-1")])
def test_a_variable_that_is_not_a_rank_is_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv(name, value)
    result = cli("evaluate", "-m", "x", "-d", "x.jsonl")
    assert f"${name} is {value!r}: torchrun sets it to a whole number" in result.error


def test_other_ranks_print_only_their_errors_tagged(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "1")
    result = cli("evaluate", "-m", "x", "-d", tmp_path / "missing.jsonl")
    assert result.status == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("nli-probe: error (rank 1 of 2): ")
    assert "missing.jsonl" in lines[0]
