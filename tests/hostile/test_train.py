"""`nli-probe train` on a tiny model: its data errors' hints name options it has, and the trained
weights get the same file mode as the rest of the run folder (safetensors wrote them 0600)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.hostile.conftest import LABELS, Cli, write_pairs


def _preset(tmp_path: Path, base: Path, method: str) -> Path:
    subjects = ("a man", "a woman", "two children", "a dog")
    rows = [
        (
            f"t{i}",
            f"{subjects[i % 4]} is playing .",
            f"{subjects[(i + 1) % 4]} is here .",
            LABELS[i % 3],
        )
        for i in range(12)
    ]
    train = write_pairs(tmp_path / "train.jsonl", rows)
    train.write_text(train.read_text() + "not json\n", encoding="utf-8")
    dev_rows = [
        (f"d{i}", premise, f"{hypothesis} now", gold)
        for i, (_, premise, hypothesis, gold) in enumerate(rows)
    ]
    dev = write_pairs(tmp_path / "dev.jsonl", dev_rows)
    preset = tmp_path / "tiny.toml"
    preset.write_text(
        f"base_model = {json.dumps(str(base))}\nmethod = {json.dumps(method)}\n"
        f"train_data = [{json.dumps(str(train))}]\neval_data = {json.dumps(str(dev))}\n"
        'epochs = 1.0\nbatch_size = 8\neval_batch_size = 8\nprecision = "fp32"\n'
        'logging_steps = 1\n[lora]\nr = 2\nalpha = 4\ntarget_modules = ["query", "value"]\n',
        encoding="utf-8",
    )
    return preset


def test_train_skips_bad_rows_when_asked_and_shares_its_file_mode(
    cli: Cli, tiny_roberta: Path, tmp_path: Path
) -> None:
    preset = _preset(tmp_path, tiny_roberta, "lora")
    run = tmp_path / "run"
    refused = cli("train", preset, "-o", run, "--no-progress")
    assert "train.jsonl:13: malformed JSON" in refused.error
    assert "use --skip-bad-rows" in refused.error
    trained = cli("train", preset, "-o", run, "--no-progress", "--skip-bad-rows")
    assert trained.status == 0, trained.err
    summary = json.loads((run / "data_summary.json").read_text())
    assert [row["line"] for row in summary["skipped_rows"]] == [13]
    mode = stat.S_IMODE((run / "config.toml").stat().st_mode)
    weights = sorted(run.rglob("*.safetensors"))
    assert weights, "the run saved no weights"
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in weights} == {
        path.name: mode for path in weights
    }
