"""One short check of the engine on a CUDA GPU: device auto-selection, the default precision,
fp32 / bf16 / fp16 autocast throughput and argmax agreement with fp32, peak GPU memory, the
cached rerun, and the same model on the machine's CPU for comparison.

    python benchmarks/gpu_check.py --model FOLDER --pairs pairs.jsonl --out gpu.json

`pairs.jsonl` holds one {"premise", "hypothesis"} object a line (bench_engine.py --export
writes the SNLI dev pairs and the fine-tuned MiniLM checkpoint it uses).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nli_probe import Prediction, PredictionCache, load_model, run_predictions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--pairs", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--cpu-pairs", type=int, default=2000)
    parser.add_argument("--device", default="cuda", help="cpu only to smoke-test this script")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    import torch

    lines = args.pairs.read_text().splitlines()
    pairs = [(row["premise"], row["hypothesis"]) for row in map(json.loads, lines)][: args.limit]
    cuda = args.device.startswith("cuda")
    figures: dict[str, Any] = {
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "pairs": len(pairs),
    }
    auto = load_model(args.model)
    figures["auto_device"] = auto.device
    figures["auto_precision"] = auto.precision.value
    print(f"auto: device {auto.device}, precision {auto.precision.value}", flush=True)
    del auto

    reference: list[Prediction] = []
    for batch_size in (64, 256):
        for precision in ("fp32", "bf16", "fp16"):
            model = load_model(
                args.model, device=args.device, precision=precision, batch_size=batch_size
            )
            run_predictions(model, pairs[:512], batch_size=batch_size)  # warm-up
            if cuda:
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
            began = time.perf_counter()
            predictions = run_predictions(model, pairs, batch_size=batch_size).predictions
            if cuda:
                torch.cuda.synchronize()
            seconds = time.perf_counter() - began
            if precision == "fp32" and batch_size == 64:
                reference = predictions
            agree = sum(a.label == b.label for a, b in zip(predictions, reference, strict=True))
            key = f"{args.device} {precision} batch {batch_size}"
            figures[key] = {
                "seconds": seconds,
                "pairs_per_second": len(pairs) / seconds,
                "agreement_vs_fp32": agree / len(pairs),
                "peak_gpu_mib": torch.cuda.max_memory_allocated() / 2**20 if cuda else None,
            }
            print(key, figures[key], flush=True)
            del model
            if cuda:
                torch.cuda.empty_cache()

    with tempfile.TemporaryDirectory() as folder:
        cache = PredictionCache(Path(folder) / "c.sqlite3")
        model = load_model(args.model, device=args.device)
        began = time.perf_counter()
        first = run_predictions(model, pairs, cache=cache)
        cold = time.perf_counter() - began
        began = time.perf_counter()
        second = run_predictions(model, pairs, cache=cache)
        warm = time.perf_counter() - began
        cache.close()
    figures["cuda cache"] = {
        "cold_seconds": cold,
        "cached_seconds": warm,
        "speedup": cold / warm,
        "computed_second_run": second.computed,
        "computed_first_run": first.computed,
    }
    print("cache", figures["cuda cache"], flush=True)

    subset = pairs[: args.cpu_pairs]
    for precision in ("fp32", "bf16"):
        model = load_model(args.model, device="cpu", precision=precision)
        began = time.perf_counter()
        run_predictions(model, subset)
        seconds = time.perf_counter() - began
        key = f"cpu {precision} ({torch.get_num_threads()} threads)"
        figures[key] = {"pairs": len(subset), "pairs_per_second": len(subset) / seconds}
        print(key, figures[key], flush=True)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
