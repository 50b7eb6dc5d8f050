"""TextAttack's side of the attack benchmark: DeepWordBug on the hypothesis of NLI pairs.

Run with the TextAttack environment's Python (see install.sh beside it), never with
nli-probe's own (TextAttack 0.3.11 needs transformers 4.x / huggingface-hub < 1);
`benchmarks/bench_attacks.py` runs it:

    VENV/bin/python textattack_side.py MODEL_DIR PAIRS.jsonl --pairs 200 --threads 1 \
        --out textattack_result.json
    VENV/bin/python textattack_side.py MODEL_DIR PAIRS.jsonl --ids IDS.txt --out slice.json

MODEL_DIR is a Hugging Face sequence-classification checkpoint (an `nli-probe train` run
folder is one). PAIRS.jsonl holds one pair per line: premise/sentence1, hypothesis/sentence2,
label/gold_label/gold (entailment, neutral, contradiction; "-" or empty = no gold, skipped),
and an id (id/pairID/uid/pair_id; else FILE-STEM:LINE).

Selection (reproducible by the other tool, and written out): the first N pairs in file order
that have a gold label and that the model, called through TextAttack's own model wrapper,
predicts correctly (argmax of the logits, ties to the lower label id). With `--ids FILE`
(one pair id a line) exactly those pairs are attacked, in that order, with no selection pass
(TextAttack itself skips any it finds predicted wrongly: a non-zero `skipped` shows it).

The attack is assembled from TextAttack's components exactly as its DeepWordBugGao2018
recipe builds it, plus InputColumnModification so only the hypothesis is edited; the
script checks that against the recipe class itself. It runs through `textattack.Attacker`,
as the `textattack attack` command does.

Exit status 2 with a one-line message for bad input (missing files, malformed lines,
unknown labels, a checkpoint without the three NLI labels).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

NLI_LABELS = ("entailment", "neutral", "contradiction")
PREMISE_KEYS = ("premise", "sentence1")
HYPOTHESIS_KEYS = ("hypothesis", "sentence2")
LABEL_KEYS = ("label", "gold_label", "gold")
ID_KEYS = ("id", "pairID", "uid", "pair_id")
NO_GOLD = ("-", "", "-1")


class InputError(Exception):
    """Bad input: reported as one line, exit status 2."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir", type=Path, help="HF sequence-classification checkpoint")
    parser.add_argument(
        "pairs_file",
        metavar="PAIRS_JSONL",
        type=Path,
        help="jsonl, one pair a line: premise/sentence1, hypothesis/sentence2, "
        "label/gold_label (entailment, neutral, contradiction; - = none), "
        "id/pairID",
    )
    parser.add_argument(
        "--pairs",
        dest="count",
        type=int,
        default=200,
        help="how many correctly predicted pairs to attack (default 200)",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("textattack_result.json"),
        help="result JSON (default textattack_result.json)",
    )
    parser.add_argument(
        "--ids",
        type=Path,
        help="attack exactly the pairs with these ids (one a line, in order), "
        "with no selection pass",
    )
    parser.add_argument(
        "--ids-out", type=Path, help="chosen pair ids, one a line (default: OUT with .pair_ids.txt)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=765,
        help="TextAttack's random seed (default 765, AttackArgs' default)",
    )
    parser.add_argument(
        "--max-length",
        type=int,
        help="set the tokenizer's model_max_length, which TextAttack's "
        "HuggingFaceModelWrapper pads every query to (default: leave the "
        "checkpoint's own, as TextAttack does)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=32,
        help="goal function's model_batch_size (default 32, TextAttack's)",
    )
    parser.add_argument(
        "--query-budget", type=int, help="queries per pair (default: none, TextAttack's default)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.count < 1 or args.threads < 1 or args.batch_size < 1:
        parser.error("--pairs, --threads and --batch-size must be at least 1")
    if args.ids_out is None:
        args.ids_out = args.out.with_suffix(".pair_ids.txt")
    return args


def offline_environment(threads: int, no_progress: bool) -> None:
    """Before torch / transformers / textattack are imported: no hub or NLTK downloads,
    TextAttack's cache inside its environment (made by install.sh), N threads."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ.setdefault(name, "1")
    ta_cache = Path(sys.prefix) / "ta-cache"
    if "TA_CACHE_DIR" not in os.environ and ta_cache.is_dir():
        os.environ["TA_CACHE_DIR"] = str(ta_cache)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if no_progress:
        os.environ["TQDM_DISABLE"] = "1"  # tqdm reads TQDM_* defaults from the environment


def first_key(row: dict, keys: tuple[str, ...]) -> str | None:
    return next((key for key in keys if key in row), None)


def read_pairs(path: Path) -> tuple[list[dict], int]:
    """(pairs with a gold label, count without one). Raises InputError naming file:line."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    pairs, no_gold, seen = [], 0, set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{where}: not JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise InputError(f"{where}: expected a JSON object")
            keys = [first_key(row, k) for k in (PREMISE_KEYS, HYPOTHESIS_KEYS)]
            if None in keys:
                raise InputError(f"{where}: needs premise/sentence1 and hypothesis/sentence2")
            premise, hypothesis = (row[k] for k in keys)
            if not (isinstance(premise, str) and isinstance(hypothesis, str)):
                raise InputError(f"{where}: premise and hypothesis must be strings")
            label_key = first_key(row, LABEL_KEYS)
            label = row.get(label_key) if label_key else None
            label = "" if label is None else str(label).strip().lower()
            if label in NO_GOLD:
                no_gold += 1
                continue
            if label not in NLI_LABELS:
                raise InputError(
                    f"{where}: label {row[label_key]!r} is not one of "
                    f"{', '.join(NLI_LABELS)} (or '-' for no gold)"
                )
            id_key = first_key(row, ID_KEYS)
            pair_id = str(row[id_key]) if id_key else f"{path.stem}:{number}"
            if pair_id in seen:
                raise InputError(f"{where}: duplicate id {pair_id!r}")
            seen.add(pair_id)
            pairs.append(
                {"id": pair_id, "premise": premise, "hypothesis": hypothesis, "gold": label}
            )
    return pairs, no_gold


def label_ids(model) -> dict[str, int]:
    """Gold label name -> the checkpoint's class id, from its config.id2label."""
    names = {int(i): str(name).strip().lower() for i, name in model.config.id2label.items()}
    by_name = {name: i for i, name in names.items()}
    missing = [label for label in NLI_LABELS if label not in by_name]
    if missing or len(names) != len(NLI_LABELS):
        raise InputError(
            f"checkpoint id2label {model.config.id2label} does not name the "
            f"three NLI labels ({', '.join(NLI_LABELS)})"
        )
    return by_name


def machine_line(threads: int) -> str:
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: cpu capability {torch.backends.cpu.get_cpu_capability()}, native bf16 "
        f"{torch.ops.mkldnn._is_mkldnn_bf16_supported()}, {gpu}, {os.cpu_count()} cores, "
        f"torch threads {threads}, load {load}"
    )


def select_correct(
    wrapper, pairs: list[dict], label_of: dict[str, int], count: int, batch: int
) -> tuple[list[dict], int]:
    """The first `count` pairs the model predicts right (through TextAttack's wrapper, as the
    attack will see them), and how many pairs were looked at."""
    chosen, looked = [], 0
    for start in range(0, len(pairs), batch):
        block = pairs[start : start + batch]
        logits = wrapper([(p["premise"], p["hypothesis"]) for p in block])
        for pair, row in zip(block, logits.argmax(dim=1).tolist(), strict=True):
            looked += 1
            if row == label_of[pair["gold"]]:
                chosen.append(pair)
                if len(chosen) == count:
                    return chosen, looked
    return chosen, looked


def pairs_by_id(pairs: list[dict], ids_file: Path) -> list[dict]:
    """The pairs named in `ids_file` (one id a line), in its order."""
    if not ids_file.is_file():
        raise InputError(f"{ids_file}: no such file")
    by_id = {pair["id"]: pair for pair in pairs}
    wanted = [line.strip() for line in ids_file.read_text().splitlines() if line.strip()]
    missing = [pair_id for pair_id in wanted if pair_id not in by_id]
    if missing:
        raise InputError(f"{ids_file}: id {missing[0]!r} is not a gold-labelled pair of the file")
    return [by_id[pair_id] for pair_id in wanted]


def build_attack(wrapper, batch_size: int):
    """DeepWordBug (Gao et al. 2018) from components, hypothesis only."""
    from textattack import Attack
    from textattack.constraints.overlap import LevenshteinEditDistance
    from textattack.constraints.pre_transformation import (
        InputColumnModification,
        RepeatModification,
        StopwordModification,
    )
    from textattack.goal_functions import UntargetedClassification
    from textattack.search_methods import GreedyWordSwapWIR
    from textattack.transformations import (
        CompositeTransformation,
        WordSwapNeighboringCharacterSwap,
        WordSwapRandomCharacterDeletion,
        WordSwapRandomCharacterInsertion,
        WordSwapRandomCharacterSubstitution,
    )

    transformation = CompositeTransformation(
        [
            WordSwapNeighboringCharacterSwap(),
            WordSwapRandomCharacterSubstitution(),
            WordSwapRandomCharacterDeletion(),
            WordSwapRandomCharacterInsertion(),
        ]
    )
    constraints = [
        RepeatModification(),
        StopwordModification(),
        # TextAttack's NLI-aware recipes (TextFooler, Alzantot's genetic attack, PSO, A2T)
        # use exactly this to keep the premise fixed; DeepWordBug's recipe has none.
        InputColumnModification(["premise", "hypothesis"], {"premise"}),
        LevenshteinEditDistance(30),
    ]
    goal = UntargetedClassification(wrapper, model_batch_size=batch_size)
    return Attack(goal, constraints, transformation, GreedyWordSwapWIR(wir_method="unk"))


def check_against_recipe(attack, wrapper) -> str:
    """Our attack must be the recipe class's, part for part, plus the hypothesis-only
    constraint. Returns the recipe's own description."""
    from textattack.attack_recipes import DeepWordBugGao2018
    from textattack.constraints.pre_transformation import InputColumnModification

    recipe = DeepWordBugGao2018.build(wrapper)
    ours_pre = [
        c
        for c in attack.pre_transformation_constraints
        if not isinstance(c, InputColumnModification)
    ]
    same = (
        str(attack.transformation) == str(recipe.transformation)
        and str(attack.search_method) == str(recipe.search_method)
        and type(attack.goal_function) is type(recipe.goal_function)
        and [str(c) for c in attack.constraints] == [str(c) for c in recipe.constraints]
        and [str(c) for c in ours_pre] == [str(c) for c in recipe.pre_transformation_constraints]
        and len(ours_pre) == len(attack.pre_transformation_constraints) - 1
    )
    if not same:
        raise SystemExit(
            "the attack built from components differs from DeepWordBugGao2018:\n"
            f"--- ours\n{attack}\n--- recipe\n{recipe}"
        )
    return str(recipe)


def wilson(successes: int, total: int, z: float = 1.959964) -> list[float] | None:
    if total == 0:
        return None
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return [round(centre - half, 4), round(centre + half, 4)]


def describe(result, pair: dict, names: dict[int, str]) -> dict:
    original = result.original_result
    perturbed = result.perturbed_result
    changed = sorted(original.attacked_text.all_words_diff(perturbed.attacked_text))
    words = original.attacked_text.words
    premise_words = len(original.attacked_text.words_per_input[0])
    return {
        "id": pair["id"],
        "premise": pair["premise"],
        "hypothesis": pair["hypothesis"],
        "adversarial_premise": perturbed.attacked_text.tokenizer_input[0],
        "adversarial_hypothesis": perturbed.attacked_text.tokenizer_input[1],
        "gold": pair["gold"],
        "original_prediction": names[int(original.output)],
        "adversarial_prediction": names[int(perturbed.output)],
        "adversarial_score": round(float(perturbed.score), 6),
        "edits": [
            {
                "word_index_in_hypothesis": i - premise_words,
                "from": words[i],
                "to": perturbed.attacked_text.words[i],
            }
            for i in changed
        ],
        "words_changed": len(changed),
        "queries": int(result.num_queries),
    }


def run(args: argparse.Namespace) -> dict:
    offline_environment(args.threads, args.no_progress)
    import warnings

    warnings.filterwarnings("ignore", message=".*PYTORCH_TRANSFORMERS_CACHE.*")
    import torch

    torch.set_num_threads(args.threads)
    print(machine_line(args.threads), flush=True)

    pairs, no_gold = read_pairs(args.pairs_file)
    if not args.model_dir.is_dir() or not (args.model_dir / "config.json").is_file():
        raise InputError(f"{args.model_dir}: not a checkpoint folder (no config.json)")

    started_wall, started_cpu = time.perf_counter(), time.process_time()
    from importlib.metadata import version

    import textattack
    import transformers
    from textattack.attack_results import (
        FailedAttackResult,
        SkippedAttackResult,
        SuccessfulAttackResult,
    )
    from textattack.metrics.attack_metrics import (
        AttackQueries,
        AttackSuccessRate,
        WordsPerturbed,
    )
    from textattack.models.wrappers import HuggingFaceModelWrapper

    try:
        model = transformers.AutoModelForSequenceClassification.from_pretrained(
            args.model_dir, dtype=torch.float32
        )
        tokenizer = transformers.AutoTokenizer.from_pretrained(args.model_dir)
    except (OSError, ValueError) as error:
        raise InputError(
            f"{args.model_dir}: cannot load the checkpoint ({str(error).splitlines()[0]})"
        ) from None
    model.eval()
    if args.max_length is not None:
        tokenizer.model_max_length = args.max_length
    label_of = label_ids(model)
    names = {i: name for name, i in label_of.items()}
    wrapper = HuggingFaceModelWrapper(model, tokenizer)
    import_wall = time.perf_counter() - started_wall

    select_wall, select_cpu = time.perf_counter(), time.process_time()
    if args.ids is not None:
        chosen, looked = pairs_by_id(pairs, args.ids), 0
    else:
        chosen, looked = select_correct(wrapper, pairs, label_of, args.count, args.batch_size)
    select_wall = time.perf_counter() - select_wall
    select_cpu = time.process_time() - select_cpu
    if not chosen:
        raise InputError(f"{args.pairs_file}: the model predicts none of its pairs correctly")
    if args.ids is None:
        args.ids_out.parent.mkdir(parents=True, exist_ok=True)
        args.ids_out.write_text("".join(f"{p['id']}\n" for p in chosen))
        print(
            f"selected {len(chosen)} correctly predicted pairs of the first {looked} "
            f"gold-labelled pairs in {args.pairs_file} ({no_gold} without gold skipped in the "
            f"file); ids -> {args.ids_out}",
            flush=True,
        )

    attack = build_attack(wrapper, args.batch_size)
    recipe_text = check_against_recipe(attack, wrapper)
    dataset = textattack.datasets.Dataset(
        [((p["premise"], p["hypothesis"]), label_of[p["gold"]]) for p in chosen],
        input_columns=["premise", "hypothesis"],
        label_names=[names[i] for i in range(len(names))],
    )
    attack_args = textattack.AttackArgs(
        num_examples=len(chosen),
        random_seed=args.seed,
        query_budget=args.query_budget,
        disable_stdout=True,
        silent=True,
    )
    attacker = textattack.Attacker(attack, dataset, attack_args)
    wall, cpu = time.perf_counter(), time.process_time()
    results = attacker.attack_dataset()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu

    pairs_results = list(zip(results, chosen, strict=True))  # Attacker keeps dataset order
    succeeded = [(r, p) for r, p in pairs_results if isinstance(r, SuccessfulAttackResult)]
    failed = sum(isinstance(r, FailedAttackResult) for r in results)
    skipped = sum(isinstance(r, SkippedAttackResult) for r in results)
    attempted = len(results) - skipped
    adversarial = [describe(r, p, names) for r, p in succeeded]
    hyp_words = [len(r.original_result.attacked_text.words_per_input[1]) for r, _ in succeeded]
    all_words = [len(r.original_result.attacked_text.words) for r, _ in succeeded]
    changed = [a["words_changed"] for a in adversarial]
    queries = [int(r.num_queries) for r in results if not isinstance(r, SkippedAttackResult)]

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    textattack_summary = {}
    for metric in (AttackSuccessRate(), WordsPerturbed(), AttackQueries()):
        for key, value in metric.calculate(results).items():
            if key != "num_words_changed_until_success":
                textattack_summary[key] = value.item() if hasattr(value, "item") else value

    return {
        "tool": "textattack",
        "versions": {
            name: version(name) for name in ("textattack", "transformers", "torch", "flair", "nltk")
        },
        "machine": machine_line(args.threads),
        "model_dir": str(args.model_dir.resolve()),
        "pairs_file": str(args.pairs_file.resolve()),
        "selection": {
            "rule": f"the ids in {args.ids}"
            if args.ids
            else "first N gold-labelled pairs in file order predicted correctly "
            "(argmax through TextAttack's HuggingFaceModelWrapper, fp32)",
            "requested": args.count,
            "selected": len(chosen),
            "gold_labelled_pairs_looked_at": looked,
            "no_gold_lines_in_file": no_gold,
            "ids_file": str((args.ids or args.ids_out).resolve()),
            "pair_ids": [p["id"] for p in chosen],
        },
        "label_ids": label_of,
        "config": {
            "recipe": "DeepWordBugGao2018 components + InputColumnModification(premise)",
            "attack": str(attack),
            "recipe_class_attack": recipe_text,
            "seed": args.seed,
            "model_batch_size": args.batch_size,
            "query_budget": args.query_budget,
            "padded_length": tokenizer.model_max_length,
            "threads": args.threads,
            "stopwords": sorted(
                next(
                    c.stopwords
                    for c in attack.pre_transformation_constraints
                    if hasattr(c, "stopwords")
                )
            ),
        },
        "attempted": attempted,
        "succeeded": len(succeeded),
        "failed": failed,
        "skipped": skipped,
        "success_rate": round(len(succeeded) / attempted, 4) if attempted else None,
        "success_rate_wilson95": wilson(len(succeeded), attempted),
        "accuracy_under_attack": round(failed / len(results), 4) if results else None,
        "mean_queries": mean(queries),
        "mean_queries_successful": mean([a["queries"] for a in adversarial]),
        "mean_words_changed": mean(changed),
        "mean_words_changed_pct_of_hypothesis": mean(
            [100 * c / n for c, n in zip(changed, hyp_words, strict=True)]
        ),
        "mean_words_changed_pct_of_pair": mean(
            [100 * c / n for c, n in zip(changed, all_words, strict=True)]
        ),
        "textattack_summary": textattack_summary,
        "time": {
            "attack_wall_s": round(wall, 3),
            "attack_cpu_s": round(cpu, 3),
            "selection_wall_s": round(select_wall, 3),
            "selection_cpu_s": round(select_cpu, 3),
            "load_wall_s": round(import_wall, 3),
            "total_wall_s": round(time.perf_counter() - started_wall, 3),
            "total_cpu_s": round(time.process_time() - started_cpu, 3),
        },
        "adversarial_examples": adversarial,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = run(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    t = report["time"]
    print(
        f"TextAttack DeepWordBug (hypothesis only): attempted {report['attempted']}, "
        f"succeeded {report['succeeded']}, failed {report['failed']}, skipped "
        f"{report['skipped']}; success rate {report['success_rate']} "
        f"(95% {report['success_rate_wilson95']}); mean queries {report['mean_queries']}; "
        f"mean words changed {report['mean_words_changed']} "
        f"({report['mean_words_changed_pct_of_hypothesis']}% of the hypothesis); attack wall "
        f"{t['attack_wall_s']} s, CPU {t['attack_cpu_s']} s; -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
