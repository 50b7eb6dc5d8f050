"""Which rank a process is (torchrun's variables, its GPU), and `torchrun` of the model commands:
two CPU processes over gloo, on a tiny model, give the same report.json (apart from its time
stamp) and the same predictions as one process; a rank killed mid-run takes the job down, and
the rerun resumes from the cache and the killed rank's journal. `test_sharding.py` checks the
engine's side in depth, with ranks as threads."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nli_probe.cli import main
from nli_probe.errors import NLIProbeError
from nli_probe.models import distributed
from nli_probe.models.journal import journal_folder
from nli_probe.testing.ranks import run_ranks
from tests.tiny_models import make_tiny_classifier
from tests.trainer_data import write_snli_jsonl

REPO = Path(__file__).resolve().parent.parent
WORKER = REPO / "tests" / "distributed_worker.py"
PAIRS = 160


def test_a_single_process_is_rank_0_of_1(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    assert (distributed.launched_size(), distributed.rank(), distributed.local_rank()) == (1, 0, 0)
    assert distributed.is_main_process()
    assert distributed.current() is None
    monkeypatch.setenv("WORLD_SIZE", "1")  # torchrun --nproc-per-node 1
    monkeypatch.setenv("RANK", "0")
    assert distributed.current() is None


def test_torchrun_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("RANK", "3")
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert (distributed.launched_size(), distributed.rank(), distributed.local_rank()) == (4, 3, 1)
    assert not distributed.is_main_process()
    monkeypatch.setenv("WORLD_SIZE", "two")
    with pytest.raises(NLIProbeError, match=r"\$WORLD_SIZE is 'two': torchrun sets it"):
        distributed.launched_size()


def test_each_rank_on_a_node_takes_its_own_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from nli_probe.models.device import resolve_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    assert resolve_device("auto") == resolve_device("cuda") == "cuda"
    monkeypatch.setenv("WORLD_SIZE", "4")  # two nodes of two
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert resolve_device(None) == resolve_device("cuda") == "cuda:1"
    assert resolve_device("cuda:0") == "cuda:0"
    monkeypatch.setenv("LOCAL_RANK", "2")
    with pytest.raises(NLIProbeError, match=r"number 2 on its node .* sees 2 GPU\(s\)"):
        resolve_device("auto")


def test_ranks_on_different_gpus_find_the_same_study_steps(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import torch
    from rich.console import Console

    from nli_probe.study.backend import Backend
    from nli_probe.study.config import load_study

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    backend, config = Backend(Console(quiet=True)), load_study("quick", ["precision=fp32"])
    monkeypatch.setenv("WORLD_SIZE", "2")
    identities = set()
    for place in ("0", "1"):
        monkeypatch.setenv("LOCAL_RANK", place)
        identities.add(backend.identify(str(tmp_path), config))
    assert len(identities) == 1


def test_main_process_first_lets_rank_0_go_first() -> None:
    order: list[int] = []

    def work(rank: int) -> None:
        with distributed.main_process_first():
            order.append(rank)

    assert all(result is None for result in run_ranks(3, work))
    assert order[0] == 0 and sorted(order) == [0, 1, 2]


def torchrun(*args: str, cwd: Path, worker: bool = False) -> subprocess.CompletedProcess[str]:
    """Two ranks of `nli-probe ARGS` (or of the test worker) on this machine, over gloo."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc-per-node=2"]
    command += [str(WORKER)] if worker else ["-m", "nli_probe"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env
    )


def report(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / "report.json").read_text())
    data.pop("created")
    return dict(data)


def same(got: Any, want: Any, where: str = "report") -> None:
    """`got` equals `want`, floats to within 2e-6: the ranks cut the pairs into other batches
    than one process does, and on some CPUs (AVX2 here) a batch's shape changes the last
    rounded digit of a probability (0.271448 vs 0.271449). Everything else must be equal."""
    if isinstance(want, float) and isinstance(got, float):
        assert abs(got - want) <= 2e-6, f"{where}: {got} != {want}"
    elif isinstance(want, dict) and isinstance(got, dict):
        assert got.keys() == want.keys(), f"{where}: keys {sorted(got)} != {sorted(want)}"
        for key in want:
            same(got[key], want[key], f"{where}/{key}")
    elif isinstance(want, list) and isinstance(got, list):
        assert len(got) == len(want), f"{where}: {len(got)} items != {len(want)}"
        for index, (one, other) in enumerate(zip(got, want, strict=True)):
            same(one, other, f"{where}[{index}]")
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A tiny model, 160 SNLI-like pairs, and one process's evaluate and probe runs of them (at
    one thread, as each torchrun rank runs)."""
    import torch

    root = tmp_path_factory.mktemp("distributed")
    make_tiny_classifier(root / "tiny", arch="roberta")
    write_snli_jsonl(root / "dev.jsonl", PAIRS, seed=4)
    threads, folder = torch.get_num_threads(), Path.cwd()
    options = common(root, "one.sqlite3")
    try:
        os.chdir(root)  # the commands run in the same folder as the torchrun ones
        status = main(["evaluate", *options, "-d", "dev.jsonl", "-o", "one-eval"])
        assert status == 0
        probe = ["-s", "robustness", "--limit", "40"]
        status = main(["probe", *options, "-d", "dev.jsonl", "-o", "one-probe", *probe])
        assert status == 0
    finally:
        torch.set_num_threads(threads)
        os.chdir(folder)
    yield root


def common(root: Path, cache: str) -> list[str]:
    """The model options every run shares: one thread, 4-pair batches, its own cache."""
    model = ["-m", str(root / "tiny"), "--no-progress", "--threads", "1"]
    return [*model, "--batch-size", "4", "--cache", str(root / cache)]


@pytest.mark.slow
def test_evaluate_on_two_ranks_equals_one_process(setup: Path) -> None:
    root = setup
    done = torchrun(
        "evaluate", *common(root, "two.sqlite3"), "-d", "dev.jsonl", "-o", "two-eval", cwd=root
    )
    assert done.returncode == 0, done.stderr[-3000:]
    same(report(root / "two-eval"), report(root / "one-eval"))
    one = jsonl(root / "one-eval" / "predictions.jsonl")
    same(jsonl(root / "two-eval" / "predictions.jsonl"), one, "predictions.jsonl")
    # Rank 0 alone spoke, wrote the cache, and cleared the other rank's journal.
    assert done.stdout.count("wrote ") == 1
    assert done.stdout.count("160 distinct pairs, 0 from the cache, 160 predicted") == 1
    with sqlite3.connect(root / "two.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == PAIRS
    assert not journal_folder(root / "two.sqlite3").exists()


@pytest.mark.slow
def test_probe_and_predict_on_two_ranks_equal_one_process(setup: Path) -> None:
    root = setup
    options = common(root, "three.sqlite3")
    done = torchrun(
        *["probe", *options, "-d", "dev.jsonl", "-o", "two-probe", "-s", "robustness"],
        *["--limit", "40", "+++", "predict", *options, "--file", "dev.jsonl"],
        *["--out", "two-predictions.jsonl", "+++", "evaluate", *options],
        *["-d", "dev.jsonl", "-o", "two-eval-again"],
        cwd=root,
        worker=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    same(report(root / "two-probe"), report(root / "one-probe"))
    predicted = jsonl(root / "two-predictions.jsonl")
    evaluated = jsonl(root / "one-eval" / "predictions.jsonl")
    assert [row["id"] for row in predicted] == [row["id"] for row in evaluated]
    for row, reference in zip(predicted, evaluated, strict=True):
        probs = [row["entailment"], row["neutral"], row["contradiction"]]
        same([round(p, 6) for p in probs], reference["predictions"]["tiny"], row["id"])
    # The evaluation after them found every pair in the cache.
    assert "160 distinct pairs, 160 from the cache, 0 predicted" in done.stdout
    same(report(root / "two-eval-again"), report(root / "one-eval"))


@pytest.mark.slow
def test_a_killed_rank_stops_the_job_and_the_rerun_resumes(setup: Path) -> None:
    root = setup
    cache = root / "killed.sqlite3"
    options = [*common(root, "killed.sqlite3"), "-d", "dev.jsonl"]
    # Batches of 2 pairs: 80 batches, about 40 per rank; rank 1 dies holding its 4th.
    options[options.index("--batch-size") + 1] = "2"
    done = torchrun("--die-after", "3", "evaluate", *options, "-o", "killed", cwd=root, worker=True)
    assert done.returncode != 0
    assert "exitcode  : -9" in done.stderr  # torchrun names the killed rank
    assert not (root / "killed" / "report.json").exists()
    journals = list(journal_folder(cache).glob("*-rank1.jsonl"))
    assert len(journals) == 1
    kept_by_rank_1 = [json.loads(line) for line in journals[0].read_text().splitlines()]
    assert len(kept_by_rank_1) == 3  # every finished batch, not the one in flight
    with sqlite3.connect(cache) as db:
        kept_by_rank_0 = db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0]
    kept = kept_by_rank_0 + sum(len(batch["rows"]) for batch in kept_by_rank_1)

    rerun = torchrun("evaluate", *options, "-o", "resumed", cwd=root)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"{PAIRS} distinct pairs, {kept} from the cache, {PAIRS - kept} predicted" in (
        rerun.stdout
    )
    assert not journal_folder(cache).exists()
    one = jsonl(root / "one-eval" / "predictions.jsonl")
    same(jsonl(root / "resumed" / "predictions.jsonl"), one, "predictions.jsonl")


@pytest.mark.slow
def test_study_trains_with_ddp_then_evaluates_and_probes_sharded(setup: Path) -> None:
    root = setup
    write_snli_jsonl(root / "train.jsonl", 32, seed=1)
    preset = root / "tiny-full.toml"
    preset.write_text(
        f'base_model = "{root / "tiny"}"\ntrain_data = ["{root / "train.jsonl"}"]\n'
        f'eval_data = "{root / "dev.jsonl"}"\nheld_out = 0\nprecision = "fp32"\n'
        "batch_size = 4\nepochs = 1.0\nmax_length = 128\nlogging_steps = 1\n",
        encoding="utf-8",
    )
    study = root / "tiny-study.toml"
    study.write_text(
        f'full = "{preset}"\nlora = ""\nprecision = "fp32"\nsuites = ["robustness"]\n'
        "probe_examples = 30\nresamples = 20\n",
        encoding="utf-8",
    )
    done = torchrun("study", str(study), "--out", "study", "--threads", "1", cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    metrics = json.loads((root / "study" / "models" / "full" / "metrics.json").read_text())
    assert metrics["world_size"] == 2
    data = json.loads((root / "study" / "report.json").read_text())
    assert len(data["examples"]) == PAIRS
    assert [run["name"] for run in data["models"]] == ["full"]
    assert {run["suite"] for run in data["suites"]} == {"robustness"}
    assert done.stdout.count("run folder: study") == 1  # rank 1 said nothing
    # The trainer's own evaluation (gathered from both ranks by the Trainer) was reused for
    # every pair, and it is what the trained model predicts for each of them.
    assert f"{PAIRS} of {PAIRS} pairs from full's training run" in done.stdout
    from nli_probe import load_model, predict

    model = load_model(root / "study" / "models" / "full", device="cpu", precision="fp32")
    examples = json.loads((root / "study" / "report.json").read_text())["examples"]
    expected = predict(model, [(e["premise"], e["hypothesis"]) for e in examples])
    saved = data["models"][0]["predictions"]
    for example, prediction in zip(examples, expected, strict=True):
        assert saved[example["id"]] == pytest.approx(list(prediction.probs), abs=1e-5)
