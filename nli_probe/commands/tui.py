"""`nli-probe tui`: explore run folders and reports in the terminal UI.

textual (and, for the playground and live runs, torch) is imported inside the handler, so
`nli-probe --help` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.commands._arguments import RESAMPLES
from nli_probe.commands._data_options import add_data_options, columns
from nli_probe.commands._model_options import (
    add_inference_options,
    model_location,
    model_options,
)

if TYPE_CHECKING:
    from nli_probe.tui.models import ModelSpec


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
        metavar="[NAME=]MODEL",
        help="checkpoint folder, LoRA adapter folder, trainer run folder or hub name for the "
        "playground and live runs, optionally NAME=... (repeat for several; folders are "
        "checked at start, models loaded on first use)",
    )
    parser.add_argument(
        "--resamples",
        type=RESAMPLES,
        default=1000,
        help="bootstrap resamples when the report stores no scores (default 1000)",
    )
    add_inference_options(parser, cache=False)
    add_data_options(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from nli_probe.tui.sources import open_reports

    # Errors surface before the screen switches: a bad report, a bad or ambiguous --model.
    report = open_reports(args.reports)
    specs = _model_specs(args.model)
    from nli_probe.tui.app import NLIProbeApp

    title = ", ".join(str(path) for path in args.reports)
    app = NLIProbeApp(
        report,
        model_specs=specs,
        model_options=model_options(args, progress=False),
        title=title,
        resamples=args.resamples,
        data_options={
            "data_dir": args.data_dir,
            "skip_bad_rows": args.skip_bad_rows,
            "columns": columns(args),
            "format": args.format,
            "download": args.download,
        },
    )
    app.run()
    return 0


def _model_specs(arguments: list[str]) -> list[ModelSpec]:
    """`--model [NAME=]MODEL` as `evaluate` reads it (a trainer run folder means its model),
    with every local folder checked now (it is loaded only when first needed, much later); a
    hub name is looked up then."""
    from nli_probe.errors import NLIProbeError
    from nli_probe.models.locate import locate
    from nli_probe.tui.models import ModelSpec

    specs: list[ModelSpec] = []
    for argument in arguments:
        location, name = model_location(argument)
        path = Path(location).expanduser()
        if path.exists() or _looks_like_a_path(location):
            try:
                locate(path)
            except NLIProbeError as error:
                raise NLIProbeError(f"--model {argument}: {error}") from None
        specs.append(ModelSpec(location=location, name=name))
    shown = [spec.shown for spec in specs]
    for spec in specs:
        if shown.count(spec.shown) > 1:
            raise NLIProbeError(
                f"--model: two models are called {spec.shown!r}; name them NAME=MODEL"
            )
    return specs


def _looks_like_a_path(location: str) -> bool:
    """A hub name is `org/name`; anything else with a folder part is meant as a local path."""
    return location.startswith((".", "/", "~")) or location.count("/") > 1
