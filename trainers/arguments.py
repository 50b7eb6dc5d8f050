"""`TrainingArguments` from a `TrainConfig`, and the training precision this machine gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nli_probe.models.precision import PrecisionChoice

from .config import TrainConfig


def resolve_precision(precision: str) -> PrecisionChoice:
    """`fp32`, `bf16` or `fp16` for training on this machine, and why.

    `auto` picks bf16 on a GPU that has it, else fp16 on a GPU; on a CPU bf16 where it was
    measured faster (AMX), else fp32 (see `nli_probe.models.precision`). fp16 needs a GPU; an
    explicit bf16 on a CPU that only emulates it runs, with a warning.
    """
    import torch

    from nli_probe.models import hardware
    from nli_probe.models.device import precision_choice

    if hardware.cuda_available():
        device = "cuda"
    else:
        device = "mps" if torch.backends.mps.is_available() else "cpu"
    return precision_choice(precision, device, training=True)


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
