"""Case 9 and issue 13's item: every numeric option of every command, and every trainer key, is
range-checked when it is read, into the one-line exit-2 error (a negative `--seed` was a
traceback; `learning_rate=-1` a torch error after the data loaded; `held_out=-5` was taken)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import Cli

# (command words, option, bad values); the other arguments need not exist: numbers are checked
# while the command line is parsed, before anything is read.
NUMERIC_OPTIONS: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = [
    (("evaluate", "-m", "x", "-d", "x.jsonl"), "--limit", ("0", "-3", "ten")),
    (("evaluate", "-m", "x", "-d", "x.jsonl"), "--resamples", ("-1", "2000000", "1.5")),
    (("evaluate", "-m", "x", "-d", "x.jsonl"), "--seed", ("-1", "nan")),
    (("evaluate", "-m", "x", "-d", "x.jsonl"), "--show-pairs", ("-1",)),
    (("evaluate", "-m", "x", "-d", "x.jsonl"), "--batch-size", ("0", "-64")),
    (("evaluate", "-m", "x", "-d", "x.jsonl"), "--max-length", ("0", "7", "abc")),
    (("probe", "-m", "x", "-s", "robustness", "-d", "x.jsonl"), "--limit", ("0",)),
    (("probe", "-m", "x", "-s", "robustness", "-d", "x.jsonl"), "--seed", ("-1",)),
    (("probe", "-m", "x", "-s", "robustness", "-d", "x.jsonl"), "--show-failures", ("-2",)),
    (("probe", "-m", "x", "-s", "robustness", "-d", "x.jsonl"), "--batch-size", ("0",)),
    (("probe", "-m", "x", "-s", "robustness", "-d", "x.jsonl"), "--max-length", ("-1",)),
    (("predict", "-m", "x", "a", "b"), "--batch-size", ("0",)),
    (("predict", "-m", "x", "a", "b"), "--max-length", ("3",)),
    (("report", "x"), "--resamples", ("-5",)),
    (("report", "x"), "--seed", ("-1",)),
    (("tui", "x"), "--resamples", ("-1",)),
    (("tui", "x"), "--max-length", ("0",)),
    (("data", "prepare", "x.jsonl", "-o", "y.jsonl"), "--fraction", ("0", "1.5", "nan", "-1")),
    (("data", "prepare", "x.jsonl", "-o", "y.jsonl"), "--count", ("0", "-3")),
    (("data", "prepare", "x.jsonl", "-o", "y.jsonl"), "--seed", ("-1",)),
    (("data", "prepare", "x.jsonl", "-o", "y.jsonl"), "--min-agreement", ("0",)),
]


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [(command, option, value) for command, option, values in NUMERIC_OPTIONS for value in values],
)
def test_numeric_options_are_range_checked(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...],
    option: str, value: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    error = cli(*command, f"{option}={value}").error
    assert f"argument {option}" in error and f"`nli-probe {command[0]}" in error
    assert not any(tmp_path.iterdir())  # nothing was written


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("learning_rate=-1", "`learning_rate` must be more than 0, got -1"),
        ("held_out=-5", "`held_out` must be at least 0, got -5"),
        ("epochs=0", "`epochs` must be more than 0"),
        ("epochs=nan", "`epochs` must be more than 0"),
        ("warmup_ratio=1.5", "`warmup_ratio` must be 0 or more and below 1"),
        ("weight_decay=-0.1", "`weight_decay` must be 0 or more"),
        ("max_grad_norm=-1", "`max_grad_norm` must be 0 or more"),
        ("max_steps=0", "`max_steps` must be -1"),
        ("seed=-1", "`seed` must be from 0 to 4294967295"),
        ("split_seed=4294967296", "`split_seed` must be from 0 to 4294967295"),
        ("sample_seed=-2", "`sample_seed` must be from 0"),
        ("train_count=-1", "`train_count` must be at least 0"),
        ("min_agreement=-1", "`min_agreement` must be at least 0"),
        ("logging_steps=0", "`logging_steps` must be at least 1"),
        ("save_total_limit=0", "`save_total_limit` must be at least 1"),
        ("dataloader_workers=-1", "`dataloader_workers` must be at least 0"),
        ("max_length=4", "`max_length` must be at least 8"),
        ("lora.alpha=0", "`lora.alpha` must be at least 1"),
        ("lora.dropout=1", "`lora.dropout` must be 0 or more and below 1"),
        ("lr_scheduler=cosin", "did you mean 'cosine'"),
        ("best_metric=acc", "`best_metric` = 'acc' is not one of"),
        ("eval_data=", "`eval_data` is empty"),
        ("dynamics_steps=-1", "`dynamics_steps` must be at least 0"),
        ("dynamics_steps=5", "`dynamics_steps` = 5 needs `record_dynamics` = true"),
        ("dynamics_pass=inferenc", "did you mean 'inference'"),
    ],
)
def test_trainer_overrides_are_range_checked_when_read(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, override: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    # --data-dir names no folder: the config must fail before any data is looked for.
    error = cli("train", "quick-full", override, "--data-dir", tmp_path / "none").error
    assert message in error
    assert not any(tmp_path.iterdir())


def test_study_trainer_overrides_are_checked_too(cli: Cli, tmp_path: Path) -> None:
    error = cli("study", "quick", "train.learning_rate=-1", "--out", tmp_path / "run").error
    assert "`learning_rate` must be more than 0" in error
