"""`nli-probe data`: download and list the named data sets, describe a data file, prepare one
as the study did."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from nli_probe.commands._arguments import COUNT, SEED, share, whole_number
from nli_probe.commands._data_options import DATA_HELP, add_data_dir, add_data_options, read_data


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "data",
        help="download and list named data sets, describe a data file, prepare data as the "
        "study did",
    )
    commands = parser.add_subparsers(dest="data_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=lambda args: _no_subcommand(parser))

    download = commands.add_parser(
        "download",
        help="fetch a named data set into the data folder (once; default: SNLI 1.0)",
        description=(
            "Download what a named data set needs (`nli-probe data ls` lists them) into the "
            "data folder, with a progress bar; an interrupted download resumes on the next run, "
            "and nothing is unpacked or put in place before its checksum matches (pinned where "
            "the data set's authors or its real files give one, else recorded at the first "
            "download and checked from then on)."
        ),
    )
    download.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="a family (hans, anli, ...) or one split (hans:evaluation); default: SNLI 1.0's zip",
    )
    add_data_dir(download)
    download.add_argument(
        "--from",
        dest="from_zip",
        type=Path,
        metavar="FILE",
        help="use a copy you have (e.g. snli_1.0.zip) instead of downloading",
    )
    download.add_argument("--force", action="store_true", help="fetch even what is there")
    download.add_argument("--url", help="a mirror of the file (the checksum still applies)")
    download.add_argument("--sha256", help="expected SHA-256 of the file (default: the catalog's)")
    download.add_argument(
        "--no-verify", action="store_true", help="skip the checksum (a trusted, different file)"
    )
    download.add_argument(
        "--keep-zip", action="store_true", help="keep a downloaded zip in DATA_DIR/.downloads"
    )
    download.set_defaults(handler=_download)

    listing = commands.add_parser(
        "ls",
        help="every named data set: size, licence, labels, slice fields, whether it is here",
    )
    add_data_dir(listing)
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=_list)

    info = commands.add_parser("info", help="rows, labels, agreement histogram and fields")
    info.add_argument("spec", metavar="DATA", help=DATA_HELP)
    add_data_options(info)
    info.add_argument("--json", action="store_true", help="print JSON instead of tables")
    info.set_defaults(handler=_info)

    prepare = commands.add_parser(
        "prepare", help="filter, map labels, sample by class; write jsonl and a summary"
    )
    prepare.add_argument("spec", metavar="DATA", help=DATA_HELP)
    prepare.add_argument("-o", "--out", type=Path, required=True, help="output .jsonl")
    add_data_options(prepare)
    steps = prepare.add_argument_group("preparation (each step optional)")
    steps.add_argument(
        "--keep-no-gold", action="store_true", help="keep pairs without a gold label (`-`)"
    )
    steps.add_argument(
        "--min-agreement",
        type=whole_number(1),
        metavar="N",
        help="keep pairs whose top label has at least N annotator votes (4: SNLI's 4/5, 5/5)",
    )
    steps.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FROM=TO",
        help="relabel (repeatable), e.g. --map contradiction=neutral for two-way scoring",
    )
    size = steps.add_mutually_exclusive_group()
    size.add_argument(
        "--fraction", type=share, help="stratified sample: keep this share (more than 0, at most 1)"
    )
    size.add_argument("--count", type=COUNT, help="stratified sample: keep this many pairs")
    steps.add_argument("--seed", type=SEED, default=0, help="sampling seed (default 0)")
    prepare.add_argument(
        "--summary",
        type=Path,
        help="where to write the JSON summary (default: OUT with .summary.json)",
    )
    prepare.set_defaults(handler=_prepare)


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _download(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskID,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from nli_probe.data.download import ensure_data
    from nli_probe.data.folder import resolve_data_dir
    from nli_probe.data.listing import ready_splits

    data_dir = resolve_data_dir(args.data_dir)
    # Without a name: the SNLI 1.0 zip (train, dev, test), as before there were others.
    name = args.name or "snli:dev"
    console = Console(stderr=True)
    tasks: dict[str, TaskID] = {}
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=args.from_zip is not None,
    ) as progress:

        def advance(artefact: str, done: int, total: int | None) -> None:
            if artefact not in tasks:
                tasks[artefact] = progress.add_task(artefact, total=total)
            progress.update(tasks[artefact], completed=done, total=total)

        fetched = ensure_data(
            name,
            data_dir,
            url=args.url,
            sha256=args.sha256,
            verify=not args.no_verify,
            from_file=args.from_zip,
            force=args.force,
            progress=advance,
            keep=args.keep_zip,
        )
    for item in fetched:
        if item.action == "present":
            console.print(
                f"{item.artefact.name}: already in {data_dir} (--force to fetch again)",
                highlight=False,
            )
        else:
            placed = ", ".join(str(path.relative_to(data_dir)) for path in item.files[:3])
            more = f" and {len(item.files) - 3} more" if len(item.files) > 3 else ""
            console.print(
                f"{item.artefact.name}: {item.action}, {item.check}; placed {placed}{more}",
                highlight=False,
                soft_wrap=True,
            )
    console.print(f"ready in {data_dir}:", highlight=False)
    for spec, files in ready_splits(name, data_dir):
        size = sum(path.stat().st_size for path in files)
        console.print(f"  {spec:<28} {len(files)} file(s), {size:,} bytes", highlight=False)
    return 0


def _list(args: argparse.Namespace) -> int:
    from nli_probe.data.folder import resolve_data_dir
    from nli_probe.data.listing import catalog_rows

    data_dir = resolve_data_dir(args.data_dir)
    rows = catalog_rows(data_dir)
    if args.json:
        print(json.dumps({"data_dir": str(data_dir), "data_sets": rows}, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Named data sets (data folder: {data_dir})", title_justify="left")
    for column in ("name", "here", "size", "licence", "labels", "slices", "checksum"):
        # Short values stay on one line; the long free-text ones wrap at word boundaries.
        table.add_column(column, no_wrap=column in ("name", "here", "labels"))
    family = ""
    for row in rows:
        new_family = row["family"] != family
        family = row["family"]
        table.add_row(
            row["name"],
            row["present"],
            row["size"],
            row["licence"] if new_family else "",
            row["label_scheme"],
            ", ".join(row["slices"]) or "–",
            row["checksum"] if new_family else "",
            end_section=False,
        )
    console = Console()
    if not console.is_terminal:
        # Piped or captured output: wide enough that the cells do not wrap.
        console = Console(width=max(console.width, 160))
    console.print(table)
    console.print(
        "`nli-probe data download NAME` fetches one (a family, or one split); names made of "
        "several files (anli:test, stress:matched, cad_snli:test) read them all. checksum: "
        "pinned (from the authors or the real files), or recorded at the first download and "
        "checked from then on (`data ls --json` says where each comes from).",
        highlight=False,
    )
    return 0


def _info(args: argparse.Namespace) -> int:
    from nli_probe.data.info import describe

    dataset = read_data(args, args.spec)
    info = describe(dataset)
    if args.json:
        data = info.to_json()
        data["skipped_rows"] = [problem.to_json() for problem in dataset.skipped]
        print(json.dumps(data, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    from nli_probe.data.balance import balance_table

    console = Console()
    console.print(f"[bold]{info.name}[/]  ({info.format} format, {info.path})", highlight=False)
    console.print(
        f"rows: {info.rows:,}" + (f"  (skipped: {info.skipped:,})" if info.skipped else "")
    )
    console.print(balance_table(info.balance, title="Gold labels"))
    if info.has_annotator_labels:
        levels = Table(title="Annotator agreement")
        levels.add_column("top votes / n")
        levels.add_column("pairs", justify="right")
        levels.add_column("share", justify="right")
        for level, count in info.agreement.items():
            levels.add_row(level, f"{count:,}", f"{count / info.rows:.1%}")
        console.print(levels)
    else:
        console.print(
            "no annotator labels: agreement cannot be measured on this data (the hub's `snli` "
            "and stripped files keep only the gold label; use the official jsonl)",
            highlight=False,
        )
    if info.duplicate_ids:
        console.print(f"[yellow]duplicate ids: {info.duplicate_ids:,}[/]")
    if info.fields:
        console.print(f"fields: {', '.join(info.fields)}", highlight=False)
    if info.meta_fields:
        console.print(f"kept in meta: {', '.join(info.meta_fields)}", highlight=False)
    return 0


def _prepare(args: argparse.Namespace) -> int:
    from rich.console import Console

    from nli_probe.commands._output_place import check_output_file
    from nli_probe.data.balance import balance_table
    from nli_probe.data.prepare import parse_label_mapping
    from nli_probe.data.recipe import Recipe, prepare
    from nli_probe.data.write import write_jsonl
    from nli_probe.errors import NLIProbeError

    if args.out.suffix.lower() != ".jsonl":
        raise NLIProbeError(f"--out {args.out}: prepare writes jsonl; name the file *.jsonl")
    summary_path = args.summary or args.out.with_suffix(".summary.json")
    check_output_file(args.out)
    check_output_file(summary_path, option="--summary")
    recipe = Recipe(
        require_gold=not args.keep_no_gold,
        min_agreement=args.min_agreement,
        mapping=parse_label_mapping(args.map),
        fraction=args.fraction,
        count=args.count,
        seed=args.seed,
    )
    dataset = read_data(args, args.spec)
    prepared = prepare(dataset.examples, recipe, source=dataset.name, skipped_rows=dataset.skipped)
    written = write_jsonl(prepared.examples, args.out)
    record = prepared.summary.to_json()
    record["output"] = str(args.out)
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    summary_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    summary = prepared.summary
    console = Console()
    if summary.sampled_out:
        console.print(balance_table(summary.before, summary.filtered, summary.after))
    else:
        console.print(balance_table(summary.before, summary.after))
    for reason, count in summary.dropped.items():
        console.print(f"dropped {count:,}: {reason}", highlight=False)
    if summary.sampled_out:
        console.print(
            f"sampled out {summary.sampled_out:,} (stratified, seed {args.seed})",
            highlight=False,
        )
    if summary.skipped_rows:
        console.print(f"skipped {len(summary.skipped_rows):,} bad row(s) (listed in the summary)")
    console.print(f"wrote {written:,} pairs to {args.out}; summary in {summary_path}")
    return 0
