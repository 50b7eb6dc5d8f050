"""The two training loops `bench_train.py` compares, and the preset they train: the trainers'
`train` and a bare PyTorch loop doing the same work. Shared by `bench_train.py` and
`gpu_check.py` (import it with `benchmarks/` on sys.path).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from nli_probe.trainers import TrainConfig, load_preset, train

from nli_probe.core.presets import toml_value


def quick_config(
    method: str, precision: str, args: argparse.Namespace, *, base_model: str = "", data: Path
) -> TrainConfig:
    """The `quick-METHOD` trainer preset sized for timing (`args`: batch_size, warmup, steps),
    on the data folder `data` where there is one."""
    return load_preset(
        f"quick-{method}",
        [
            *([f"base_model={toml_value(base_model)}"] if base_model else []),
            # The shared data folder where there is one; else the data folder's usual lookup.
            *([f"data_dir={toml_value(str(data))}"] if data.is_dir() else []),
            "held_out=64",  # evaluation is not timed: keep it small
            "train_count=2000",
            f"batch_size={args.batch_size}",
            f"precision={precision}",
            f"max_steps={args.warmup + args.steps}",
            "logging_steps=5",
            "save_total_limit=1",
        ],
    )


def trainer_speed(config: TrainConfig, args: argparse.Namespace) -> float:
    """Training examples/s of `nli_probe.trainers.train`, timed by a callback over
    `args.steps` steps after `args.warmup`."""
    from transformers import TrainerCallback

    marks: dict[int, float] = {}

    class Timer(TrainerCallback):  # type: ignore[misc]
        def on_step_end(self, a: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if state.global_step in (args.warmup, args.warmup + args.steps):
                synchronize(a.device.type)  # the GPU's queued work belongs to these steps
                marks[state.global_step] = time.perf_counter()

    with tempfile.TemporaryDirectory() as folder:
        train(config, Path(folder) / "run", progress=False, callbacks=[Timer()])
    elapsed = marks[args.warmup + args.steps] - marks[args.warmup]
    return args.steps * config.batch_size / elapsed


def bare_speed(config: TrainConfig, args: argparse.Namespace) -> float:
    """Training examples/s of a bare PyTorch loop over the same model, pairs, batch size,
    optimizer and precision, timed the same way."""
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
            synchronize(device)
            start = time.perf_counter()
    synchronize(device)
    return args.steps * config.batch_size / (time.perf_counter() - start)


def synchronize(device: str) -> None:
    """Wait for the GPU's queued work (nothing to wait for on a CPU)."""
    import torch

    if device == "cuda":
        torch.cuda.synchronize()
