"""The data options every command that reads a data set takes (`data info|prepare`, `evaluate`,
`probe`, `predict --file`): the data folder, skipping bad rows, the SNLI download and the plain
file's column names and label spellings, so a hint such as "use --skip-bad-rows" is true
wherever a data error can appear."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nli_probe.data.dataset import Dataset
    from nli_probe.data.plain import Columns

DATA_HELP = (
    "a data file (.jsonl/.json/.csv/.tsv/.txt) or a name: snli:dev, mnli:dev_matched, "
    "chaosnli:snli, hans:evaluation, anli:test, breaking_nli, ... (`nli-probe data ls` lists "
    "them all), hf:NAME[:split]"
)


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="data folder for names such as snli:dev (default: $NLI_PROBE_DATA, else the "
        "user cache)",
    )


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """--data-dir, --skip-bad-rows, --download and the plain-file options."""
    add_data_dir(parser)
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="skip malformed rows (each one is counted and reported) instead of stopping",
    )
    parser.add_argument(
        "--download",
        action="store_true",
        help="download the official SNLI zip if an snli: split is missing",
    )
    add_reader_options(parser)


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    """The plain-file options alone: format, column names, label spellings, --two-way."""
    plain = parser.add_argument_group("plain files (csv/tsv/jsonl with other column names)")
    plain.add_argument("--format", choices=("snli", "chaosnli", "plain"), help="skip sniffing")
    plain.add_argument("--premise-column", metavar="NAME")
    plain.add_argument("--hypothesis-column", metavar="NAME")
    plain.add_argument("--label-column", metavar="NAME", help='"" for unlabeled data')
    plain.add_argument("--id-column", metavar="NAME")
    plain.add_argument("--votes-column", metavar="NAME", help="annotator labels (a|b|c in CSV)")
    plain.add_argument(
        "--label",
        action="append",
        default=[],
        metavar="SPELLING=LABEL",
        help="an extra label spelling (repeatable), e.g. --label yes=entailment",
    )
    plain.add_argument(
        "--two-way",
        action="store_true",
        help="entailment / non-entailment labels (HANS); non-entailment is read as neutral",
    )


def reader_options_given(args: argparse.Namespace) -> bool:
    """True when any plain-file option (or --format) was given."""
    named = (
        args.premise_column,
        args.hypothesis_column,
        args.label_column,
        args.id_column,
        args.votes_column,
    )
    return any(v is not None for v in named) or bool(args.label or args.two_way or args.format)


def columns(args: argparse.Namespace, *, gold_optional: bool = False) -> Columns | None:
    """The plain-file `Columns` the options describe (None: the defaults). With
    `gold_optional`, a file without a label column is read as unlabeled."""
    import dataclasses

    from nli_probe.data.plain import Columns
    from nli_probe.errors import NLIProbeError

    spellings: dict[str, str] = {}
    for item in args.label:
        spelling, sep, label = item.partition("=")
        if not sep or not spelling.strip():
            raise NLIProbeError(f"--label {item!r} must look like SPELLING=LABEL, e.g. yes=e")
        spellings[spelling] = label
    given = {
        "premise": args.premise_column,
        "hypothesis": args.hypothesis_column,
        "label": args.label_column,
        "id": args.id_column,
        "annotator_labels": args.votes_column,
    }
    chosen = None
    if any(value is not None for value in given.values()) or spellings or args.two_way:
        chosen = Columns(**given, labels=spellings, two_way=args.two_way)
    if gold_optional:
        chosen = dataclasses.replace(chosen or Columns(), label_required=False)
    return chosen


def read_data(args: argparse.Namespace, spec: str, *, gold_optional: bool = False) -> Dataset:
    """Read `spec` as the data options say, with a spinner on a terminal, and list every
    skipped row on stderr."""
    from contextlib import nullcontext

    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from nli_probe.data.folder import is_name
    from nli_probe.data.read import read_dataset
    from nli_probe.models.distributed import main_process_first

    console = Console(stderr=True)
    # Under torchrun, one rank downloads while the others wait, then they find the files.
    first = main_process_first() if args.download else nullcontext()
    with (
        first,
        Progress(
            SpinnerColumn(),
            TextColumn("reading {task.description}: {task.completed:,} rows"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress,
    ):
        task = progress.add_task(spec, total=None)
        dataset = read_dataset(
            spec,
            data_dir=args.data_dir,
            skip_bad_rows=args.skip_bad_rows,
            columns=columns(args, gold_optional=gold_optional),
            format=args.format,
            download=args.download,
            progress=lambda rows: progress.update(task, completed=rows),
        )
    if is_name(spec):
        # Which file a name resolved to: the data folder's, or the copy embedded in the package.
        console.print(f"reading {dataset.origin}", highlight=False, markup=False, soft_wrap=True)
    if dataset.skipped:
        report_skipped(dataset, console)
    return dataset


def report_skipped(dataset: Dataset, console: Any) -> None:
    console.print(
        f"[yellow]skipped {len(dataset.skipped):,} bad row(s)[/] of {dataset.path}:",
        highlight=False,
        soft_wrap=True,
    )
    for problem in dataset.skipped[:20]:
        console.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
    if len(dataset.skipped) > 20:
        console.print(
            f"  ... and {len(dataset.skipped) - 20:,} more (all listed in --json output / "
            "the prepare summary)",
            highlight=False,
        )
