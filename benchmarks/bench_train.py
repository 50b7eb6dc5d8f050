"""Benchmark the trainers' training throughput against a bare PyTorch loop, on the MiniLM encoder.

For each of full fine-tuning and LoRA, in fp32 and under CPU/GPU bf16 autocast, it measures
steady-state training examples/s of

- `nli_probe.trainers.train` (the `nli-probe train` code path: `transformers.Trainer`, its
  dataloader, `DataCollatorWithPadding`, AdamW, linear schedule, gradient clipping, logging),
  timed by a callback from the end of step `--warmup` to the end of step `--warmup + --steps`;
- a bare loop over the same model (built by the trainers' `build_model`), the same training
  pairs (pre-tokenised), batch size, dynamic padding (`DataCollatorWithPadding`), AdamW with
  the same learning rate and weight decay, gradient clipping and autocast precision, timed over
  the same number of steps after the same warm-up.

Run folders, model loading, tokenisation and evaluation are not timed on either side. The CPU is
shared, so every configuration alternates bare/trainer for `--rounds` rounds (order flipped each
round) and the ratios printed at the end come from this one run.

    .venv/bin/python benchmarks/bench_train.py                 # all four configurations
    .venv/bin/python benchmarks/bench_train.py --steps 8 --rounds 1 --only lora-bf16
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from training_loops import bare_speed, quick_config, trainer_speed  # noqa: E402

DATA = Path(os.environ.get("NLI_PROBE_TEST_DATA", REPO.parent / "shared" / "data"))
CONFIGS = ("full-fp32", "full-bf16", "lora-fp32", "lora-bf16")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=16, help="timed steps per measurement")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--rounds", type=int, default=2, help="bare/trainer alternations")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--only", nargs="*", choices=CONFIGS, default=list(CONFIGS))
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    args = parser.parse_args(argv)
    from transformers.utils import logging as hf_logging

    from nli_probe.models.hardware import describe_machine, set_threads

    hf_logging.set_verbosity_error()
    set_threads(args.threads)
    print(describe_machine(), flush=True)
    print(f"batch {args.batch_size}, {args.steps} timed steps after {args.warmup}")
    results: dict[str, dict[str, list[float]]] = {}
    for name in args.only:
        method, precision = name.split("-")
        config = quick_config(method, precision, args, data=DATA)
        results[name] = {"bare": [], "trainer": []}
        for round_index in range(args.rounds):
            order = ("bare", "trainer") if round_index % 2 == 0 else ("trainer", "bare")
            for side in order:
                speed = bare_speed(config, args) if side == "bare" else trainer_speed(config, args)
                results[name][side].append(speed)
                print(f"  {name:10s} round {round_index + 1} {side:8s} {speed:7.1f} examples/s")
    print()
    print(f"{'config':10s} {'bare ex/s':>10s} {'trainer ex/s':>13s} {'ratio':>6s}")
    for name, sides in results.items():
        bare, trainer = statistics.mean(sides["bare"]), statistics.mean(sides["trainer"])
        print(f"{name:10s} {bare:10.1f} {trainer:13.1f} {trainer / bare:6.2f}x")
    for method in ("full", "lora"):
        if f"{method}-fp32" in results and f"{method}-bf16" in results:
            fp32 = statistics.mean(results[f"{method}-fp32"]["trainer"])
            bf16 = statistics.mean(results[f"{method}-bf16"]["trainer"])
            print(f"{method}: bf16 autocast / fp32 (trainer) = {bf16 / fp32:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
