"""Benchmark reading and preparing the full SNLI dev file (10,000 pairs).

Times, in one run and on the same file, alternating so background load falls on all alike:

- `bare json.loads`: a loop of `json.loads` over the file's lines, nothing else; the floor
  for any jsonl reader in Python;
- `read`: `read_dataset("snli_1.0_dev.jsonl")`: decoding, validation, `Example`s;
- `read + prepare`: read, then the study's preparation (`filter_examples`, class balance
  before and after, `stratified_sample(fraction=0.5)`);
- `iter (streaming)`: `iter_examples` consumed without keeping the examples.

Prints rows/s (best of --repeat runs) and each one's cost as a ratio to the bare loop.
With --big N it also writes a synthetic N-pair file (dev repeated, ids made unique) to a
temporary folder and reports the time and the process's peak resident memory for reading it,
the size of the real SNLI train file being 550,152 pairs.

    .venv/bin/python benchmarks/bench_data.py
    .venv/bin/python benchmarks/bench_data.py --big 550152
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nli_probe.data import (  # noqa: E402
    class_balance,
    filter_examples,
    iter_examples,
    read_dataset,
    stratified_sample,
)


def _default_dev() -> Path:
    folder = Path(os.environ.get("NLI_PROBE_DATA", REPO.parent / "shared" / "data"))
    return folder / "snli_1.0" / "snli_1.0_dev.jsonl"


def bare(path: Path) -> int:
    rows = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                json.loads(line)
                rows += 1
    return rows


def read(path: Path) -> int:
    return len(read_dataset(path).examples)


def read_prepare(path: Path) -> int:
    examples = read_dataset(path).examples
    class_balance(examples)
    kept = filter_examples(examples)
    sample = stratified_sample(kept, fraction=0.5, seed=0)
    class_balance(sample)
    return len(examples)


def stream(path: Path) -> int:
    return sum(1 for _ in iter_examples(path))


def peak_rss_mb() -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def big_file(dev: Path, rows: int, folder: Path) -> Path:
    lines = [json.loads(line) for line in dev.open("rb")]
    path = folder / "snli_1.0_big.jsonl"
    with path.open("w") as out:
        for i in range(rows):
            row = dict(lines[i % len(lines)])
            row["pairID"] = f"{row['pairID']}#{i // len(lines)}"
            out.write(json.dumps(row) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=_default_dev())
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big", type=int, default=0, help="also read a synthetic N-pair file")
    args = parser.parse_args()
    from nli_probe.models.hardware import describe_machine

    print(describe_machine(), flush=True)  # first line: what the figures were measured on
    methods: dict[str, Callable[[Path], int]] = {
        "bare json.loads": bare,
        "read": read,
        "read + prepare": read_prepare,
        "iter (streaming)": stream,
    }
    best = dict.fromkeys(methods, float("inf"))
    rows = 0
    for turn in range(args.repeat):
        order = list(methods)[turn % len(methods) :] + list(methods)[: turn % len(methods)]
        for name in order:
            start = time.perf_counter()
            rows = methods[name](args.dev)
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"{args.dev} ({rows:,} rows), best of {args.repeat}:")
    floor = best["bare json.loads"]
    for name, seconds in best.items():
        print(
            f"  {name:<18} {rows / seconds:>10,.0f} rows/s  {seconds * 1000:7.1f} ms  "
            f"x{seconds / floor:.2f} of bare json.loads"
        )
    if args.big:
        with tempfile.TemporaryDirectory() as folder:
            path = big_file(args.dev, args.big, Path(folder))
            size = path.stat().st_size / 1e6
            before = peak_rss_mb()
            start = time.perf_counter()
            dataset = read_dataset(path)
            seconds = time.perf_counter() - start
            after = peak_rss_mb()
            kept = filter_examples(dataset.examples)
            half = stratified_sample(kept, fraction=0.5, seed=0)
            print(
                f"synthetic {args.big:,}-pair file ({size:,.0f} MB): read in {seconds:.1f} s "
                f"({args.big / seconds:,.0f} rows/s); peak RSS {before:,.0f} -> {after:,.0f} MB "
                f"(+{after - before:,.0f} MB for {len(dataset):,} examples); "
                f"prepared {len(half):,}; peak RSS now {peak_rss_mb():,.0f} MB"
            )


if __name__ == "__main__":
    main()
