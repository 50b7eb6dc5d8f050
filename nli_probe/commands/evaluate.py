"""`nli-probe evaluate`: metric report and annotator-agreement breakdown for one or more models.

Models are predicted through the engine and its prediction cache, so evaluating a model a second
time costs no model calls; `--from-run` reuses the predictions saved in earlier run folders, so a
report over several models never re-runs a model. torch is imported only when a model is loaded.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.commands._arguments import COUNT, RESAMPLES, SEED, SHOWN
from nli_probe.commands._data_options import add_data_options
from nli_probe.commands._model_options import (
    add_inference_options,
    add_threads_option,
    announce_precision,
    apply_threads,
    model_location,
    model_options,
    select_by_training,
    split_model_spec,
)

if TYPE_CHECKING:
    from nli_probe.core.example import Example
    from nli_probe.core.parts import BaselinePrior, DataSetPart
    from nli_probe.core.report import ModelRun, Report

PREDICTIONS_FILE = "predictions.jsonl"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "evaluate",
        help="metrics, calibration and annotator-agreement breakdown for one or more models",
        description=(
            "Predict one or more data sets with each --model (through the prediction cache), "
            "score every model beside the majority baseline on each set (accuracy, "
            "precision/recall/F1 weighted and macro, per class, confusion matrix, bootstrap "
            "intervals, calibration, paired McNemar/bootstrap comparisons), break the scores "
            "down by annotator agreement (5/5, 4/5, 3/5, no consensus; entropy bins for "
            "ChaosNLI's 100 labels) with the fit to the human label distribution and the human "
            "ceiling, and by any field of the pairs (--by; a named set brings its own), print "
            "it as tables and save a run folder (report.json with the scores, "
            "predictions.jsonl). Two-way data (HANS) is scored two-way."
        ),
    )
    parser.add_argument(
        "-m",
        "--model",
        action="append",
        default=[],
        metavar="[NAME=]MODEL",
        help="checkpoint folder, LoRA adapter folder, trainer run folder or hub name, "
        "optionally NAME=... (repeat for several models)",
    )
    parser.add_argument(
        "-d",
        "--data",
        action="append",
        default=[],
        metavar="DATA",
        help="data set: a file or a name (snli:dev, hans:evaluation, anli:test, breaking_nli; "
        "`nli-probe data ls` lists them); repeat to score several in one run, each on its own",
    )
    parser.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="FIELD[,FIELD]",
        help="break every score down by a field of the pairs (a meta field such as heuristic, "
        "round, genre, category; gold, source, agreement, hypothesis_overlap); a,b crosses two; "
        "repeatable. A named set adds its own (HANS: heuristic, heuristic,gold and subcase; "
        "ANLI: round)",
    )
    parser.add_argument(
        "--baseline-from",
        metavar="RUN_OR_DATA",
        help="the majority baseline predicts the majority label of this training data: a "
        "trainer or study run folder (its recorded training balance) or a data file or name "
        "(default: the training data of the first --model that is a trainer run folder, else "
        "the evaluated pairs' own majority, labelled as an oracle)",
    )
    parser.add_argument(
        "--from-run",
        action="append",
        default=[],
        type=Path,
        metavar="RUN",
        help="reuse the examples and predictions saved in a run folder or report.json (repeat "
        "to put several side by side); --model adds models to it",
    )
    parser.add_argument(
        "-o", "--out", type=Path, help="run folder to write (default: runs/evaluate-TIME)"
    )
    parser.add_argument("--limit", type=COUNT, help="evaluate only the first N pairs")
    parser.add_argument(
        "--exclude-trained",
        action="append",
        default=[],
        type=Path,
        metavar="TRAIN_RUN",
        help="leave out the pairs this trainer run folder trained on (e.g. ChaosNLI-SNLI pairs "
        "are SNLI dev pairs, which the quick presets train on)",
    )
    parser.add_argument(
        "--held-out-of",
        action="append",
        default=[],
        type=Path,
        metavar="TRAIN_RUN",
        help="keep only the pairs this trainer run folder held out for its own evaluation",
    )
    parser.add_argument(
        "--resamples", type=RESAMPLES, default=1000, help="bootstrap resamples (1000; 0: none)"
    )
    parser.add_argument("--seed", type=SEED, default=0, help="bootstrap seed (0)")
    parser.add_argument(
        "--show-pairs", type=SHOWN, default=10, metavar="N", help="low-agreement pairs shown (10)"
    )
    add_inference_options(parser)
    add_threads_option(parser)
    add_data_options(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    import datetime

    from rich.console import Console

    from nli_probe.commands._output_place import check_output_folder
    from nli_probe.commands._score_tables import print_scores
    from nli_probe.core.report import Report, save_report
    from nli_probe.errors import NLIProbeError
    from nli_probe.models.distributed import is_main_process
    from nli_probe.scoring.scores import score_report, store_scores
    from nli_probe.scoring.slices import parse_slice_field

    if not args.model and not args.from_run:
        raise NLIProbeError("name at least one --model or --from-run")
    if args.from_run and args.data:
        raise NLIProbeError(
            "--data and --from-run both given: a saved run brings its own examples "
            "(add --model to evaluate more models on them)"
        )
    if not args.from_run and not args.data:
        raise NLIProbeError("name the data to evaluate on with --data (e.g. snli:dev)")
    repeated = sorted({spec for spec in args.data if args.data.count(spec) > 1})
    if repeated:
        raise NLIProbeError(f"--data {repeated[0]} is named twice")
    by = list(dict.fromkeys(parse_slice_field(field) for field in args.by))
    created = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = args.out or Path("runs") / f"evaluate-{created.replace(':', '')}"
    check_output_folder(out)  # before any data is read or model loaded
    console = Console()
    if not console.is_terminal:
        # Piped or captured output: wide enough that the tables do not wrap their cells.
        console = Console(width=max(console.width, 200))

    baseline: BaselinePrior | None = None
    if args.from_run:
        from nli_probe.reports.outputs import load_reports

        saved = load_reports(args.from_run)
        by_id = {example.id: example for example in saved.examples}
        sets = [
            _DataSet(
                name=part.name,
                examples=[by_id[i] for i in part.ids],
                origin=part.origin,
                slices=part.slices,
            )
            for part in saved.parts()
        ]
        runs: list[ModelRun] = list(saved.models)
        extra: dict[str, Any] = {k: v for k, v in saved.extra.items() if k != "scores"}
        baseline = saved.baseline
        prefixed = len(sets) > 1  # the saved ids already say which set
    else:
        from nli_probe.commands._data_options import read_data

        sets = []
        for spec in args.data:
            dataset = read_data(args, spec)
            sets.append(
                _DataSet(
                    name=spec,
                    examples=dataset.examples,
                    origin=dataset.origin,
                    slices=dataset.slices,
                )
            )
        runs, extra = [], {}
        prefixed = False
    notes = _select(sets, args)
    _check_slices(sets, by, notes)
    if len(sets) > 1 and not prefixed:
        # Two data sets may use the same ids; in one report each id names one pair.
        sets = [s.prefixed() for s in sets]
    examples = [example for s in sets for example in s.examples]
    ids = {example.id for example in examples}
    runs = [
        dataclasses.replace(run, predictions={k: v for k, v in run.predictions.items() if k in ids})
        for run in runs
    ]
    # The baseline's training data is read before any model loads, so a wrong
    # --baseline-from fails at once rather than after the predicting.
    if args.baseline_from:
        from nli_probe.data.training_balance import training_balance

        baseline = training_balance(args.baseline_from, data_dir=args.data_dir)
    elif baseline is None:
        baseline = _baseline_of_models(args.model, notes)
    shown: set[str] = set()
    for spec in args.model:
        run = _predict(spec, examples, args, console, taken={r.name for r in runs}, shown=shown)
        runs.append(run)
    if not is_main_process():
        return 0  # under torchrun, rank 0 scores and writes; this rank's share is predicted
    if notes:
        extra["evaluate"] = {"notes": notes}
    report = Report(
        dataset=" + ".join(s.name for s in sets),
        examples=tuple(examples),
        models=tuple(runs),
        created=created,
        extra=extra,
        datasets=tuple(s.part() for s in sets),
        baseline=baseline,
    )
    scores = score_report(report, resamples=args.resamples, seed=args.seed)
    save_report(store_scores(report, scores), out / "report.json")
    _write_predictions(report, out / PREDICTIONS_FILE)
    for note in notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    print_scores(scores, console, low_agreement=args.show_pairs)
    console.print(
        f"wrote {out / 'report.json'} and {out / PREDICTIONS_FILE}", highlight=False, markup=False
    )
    return 0


@dataclass(frozen=True, kw_only=True)
class _DataSet:
    """One `--data` (or one data set of a `--from-run`), its pairs and slice fields."""

    name: str
    examples: list[Example]
    origin: str = ""
    slices: tuple[str, ...] = ()

    def prefixed(self) -> _DataSet:
        return dataclasses.replace(
            self,
            examples=[dataclasses.replace(e, id=f"{self.name}/{e.id}") for e in self.examples],
        )

    def part(self) -> DataSetPart:
        from nli_probe.core.parts import THREE_WAY, TWO_WAY, DataSetPart

        two_way = bool(self.examples) and all(
            example.meta.get("label_scheme") == TWO_WAY for example in self.examples
        )
        return DataSetPart(
            name=self.name,
            ids=tuple(example.id for example in self.examples),
            origin=self.origin,
            label_scheme=TWO_WAY if two_way else THREE_WAY,
            slices=self.slices,
        )


def _select(sets: list[_DataSet], args: argparse.Namespace) -> list[str]:
    """Apply `--exclude-trained`, `--held-out-of` and `--limit` to each set (in place); check
    ids; returns the notes to print."""
    from nli_probe.data.ids import require_unique_ids
    from nli_probe.errors import NLIProbeError

    notes: list[str] = []
    for index, chosen in enumerate(sets):
        examples, made = select_by_training(
            chosen.examples,
            exclude_trained=args.exclude_trained,
            held_out_of=args.held_out_of,
            data_dir=args.data_dir,
        )
        if args.limit is not None:
            examples = examples[: args.limit]
            made.append(f"first {len(examples)} pairs only (--limit)")
        if not examples:
            raise NLIProbeError(f"{chosen.name}: no examples to evaluate")
        require_unique_ids(examples, source=chosen.name)
        where = f"{chosen.name}: " if len(sets) > 1 else ""
        notes += [where + note for note in made]
        sets[index] = dataclasses.replace(chosen, examples=examples)
    return notes


def _check_slices(sets: list[_DataSet], by: list[str], notes: list[str]) -> None:
    """Give each set its slice fields: its own defaults that its pairs carry, then every `--by`
    field it has. A `--by` field no set has is an error (with a did-you-mean) before any model
    is loaded; one that only some sets have is noted for the others."""
    from nli_probe.scoring.slices import available_fields, check_slice_fields, has_fields

    every = [example for s in sets for example in s.examples]
    check_slice_fields(by, every, where="--by")
    for index, chosen in enumerate(sets):
        known = available_fields(chosen.examples)  # once per set: it reads every pair
        own = [field for field in chosen.slices if has_fields(field, [], known=known)]
        asked = []
        for field in by:
            if has_fields(field, [], known=known):
                asked.append(field)
            else:
                notes.append(f"{chosen.name}: no {field!r} field in its pairs; not sliced by it")
        sets[index] = dataclasses.replace(chosen, slices=tuple(dict.fromkeys([*own, *asked])))


def _baseline_of_models(specs: list[str], notes: list[str]) -> BaselinePrior | None:
    """The training balance recorded by the first `--model` that is a trainer (or study) run
    folder or a model folder inside one; None when no model says what it was trained on."""
    from nli_probe.data.training_balance import recorded_balance

    found: list[BaselinePrior] = []
    for spec in specs:
        location = Path(split_model_spec(spec)[1]).expanduser()
        for folder in (location, location.parent):
            balance = recorded_balance(folder) if folder.is_dir() else None
            if balance is not None:
                found.append(balance)
                break
    if not found:
        return None
    labels = {str(balance.label) for balance in found}
    if len(labels) > 1:
        notes.append(
            "the models' training data have different majority labels "
            f"({', '.join(sorted(labels))}); the baseline uses the first's ({found[0].source}); "
            "--baseline-from chooses another"
        )
    return found[0]


def _predict(
    spec: str,
    examples: list[Example],
    args: argparse.Namespace,
    console: Any,
    *,
    taken: set[str],
    shown: set[str],
) -> ModelRun:
    """Load one model and predict every example (cached pairs cost nothing)."""
    from contextlib import nullcontext

    from rich.progress import Progress

    from nli_probe.core.report import ModelRun
    from nli_probe.models.cache import PredictionCache
    from nli_probe.models.distributed import is_main_process
    from nli_probe.models.engine import run_predictions
    from nli_probe.models.load import load_model

    location, name = model_location(spec)
    apply_threads(args)
    model = load_model(
        location,
        **model_options(args, progress=not args.no_progress),
        name=_unique(name, taken) if name else None,
    )
    display = _unique(model.name, taken)
    announce_precision(
        model, shown, lambda line: console.print(line, highlight=False, markup=False)
    )
    # Under torchrun only rank 0 opens the cache (see `nli_probe.models.engine`).
    cache = (
        nullcontext(None) if args.no_cache or not is_main_process() else PredictionCache(args.cache)
    )
    pairs = [example.pair for example in examples]
    with (
        cache as opened,
        Progress(console=console, disable=args.no_progress, transient=True) as bar,
    ):
        task = bar.add_task(f"predicting with {display}", total=len(set(pairs)))
        result = run_predictions(
            model,
            pairs,
            cache=opened,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(
        f"{display}: {result.distinct} distinct pairs, {result.cached} from the cache, "
        f"{result.computed} predicted",
        highlight=False,
        markup=False,
    )
    settings = {
        "source": str(location),
        "device": str(getattr(model, "device", "")),
        "precision": str(getattr(getattr(model, "precision", ""), "value", "")),
        "max_length": str(getattr(model, "max_length", args.max_length)),
    }
    return ModelRun(
        name=display,
        fingerprint=model.fingerprint,
        predictions={
            example.id: prediction
            for example, prediction in zip(examples, result.predictions, strict=True)
        },
        settings={key: value for key, value in settings.items() if value},
    )


def _unique(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name} #{number}" in taken:
        number += 1
    return f"{name} #{number}"


def _write_predictions(report: Report, path: Path) -> None:
    """One JSON line per example: id, gold, annotator shares and every model's probabilities."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for example in report.examples:
            row = {
                "id": example.id,
                "gold": None if example.gold is None else str(example.gold),
                "human": example.human_distribution,
                "predictions": {
                    run.name: [round(p, 6) for p in run.predictions[example.id].probs]
                    for run in report.models
                    if example.id in run.predictions
                },
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    partial.replace(path)
