"""nli-probe's attacks side by side with TextAttack 0.3.11: DeepWordBug on the same model and
the same correctly predicted SNLI dev pairs, in one interleaved run.

What runs:

- TextAttack in its own environment, installed by this script on first use
  (`benchmarks/textattack/install.sh` into `benchmarks/.textattack-venv/`, git-ignored; wheels
  only, an older consistent stack: TextAttack cannot share nli-probe's transformers 5), never
  a dependency of nli-probe. Its side is `benchmarks/textattack/textattack_side.py`: the
  DeepWordBugGao2018 recipe from TextAttack's components (checked against the recipe class),
  hypothesis only, through `textattack.Attacker`. Two baselines: as shipped (its model wrapper
  pads every query to the tokenizer's `model_max_length`, 512 for MiniLM) and with that length
  set to 128 (nli-probe's max length), which changes only its cost.
- nli-probe's `deepwordbug` built the same way (character swap, substitute, delete, insert,
  one random position each; stopwords kept; edit distance at most 30; greedy by word
  importance; the hypothesis), with TextAttack's stopword list compared case-sensitively as
  TextAttack does, twice: with TextAttack's word ranking (by deleting each word) and with the
  ranking the built-in recipe uses (each word's first typo, a query that may already succeed);
  and the built-in recipe as it ships (nli-probe's stopword list, case ignored, words ranked by
  their first typo). Each through the engine, with a fresh prediction cache per slice.

The model: a `nli-probe train quick-full` run folder (`--model`; by default one is trained into
the work folder on first use, about 15 minutes on a 2-core CPU). The pairs: the SNLI dev pairs
that run held out (never trained on), in file order; the first `--pairs` of them the model
predicts correctly (nli-probe's engine in fp32; TextAttack attacks exactly those ids and would
report any it predicts differently as skipped).

The pairs are cut into `--slices` slices; each slice is attacked by every tool in turn (the
order rotates from slice to slice), so load from other work on the machine falls on all tools
alike. Times are the attacks' own (TextAttack's `Attacker.attack_dataset`, nli-probe's
`attack_examples`), without imports, model loading or the selection; CPU time is the process's.
The first line names the machine; the load average is printed at the start and the end.

    .venv/bin/python benchmarks/bench_attacks.py --model runs/quick-full --threads 1
    .venv/bin/python benchmarks/bench_attacks.py --model runs/quick-full --pairs 40 --slices 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TEXTATTACK = REPO / "benchmarks" / "textattack"
DEFAULT_VENV = REPO / "benchmarks" / ".textattack-venv"
GOAL_SPEEDUP = 5.0


@dataclass
class Tally:
    """One tool's results over all slices."""

    name: str
    attempted: int = 0
    succeeded: int = 0
    skipped: int = 0
    queries: int = 0
    words_changed: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    slices: list[dict[str, Any]] = field(default_factory=list)

    def add(self, **figures: Any) -> None:
        self.slices.append(figures)
        for key in ("attempted", "succeeded", "skipped", "queries", "words_changed"):
            setattr(self, key, getattr(self, key) + int(figures[key]))
        self.wall += float(figures["wall"])
        self.cpu += float(figures["cpu"])

    @property
    def success_rate(self) -> float:
        return self.succeeded / self.attempted if self.attempted else float("nan")

    def summary(self) -> dict[str, Any]:
        from nli_probe.core.suite_run import wilson_interval

        return {
            "tool": self.name,
            "attempted": self.attempted,
            "succeeded": self.succeeded,
            "skipped": self.skipped,
            "success_rate": self.success_rate,
            "success_rate_wilson95": wilson_interval(self.succeeded, self.attempted),
            "mean_queries": self.queries / self.attempted if self.attempted else None,
            "mean_words_changed": self.words_changed / self.succeeded if self.succeeded else None,
            "attack_wall_s": round(self.wall, 3),
            "attack_cpu_s": round(self.cpu, 3),
            "slices": self.slices,
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", type=Path, help="a `nli-probe train quick-full` run folder")
    parser.add_argument("--pairs", type=int, default=200, help="pairs to attack (200)")
    parser.add_argument("--slices", type=int, default=4, help="interleaving slices (4)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads, each tool (1)")
    parser.add_argument("--seed", type=int, default=0, help="nli-probe's attack seed (0)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="TextAttack's environment")
    parser.add_argument("--work-dir", type=Path, default=Path.home() / ".cache/nli-probe/bench")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.slices < 1 or args.threads < 1:
        parser.error("--pairs, --slices and --threads must be at least 1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    import torch

    torch.set_num_threads(args.threads)
    from nli_probe.models.hardware import describe_machine

    print(describe_machine(), flush=True)  # first line: what the figures were measured on
    print(f"load average at start: {_load()}", flush=True)
    _install_textattack(args.venv)
    run_folder = args.model or _trained_model(args.work_dir)
    work = Path(tempfile.mkdtemp(prefix="bench-attacks-"))
    pairs_file = _held_out_pairs(run_folder, work / "held_out.jsonl")
    ids = _correct_ids(run_folder, pairs_file, args.pairs)
    print(
        f"model {run_folder}; {len(ids)} correctly predicted held-out SNLI dev pairs "
        f"(ids in {work / 'ids.txt'}); {args.slices} interleaved slices; {args.threads} thread(s)",
        flush=True,
    )
    (work / "ids.txt").write_text("".join(f"{pair_id}\n" for pair_id in ids))
    stopwords = (args.venv / "nltk_data" / "corpora" / "stopwords" / "english").read_text().split()

    tools = {
        "TextAttack (as shipped: pads to 512)": Tally("textattack-512"),
        "TextAttack (max length 128)": Tally("textattack-128"),
        "nli-probe (as TextAttack: its stopwords, case-sensitive)": Tally(
            "nli-probe-as-textattack"
        ),
        "nli-probe (as TextAttack, words ranked by their first typo)": Tally(
            "nli-probe-as-textattack-candidate"
        ),
        "nli-probe (built-in deepwordbug recipe)": Tally("nli-probe-builtin"),
    }
    runners = list(tools)
    slices = [ids[i :: args.slices] for i in range(args.slices)]
    for number, slice_ids in enumerate(slices):
        ids_file = work / f"slice{number}.txt"
        ids_file.write_text("".join(f"{pair_id}\n" for pair_id in slice_ids))
        order = runners[number % len(runners) :] + runners[: number % len(runners)]
        for name in order:
            tally = tools[name]
            if tally.name.startswith("textattack"):
                length = 128 if tally.name.endswith("128") else None
                figures = _textattack(args, run_folder, pairs_file, ids_file, length, work)
            else:
                as_textattack = tally.name.startswith("nli-probe-as-textattack")
                importance = "candidate" if tally.name.endswith("candidate") else "delete"
                figures = _nli_probe(
                    args, run_folder, pairs_file, slice_ids, stopwords, as_textattack, importance
                )
            tally.add(slice=number, **figures)
            print(
                f"  slice {number + 1}/{len(slices)} {tally.name}: {figures['succeeded']}/"
                f"{figures['attempted']} succeeded, wall {figures['wall']:.1f} s, "
                f"CPU {figures['cpu']:.1f} s (load {_load()})",
                flush=True,
            )
    print(f"load average at end: {_load()}", flush=True)
    _print_table(tools)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "machine": describe_machine(),
            "model": str(run_folder),
            "pair_ids": ids,
            "tools": [tally.summary() for tally in tools.values()],
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


def _install_textattack(venv: Path) -> None:
    """TextAttack's own environment (idempotent: an installed one returns at once)."""
    began = time.perf_counter()
    subprocess.run(["bash", str(TEXTATTACK / "install.sh"), str(venv)], check=True)
    print(f"TextAttack environment: {venv} ({time.perf_counter() - began:.0f} s)", flush=True)


def _trained_model(work_dir: Path) -> Path:
    folder = work_dir / "quick-full"
    if not (folder / "model.safetensors").is_file():
        print(f"training quick-full into {folder} (once; about 15 minutes on 2 cores)", flush=True)
        command = [sys.executable, "-m", "nli_probe", "train", "quick-full", "-o", str(folder)]
        subprocess.run(command, check=True)
    return folder


def _held_out_pairs(run_folder: Path, out: Path) -> Path:
    """The SNLI dev lines the run held out (never trained on), verbatim, in file order."""
    from nli_probe.trainers import evaluation_examples, load_preset

    from nli_probe.data import load_examples

    config = load_preset(str(run_folder / "config.toml"), [])
    held = {example.id for example in evaluation_examples(config)}
    dev = load_examples("snli:dev")
    rows = [
        {
            "pairID": example.id,
            "sentence1": example.premise,
            "sentence2": example.hypothesis,
            "gold_label": str(example.gold) if example.gold is not None else "-",
        }
        for example in dev
        if example.id in held
    ]
    out.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return out


def _correct_ids(run_folder: Path, pairs_file: Path, count: int) -> list[str]:
    """The first `count` gold-labelled pairs of the file the model predicts correctly (fp32)."""
    from nli_probe import load_model, predict
    from nli_probe.data import load_examples

    model = load_model(run_folder, device="cpu", precision="fp32", progress=False)
    examples = [e for e in load_examples(pairs_file) if e.gold is not None]
    chosen: list[str] = []
    for at in range(0, len(examples), 256):
        block = examples[at : at + 256]
        for example, prediction in zip(block, predict(model, [e.pair for e in block]), strict=True):
            if prediction.label == example.gold:
                chosen.append(example.id)
                if len(chosen) == count:
                    return chosen
    return chosen


def _textattack(
    args: argparse.Namespace,
    run_folder: Path,
    pairs_file: Path,
    ids_file: Path,
    max_length: int | None,
    work: Path,
) -> dict[str, Any]:
    out = work / f"{ids_file.stem}-textattack-{max_length or 'stock'}.json"
    command = [
        str(args.venv / "bin" / "python"),
        str(TEXTATTACK / "textattack_side.py"),
        str(run_folder),
        str(pairs_file),
        "--ids",
        str(ids_file),
        "--threads",
        str(args.threads),
        "--out",
        str(out),
        "--no-progress",
    ]
    if max_length is not None:
        command += ["--max-length", str(max_length)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"TextAttack's side failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(out.read_text())
    return {
        "attempted": result["attempted"],
        "succeeded": result["succeeded"],
        "skipped": result["skipped"],
        # TextAttack gives the mean over attempted pairs; its total, back as an integer.
        "queries": round(result["mean_queries"] * result["attempted"])
        if result["attempted"]
        else 0,
        "words_changed": sum(a["words_changed"] for a in result["adversarial_examples"]),
        "wall": result["time"]["attack_wall_s"],
        "cpu": result["time"]["attack_cpu_s"],
        "padded_length": result["config"]["padded_length"],
    }


def _nli_probe(
    args: argparse.Namespace,
    run_folder: Path,
    pairs_file: Path,
    ids: list[str],
    stopwords: list[str],
    as_textattack: bool,
    importance: str,
) -> dict[str, Any]:
    from nli_probe import Attack, PredictionCache, attack_examples, get_attack, load_model
    from nli_probe.data import load_examples
    from nli_probe.probing.attacks.constraints.distance import edit_distance
    from nli_probe.probing.attacks.constraints.words import stopwords as stopword_constraint
    from nli_probe.probing.attacks.searches.greedy import greedy
    from nli_probe.probing.attacks.transformations.characters import chars

    by_id = {example.id: example for example in load_examples(pairs_file)}
    examples = [by_id[pair_id] for pair_id in ids]
    model = load_model(run_folder, device="cpu", precision="fp32", progress=False)
    if as_textattack:
        attack = Attack(
            name="deepwordbug",
            transformations=[chars(edits=("swap", "substitute", "delete", "insert"))],
            constraints=[
                stopword_constraint(words=stopwords, case_sensitive=True),
                edit_distance(max_distance=30),
            ],
            search=greedy(importance=importance),  # type: ignore[arg-type]
        )
    else:
        attack = get_attack("deepwordbug")
    with (
        tempfile.TemporaryDirectory() as folder,
        PredictionCache(Path(folder) / "c.sqlite3") as cache,
    ):
        wall, cpu = time.perf_counter(), time.process_time()
        results = attack_examples(model, attack, examples, seed=args.seed, cache=cache)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    attempted = [r for r in results if r.status in ("succeeded", "failed")]
    succeeded = [r for r in attempted if r.status == "succeeded"]
    return {
        "attempted": len(attempted),
        "succeeded": len(succeeded),
        "skipped": len(results) - len(attempted),
        "queries": sum(r.queries for r in attempted),
        "words_changed": sum(len(r.found.state.edits) for r in succeeded if r.found),
        "wall": wall,
        "cpu": cpu,
    }


def _print_table(tools: dict[str, Tally]) -> None:
    from nli_probe.core.suite_run import wilson_interval

    print()
    header = (
        f"{'tool':<60} {'success (95% CI)':>24} {'queries':>8} {'words':>6} "
        f"{'wall s':>8} {'CPU s':>8}"
    )
    print(header)
    for name, tally in tools.items():
        interval = wilson_interval(tally.succeeded, tally.attempted) or (0.0, 0.0)
        words = tally.words_changed / tally.succeeded if tally.succeeded else float("nan")
        queries = tally.queries / tally.attempted if tally.attempted else float("nan")
        rate = f"{tally.success_rate:.1%} [{interval[0]:.1%}-{interval[1]:.1%}]"
        print(
            f"{name:<60} {rate:>24} {queries:>8.2f} {words:>6.2f} {tally.wall:>8.1f} "
            f"{tally.cpu:>8.1f}"
        )
    print()
    # Every nli-probe row against every TextAttack row: the goal is the same or higher success
    # in at least GOAL_SPEEDUP times less wall time.
    for our_name, ours in tools.items():
        if ours.name.startswith("textattack"):
            continue
        for name, tally in tools.items():
            if not tally.name.startswith("textattack"):
                continue
            wall = tally.wall / ours.wall if ours.wall else float("nan")
            cpu = tally.cpu / ours.cpu if ours.cpu else float("nan")
            met = ours.success_rate >= tally.success_rate and wall >= GOAL_SPEEDUP
            print(
                f"{our_name} vs {name}: {wall:.1f}x less wall time, {cpu:.1f}x less CPU time; "
                f"success {ours.success_rate:.1%} vs {tally.success_rate:.1%}; goal: "
                f"{'MET' if met else 'NOT MET'}"
            )
    print(f"(goal: the same or higher success rate in at least {GOAL_SPEEDUP:g}x less wall time)")


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
