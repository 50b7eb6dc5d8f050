"""`nli-probe predict`: a model's probabilities for one pair, or for every pair in a jsonl file.

    nli-probe predict --model runs/full "A man is sleeping." "Nobody sleeps."
    nli-probe predict --model roberta-large-mnli --file pairs.jsonl --out predictions.jsonl

Each input line is a JSON object with `premise` and `hypothesis` (or `sentence1` / `sentence2`);
each output line repeats the input object and adds `entailment`, `neutral`, `contradiction`
(probabilities) and `label`. Predictions go through the engine and the prediction cache.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from nli_probe.errors import NLIProbeError

if TYPE_CHECKING:
    from nli_probe.engine import ProgressCallback
    from nli_probe.protocol import Pair

_TEXT_FIELDS = (("premise", "hypothesis"), ("sentence1", "sentence2"))


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "predict",
        help="a model's probabilities for a pair, or for every pair in a jsonl file",
        description="Predict entailment / neutral / contradiction probabilities with a "
        "checkpoint folder, a LoRA adapter folder or a Hugging Face hub name. Predictions are "
        "cached (see --cache), so asking again costs no model call.",
    )
    parser.add_argument("--model", "-m", required=True, metavar="MODEL", help="folder or hub name")
    parser.add_argument("pair", nargs="*", metavar="TEXT", help="PREMISE HYPOTHESIS")
    parser.add_argument(
        "--file", "-f", type=Path, metavar="PAIRS.jsonl", help="predict every line of this file"
    )
    parser.add_argument(
        "--out", "-o", type=Path, metavar="FILE", help="write jsonl here (default: stdout)"
    )
    parser.add_argument("--jsonl", action="store_true", help="one pair: print jsonl, not text")
    model = parser.add_argument_group("model")
    model.add_argument("--device", default="auto", help="auto (cuda, mps, cpu), cpu, cuda[:N], mps")
    model.add_argument(
        "--precision",
        default="auto",
        help="auto (fp32; measured fastest on GPU too), fp32, bf16 or fp16",
    )
    model.add_argument("--batch-size", type=int, default=64, metavar="N")
    model.add_argument("--max-length", type=int, default=128, metavar="TOKENS")
    model.add_argument(
        "--label-names",
        metavar="A,B,C",
        help="the output columns' labels in column order, for checkpoints whose config says "
        "only LABEL_0, LABEL_1, ... (e.g. entailment,neutral,contradiction)",
    )
    model.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="run code shipped with a hub model (only for authors you trust)",
    )
    cache = parser.add_argument_group("prediction cache")
    cache.add_argument(
        "--cache", type=Path, metavar="FILE", help="cache file (default: the user cache folder)"
    )
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    if args.file is None and len(args.pair) != 2:
        raise NLIProbeError("give a PREMISE and a HYPOTHESIS, or --file PAIRS.jsonl")
    if args.file is not None and args.pair:
        raise NLIProbeError("give either a PREMISE and a HYPOTHESIS or --file, not both")
    rows = (
        _read_rows(args.file)
        if args.file
        else [{"premise": args.pair[0], "hypothesis": args.pair[1]}]
    )
    pairs = [_pair(row) for row in rows]

    from nli_probe.cache import PredictionCache
    from nli_probe.engine import run_predictions
    from nli_probe.model import load_model

    _quiet_transformers()
    label_names = args.label_names.split(",") if args.label_names else None
    model = load_model(
        args.model,
        device=args.device,
        precision=args.precision,
        max_length=args.max_length,
        label_names=label_names,
        trust_remote_code=args.trust_remote_code,
        batch_size=args.batch_size,
    )
    cache = None if args.no_cache else PredictionCache(args.cache)
    try:
        with _progress(enabled=not args.quiet and args.file is not None) as progress:
            run = run_predictions(
                model, pairs, batch_size=args.batch_size, progress=progress, cache=cache
            )
    finally:
        if cache is not None:
            cache.close()
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


def _read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise NLIProbeError(f"cannot read {path}: {error.strerror or error}") from error
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise NLIProbeError(f"{path}, line {number}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise NLIProbeError(f"{path}, line {number}: expected a JSON object")
        try:
            _pair(row)
        except NLIProbeError as error:
            raise NLIProbeError(f"{path}, line {number}: {error}") from None
        rows.append(row)
    return rows


def _pair(row: dict[str, Any]) -> Pair:
    for premise_key, hypothesis_key in _TEXT_FIELDS:
        if premise_key in row or hypothesis_key in row:
            premise, hypothesis = row.get(premise_key), row.get(hypothesis_key)
            for key, value in ((premise_key, premise), (hypothesis_key, hypothesis)):
                if not isinstance(value, str):
                    raise NLIProbeError(f"field {key!r} is missing or not a string")
            return (str(premise), str(hypothesis))
    fields = ", ".join(sorted(row)) or "none"
    raise NLIProbeError(f"no 'premise' / 'hypothesis' fields (fields: {fields})")


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
