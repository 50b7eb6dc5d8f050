"""`torchrun` of the same `nli-probe train` command: two CPU processes (gloo) on a tiny model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tiny_models import make_tiny_classifier
from tests.trainer_data import write_snli_jsonl


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_torchrun_two_cpu_processes(tmp_path: Path) -> None:
    base = make_tiny_classifier(tmp_path / "base", arch="roberta")
    write_snli_jsonl(tmp_path / "train.jsonl", 32, seed=1)
    write_snli_jsonl(tmp_path / "dev.jsonl", 24, seed=2)
    preset = tmp_path / "tiny.toml"
    preset.write_text(
        f'base_model = "{base}"\ntrain_data = ["{tmp_path / "train.jsonl"}"]\n'
        f'eval_data = "{tmp_path / "dev.jsonl"}"\nprecision = "fp32"\nbatch_size = 4\n'
        f"epochs = 2.0\nmax_length = 32\nlogging_steps = 1\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2"]
    command += ["--master_addr=127.0.0.1", f"--master_port={_free_port()}"]
    command += ["-m", "nli_probe", "train", str(preset), "-o", str(out), "--no-progress"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["world_size"] == 2
    # 32 pairs over 2 processes x batch 4 = 4 steps per epoch.
    assert metrics["train"]["steps"] == 8
    assert metrics["eval_pairs"] == 24
    from nli_probe.models.load import load_model

    model = load_model(out, device="cpu", precision="fp32")
    assert [str(label) for label in model.label_map.columns] == [
        "entailment",
        "neutral",
        "contradiction",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("pass_name", ["training", "inference"])
def test_torchrun_records_dynamics_in_shards_and_merges_them(
    tmp_path: Path, pass_name: str
) -> None:
    import numpy as np
    from nli_probe.trainers import load_preset

    from nli_probe.data.split import prepare_data
    from nli_probe.models.load import load_model
    from nli_probe.scoring.datamap.dynamics import read_dynamics

    base = make_tiny_classifier(tmp_path / "base", arch="bert")
    write_snli_jsonl(tmp_path / "train.jsonl", 30, seed=1)
    write_snli_jsonl(tmp_path / "dev.jsonl", 24, seed=2)
    every = "dynamics_steps = 3\n" if pass_name == "inference" else ""
    preset = tmp_path / "tiny.toml"
    preset.write_text(
        f'base_model = "{base}"\ntrain_data = ["{tmp_path / "train.jsonl"}"]\n'
        f'eval_data = "{tmp_path / "dev.jsonl"}"\nprecision = "fp32"\nbatch_size = 4\n'
        f"epochs = 2.0\nmax_length = 32\nlogging_steps = 1\nkeep_best = false\n"
        f'record_dynamics = true\ndynamics_pass = "{pass_name}"\n{every}',
        encoding="utf-8",
    )
    out = tmp_path / "run"
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2"]
    command += ["--master_addr=127.0.0.1", f"--master_port={_free_port()}"]
    command += ["-m", "nli_probe", "train", str(preset), "-o", str(out), "--no-progress"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    dynamics = read_dynamics(out / "dynamics.npz")
    assert not (out / "dynamics-shards").exists()
    assert dynamics.meta["world_size"] == 2
    # 30 pairs over 2 processes x batch 4: 4 steps per epoch (the sampler pads to 32).
    expected = [4, 8] if pass_name == "training" else [3, 4, 6, 8]
    assert dynamics.steps.tolist() == expected
    config = load_preset(str(preset))
    examples = prepare_data(config).train
    assert dynamics.pairs.ids.to_list() == [example.id for example in examples]
    assert np.isfinite(dynamics.gold_prob).all() and (dynamics.predicted >= 0).all()
    if pass_name == "inference":
        # Each process predicted half the pairs; merged, the last record is the final model's.
        model = load_model(out, device="cpu", precision="fp32", max_length=32)
        probs = np.array([p.probs for p in model.predict([e.pair for e in examples])])
        gold = dynamics.pairs.gold.astype(np.int64)
        np.testing.assert_allclose(
            dynamics.gold_prob[-1], probs[np.arange(len(gold)), gold], atol=1e-5
        )
