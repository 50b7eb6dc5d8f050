"""Cases 2, 6, 7 and 10 and the model "Also" items: loading refuses silent garbage (a missing or
foreign tokenizer, truncated weights), caps `--max-length`, says when a head is untrained, keeps
transformers' own output off the terminal, and every model command takes `--label-names`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nli_probe.core.report import load_report
from tests.hostile.conftest import Cli, ModelFolders

PAIR = ("a man is playing in the park .", "a man is outside .")


def test_a_checkpoint_without_tokenizer_files_is_refused(cli: Cli, models: ModelFolders) -> None:
    error = cli("predict", "-m", models.no_tokenizer, *PAIR).error
    assert f"{models.no_tokenizer} has no tokenizer files" in error
    assert "tokenizer.json" in error and "vocab.txt" in error


def test_a_tokenizer_far_smaller_than_the_embeddings_is_refused(
    cli: Cli, models: ModelFolders
) -> None:
    error = cli("predict", "-m", models.foreign_tokenizer, *PAIR).error
    assert "its tokenizer knows 5 tokens but the model's embedding matrix has" in error


def test_an_adapter_over_a_base_without_tokenizer_is_refused(
    cli: Cli, models: ModelFolders, tmp_path: Path
) -> None:
    adapter = tmp_path / "adapter"
    shutil.copytree(models.lora, adapter)
    for file in adapter.glob("tokenizer*"):
        file.unlink()
    config = json.loads((adapter / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(models.no_tokenizer)
    (adapter / "adapter_config.json").write_text(json.dumps(config))
    assert "has no tokenizer files" in cli("predict", "-m", adapter, *PAIR).error


def test_max_length_beyond_the_position_limit_is_capped_with_a_notice(
    cli: Cli, models: ModelFolders, tmp_path: Path
) -> None:
    long_pair = ("a man is playing in the park . " * 60, "a man is outside .")
    result = cli("predict", "-m", models.tiny, "--max-length", "100000", "--jsonl", *long_pair)
    assert result.status == 0, result.err
    assert result.warnings == [
        f"nli-probe: warning: {models.tiny}: max length 100,000 is more than the 128 tokens its "
        f"position embeddings hold; pairs are truncated to 128 tokens"
    ]
    assert json.loads(result.out)["label"] in {"entailment", "neutral", "contradiction"}


@pytest.mark.parametrize("which", ["truncated", "garbage"])
def test_corrupt_weights_are_one_line_naming_the_file(
    cli: Cli, models: ModelFolders, which: str
) -> None:
    folder = getattr(models, which)
    error = cli("predict", "-m", folder, *PAIR).error
    assert f"{folder / 'model.safetensors'}: not a complete safetensors file" in error
    assert "download or save the model again" in error


def test_a_corrupt_adapter_file_is_one_line(cli: Cli, models: ModelFolders) -> None:
    error = cli("predict", "-m", models.broken_lora, *PAIR).error
    assert f"{models.broken_lora / 'adapter_model.safetensors'}: not a complete" in error


def test_no_progress_silences_the_weight_loading_bar(
    process: Cli, models: ModelFolders, pairs: Path, tmp_path: Path
) -> None:
    result = process(
        "evaluate", "-m", models.generic, "-d", pairs, "-o", tmp_path / "run", "--no-progress"
    )
    assert "Loading weights" not in result.err
    assert "--label-names entailment,neutral,contradiction" in result.error  # one line only


def test_a_lora_model_loads_without_transformers_missing_table(
    process: Cli, models: ModelFolders, pairs: Path, tmp_path: Path
) -> None:
    result = process(
        "evaluate", "-m", models.encoder_lora, "-d", pairs, "-o", tmp_path / "run",
        "--no-progress", "--resamples", "0",
    )  # fmt: skip
    assert result.status == 0, result.err
    for noise in ("MISSING", "LOAD REPORT", "newly initialized", "Warning", "warning"):
        assert noise not in result.err, result.err


def test_a_bare_encoder_with_label_names_warns_that_its_head_is_random(
    cli: Cli, models: ModelFolders
) -> None:
    result = cli(
        "predict", "-m", models.encoder, "--label-names", "entailment,neutral,contradiction",
        "--jsonl", *PAIR,
    )  # fmt: skip
    assert result.status == 0, result.err
    (warning,) = result.warnings
    assert "classification head" in warning and "predictions are random" in warning


@pytest.mark.parametrize("command", ["evaluate", "probe"])
def test_label_names_work_in_evaluate_and_probe(
    cli: Cli, models: ModelFolders, pairs: Path, tmp_path: Path, command: str
) -> None:
    suite = ["-s", "robustness"] if command == "probe" else ["--resamples", "0"]
    argv = [command, "-m", models.generic, "-d", pairs, *suite, "--no-progress"]
    refused = cli(*argv, "-o", tmp_path / "a")
    assert "--label-names entailment,neutral,contradiction" in refused.error
    named = cli(*argv, "-o", tmp_path / "b", "--label-names", "contradiction,neutral,entailment")
    assert named.status == 0, named.err


def test_name_equals_path_splits_at_the_first_equals_sign(
    cli: Cli, models: ModelFolders, pairs: Path, tmp_path: Path
) -> None:
    odd = tmp_path / "b=model"
    shutil.copytree(models.tiny, odd)
    run = tmp_path / "run"
    name = "[bold red]mine[/]"  # markup in a name is kept as text
    result = cli(
        "evaluate", "-m", f"{name}={odd}", "-d", pairs, "-o", run, "--resamples", "0",
        "--no-progress",
    )  # fmt: skip
    assert result.status == 0, result.err
    (model,) = load_report(run / "report.json").models
    assert model.name == name and model.settings["source"] == str(odd)


def test_a_folder_named_like_name_equals_path_is_ambiguous(
    cli: Cli, models: ModelFolders, pairs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(models.tiny, tmp_path / "model")
    shutil.copytree(models.tiny, tmp_path / "x=model")
    argv = ["-d", pairs, "-o", tmp_path / "run", "--resamples", "0", "--no-progress"]
    assert "is ambiguous" in cli("evaluate", "-m", "x=model", *argv).error
    assert cli("evaluate", "-m", "./x=model", *argv).status == 0
    assert "the name before '=' is empty" in cli("evaluate", "-m", "=model", *argv).error
