"""`nli-probe report`: saved runs → JSON, Markdown and HTML reports, and the CI gate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nli_probe.commands._arguments import RESAMPLES, SEED
from nli_probe.commands._gate import add_gate_options, gate_thresholds


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write JSON/Markdown/HTML reports from saved runs and gate on thresholds",
        description="Render one or more saved runs (run folders holding report.json, or report "
        "files) as a report; several runs on the same examples are shown side by side. "
        "Never runs a model. Exit status: 0 written (and every threshold met), 1 a threshold "
        "was crossed, 2 an error you can fix.",
    )
    parser.add_argument("runs", nargs="+", type=Path, metavar="RUN_OR_REPORT")
    parser.add_argument(
        "--out", type=Path, default=Path("report"), metavar="DIR", help="output folder (./report)"
    )
    parser.add_argument(
        "--format",
        default="json,md,html",
        metavar="LIST",
        help="comma-separated formats: json, md, html, or all (default json,md,html)",
    )
    parser.add_argument("--title", default="nli-probe report", help="the report's title")
    parser.add_argument(
        "--resamples",
        type=RESAMPLES,
        default=1000,
        help="bootstrap resamples when scores must be computed (default 1000)",
    )
    parser.add_argument("--seed", type=SEED, default=0, help="bootstrap seed (default 0)")
    add_gate_options(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from rich.console import Console

    from nli_probe.commands._output_place import check_output_folder
    from nli_probe.reports.build import build_view, report_suites
    from nli_probe.reports.console import print_summary
    from nli_probe.reports.gate import EXIT_GATE_FAILED, check, verdict
    from nli_probe.reports.outputs import (
        load_reports,
        parse_formats,
        report_scores,
        write_outputs,
    )

    formats = parse_formats(args.format)
    thresholds = gate_thresholds(args)
    check_output_folder(args.out)
    report = load_reports(args.runs)
    scores = report_scores(report, resamples=args.resamples, seed=args.seed)
    view = build_view(report, scores, suites=report_suites(report), title=args.title)
    breaches = check(view, thresholds)  # unknown names fail before anything is written
    written = write_outputs(report, scores, view, args.out, formats=formats)
    console = Console()
    print_summary(view, console)
    for path in written:
        console.print(f"wrote {path}", highlight=False, markup=False)
    if thresholds:
        print(verdict(breaches, len(thresholds)), file=sys.stderr if breaches else sys.stdout)
    return EXIT_GATE_FAILED if breaches else 0
