"""Benchmark recording training dynamics, and `nli-probe datamap` at SNLI-train size.

Parts (`--part`, several allowed):

- `overhead`: the quick trainer presets (`quick-full`, `quick-lora`: MiniLM, 4,000 SNLI dev
  pairs, batch 32, 2 epochs) trained without recording and with `record_dynamics` by each
  `dynamics_pass` (training; inference, every `--every` steps if given; and `inference-plain`,
  the inference pass with its savings undone, as it was first built), alternating in one
  process (the order rotated each round): wall and CPU time of `train` (which includes the
  per-epoch evaluation of the 2,000 held-out pairs). The issue's limit: recording adds at most
  15%.
- `passes`: one run per method with both ways of recording: the inference pass the trainers
  use (every `--every` steps and at each epoch end) and, for comparison, the probabilities of the
  training forward passes themselves (dropout on, weights changing within the epoch; captured
  by a forward hook, here only). Prints what each costs and how far the training-pass data map
  is from the inference-pass one; keeps both files (`--keep DIR`) for `--part choice`.
- `choice`: from `passes` runs kept with `--epochs 1` and `--epochs 2`, how well each way of
  recording the quick study could tie the data map to the annotators: Spearman's rho of
  variability (and confidence) with the entropy of the 5 SNLI votes, and the low-agreement
  share per region.
- `pass`: what one inference pass over the quick presets' 4,000 training pairs costs, as the
  trainers take it now and with each of its savings undone (in one process, CPU time; the
  pairs are cut into `--slices` slices and every variant runs each slice in turn, in a rotating
  order, so that the machine's slow spells fall on all of them alike): tokenizing the pairs at
  every record instead of once; running a LoRA network with its adapters separate instead of
  merged (`trainers/merged_lora.py`); computing every position of the last encoder layer
  instead of the first alone (`nli_probe/models/first_token.py`); giving every batch an
  attention mask, even one without padding; torch's own product kernel instead of the one
  chosen for this CPU (`nli_probe/models/cpu_linear.py`).
- `datamap`: `nli-probe datamap` on a synthetic run of 550,000 pairs x 5 epochs, as a separate
  process: wall time, CPU time and peak resident memory. A share of the pairs carries 5
  annotator labels, as in SNLI train (`--annotated`, default 0.064: 66 of its first 1,024).

    .venv/bin/python benchmarks/bench_dynamics.py --part overhead --threads 1 \
        --variants without inference inference-plain --epochs 1
    .venv/bin/python benchmarks/bench_dynamics.py --part pass --threads 1
    .venv/bin/python benchmarks/bench_dynamics.py --part passes --epochs 2 --keep /tmp/dyn2
    .venv/bin/python benchmarks/bench_dynamics.py --part choice --keep /tmp/dyn1 /tmp/dyn2
    .venv/bin/python benchmarks/bench_dynamics.py --part datamap
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PARTS = ("overhead", "pass", "passes", "choice", "datamap")
TRAINING_PASS = "training-pass.npz"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", nargs="+", choices=PARTS, default=["overhead", "datamap"])
    parser.add_argument("--methods", nargs="+", choices=("full", "lora"), default=["full", "lora"])
    parser.add_argument("--epochs", type=float, default=None, help="default: the preset's")
    parser.add_argument("--every", type=int, default=0, help="dynamics_steps (0: epoch ends)")
    parser.add_argument(
        "--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS), help="overhead: runs"
    )
    parser.add_argument("--rounds", type=int, default=1, help="with/without alternations")
    parser.add_argument("--slices", type=int, default=10, help="pass: turns per variant")
    parser.add_argument("--keep", nargs="*", type=Path, default=[], help="run folders (passes)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument("--pairs", type=int, default=550_000, help="datamap: synthetic pairs")
    parser.add_argument("--records", type=int, default=5, help="datamap: records (epochs)")
    parser.add_argument("--annotated", type=float, default=0.064, help="datamap: share voted")
    parser.add_argument("--votes", type=Path, help="choice: also join these votes (ChaosNLI)")
    args = parser.parse_args(argv)
    from nli_probe.models.hardware import describe_machine, set_threads

    set_threads(args.threads)
    print(describe_machine(), flush=True)
    print(f"load average at start: {_load()}", flush=True)
    for part in args.part:
        parts = {"overhead": _overhead, "pass": _pass, "passes": _passes, "choice": _choice}
        {**parts, "datamap": _datamap}[part](args)
        print(f"load average after {part}: {_load()}", flush=True)
    return 0


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _config(method: str, args: argparse.Namespace, **keys: Any) -> Any:
    from nli_probe.trainers import load_preset

    overrides = [f"{key}={json.dumps(value)}" for key, value in keys.items()]
    if args.epochs is not None:
        overrides.append(f"epochs={args.epochs}")
    return load_preset(f"quick-{method}", overrides)


def _timed_train(config: Any, out: Path, callbacks: Sequence[Any] = ()) -> tuple[Any, float, float]:
    from nli_probe.trainers import train

    cpu = time.process_time()
    wall = time.perf_counter()
    result = train(config, out, progress=False, callbacks=callbacks)
    return result, time.perf_counter() - wall, time.process_time() - cpu


VARIANTS = ("without", "training", "inference", "inference-plain")
"""Training without recording, with each way of recording (`dynamics_pass`), and with the
inference pass as it was taken before its savings (`inference-plain`: the pairs tokenized at
every record, a LoRA network's adapters separate, every position of the last layer computed,
a mask with every batch, torch's own product kernel)."""


@contextlib.contextmanager
def _plain_inference_pass() -> Iterator[None]:
    """The trainers' inference pass without its savings, for the length of the block."""
    import torch
    from nli_probe.trainers import dynamics
    from nli_probe.trainers.merged_lora import MergedLoRA

    original = dynamics.LiveModel.probabilities

    def plain(live: Any, pairs: Any) -> Any:
        live._model._first_token = None
        live._model._omit_full_masks = False
        live._model._cpu_linear = None  # torch's own product kernel
        live._merged = MergedLoRA(torch.nn.Module())  # merges nothing
        live._pairs = None  # so the pairs are encoded again
        return original(live, pairs)

    dynamics.LiveModel.probabilities = plain
    try:
        yield
    finally:
        dynamics.LiveModel.probabilities = original


def _overhead(args: argparse.Namespace) -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    print("\n== overhead: quick presets trained without recording and with each dynamics_pass")
    rows: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}
    variants = [v for v in VARIANTS if v in args.variants]
    with tempfile.TemporaryDirectory() as scratch:
        for method in args.methods:
            for round_index in range(args.rounds):
                shift = round_index % len(variants)
                for variant in variants[shift:] + variants[:shift]:
                    keys: dict[str, Any] = {"record_dynamics": variant != "without"}
                    if variant != "without":
                        keys["dynamics_pass"] = variant.removesuffix("-plain")
                    if variant.startswith("inference"):
                        keys["dynamics_steps"] = args.every
                    config = _config(method, args, **keys)
                    out = Path(scratch) / f"{method}-{variant}-{round_index}"
                    plain = variant == "inference-plain"
                    with _plain_inference_pass() if plain else contextlib.nullcontext():
                        result, wall, cpu = _timed_train(config, out)
                    spent = result.metrics.get("dynamics") or {}
                    seconds, cpu_seconds = spent.get("seconds", 0.0), spent.get("cpu_seconds", 0.0)
                    rows.setdefault((method, variant), []).append((wall, cpu, seconds, cpu_seconds))
                    print(
                        f"  {method:4s} round {round_index + 1} {variant:15s} wall {wall:7.1f} s  "
                        f"cpu {cpu:7.1f} s  recording {seconds:6.1f} s wall, {cpu_seconds:6.1f} s "
                        f"cpu  load {_load()}",
                        flush=True,
                    )
    # `wall +` and `cpu +`: against the runs without recording (on a shared machine other jobs
    # move both); `in-run`: the recording's own CPU time over the rest of the same run's.
    print(
        f"\n{'method':6s} {'variant':15s} {'wall s':>8s} {'cpu s':>8s} {'wall +':>7s} "
        f"{'cpu +':>7s} {'in-run':>7s}"
    )
    for method in args.methods:
        base = rows.get((method, "without"))
        for variant in variants:
            found = rows[(method, variant)]
            wall, cpu = sum(r[0] for r in found), sum(r[1] for r in found)
            own = sum(r[3] for r in found)
            versus = "      -       -"
            if base:
                wall_0, cpu_0 = sum(r[0] for r in base), sum(r[1] for r in base)
                versus = f"{wall / wall_0 - 1:7.1%} {cpu / cpu_0 - 1:7.1%}"
            print(
                f"{method:6s} {variant:15s} {wall / len(found):8.1f} {cpu / len(found):8.1f} "
                f"{versus} {own / (cpu - own):7.1%}"
            )


PASS_VARIANTS = (
    "as recorded",
    "tokenized each time",
    "LoRA separate",
    "full last layer",
    "mask every batch",
    "torch linear",
    "none",
)
"""`pass`: the inference pass as the trainers take it, then with one saving undone, then with
all of them undone (`none`)."""


def _pass(args: argparse.Namespace) -> None:
    import torch
    from nli_probe.trainers.arguments import resolve_precision
    from nli_probe.trainers.build import build_model
    from nli_probe.trainers.dynamics import LiveModel
    from nli_probe.trainers.merged_lora import MergedLoRA
    from transformers.utils import logging as hf_logging

    from nli_probe.data.split import prepare_data

    hf_logging.set_verbosity_error()
    slices = max(args.slices, 1)
    print(
        f"\n== pass: one inference pass over the training pairs per variant, in {slices} slices "
        f"that every variant runs in turn (rotating order)"
    )
    for method in args.methods:
        config = _config(method, args)
        pairs = [example.pair for example in prepare_data(config).train]
        built = build_model(config)
        network = built.model.eval()
        live = LiveModel(
            network=network,
            tokenizer=built.tokenizer,
            precision=resolve_precision(config.precision),
            max_length=config.max_length,
        )
        engine, first_token, merged = live._model, live._model._first_token, live._merged
        kernel = engine.cpu_linear  # chosen here (it may time both kernels)
        separate = MergedLoRA(torch.nn.Module())  # merges nothing
        variants = [v for v in PASS_VARIANTS if method == "lora" or v != "LoRA separate"]
        times = dict.fromkeys(variants, 0.0)
        size = -(-len(pairs) // slices)
        for index, start in enumerate(range(0, len(pairs), size)):
            chunk = pairs[start : start + size]
            # Each slice's pairs encoded before the clock starts, as a run does once for all.
            encoded = engine.encode(chunk)
            live._encoded, live._pairs = encoded, chunk
            reference = live.probabilities(chunk)  # a warm-up, and what every variant gives
            shift = index % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                undo_all = variant == "none"
                full_layer = undo_all or variant == "full last layer"
                engine._first_token = None if full_layer else first_token
                engine._omit_full_masks = not (undo_all or variant == "mask every batch")
                engine._cpu_linear = None if undo_all or variant == "torch linear" else kernel
                live._merged = separate if undo_all or variant == "LoRA separate" else merged
                tokenize = undo_all or variant == "tokenized each time"
                live._encoded, live._pairs = (None, None) if tokenize else (encoded, chunk)
                cpu = time.process_time()
                probs = live.probabilities(chunk)
                times[variant] += time.process_time() - cpu
                gap = float(abs(probs - reference).max())
                assert gap < 1e-4, f"{variant}: probabilities {gap:.2g} away from the pass's"
        engine._first_token, live._merged = first_token, merged
        engine._omit_full_masks, engine._cpu_linear = True, kernel
        print(
            f"  {method}: {len(pairs):,} pairs; first-token last layer "
            f"{'applies' if first_token is not None else 'does not apply'}; "
            f"{merged.layers} LoRA layers merged; cpu linear kernel: "
            f"{kernel.choice.describe() if kernel is not None else 'torch (no choice to make)'}"
        )
        for variant in variants:
            share = times[variant] / times["none"]
            print(
                f"    {variant:20s} {times[variant]:7.2f} s cpu  {share:6.1%} of none", flush=True
            )


class TrainingPassRecorder:
    """The probabilities of the training forward passes themselves, per epoch: a forward hook
    on the model reads each training batch's logits and finds its pairs by their token ids.
    For comparison only (the trainers record with an inference pass)."""

    def __init__(self, examples: Sequence[Any], tokenizer: Any, max_length: int) -> None:
        import numpy as np

        encoded = tokenizer(
            [e.premise for e in examples],
            [e.hypothesis for e in examples],
            truncation=True,
            max_length=max_length,
        )["input_ids"]
        self.index: dict[tuple[int, ...], list[int]] = {}
        for row, ids in enumerate(encoded):
            self.index.setdefault(tuple(ids), []).append(row)
        self.gold = np.array([int(e.gold) for e in examples], dtype=np.int64)
        self.gold_prob: list[Any] = []
        self.predicted: list[Any] = []
        self.seconds = 0.0
        self.unmatched = 0

    def callback(self) -> Any:
        from transformers import TrainerCallback

        recorder = self

        class Hook(TrainerCallback):  # type: ignore[misc]
            def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
                kwargs["model"].register_forward_hook(recorder.hook, with_kwargs=True)

            def on_epoch_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
                import numpy as np

                n = len(recorder.gold)
                recorder.gold_prob.append(np.full(n, np.nan, dtype=np.float32))
                recorder.predicted.append(np.full(n, -1, dtype=np.int8))

        return Hook()

    def hook(self, module: Any, args: Any, kwargs: Any, output: Any) -> None:
        if not module.training or not self.gold_prob:
            return
        started = time.perf_counter()
        probs = output.logits.detach().float().softmax(dim=-1).numpy()
        ids = kwargs["input_ids"].numpy()
        mask = kwargs["attention_mask"].numpy().astype(bool)
        for row in range(len(ids)):
            rows = self.index.get(tuple(ids[row][mask[row]].tolist()))
            if not rows:
                self.unmatched += 1
                continue
            for pair in rows:
                self.gold_prob[-1][pair] = probs[row, self.gold[pair]]
                self.predicted[-1][pair] = probs[row].argmax()
        self.seconds += time.perf_counter() - started


def _passes(args: argparse.Namespace) -> None:
    import numpy as np
    from nli_probe.trainers.build import build_model
    from transformers.utils import logging as hf_logging

    from nli_probe.data.split import prepare_data
    from nli_probe.scoring.datamap.dynamics import (
        Dynamics,
        PairTable,
        read_dynamics,
        write_dynamics,
    )

    hf_logging.set_verbosity_error()
    print(f"\n== passes: inference pass every {args.every or 'epoch'} steps vs training passes")
    folders = args.keep or [Path(tempfile.mkdtemp(prefix="dynamics-"))]
    for method in args.methods:
        config = _config(
            method, args, record_dynamics=True, dynamics_pass="inference", dynamics_steps=args.every
        )
        examples = prepare_data(config).train
        tokenizer = build_model(config).tokenizer
        recorder = TrainingPassRecorder(examples, tokenizer, config.max_length)
        out = folders[0] / method
        result, wall, cpu = _timed_train(config, out, callbacks=[recorder.callback()])
        inference = read_dynamics(out / "dynamics.npz")
        epochs = len(recorder.gold_prob)
        ends = [int(np.argmin(np.abs(inference.epochs - (e + 1)))) for e in range(epochs)]
        training = Dynamics(
            pairs=PairTable.of(examples),
            gold_prob=np.stack(recorder.gold_prob),
            predicted=np.stack(recorder.predicted),
            steps=inference.steps[ends],
            epochs=np.arange(1, epochs + 1, dtype=np.float64),
            meta={"pass": "training", "name": config.name, "method": method},
        )
        write_dynamics(out / TRAINING_PASS, training)
        seconds = result.metrics["dynamics"]["seconds"]
        cpu_seconds = result.metrics["dynamics"].get("cpu_seconds", 0.0)
        print(
            f"  {method}: train {wall:.1f} s wall, {cpu:.1f} s cpu; inference pass "
            f"{inference.records} records, {seconds:.1f} s wall, {cpu_seconds:.1f} s cpu "
            f"({cpu_seconds / (cpu - cpu_seconds):.1%} of the rest of the run's cpu); "
            f"training-pass capture {recorder.seconds:.2f} s ({recorder.seconds / wall:.2%}), "
            f"{recorder.unmatched} rows unmatched, missing "
            f"{int(np.isnan(training.gold_prob).sum())}",
            flush=True,
        )


def _compare_passes(inference: Any, training: Any) -> None:
    """How far the training-pass map is from the inference pass at the same epoch ends."""
    from scipy.stats import spearmanr

    from nli_probe.scoring.datamap import build_data_map

    a = build_data_map(inference, resamples=0)
    b = build_data_map(training, resamples=0)
    for name in ("confidence", "variability", "correctness"):
        x = getattr(a.coordinates, name)
        y = getattr(b.coordinates, name)
        rho = spearmanr(x, y).statistic
        print(
            f"    {name:11s} inference {x.mean():.3f}, training pass {y.mean():.3f}, rho {rho:.3f}"
        )
    print(f"    same region for {float((a.regions == b.regions).mean()):.1%} of the pairs")


def _choice(args: argparse.Namespace) -> None:

    import numpy as np

    from nli_probe.data.read import read_dataset
    from nli_probe.scoring.datamap import build_data_map
    from nli_probe.scoring.datamap.dynamics import read_dynamics
    from nli_probe.scoring.datamap.maps import join_votes

    print("\n== choice: what each way of recording ties to the annotators")
    chaos = read_dataset(str(args.votes)).examples if args.votes else None
    for folder in args.keep:
        for method in args.methods:
            inference = folder / method / "dynamics.npz"
            if not inference.is_file():
                continue
            by_inference = read_dynamics(inference)
            whole = np.isclose(by_inference.epochs, np.round(by_inference.epochs))
            variants = {f"inference, {by_inference.records} records": by_inference}
            if 0 < whole.sum() < by_inference.records:
                variants[f"inference, epoch ends ({int(whole.sum())})"] = _records(
                    by_inference, whole
                )
            first = by_inference.epochs <= 1.0 + 1e-6
            if 1 < first.sum() < by_inference.records:
                # What records every N steps within one epoch would show (the learning rate
                # decays over the whole run here, so only close to a one-epoch run).
                variants[f"inference, first epoch only ({int(first.sum())})"] = _records(
                    by_inference, first
                )
            training = folder / method / TRAINING_PASS
            if training.is_file():
                by_training = read_dynamics(training)
                variants[f"training pass ({by_training.records})"] = by_training
                _compare_passes(_records(by_inference, whole), by_training)
            for name, variant in variants.items():
                ties = build_data_map(variant, resamples=1000, seed=0).summary.annotators
                weak = {r.region: r.weak_share for r in ties.regions} if ties else {}
                line = (
                    f"  {folder.name}/{method} {name}: rho(var, H5) "
                    f"{_rho(ties.variability_entropy if ties else None)}, rho(conf, H5) "
                    f"{_rho(ties.confidence_entropy if ties else None)}; weak gold "
                    + ", ".join(f"{k} {v:.1%}" for k, v in weak.items() if v is not None)
                )
                if chaos is not None:
                    votes, found = join_votes(variant.pairs, chaos)
                    joined = build_data_map(variant, votes=votes, resamples=1000, seed=0)
                    rho = joined.summary.annotators.variability_entropy if found else None
                    line += f"; rho(var, H100) {_rho(rho)} over {found} ChaosNLI pairs"
                print(line, flush=True)


def _records(dynamics: Any, keep: Any) -> Any:
    """`dynamics` with only the records `keep` selects."""
    import dataclasses

    return dataclasses.replace(
        dynamics,
        gold_prob=dynamics.gold_prob[keep],
        predicted=dynamics.predicted[keep],
        steps=dynamics.steps[keep],
        epochs=dynamics.epochs[keep],
    )


def _rho(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value.value:+.3f} [{value.low:+.3f}, {value.high:+.3f}]"


def _datamap(args: argparse.Namespace) -> None:
    print(
        f"\n== datamap: {args.pairs:,} synthetic pairs x {args.records} records, "
        f"{args.annotated:.1%} with 5 votes"
    )
    with tempfile.TemporaryDirectory() as scratch:
        run = Path(scratch) / "run"
        started = time.perf_counter()
        _synthetic_run(run, args.pairs, args.records, args.annotated)
        print(f"  wrote the synthetic run in {time.perf_counter() - started:.1f} s")
        command = [sys.executable, "-m", "nli_probe", "datamap", str(run)]
        command += ["--out", str(Path(scratch) / "out")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:])
            raise SystemExit(f"datamap failed with exit status {done.returncode}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak = after.ru_maxrss / 1024  # KiB on Linux
        print(
            f"  nli-probe datamap: {wall:.2f} s wall, {cpu:.2f} s cpu, peak resident "
            f"{peak:,.0f} MiB (limits: 10 s, 1 GB)",
            flush=True,
        )


def _synthetic_run(run: Path, pairs: int, records: int, annotated: float) -> None:
    """A trainer-run folder holding only a dynamics file: SNLI-like text lengths, gold labels,
    5 votes on `annotated` of the pairs, and records drawn to fill the three regions."""
    import numpy as np

    from nli_probe.scoring.datamap.dynamics import (
        Dynamics,
        PairTable,
        TextColumn,
        write_dynamics,
    )

    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, pairs).astype(np.int8)
    votes = np.zeros((pairs, 3), dtype=np.uint16)
    voted = rng.random(pairs) < annotated
    for row in np.flatnonzero(voted):
        agreeing = rng.choice([5, 4, 3], p=[0.55, 0.29, 0.16])
        votes[row, gold[row]] = agreeing
        others = [label for label in range(3) if label != gold[row]]
        for _ in range(5 - agreeing):
            votes[row, rng.choice(others)] += 1
    mean = rng.beta(4, 1.2, pairs)
    spread = rng.beta(1.2, 6, pairs) * 0.5
    gold_prob = np.clip(
        mean[None, :] + spread[None, :] * rng.standard_normal((records, pairs)), 0, 1
    )
    predicted = np.where(gold_prob > 0.5, gold[None, :], (gold[None, :] + 1) % 3).astype(np.int8)
    words = [
        "a",
        "man",
        "woman",
        "dog",
        "is",
        "are",
        "the",
        "on",
        "in",
        "playing",
        "outside",
        "sitting",
        "running",
    ]
    premise = " ".join(words * 6)
    hypothesis = " ".join(words[:5])
    pair_table = PairTable(
        ids=TextColumn.of([f"{i}r1e" for i in range(pairs)]),
        premises=TextColumn.of([premise[: 40 + i % 60] for i in range(pairs)]),
        hypotheses=TextColumn.of([hypothesis[: 20 + i % 20] for i in range(pairs)]),
        gold=gold,
        votes=votes,
    )
    run.mkdir(parents=True)
    write_dynamics(
        run / "dynamics.npz",
        Dynamics(
            pairs=pair_table,
            gold_prob=gold_prob.astype(np.float32),
            predicted=predicted,
            steps=np.arange(1, records + 1, dtype=np.int64) * 1000,
            epochs=np.arange(1, records + 1, dtype=np.float64),
            meta={"pass": "synthetic", "name": "synthetic", "method": "full"},
        ),
    )


if __name__ == "__main__":
    raise SystemExit(main())
