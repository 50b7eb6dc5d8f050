"""Benchmark what slicing adds to `nli-probe evaluate`: 30,000 pairs x 3 models, 1,000 resamples.

The models are fakes (`nli_probe.testing.fakes.FakeModel`, put in place of the transformers
loader), so the timings measure the tool (reading, predicting through the engine, scoring with
bootstrap intervals and paired comparisons, writing the run folder, printing the tables), not a
network. The data is a HANS-layout file of 30,000 pairs written from the built-in HANS-style
templates (not the real HANS), read as a plain two-way TSV (`--format plain --two-way`) so the
reader brings no slices of its own. Three commands, taking turns in one process so background load
falls on all alike:

- `plain`: `evaluate -m a -m b -m c -d FILE --format plain --two-way --no-cache`;
- `sliced`: the same with HANS's own slices, `--by heuristic --by heuristic,gold --by subcase`
  (what `-d hans:evaluation` brings by itself: 3 + 6 + 6 slice values per model);
- `+overlap`: those and `--by hypothesis_overlap`, the one field computed from the text (the
  share of hypothesis words in the premise, about 3 microseconds a pair in Python).

Prints each one's best wall time and best CPU time of --repeat runs, and the share slicing adds
(on a shared machine the CPU time is the steadier of the two).

    .venv/bin/python benchmarks/bench_slices.py --threads 1
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nli_probe import Label, Prediction
from nli_probe.cli import main as cli_main
from nli_probe.probing.template import get_template
from nli_probe.testing.fakes import FakeModel, constant_rule

HEURISTICS = ("lexical_overlap", "subsequence", "constituent")
HEADER = (
    "gold_label",
    "sentence1_binary_parse",
    "sentence2_binary_parse",
    "sentence1_parse",
    "sentence2_parse",
    "sentence1",
    "sentence2",
    "pairID",
    "heuristic",
    "subcase",
    "template",
)


def write_pairs(path: Path, count: int) -> None:
    """`count` pairs in HANS's layout, half entailed, from the heuristics templates."""
    rng = random.Random(0)
    each = count // (2 * len(HEURISTICS))
    with path.open("w", encoding="utf-8") as file:
        file.write("\t".join(HEADER) + "\n")
        index = 0
        for heuristic in HEURISTICS:
            for entailed in (False, True):
                template = get_template(heuristic, n=each, entailed=entailed)
                gold = "entailment" if entailed else "non-entailment"
                for example in template.examples(rng):
                    row = [gold, "", "", "", "", example.premise, example.hypothesis]
                    row += [f"ex{index}", heuristic, template.name, template.name]
                    file.write("\t".join(row) + "\n")
                    index += 1


def hashed_rule(premise: str, hypothesis: str) -> Prediction:
    """A fake whose answers vary from pair to pair, so paired differences are not degenerate."""
    digest = hashlib.blake2b(f"{premise}|{hypothesis}".encode(), digest_size=2).digest()
    high = (0.2, 0.3, 0.5)[digest[0] % 3]
    return Prediction(probs=(high, (1 - high) / 2, (1 - high) / 2))


def install_fakes() -> None:
    import nli_probe.models.load

    rules: dict[str, Any] = {
        "overlap": None,
        "hashed": hashed_rule,
        "entailment": constant_rule(Label.ENTAILMENT),
    }

    def load_model(spec: str, **kwargs: Any) -> FakeModel:
        rule = rules[spec]
        name = kwargs.get("name") or spec
        return FakeModel(name=name) if rule is None else FakeModel(name=name, rule=rule)

    nli_probe.models.load.load_model = load_model  # type: ignore[assignment]


def evaluate(data: Path, out: Path, by: list[str]) -> tuple[float, float]:
    argv = ["evaluate", "-m", "overlap", "-m", "hashed", "-m", "entailment", "-d", str(data)]
    argv += ["--format", "plain", "--two-way", "--no-cache", "--no-progress", "-o", str(out)]
    for field in by:
        argv += ["--by", field]
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = cli_main(argv)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if status != 0:
        raise SystemExit(f"evaluate exited {status}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    import torch

    from nli_probe.models.hardware import describe_machine

    torch.set_num_threads(args.threads)
    print(describe_machine(), flush=True)  # first line: what the figures were measured on
    install_fakes()
    own = ["heuristic", "heuristic,gold", "subcase"]
    runs = {"plain": [], "sliced": own, "+overlap": [*own, "hypothesis_overlap"]}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = root / "pairs.tsv"
        write_pairs(data, args.pairs)
        evaluate(data, root / "warm-up", runs["+overlap"])  # imports, first calls: not timed
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for turn in range(args.repeat):
            for name, by in runs.items():
                timings[name].append(evaluate(data, root / f"{name}-{turn}", by))
        print(
            f"evaluate: {args.pairs:,} pairs x 3 fake models, 1,000 resamples, "
            f"{args.threads} thread(s), best of {args.repeat}"
        )
        base_wall = min(wall for wall, _ in timings["plain"])
        base_cpu = min(cpu for _, cpu in timings["plain"])
        for name, values in timings.items():
            wall = min(w for w, _ in values)
            cpu = min(c for _, c in values)
            print(
                f"  {name:9s} {wall:7.2f} s wall ({wall / base_wall - 1:+6.1%})  "
                f"{cpu:7.2f} s CPU ({cpu / base_cpu - 1:+6.1%})  {' '.join(runs[name]) or '-'}"
            )


if __name__ == "__main__":
    main()
