"""`nli-probe study PRESET`: the main job, from data to a report, in one run folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nli_probe.commands._data_options import add_reader_options
from nli_probe.commands._gate import add_gate_options, gate_thresholds
from nli_probe.commands._model_options import add_threads_option, apply_threads


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "study",
        help="the main job: prepare data, train full and LoRA models, evaluate, probe, report",
        description="Run a study preset (quick: MiniLM on a CPU in minutes; roberta-snli: the "
        "published study, for a GPU) into one run folder: data summary, trained models, "
        "evaluations, suite runs and report.json/.md/.html. Rerunning reuses every finished "
        "step. Exit status: 0 done (and every gate threshold met), 1 a threshold was crossed, "
        "2 an error you can fix.",
        epilog="Overrides: KEY=VALUE sets a study key (probe_examples=100, precision=fp32, "
        "suites=robustness,logic); train.KEY=VALUE sets a trainer key for both models "
        "(train.epochs=2, train.train_count=2000), full.KEY=VALUE or lora.KEY=VALUE for one.",
    )
    parser.add_argument("preset", metavar="PRESET", help="study preset name or .toml file")
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE")
    parser.add_argument(
        "--out", type=Path, metavar="FOLDER", help="run folder (default: runs/study-PRESET)"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="data folder where `snli` and other names are looked up (default: $NLI_PROBE_DATA, "
        "else the user cache)",
    )
    parser.add_argument(
        "--train",
        action="append",
        default=[],
        metavar="FILE_OR_NAME",
        help="training data instead of the preset's (repeat for several files)",
    )
    parser.add_argument(
        "--eval",
        metavar="FILE_OR_NAME",
        help="evaluation data instead of the preset's (the preset's held_out part of it is "
        "evaluated; add train.held_out=0 to evaluate all of it)",
    )
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="[NAME=]PATH",
        help="evaluate this existing model instead of training (repeat for several)",
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="skip malformed data rows (listed in the data summary) instead of stopping",
    )
    parser.add_argument(
        "--label-names",
        metavar="A,B,C",
        help="for --model checkpoints whose config says only LABEL_0, LABEL_1, ...: the output "
        "columns' labels in column order (e.g. entailment,neutral,contradiction)",
    )
    parser.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="run code shipped with a --model from the hub (only for authors you trust)",
    )
    add_reader_options(parser)  # for --eval: any file, read as evaluate reads it
    add_gate_options(parser)
    add_threads_option(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from nli_probe.commands._output_place import check_output_folder
    from nli_probe.reports.console import print_summary
    from nli_probe.reports.gate import EXIT_GATE_FAILED, check, verdict
    from nli_probe.study.backend import Backend
    from nli_probe.study.config import load_study
    from nli_probe.study.run import run_study

    config = load_study(args.preset, args.overrides)
    thresholds = gate_thresholds(args)
    out = args.out or Path("runs") / f"study-{config.name}"
    check_output_folder(out)
    eval_file = _eval_with_reader_options(args, out)
    models = _models(args.model)
    if thresholds:
        _check_gate_names(config, thresholds, models)  # before the long steps, not after
    console = Console()
    label_names = [n.strip() for n in args.label_names.split(",")] if args.label_names else None
    options = {"label_names": label_names, "trust_remote_code": args.trust_remote_code}
    apply_threads(args)
    result = run_study(
        config,
        out,
        backend=Backend(console, model_options=options),
        console=console,
        models=models,
        data_overrides=_data_overrides(args, eval_file),
    )
    print_summary(result.view, console)
    steps = Table(title="Steps", title_justify="left")
    steps.add_column("step")
    steps.add_column("seconds", justify="right")
    steps.add_column("")
    for name, seconds in result.timings.items():
        steps.add_row(name, f"{seconds:.1f}", "reused" if name in result.reused else "")
    steps.add_row("total", f"{sum(result.timings.values()):.1f}", "", style="bold")
    console.print(steps)
    console.print(f"run folder: {out}", highlight=False, markup=False)
    for path in result.written:
        console.print(f"wrote {path}", highlight=False, markup=False)
    breaches = check(result.view, thresholds)
    if thresholds:
        print(verdict(breaches, len(thresholds)), file=sys.stderr if breaches else sys.stdout)
    return EXIT_GATE_FAILED if breaches else 0


def _check_gate_names(config: Any, thresholds: Any, models: dict[str, str]) -> None:
    from nli_probe.probing.loader import default_suite_names, load_suite
    from nli_probe.reports.build import METRIC_NAMES
    from nli_probe.reports.gate import check_names
    from nli_probe.scoring.scores import BASELINE_NAME
    from nli_probe.study.config import ARMS

    probes: list[str] = []
    for name in list(config.suites) or default_suite_names():
        suite = load_suite(name)
        probes += [suite.name, *(f"{suite.name}/{probe.name}" for probe in suite.probes)]
    names = list(models) or [arm for arm in ARMS if config.preset(arm)]
    check_names(thresholds, models=[BASELINE_NAME, *names], metrics=METRIC_NAMES, probes=probes)


def _models(specs: list[str]) -> dict[str, str]:
    from nli_probe.commands._model_options import split_model_spec
    from nli_probe.errors import NLIProbeError

    models: dict[str, str] = {}
    for spec in specs:
        name, path = split_model_spec(spec)
        if name is None:
            name = Path(spec.rstrip("/")).name or spec
        if name in models:
            raise NLIProbeError(f"--model: two models are called {name!r}; name them NAME=PATH")
        models[name] = path
    return models


EVAL_FILE = "eval-data.jsonl"
"""Where `--eval` read with reader options is written, in the run folder, for the trainers."""


def _eval_with_reader_options(args: argparse.Namespace, out: Path) -> Path | None:
    """With reader options (--two-way, column names, label spellings, --format), read `--eval`
    as `evaluate` would and write it in the official layout to the run folder, where the
    trainers and the study read it (meta such as the two-way scheme included); None without."""
    from nli_probe.commands._data_options import columns, reader_options_given, report_skipped
    from nli_probe.errors import NLIProbeError

    if not reader_options_given(args):
        return None
    if not args.eval:
        raise NLIProbeError(
            "the reader options (--two-way, --premise-column, --label, --format, ...) apply to "
            "--eval; name the evaluation file with --eval"
        )
    from rich.console import Console

    from nli_probe.data.read import read_dataset
    from nli_probe.data.write import write_jsonl

    dataset = read_dataset(
        args.eval,
        data_dir=args.data_dir,
        skip_bad_rows=args.skip_bad_rows,
        columns=columns(args),
        format=args.format,
    )
    console = Console(stderr=True)
    if dataset.skipped:
        report_skipped(dataset, console)
    path = out / EVAL_FILE
    write_jsonl(dataset.examples, path)
    console.print(
        f"--eval {args.eval}: {len(dataset.examples):,} pairs read with the reader options, "
        f"written to {path}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    return path


def _data_overrides(args: argparse.Namespace, eval_file: Path | None = None) -> list[str]:
    from nli_probe.core.presets import toml_value

    # Trainer keys, quoted as TOML strings so any path survives.
    overrides = []
    if args.data_dir is not None:
        overrides.append(f"data_dir={toml_value(str(args.data_dir))}")
    if args.train:
        overrides.append(f"train_data={toml_value(list(args.train))}")
    if eval_file is not None:
        overrides.append(f"eval_data={toml_value(str(eval_file))}")
    elif args.eval:
        overrides.append(f"eval_data={toml_value(args.eval)}")
    if args.skip_bad_rows:
        overrides.append("skip_bad_rows=true")
    return overrides
