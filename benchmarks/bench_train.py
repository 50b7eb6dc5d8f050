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
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nli_probe.trainers import TrainConfig, load_preset, train  # noqa: E402

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
        config = _config(method, precision, args)
        results[name] = {"bare": [], "trainer": []}
        for round_index in range(args.rounds):
            order = ("bare", "trainer") if round_index % 2 == 0 else ("trainer", "bare")
            for side in order:
                speed = _bare(config, args) if side == "bare" else _trainer(config, args)
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


def _config(
    method: str, precision: str, args: argparse.Namespace, *, base_model: str = ""
) -> TrainConfig:
    return load_preset(
        f"quick-{method}",
        [
            *([f"base_model={_toml_string(base_model)}"] if base_model else []),
            # The shared data folder where there is one; else the data folder's usual lookup.
            *([f"data_dir={_toml_string(str(DATA))}"] if DATA.is_dir() else []),
            "held_out=64",  # evaluation is not timed: keep it small
            "train_count=2000",
            f"batch_size={args.batch_size}",
            f"precision={precision}",
            f"max_steps={args.warmup + args.steps}",
            "logging_steps=5",
            "save_total_limit=1",
        ],
    )


def _trainer(config: TrainConfig, args: argparse.Namespace) -> float:
    from transformers import TrainerCallback

    marks: dict[int, float] = {}

    class Timer(TrainerCallback):  # type: ignore[misc]
        def on_step_end(self, a: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if state.global_step in (args.warmup, args.warmup + args.steps):
                _synchronize(a.device.type)  # the GPU's queued work belongs to these steps
                marks[state.global_step] = time.perf_counter()

    with tempfile.TemporaryDirectory() as folder:
        train(config, Path(folder) / "run", progress=False, callbacks=[Timer()])
    elapsed = marks[args.warmup + args.steps] - marks[args.warmup]
    return args.steps * config.batch_size / elapsed


def _bare(config: TrainConfig, args: argparse.Namespace) -> float:
    import torch
    from nli_probe.trainers.build import build_model
    from nli_probe.trainers.encode import encode_examples
    from transformers import DataCollatorWithPadding, set_seed

    from nli_probe.data.split import prepare_data

    set_seed(config.seed)
    data = prepare_data(config)
    built = build_model(config)
    device = "cuda" if torch.cuda.is_available() else "cpu"  # where the Trainer trains too
    model = built.model.to(device)
    model.train()
    encoded = encode_examples(built.tokenizer, data.train, config.max_length)
    loader = torch.utils.data.DataLoader(
        encoded,
        batch_size=config.batch_size,
        shuffle=True,
        collate_fn=DataCollatorWithPadding(built.tokenizer),
        generator=torch.Generator().manual_seed(config.seed),
    )
    trainable = [p for p in model.parameters() if p.requires_grad]
    # The Trainer's own optimizer: TrainingArguments' default is adamw_torch_fused.
    optimizer = torch.optim.AdamW(
        trainable, lr=config.learning_rate, weight_decay=config.weight_decay, fused=True
    )
    total = args.warmup + args.steps
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / total)
    half = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(config.precision)
    scaler = torch.amp.GradScaler(device, enabled=config.precision == "fp16")
    batches = iter(loader)
    start = 0.0
    for step in range(1, total + 1):
        batch = {key: value.to(device, non_blocking=True) for key, value in next(batches).items()}
        with torch.autocast(device, dtype=half or torch.bfloat16, enabled=half is not None):
            loss = model(**batch).loss
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(trainable, config.max_grad_norm)
        scaler.step(optimizer)
        scaler.update()
        scheduler.step()
        optimizer.zero_grad()
        if step == args.warmup:
            _synchronize(device)
            start = time.perf_counter()
    _synchronize(device)
    return args.steps * config.batch_size / (time.perf_counter() - start)


def _synchronize(device: str) -> None:
    import torch

    if device == "cuda":
        torch.cuda.synchronize()


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    sys.exit(main())
