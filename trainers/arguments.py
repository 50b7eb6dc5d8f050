"""`TrainingArguments` from a `TrainConfig`, and the precision the hardware allows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nli_probe.errors import NLIProbeError

from .config import TrainConfig


def resolve_precision(precision: str) -> str:
    """`fp32`, `bf16` or `fp16` for this machine.

    `auto` picks bf16 on a GPU that has it, else fp16 on a GPU, else fp32 (on CPU bf16 is an
    explicit choice: faster, at a small cost in accuracy). fp16 needs a GPU.
    """
    import torch

    cuda = torch.cuda.is_available()
    if precision == "auto":
        if cuda:
            return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return "fp32"
    if precision == "fp16" and not cuda:
        raise NLIProbeError("precision = 'fp16' needs a CUDA GPU; use 'bf16' or 'fp32' on CPU")
    if precision == "bf16" and cuda and not torch.cuda.is_bf16_supported():
        raise NLIProbeError("this GPU has no bf16; use precision = 'fp16' or 'auto'")
    return precision


def training_arguments(config: TrainConfig, output_dir: Path, *, precision: str) -> Any:
    """The `transformers.TrainingArguments` for `config`, checkpointing into `output_dir`."""
    import torch
    from transformers import TrainingArguments

    steps = config.eval_strategy == "steps"
    return TrainingArguments(
        output_dir=str(output_dir),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.eval_batch_size,
        gradient_accumulation_steps=config.grad_accum,
        learning_rate=config.learning_rate,
        weight_decay=config.weight_decay,
        # A float below 1 is a fraction of the training steps.
        warmup_steps=config.warmup_ratio,
        lr_scheduler_type=config.lr_scheduler,
        max_grad_norm=config.max_grad_norm,
        bf16=precision == "bf16",
        fp16=precision == "fp16",
        # Without a GPU, transformers must be told it is on the CPU: for CPU bf16 autocast, and
        # for torchrun / accelerate launch to run DDP over gloo.
        use_cpu=not torch.cuda.is_available() and not torch.backends.mps.is_available(),
        eval_strategy=config.eval_strategy,
        save_strategy=config.eval_strategy,
        eval_steps=config.eval_steps if steps else None,
        save_steps=config.eval_steps if steps else 500,
        logging_strategy="steps",
        logging_steps=config.logging_steps,
        save_total_limit=config.save_total_limit,
        load_best_model_at_end=config.keep_best,
        metric_for_best_model=config.best_metric,
        greater_is_better=config.best_metric != "loss",
        seed=config.seed,
        data_seed=config.seed,
        dataloader_num_workers=config.dataloader_workers,
        dataloader_pin_memory=torch.cuda.is_available(),
        remove_unused_columns=False,
        report_to="none",
        disable_tqdm=True,
        # DDP: the LoRA-frozen base leaves no unused parameters in these encoders.
        ddp_find_unused_parameters=False,
    )
