"""Benchmark the inference engine on the SNLI dev set with the MiniLM encoder (3-way head).

Compares, in one run and on the same pairs:

- `transformers.pipeline("text-classification")` (fp32, batch 64): what a user would write;
- a bare forward loop over pre-tokenized, length-sorted, pre-padded batches of 64 (fp32, and
  bf16 autocast): the floor any engine can reach; tokenization is NOT timed for it;
- the engine (`nli_probe.predict` over `load_model(...)`), fp32 and bf16, with a fresh
  prediction cache (so the timing includes tokenization, sorting, dedupe and cache writes), in
  its own batches (`--batch-tokens`, default the CPU's 1,024-token budget; `--engine-batch-size`
  caps the pairs per batch, e.g. 64 to run the batches the bare loop runs);
- the engine in fp32 as it ran before three savings (`engine fp32 plain`, with its own cache):
  its last encoder layer computing every position, not only the first, the one the classifier
  reads (`nli_probe/models/first_token.py`), a mask with every batch, even one without
  padding, and torch's own product kernel instead of the one measured faster on this CPU
  (`nli_probe/models/cpu_linear.py`; the engine's line says which was chosen);
- the engine again on the now-cached pairs (no model calls).

The machine is shared, so the pairs are cut into slices and the methods take turns slice by
slice, in a rotating order: background load then falls on every method alike, and the ratios
printed at the end are measured in this one run. Peak memory is the rise of the process's peak
resident set (VmHWM, reset before each call through /proc/self/clear_refs) over the resident
set before the call.

The bf16-vs-fp32 agreement needs a model with real decision margins, so the MiniLM encoder is
first fine-tuned briefly (plain loop, the 1,024 SNLI train pairs in the shared data folder) and
saved in the work folder; later runs reuse it.

    .venv/bin/python benchmarks/bench_engine.py --limit 1000     # quick iteration
    .venv/bin/python benchmarks/bench_engine.py                  # the full dev set
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from fine_tuned import LABELS, fine_tuned_minilm  # noqa: E402

from nli_probe import Label, Prediction, PredictionCache, load_model, predict  # noqa: E402

DATA = Path(os.environ.get("NLI_PROBE_TEST_DATA", REPO.parent / "shared" / "data"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N distinct dev pairs")
    parser.add_argument("--slices", type=int, default=10, help="turns the methods take")
    parser.add_argument("--batch-size", type=int, default=64, help="pipeline and bare loop")
    parser.add_argument("--batch-tokens", type=int, default=None, help="engine's token budget")
    parser.add_argument("--engine-batch-size", type=int, default=None, help="engine's pair cap")
    parser.add_argument("--work-dir", type=Path, default=Path.home() / ".cache/nli-probe/bench")
    parser.add_argument("--epochs", type=int, default=2, help="fine-tuning epochs (first run)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--threads", type=int, default=None, help="torch threads (default: torch's choice)"
    )
    parser.add_argument(
        "--model", type=Path, default=None, help="use this 3-way checkpoint, do not fine-tune"
    )
    parser.add_argument(
        "--pairs",
        type=Path,
        default=None,
        help="jsonl of premise/hypothesis objects instead of the SNLI dev file",
    )
    parser.add_argument("--skip", default="", help="comma-separated methods to leave out")
    parser.add_argument(
        "--export",
        type=Path,
        default=None,
        help="only write the fine-tuned model (fp16, to travel light) and the pairs here, for "
        "gpu_check.py, and stop",
    )
    args = parser.parse_args(argv)

    from transformers.utils import logging

    from nli_probe.models.hardware import describe_machine, set_threads

    logging.set_verbosity_error()  # no weight-loading reports between our lines
    logging.disable_progress_bar()
    set_threads(args.threads)
    print(describe_machine(), flush=True)
    pairs, gold = _read_pairs(args.pairs, args.limit) if args.pairs else _dev_pairs(args.limit)
    print(f"SNLI dev: {len(pairs)} distinct pairs", flush=True)
    folder = args.model or fine_tuned_minilm(args.work_dir, epochs=args.epochs, data=DATA)
    if args.export:
        _export(folder, pairs, args.export)
        return 0

    bounds = _slice_bounds(len(pairs), args.slices)
    methods = _methods(
        folder,
        pairs,
        bounds,
        batch_size=args.batch_size,
        engine_limits={"batch_size": args.engine_batch_size, "batch_tokens": args.batch_tokens},
        skip=set(args.skip.split(",")),
    )
    seconds = dict.fromkeys(methods, 0.0)
    cpu = dict.fromkeys(methods, 0.0)
    memory = dict.fromkeys(methods, 0)
    outputs: dict[str, list[Prediction]] = {name: [] for name in methods}
    names = list(methods)
    for turn, (start, stop) in enumerate(bounds):
        chunk = pairs[start:stop]
        for offset in range(len(names)):
            name = names[(turn + offset) % len(names)]
            before = _rss_kib()
            _reset_peak()
            began, began_cpu = time.perf_counter(), time.process_time()
            result = methods[name](chunk, start)
            seconds[name] += time.perf_counter() - began
            cpu[name] += time.process_time() - began_cpu
            memory[name] = max(memory[name], _peak_kib() - before)
            outputs[name].extend(result)
        print(f"  slice {turn + 1}/{len(bounds)} done", flush=True)

    cached = _cached_rerun(methods, pairs)
    report = _report(seconds, cpu, memory, outputs, cached, gold, len(pairs))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


# --- the methods: each takes (pairs, offset of the first pair) and returns predictions ---

Method = Callable[[list[tuple[str, str]], int], list[Prediction]]


def _methods(
    folder: Path,
    pairs: list[tuple[str, str]],
    bounds: list[tuple[int, int]],
    *,
    batch_size: int,
    engine_limits: dict[str, int | None],
    skip: set[str],
) -> dict[str, Method]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    tokenizer = AutoTokenizer.from_pretrained(folder)
    network = AutoModelForSequenceClassification.from_pretrained(folder, dtype=torch.float32)
    network.eval()
    order = [LABELS.index(network.config.id2label[i]) for i in range(3)]
    pretokenized = _pretokenize(tokenizer, pairs, bounds, batch_size=batch_size)

    def bare(dtype: torch.dtype | None) -> Method:
        def run(chunk: list[tuple[str, str]], offset: int) -> list[Prediction]:
            # Batches were built (tokenized, sorted, padded) before timing; only forward runs.
            batches = pretokenized[offset]
            found: dict[int, Prediction] = {}
            autocast = (
                torch.autocast("cpu", dtype=dtype)
                if dtype
                else torch.autocast("cpu", enabled=False)
            )
            with torch.inference_mode(), autocast:
                for rows, inputs in batches:
                    probs = network(**inputs).logits.float().softmax(-1).tolist()
                    for row, values in zip(rows, probs, strict=True):
                        found[row] = _prediction(values, order)
            return [found[i] for i in range(len(chunk))]

        return run

    pipe = pipeline(
        "text-classification",
        model=str(folder),
        tokenizer=str(folder),
        device="cpu",
        dtype=torch.float32,
    )

    def run_pipeline(chunk: list[tuple[str, str]], offset: int) -> list[Prediction]:
        inputs = [{"text": p, "text_pair": h} for p, h in chunk]
        results = pipe(inputs, batch_size=batch_size, top_k=None, truncation=True, max_length=128)
        return [
            Prediction(probs=tuple(_by_name(scores)[name] for name in LABELS))  # type: ignore[arg-type]
            for scores in results
        ]

    cache_dir = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    cache = PredictionCache(cache_dir / "predictions.sqlite3")
    engines = {
        f"engine {precision}": load_model(
            folder, device="cpu", precision=precision, **engine_limits
        )
        for precision in ("fp32", "bf16")
        if f"engine {precision}" not in skip
    }

    if "engine fp32" in engines:
        kernel = engines["engine fp32"].cpu_linear  # chosen now: it may time both kernels
        chosen = kernel.choice.describe() if kernel is not None else "torch (no choice to make)"
        print(f"cpu linear kernel, engine fp32: {chosen}", flush=True)
    plain = "engine fp32 plain"
    caches = dict.fromkeys(engines, cache)
    if plain not in skip:
        engines[plain] = load_model(folder, device="cpu", precision="fp32", **engine_limits)
        engines[plain]._first_token = None  # every position of the last layer
        engines[plain]._omit_full_masks = False  # a mask with every batch
        engines[plain]._cpu_linear = None  # torch's own product kernel
        caches[plain] = PredictionCache(cache_dir / "plain.sqlite3")

    def engine(name: str) -> Method:
        def run(chunk: list[tuple[str, str]], offset: int) -> list[Prediction]:
            return predict(engines[name], chunk, cache=caches[name])

        return run

    methods: dict[str, Method] = {
        "pipeline fp32": run_pipeline,
        "bare loop fp32": bare(None),
        "engine fp32": engine("engine fp32"),
        plain: engine(plain),
        "bare loop bf16": bare(torch.bfloat16),
        "engine bf16": engine("engine bf16"),
    }
    methods = {name: run for name, run in methods.items() if name not in skip}
    _ENGINES.update(engines)
    _ENGINES["cache"] = cache
    return methods


_ENGINES: dict[str, Any] = {}


def _pretokenize(
    tokenizer: Any, pairs: list[tuple[str, str]], bounds: list[tuple[int, int]], *, batch_size: int
) -> dict[int, list[tuple[list[int], dict[str, Any]]]]:
    """Per slice start: length-sorted, padded batches ready for the forward pass."""
    result: dict[int, list[tuple[list[int], dict[str, Any]]]] = {}
    for start, stop in bounds:
        chunk = pairs[start:stop]
        encoded = tokenizer(
            [p for p, _ in chunk], [h for _, h in chunk], truncation=True, max_length=128
        )
        order = sorted(range(len(chunk)), key=lambda i: len(encoded["input_ids"][i]))
        batches = []
        for at in range(0, len(order), batch_size):
            rows = order[at : at + batch_size]
            features = [{key: encoded[key][i] for key in encoded} for i in rows]
            batches.append((rows, dict(tokenizer.pad(features, return_tensors="pt"))))
        result[start] = batches
    return result


def _slice_bounds(total: int, slices: int) -> list[tuple[int, int]]:
    size = -(-total // max(1, slices))
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _cached_rerun(methods: dict[str, Method], pairs: list[tuple[str, str]]) -> dict[str, float]:
    cache: PredictionCache = _ENGINES["cache"]
    result: dict[str, float] = {}
    for name in ("engine fp32", "engine bf16"):
        if name not in methods:
            continue
        calls = _count_calls(_ENGINES[name])
        began = time.perf_counter()
        predict(_ENGINES[name], pairs, cache=cache)
        result[name] = time.perf_counter() - began
        result[f"{name} model calls"] = float(calls())
    return result


def _count_calls(model: Any) -> Callable[[], int]:
    """Count the batches the model is asked to predict (through either entry point)."""
    counter = {"calls": 0}
    original, batched = model.predict, model.predict_batches

    def counting(batch: Sequence[tuple[str, str]]) -> list[Prediction]:
        counter["calls"] += 1
        return list(original(batch))

    def counting_batches(batches: Any) -> Any:
        for predictions in batched(batches):
            counter["calls"] += 1
            yield predictions

    model.predict, model.predict_batches = counting, counting_batches
    return lambda: counter["calls"]


# --- results ---


def _report(
    seconds: dict[str, float],
    cpu: dict[str, float],
    memory: dict[str, int],
    outputs: dict[str, list[Prediction]],
    cached: dict[str, float],
    gold: list[Label | None],
    n: int,
) -> dict[str, Any]:
    rate = {name: n / max(s, 1e-9) for name, s in seconds.items()}
    print(f"\n{n} pairs, MiniLM-L6 (22.7M params) with a 3-way head, CPU\n")
    print(
        f"{'method':<22}{'seconds':>9}{'pairs/s':>10}{'vs pipeline':>13}{'vs bare fp32':>14}"
        f"{'cpu s':>9}{'cpu vs pipe':>13}{'cpu vs bare':>13}{'peak mem +MiB':>15}{'dev acc':>9}"
    )
    for name in seconds:
        print(
            f"{name:<22}{seconds[name]:>9.2f}{rate[name]:>10.1f}"
            f"{_ratio(seconds, 'pipeline fp32', name):>12.2f}x"
            f"{_ratio(seconds, 'bare loop fp32', name):>13.2f}x{cpu[name]:>9.2f}"
            f"{_ratio(cpu, 'pipeline fp32', name):>12.2f}x"
            f"{_ratio(cpu, 'bare loop fp32', name):>12.2f}x"
            f"{memory[name] / 1024:>15.1f}{_accuracy(outputs[name], gold):>9.4f}"
        )
    figures: dict[str, Any] = {
        "pairs": n,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "pairs_per_second": rate,
        "peak_memory_increase_mib": {k: v / 1024 for k, v in memory.items()},
    }
    print()
    for name in ("engine fp32", "engine bf16"):
        if name in cached:
            speedup = seconds[name] / cached[name]
            print(
                f"cached rerun, {name}: {cached[name]:.3f} s ({n / cached[name]:.0f} pairs/s, "
                f"{int(cached[f'{name} model calls'])} model calls): {speedup:.0f}x faster "
                f"than its first run"
            )
            figures[f"cached_{name}_seconds"] = cached[name]
            figures[f"cached_{name}_speedup"] = speedup
    for a, b in (
        ("engine bf16", "engine fp32"),
        ("bare loop bf16", "bare loop fp32"),
        ("engine fp32", "pipeline fp32"),
        ("engine fp32", "bare loop fp32"),
        ("engine fp32", "engine fp32 plain"),
    ):
        if a in outputs and b in outputs:
            agree = _agreement(outputs[a], outputs[b])
            print(
                f"argmax agreement {a} vs {b}: {agree:.4%} "
                f"({round((1 - agree) * n)} of {n} pairs differ)"
            )
            figures[f"agreement {a} vs {b}"] = agree
    plain = "engine fp32 plain"
    if "engine fp32" in rate and plain in rate:
        gap = max(
            abs(x - y)
            for a, b in zip(outputs["engine fp32"], outputs[plain], strict=True)
            for x, y in zip(a.probs, b.probs, strict=True)
        )
        speed, by_cpu = rate["engine fp32"] / rate[plain], cpu[plain] / cpu["engine fp32"]
        print(
            f"first position alone in the last layer, no mask on unpadded batches, the CPU's "
            f"product kernel: engine fp32 "
            f"ran {speed:.3f}x the pairs/s of {plain} ({by_cpu:.3f}x by CPU time); "
            f"probabilities at most {gap:.1e} apart"
        )
        figures["plain_speedup"] = {"wall": speed, "cpu": by_cpu, "max_gap": gap}
    print("\ntargets:")
    checks = [
        ("engine fp32 >= 0.95x bare loop fp32", "engine fp32", "bare loop fp32", 0.95),
        ("engine bf16 >= 2.5x pipeline fp32", "engine bf16", "pipeline fp32", 2.5),
    ]
    for text, a, b, target in checks:
        if a in rate and b in rate:
            ratio = rate[a] / rate[b]
            by_cpu = cpu[b] / cpu[a]
            print(
                f"  {text}: {ratio:.3f}x wall-clock  {'MET' if ratio >= target else 'NOT MET'}; "
                f"{by_cpu:.3f}x by CPU time  {'MET' if by_cpu >= target else 'NOT MET'}"
            )
    if "engine bf16" in outputs and "engine fp32" in outputs:
        agree = _agreement(outputs["engine bf16"], outputs["engine fp32"])
        print(
            f"  agreement bf16 vs fp32 >= 99.5%: {agree:.4%}  "
            f"{'MET' if agree >= 0.995 else 'NOT MET'}"
        )
    if "engine fp32" in cached:
        speedup = seconds["engine fp32"] / cached["engine fp32"]
        print(f"  cached rerun >= 50x: {speedup:.0f}x  {'MET' if speedup >= 50 else 'NOT MET'}")
    return figures


def _ratio(times: dict[str, float], baseline: str, name: str) -> float:
    """How many times faster `name` ran than `baseline` (same pairs, so a time ratio)."""
    if baseline not in times:
        return float("nan")
    return times[baseline] / max(times[name], 1e-9)


def _read_pairs(path: Path, limit: int | None) -> tuple[list[tuple[str, str]], list[Label | None]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    pairs = list(dict.fromkeys((row["premise"], row["hypothesis"]) for row in rows))[:limit]
    return pairs, [None] * len(pairs)


def _agreement(a: list[Prediction], b: list[Prediction]) -> float:
    return sum(x.label == y.label for x, y in zip(a, b, strict=True)) / max(len(a), 1)


def _accuracy(predictions: list[Prediction], gold: list[Label | None]) -> float:
    scored = [(p.label == g) for p, g in zip(predictions, gold, strict=True) if g is not None]
    return sum(scored) / max(len(scored), 1)


def _prediction(values: list[float], order: list[int]) -> Prediction:
    probs = [0.0, 0.0, 0.0]
    for column, label in enumerate(order):
        probs[label] = values[column]
    return Prediction(probs=(probs[0], probs[1], probs[2]))


def _by_name(scores: list[dict[str, Any]]) -> dict[str, float]:
    return {str(item["label"]).lower(): float(item["score"]) for item in scores}


# --- data, model, memory ---


def _dev_pairs(limit: int | None) -> tuple[list[tuple[str, str]], list[Label | None]]:
    from nli_probe.data import load_examples

    examples = load_examples(DATA / "snli_1.0" / "snli_1.0_dev.jsonl")
    seen: dict[tuple[str, str], Label | None] = {}
    for example in examples:
        seen.setdefault((example.premise, example.hypothesis), example.gold)
    pairs = list(seen)[:limit]
    return pairs, [seen[pair] for pair in pairs]


def _export(folder: Path, pairs: list[tuple[str, str]], target: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    network = AutoModelForSequenceClassification.from_pretrained(folder, dtype=torch.float16)
    network.save_pretrained(target / "model", safe_serialization=True)
    AutoTokenizer.from_pretrained(folder).save_pretrained(target / "model")
    with (target / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for premise, hypothesis in pairs:
            out.write(json.dumps({"premise": premise, "hypothesis": hypothesis}) + "\n")
    print(f"exported the model and {len(pairs)} pairs to {target}")


def _rss_kib() -> int:
    return _status_field("VmRSS")


def _peak_kib() -> int:
    return _status_field("VmHWM")


def _reset_peak() -> None:
    # Not Linux: the peak then covers the whole run so far.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _status_field(field: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    raise SystemExit(main())
