"""`train`: one code path for full fine-tuning and LoRA, on `transformers.Trainer`.

The run folder (see `RunPaths`) is reused when it already holds this finished run, and an
interrupted run continues from its newest complete checkpoint with `resume=True`. Under
`torchrun` / `accelerate launch` every process runs this same function; only the main process
writes the run folder's own files.
"""

from __future__ import annotations

import errno
import json
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nli_probe.data.split import prepare_data
from nli_probe.errors import NLIProbeError

from .build import build_model
from .card import model_card
from .config import TrainConfig, dump_toml, load_preset
from .eval_predictions import write_eval_predictions
from .result import RunPaths, TrainResult

_CHECKPOINT_PREFIX = "checkpoint-"
_STATE_FILE = "trainer_state.json"  # written last into a checkpoint: marks it complete


def train(
    config: TrainConfig,
    out_dir: Path | str,
    *,
    resume: bool = False,
    progress: bool = True,
    callbacks: Sequence[Any] = (),
) -> TrainResult:
    """Train `config` into the run folder `out_dir`.

    Args:
        config: what to train (see `load_preset`).
        out_dir: the run folder; created if missing.
        resume: continue an interrupted run from its newest complete checkpoint.
        progress: show a progress bar and per-epoch evaluation lines.
        callbacks: extra `transformers.TrainerCallback`s.

    Returns:
        The run's paths and final metrics; `reused=True` if `out_dir` already held this
        finished run (nothing is trained again).

    Raises:
        NLIProbeError: the folder holds a different run, or an interrupted one without
            `resume`; missing data; an incompatible base model; a full disk (earlier
            checkpoints are left intact).
    """
    paths = RunPaths(root=Path(out_dir).expanduser())
    finished = _finished_run(paths, config)
    if finished is not None:
        return finished
    checkpoint = _resume_point(paths, config, resume)
    try:
        return _train(config, paths, checkpoint, progress=progress, callbacks=callbacks)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(paths, error) from None
        raise
    except Exception as error:  # safetensors and torch wrap the OS error in their own types
        if "No space left" in str(error) or "StorageFull" in str(error):
            raise _disk_full(paths, error) from None
        raise


def _train(
    config: TrainConfig,
    paths: RunPaths,
    checkpoint: Path | None,
    *,
    progress: bool,
    callbacks: Sequence[Any],
) -> TrainResult:
    from transformers import DataCollatorWithPadding, Trainer, set_seed
    from transformers.trainer_callback import PrinterCallback
    from transformers.utils import logging as hf_logging

    from .arguments import resolve_precision, training_arguments
    from .callbacks import EvalRecording, JsonlLog, RichProgress
    from .dynamics import DynamicsRecording, RecordingTrainer, finish_dynamics, with_index
    from .encode import encode_examples
    from .eval_predictions import EvalRecorder

    choice = resolve_precision(config.precision)
    precision = choice.precision.value
    hf_logging.disable_progress_bar()  # the "Writing model shards" bars; ours shows progress
    set_seed(config.seed)
    data = prepare_data(config)
    built = build_model(config)
    args = training_arguments(config, paths.checkpoints, precision=precision)
    # Evaluated shortest first: each evaluation batch is padded only to pairs of its own length
    # (the metrics do not depend on the order; the saved predictions carry their ids).
    encoded_eval = encode_examples(built.tokenizer, data.eval, config.max_length)
    eval_order = sorted(range(len(encoded_eval)), key=lambda i: len(encoded_eval[i]["input_ids"]))
    recorder = EvalRecorder()
    dynamics = (
        DynamicsRecording(
            examples=data.train,
            tokenizer=built.tokenizer,
            folder=paths.dynamics_shards,
            pass_name=config.dynamics_pass,
            every_steps=config.dynamics_steps,
            precision=choice,
            max_length=config.max_length,
        )
        if config.record_dynamics
        else None
    )
    training_pass = dynamics is not None and dynamics.pass_name == "training"
    encoded_train = encode_examples(built.tokenizer, data.train, config.max_length)
    trainer = (RecordingTrainer if training_pass else Trainer)(
        model=built.model,
        args=args,
        data_collator=DataCollatorWithPadding(built.tokenizer),
        train_dataset=with_index(encoded_train) if training_pass else encoded_train,
        eval_dataset=[encoded_eval[i] for i in eval_order],
        processing_class=built.tokenizer,
        compute_metrics=recorder,
        callbacks=[
            JsonlLog(paths.training_log),
            EvalRecording(recorder),
            *([dynamics] if dynamics is not None else []),
            *callbacks,
        ],
    )
    if training_pass:
        trainer.recording = dynamics
    # Known only once the Trainer has set up the (possibly distributed) state.
    main_process = trainer.is_world_process_zero()
    if main_process:
        paths.root.mkdir(parents=True, exist_ok=True)
        _write_config(paths, config)
        _write_json(paths.data_summary, data.summary)
        _trim_log(paths.training_log, checkpoint)
    trainer.remove_callback(PrinterCallback)  # the log goes to the run folder, not stdout
    if progress:
        bar = RichProgress(f"{config.name} ({config.method})")
        trainer.add_callback(bar)
        if dynamics is not None:
            dynamics.status = bar.note
    started = time.perf_counter()
    output = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    train_seconds = time.perf_counter() - started
    dynamics_summary = (
        finish_dynamics(
            trainer,
            dynamics,
            data.train,
            paths.dynamics,
            meta={
                "name": config.name,
                "method": config.method,
                "base_model": config.base_model,
                "every_steps": config.dynamics_steps,
                "precision": precision,
            },
        )
        if dynamics is not None
        else None
    )
    final, final_step = _final_evaluation(trainer, config)
    final_probs = recorder.by_step.get(final_step)
    metrics = {
        "eval": {
            key.removeprefix("eval_"): value
            for key, value in final.items()
            if key.startswith("eval_") and not key.endswith(("_runtime", "_per_second"))
        },
        "eval_pairs": len(data.eval),
        "majority_baseline": _majority_baseline(data.eval),
        "train": {
            "pairs": len(data.train),
            "steps": output.global_step,
            "epochs": trainer.state.epoch,
            "runtime_s": round(train_seconds, 2),
            "examples_per_s": output.metrics.get("train_samples_per_second"),
            "loss": output.metrics.get("train_loss"),
            "resumed_from": checkpoint.name if checkpoint else None,
        },
        "best_checkpoint": _relative(trainer.state.best_model_checkpoint, paths.root),
        "method": config.method,
        "precision": precision,
        "precision_reason": choice.reason,
        "base_model": config.base_model,
        "base_model_path": built.base_path,
        "model_type": built.model_type,
        "trainable_parameters": built.trainable_parameters,
        "total_parameters": built.total_parameters,
        "lora_targets": (
            {
                "target_modules": list(built.targets.target_modules),
                "modules_to_save": list(built.targets.modules_to_save),
            }
            if built.targets
            else None
        ),
        "world_size": args.world_size,
        "dynamics": dynamics_summary,
        "eval_predictions": (
            {
                "file": paths.eval_predictions.name,
                "step": final_step,
                "precision": precision,
                "device": args.device.type,
                "max_length": config.max_length,
            }
            if final_probs is not None
            else None
        ),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if main_process:
        if final_probs is not None:
            ids = [data.eval[i].id for i in eval_order]
            write_eval_predictions(paths.eval_predictions, ids, final_probs)
        _save_model(trainer.model, built.tokenizer, paths.model)
        _match_file_modes(paths.root, like=paths.config_toml)
        paths.card.write_text(model_card(config, metrics, data.summary), encoding="utf-8")
        _write_json(paths.metrics, metrics)  # last: its presence marks a finished run
    return TrainResult(
        paths=paths,
        metrics=metrics,
        resumed_from=str(checkpoint) if checkpoint else None,
    )


def _final_evaluation(trainer: Any, config: TrainConfig) -> tuple[dict[str, Any], int]:
    """The final model's evaluation metrics and the step they were taken at: those logged when
    its checkpoint was evaluated (the best one with `keep_best`, else the last step), or a fresh
    evaluation if that step was not evaluated (e.g. `max_steps` ended mid-epoch)."""
    state = trainer.state
    step = state.global_step
    if config.keep_best and state.best_model_checkpoint:
        step = int(Path(state.best_model_checkpoint).name.removeprefix(_CHECKPOINT_PREFIX))
    for entry in reversed(state.log_history):
        if entry.get("step") == step and "eval_accuracy" in entry:
            return dict(entry), step
    return dict(trainer.evaluate()), state.global_step


def complete_checkpoints(folder: Path) -> list[Path]:
    """The checkpoints in `folder` that were written completely, oldest first."""
    if not folder.is_dir():
        return []
    found = [
        path
        for path in folder.iterdir()
        if path.is_dir()
        and path.name.startswith(_CHECKPOINT_PREFIX)
        and path.name.removeprefix(_CHECKPOINT_PREFIX).isdigit()
        and (path / _STATE_FILE).is_file()
    ]
    return sorted(found, key=lambda path: int(path.name.removeprefix(_CHECKPOINT_PREFIX)))


def _finished_run(paths: RunPaths, config: TrainConfig) -> TrainResult | None:
    if not paths.metrics.is_file():
        return None
    _check_same_config(paths, config, what="a finished run")
    metrics = json.loads(paths.metrics.read_text(encoding="utf-8"))
    return TrainResult(paths=paths, metrics=metrics, reused=True)


def _resume_point(paths: RunPaths, config: TrainConfig, resume: bool) -> Path | None:
    checkpoints = complete_checkpoints(paths.checkpoints)
    if not checkpoints:
        return None
    if not resume:
        raise NLIProbeError(
            f"{paths.root} holds an interrupted run (last checkpoint {checkpoints[-1].name}); "
            f"pass --resume (resume=True) to continue it, or choose another run folder"
        )
    _check_same_config(paths, config, what="an interrupted run")
    newest = checkpoints[-1]
    # A checkpoint the interruption cut short (no trainer_state.json) is removed, so the
    # Trainer's rotation does not count it; complete ones are never touched.
    for path in paths.checkpoints.glob(f"{_CHECKPOINT_PREFIX}*"):
        if path.is_dir() and path not in checkpoints:
            shutil.rmtree(path, ignore_errors=True)
    return newest


def _check_same_config(paths: RunPaths, config: TrainConfig, *, what: str) -> None:
    if not paths.config_toml.is_file():
        return
    saved = load_preset(str(paths.config_toml)).to_dict()
    current = config.to_dict()
    ignored = {"description"}
    differing = sorted(
        key
        for key in set(saved) | set(current)
        if key not in ignored and saved.get(key) != current.get(key)
    )
    if differing:
        raise NLIProbeError(
            f"{paths.root} holds {what} with another config (differs in: "
            f"{', '.join(differing)}); choose another run folder or delete this one"
        )


def _write_config(paths: RunPaths, config: TrainConfig) -> None:
    paths.config_toml.write_text(dump_toml(config), encoding="utf-8")


def _save_model(model: Any, tokenizer: Any, target: Path) -> None:
    """Save the model (the adapter only for LoRA) and tokenizer into the run folder."""
    model.save_pretrained(target, safe_serialization=True)
    if hasattr(model, "get_base_model"):
        # The adapter folder also carries the base config with the label names, for loaders
        # that build the base model from it (peft's adapter_config.json does not hold them).
        model.get_base_model().config.save_pretrained(target)
    tokenizer.save_pretrained(target)


def _match_file_modes(folder: Path, *, like: Path) -> None:
    """Give the weights files the mode of the run folder's other files: safetensors writes them
    owner-only (0600), so a run folder shared with a group or a CI job would hold a model that
    only its trainer can read."""
    mode = like.stat().st_mode & 0o777
    for weights in folder.rglob("*.safetensors"):
        if weights.stat().st_mode & 0o777 != mode:
            weights.chmod(mode)


def _trim_log(log: Path, checkpoint: Path | None) -> None:
    """Start a fresh log, or keep only what happened up to the checkpoint being resumed."""
    if checkpoint is None or not log.is_file():
        log.unlink(missing_ok=True)
        return
    step = int(checkpoint.name.removeprefix(_CHECKPOINT_PREFIX))
    kept = [
        line
        for line in log.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("step", 0) <= step
    ]
    log.write_text("".join(line + "\n" for line in kept), encoding="utf-8")


def _majority_baseline(examples: Sequence[Any]) -> dict[str, Any]:
    from collections import Counter

    counts = Counter(example.gold for example in examples if example.gold is not None)
    if not counts:
        return {}
    label, count = counts.most_common(1)[0]
    return {"label": str(label), "accuracy": count / sum(counts.values())}


def _write_json(path: Path, value: Any) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def _relative(path: str | None, root: Path) -> str | None:
    if not path:
        return None
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def _disk_full(paths: RunPaths, error: BaseException) -> NLIProbeError:
    kept = [path.name for path in complete_checkpoints(paths.checkpoints)]
    return NLIProbeError(
        f"disk full while writing the run folder {paths.root} ({error}); "
        f"complete checkpoints kept: {', '.join(kept) or 'none yet'}; "
        f"free some space and rerun with --resume"
    )
