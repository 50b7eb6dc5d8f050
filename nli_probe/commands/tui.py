"""`nli-probe tui`: explore run folders and reports in the terminal UI.

textual (and, for the playground and live runs, torch) is imported inside the handler, so
`nli-probe --help` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nli_probe.commands._arguments import RESAMPLES
from nli_probe.commands._model_options import add_inference_options, model_options


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "tui",
        help="explore reports in the terminal: models, agreement, probes, examples, playground",
        description=(
            "Open one or more run folders (or report.json files) in the terminal UI: the models "
            "side by side, scores by annotator agreement, probe failures with their cases, an "
            "examples browser with filters, a playground to type a pair and see each --model's "
            "prediction and the variants the built-in perturbations make, and live evaluation "
            "or probe runs. Several reports are shown side by side. Press ? inside for the keys."
        ),
    )
    parser.add_argument(
        "reports",
        nargs="+",
        type=Path,
        metavar="RUN_FOLDER_OR_REPORT",
        help="run folders (holding report.json) or report files",
    )
    parser.add_argument(
        "-m",
        "--model",
        action="append",
        default=[],
        metavar="MODEL",
        help="checkpoint, LoRA adapter or hub name for the playground and live runs "
        "(repeat for several; loaded on first use)",
    )
    parser.add_argument(
        "--resamples",
        type=RESAMPLES,
        default=1000,
        help="bootstrap resamples when the report stores no scores (default 1000)",
    )
    add_inference_options(parser, cache=False)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from nli_probe.tui.sources import open_reports

    report = open_reports(args.reports)  # errors surface before the screen switches
    from nli_probe.tui.app import NLIProbeApp

    title = ", ".join(str(path) for path in args.reports)
    app = NLIProbeApp(
        report,
        model_specs=args.model,
        model_options=model_options(args, progress=False),
        title=title,
        resamples=args.resamples,
    )
    app.run()
    return 0
