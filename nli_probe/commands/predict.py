"""`nli-probe predict`: a model's probabilities for one pair, or for every pair of a data file.

    nli-probe predict --model runs/full "A man is sleeping." "Nobody sleeps."
    nli-probe predict --model roberta-large-mnli --file pairs.jsonl --out predictions.jsonl

`--file` is read by the same readers as every other command (`nli_probe.data`: jsonl, CSV, TSV,
SNLI and ChaosNLI files or names such as snli:dev, with the same data options and bad-row
rules; a label column is optional). Each output line holds the pair's id, premise, hypothesis,
gold label (when the file has one) and other columns, plus `entailment`, `neutral`,
`contradiction` (probabilities) and `label`. Predictions go through the engine and the
prediction cache.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from nli_probe.commands._data_options import add_data_options
from nli_probe.commands._model_options import (
    add_inference_options,
    add_threads_option,
    announce_precision,
    apply_threads,
    model_options,
)
from nli_probe.errors import NLIProbeError

if TYPE_CHECKING:
    from nli_probe.core.example import Example
    from nli_probe.models.engine import ProgressCallback


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "predict",
        help="a model's probabilities for a pair, or for every pair of a data file",
        description="Predict entailment / neutral / contradiction probabilities with a "
        "checkpoint folder, a LoRA adapter folder or a Hugging Face hub name. Predictions are "
        "cached (see --cache), so asking again costs no model call.",
    )
    parser.add_argument("--model", "-m", required=True, metavar="MODEL", help="folder or hub name")
    parser.add_argument("pair", nargs="*", metavar="TEXT", help="PREMISE HYPOTHESIS")
    parser.add_argument(
        "--file",
        "-f",
        metavar="DATA",
        help="predict every pair of this data file or data set name (jsonl, csv, tsv, snli:dev)",
    )
    parser.add_argument(
        "--out", "-o", type=Path, metavar="FILE", help="write jsonl here (default: stdout)"
    )
    parser.add_argument("--jsonl", action="store_true", help="one pair: print jsonl, not text")
    parser.add_argument(
        "--quiet", "-q", "--no-progress", dest="quiet", action="store_true", help="no progress bar"
    )
    add_inference_options(parser)
    add_threads_option(parser)
    add_data_options(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    if args.file is None and len(args.pair) != 2:
        raise NLIProbeError("give a PREMISE and a HYPOTHESIS, or --file PAIRS.jsonl")
    if args.file is not None and args.pair:
        raise NLIProbeError("give either a PREMISE and a HYPOTHESIS or --file, not both")
    if args.out is not None:
        from nli_probe.commands._output_place import check_output_file

        check_output_file(args.out)
    rows = _read_rows(args) if args.file else [_given_pair(args.pair[0], args.pair[1])]
    pairs = [(row["premise"], row["hypothesis"]) for row in rows]

    from nli_probe.models.cache import PredictionCache
    from nli_probe.models.distributed import is_main_process
    from nli_probe.models.engine import run_predictions
    from nli_probe.models.load import load_model

    _quiet_transformers()
    apply_threads(args)
    model = load_model(args.model, **model_options(args, progress=not args.quiet))
    if not args.quiet:
        announce_precision(model, set(), lambda line: print(line, file=sys.stderr))
    # Under torchrun only rank 0 opens the cache and writes the output.
    main = is_main_process()
    cache = None if args.no_cache or not main else PredictionCache(args.cache)
    try:
        with _progress(enabled=not args.quiet and args.file is not None) as progress:
            run = run_predictions(model, pairs, progress=progress, cache=cache)
    finally:
        if cache is not None:
            cache.close()
    if not main:
        return 0
    if args.file is None and not args.jsonl and args.out is None:
        prediction = run.predictions[0]
        e, n, c = prediction.probs
        print(
            f"{prediction.label} ({prediction.confidence:.3f})  "
            f"entailment {e:.3f}  neutral {n:.3f}  contradiction {c:.3f}"
        )
        return 0
    with _output(args.out) as out:
        for row, prediction in zip(rows, run.predictions, strict=True):
            e, n, c = prediction.probs
            record = {
                **row,
                "entailment": e,
                "neutral": n,
                "contradiction": c,
                "label": str(prediction.label),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if not args.quiet:
        print(
            f"{len(rows)} pairs ({run.distinct} distinct): {run.cached} from the cache, "
            f"{run.computed} predicted by {model.name} on {model.device} "
            f"({model.precision.value})",
            file=sys.stderr,
        )
    return 0


def _given_pair(premise: str, hypothesis: str) -> dict[str, Any]:
    """The pair given on the command line, held to the readers' rule: no empty text."""
    for name, text in (("premise", premise), ("hypothesis", hypothesis)):
        if not text.strip():
            raise NLIProbeError(f"the {name} is empty: give a PREMISE and a HYPOTHESIS")
    return {"premise": premise, "hypothesis": hypothesis}


def _read_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every pair of `--file`, read by the data readers, as an output row."""
    from nli_probe.commands._data_options import read_data

    return [_row(example) for example in read_data(args, args.file, gold_optional=True)]


def _row(example: Example) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": example.id,
        "premise": example.premise,
        "hypothesis": example.hypothesis,
    }
    if example.gold is not None:
        row["gold"] = str(example.gold)
    return {**row, **{key: value for key, value in example.meta.items() if key not in row}}


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        with path.open("w", encoding="utf-8") as handle:
            yield handle
    except OSError as error:
        raise NLIProbeError(f"cannot write {path}: {error.strerror or error}") from error


@contextmanager
def _progress(*, enabled: bool) -> Iterator[ProgressCallback | None]:
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        console=_stderr_console(),
    ) as bar:
        task = bar.add_task("predicting", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _quiet_transformers() -> None:
    """Weight-loading progress bars and load reports would interleave with our output."""
    from transformers.utils import logging

    logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    logging.disable_progress_bar()  # type: ignore[no-untyped-call]
