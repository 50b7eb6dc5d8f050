"""Benchmark the probe runner: every built-in suite over the SNLI dev set with MiniLM.

Measures, in one run (no prediction cache, so every pair reaches the model):

- the wall time of `run_suites` over all built-in suites, and the part of it spent inside the
  model's `predict` (tokenization and forward passes); the rest is perturbing, template
  generation, deduplication, the engine's batching and judging: "outside the model", which
  must stay under 10% of the total;
- the pairs sent to the model, which must equal the distinct pairs the outcomes need
  (each original and variant once, across all suites);
- the failure rate of every probe, with its 95% Wilson interval.

The model defaults to MiniLM-L6 with a 3-way head fine-tuned briefly on the 1,024 SNLI train
pairs (the engine benchmark's model, built on first use and reused); `--model` probes another
(e.g. a `nli-probe train quick-full` run folder's `model/`). `--fake` uses the tests' fake
model instead (no torch): the total is then almost all the tool's own work, which shows what
the time outside the model costs on the full set when a real model over it takes too long.

    .venv/bin/python benchmarks/bench_probes.py --limit 500      # quick iteration
    .venv/bin/python benchmarks/bench_probes.py                  # the full dev set
    .venv/bin/python benchmarks/bench_probes.py --fake           # the tool's own time, full set
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from nli_probe import Pair, Prediction, load_model, run_suites  # noqa: E402
from nli_probe.data import load_examples  # noqa: E402
from nli_probe.probing.loader import builtin_suite_names, load_builtin_suite  # noqa: E402

DATA = Path(os.environ.get("NLI_PROBE_TEST_DATA", REPO.parent / "shared" / "data"))


class TimedModel:
    """A `Model` proxy that times the wrapped model's `predict` and records every pair."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.seconds = 0.0
        self.calls = 0
        self.pairs: list[Pair] = []

    @property
    def name(self) -> str:
        return str(self.model.name)

    @property
    def fingerprint(self) -> str:
        return str(self.model.fingerprint)

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        began = time.perf_counter()
        predictions: list[Prediction] = self.model.predict(pairs)
        self.seconds += time.perf_counter() - began
        self.calls += 1
        self.pairs.extend(pairs)
        return predictions


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N dev pairs")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: MiniLM)")
    parser.add_argument("--fake", action="store_true", help="the tests' fake model (no torch)")
    parser.add_argument("--suite", action="append", default=[], help="suites (default: all)")
    parser.add_argument("--batch-size", type=int, default=None, help="pairs cap (default: none)")
    parser.add_argument("--precision", default=None, help="fp32, bf16 (default: auto)")
    parser.add_argument("--work-dir", type=Path, default=Path.home() / ".cache/nli-probe/bench")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    from nli_probe.models.hardware import describe_machine

    print(describe_machine(), flush=True)  # first line: what the figures were measured on

    examples = load_examples(DATA / "snli_1.0" / "snli_1.0_dev.jsonl")
    if args.limit is not None:
        examples = examples[: args.limit]
    names = args.suite or builtin_suite_names()
    suites = [load_builtin_suite(name) for name in names]
    if args.fake:
        from nli_probe.testing.fakes import FakeModel

        model = TimedModel(FakeModel())
    else:
        if args.model is None:
            from fine_tuned import fine_tuned_minilm

            args.model = fine_tuned_minilm(args.work_dir, epochs=2, data=DATA)
        loaded = load_model(
            args.model, device="cpu", precision=args.precision, batch_size=args.batch_size
        )
        model = TimedModel(loaded)
    print(
        f"SNLI dev: {len(examples)} pairs; suites: {', '.join(names)} "
        f"({sum(len(s.probes) for s in suites)} probes); model {model.name}",
        flush=True,
    )

    last = [0.0]
    began = time.perf_counter()

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 30 or done == total:
            last[0] = now
            print(f"  {done}/{total} pairs predicted ({now - began:.0f} s)", flush=True)

    runs = run_suites(
        model, suites, examples, batch_size=args.batch_size, progress=progress, dataset="snli:dev"
    )
    total = time.perf_counter() - began

    needed: set[Pair] = set()
    for run in runs:
        for probe in run.probes:
            for outcome in probe.outcomes:
                if outcome.status != "errored":
                    needed.add((outcome.premise, outcome.hypothesis))
                    needed.add((outcome.variant_premise, outcome.variant_hypothesis))
    outside = total - model.seconds
    figures: dict[str, Any] = {
        "examples": len(examples),
        "suites": names,
        "model": model.name,
        "total_s": round(total, 2),
        "model_s": round(model.seconds, 2),
        "outside_model_s": round(outside, 2),
        "outside_share": round(outside / total, 4),
        "model_calls": model.calls,
        "pairs_sent": len(model.pairs),
        "distinct_pairs_sent": len(set(model.pairs)),
        "distinct_pairs_needed": len(needed),
        "pairs_per_s": round(len(model.pairs) / model.seconds, 1) if model.seconds else None,
        "probes": {},
    }
    print()
    print(f"{'suite/probe':42} {'kind':4} {'tested':>7} {'failed':>7}  failure rate [95% CI]")
    for run in runs:
        for probe in run.probes:
            rate, interval = probe.failure_rate, probe.interval
            shown = "-" if rate is None or interval is None else (
                f"{rate:6.1%} [{interval[0]:.1%}, {interval[1]:.1%}]"
            )  # fmt: skip
            errors = f"  ({probe.errored} errors)" if probe.errored else ""
            print(
                f"{run.suite + '/' + probe.probe:42} {probe.kind:4} {probe.tested:7} "
                f"{probe.failed:7}  {shown}{errors}"
            )
            figures["probes"][f"{run.suite}/{probe.probe}"] = {
                "kind": probe.kind,
                "tested": probe.tested,
                "failed": probe.failed,
                "failure_rate": rate,
                "interval": interval,
                "errored": probe.errored,
            }
        rate = run.failed / run.tested if run.tested else 0.0
        print(f"{run.suite + ' (all probes)':42} {'':4} {run.tested:7} {run.failed:7}  {rate:6.1%}")
    print()
    print(
        f"total {total:.1f} s; inside the model {model.seconds:.1f} s; outside the model "
        f"{outside:.1f} s = {outside / total:.1%} of the total (target < 10%)"
    )
    print(
        f"model calls: {model.calls} batches, {len(model.pairs)} pairs sent, "
        f"{len(set(model.pairs))} distinct; distinct pairs the outcomes need: {len(needed)} "
        f"({'equal' if len(model.pairs) == len(needed) == len(set(model.pairs)) else 'DIFFERENT'})"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
