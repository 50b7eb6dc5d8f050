"""`nli-probe probe`: run probe suites against a model on a data set.

Every distinct pair (original or variant, across all the suites) is predicted once, through the
prediction cache. The outcomes go into the run folder's report.json, beside what `evaluate`
wrote there if it ran first; a per-probe table goes to the terminal. torch is imported only
when the model is loaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.commands._arguments import COUNT, SEED, SHOWN
from nli_probe.commands._data_options import add_data_options
from nli_probe.commands._model_options import (
    add_inference_options,
    add_threads_option,
    announce_precision,
    apply_threads,
    model_location,
    model_options,
    select_by_training,
)

if TYPE_CHECKING:
    from nli_probe.core.example import Example
    from nli_probe.core.report import Report
    from nli_probe.core.suite_run import Outcome, ProbeRun, SuiteRun


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "probe",
        help="run probe suites (robustness, logic, heuristics, artefacts, your own) on a model",
        description=(
            "Apply each suite's probes (perturbations and templates) to the data, predict every "
            "distinct pair once (through the prediction cache), judge each variant (MFT, INV, "
            "DIR), print failure rates per probe with 95%% Wilson intervals, and save every "
            "outcome in RUN_FOLDER/report.json (merged into a report `evaluate` wrote there)."
        ),
    )
    parser.add_argument(
        "-m",
        "--model",
        action="append",
        default=[],
        required=True,
        metavar="MODEL",
        help="checkpoint folder, LoRA adapter folder, trainer run folder or hub name (repeat)",
    )
    parser.add_argument(
        "-s",
        "--suite",
        action="append",
        default=[],
        required=True,
        metavar="SUITE",
        help="built-in suite name (see `nli-probe suites ls`) or a .py/.toml suite file (repeat)",
    )
    parser.add_argument("-d", "--data", required=True, help="data set: a file or e.g. snli:dev")
    parser.add_argument("--limit", type=COUNT, help="probe only the first N pairs of the data")
    parser.add_argument(
        "--held-out-of",
        action="append",
        default=[],
        type=Path,
        metavar="TRAIN_RUN",
        help="keep only the pairs this trainer run folder held out (as `evaluate` does)",
    )
    parser.add_argument(
        "--exclude-trained",
        action="append",
        default=[],
        type=Path,
        metavar="TRAIN_RUN",
        help="leave out the pairs this trainer run folder trained on",
    )
    parser.add_argument(
        "-o", "--out", type=Path, help="run folder to write (default: runs/probe-TIME)"
    )
    parser.add_argument("--seed", type=SEED, default=0, help="perturbation seed (0)")
    parser.add_argument(
        "--show-failures", type=SHOWN, default=0, metavar="N", help="print N failures per probe"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_inference_options(parser)
    add_threads_option(parser)
    add_data_options(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    import datetime

    from nli_probe.commands._data_options import read_data
    from nli_probe.commands._output_place import check_output_folder
    from nli_probe.core.report import save_report
    from nli_probe.data.ids import require_unique_ids
    from nli_probe.errors import NLIProbeError
    from nli_probe.models.distributed import is_main_process
    from nli_probe.probing.loader import load_suite

    created = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = args.out or Path("runs") / f"probe-{created.replace(':', '')}"
    check_output_folder(out)  # before any suite, data or model is loaded
    # Suites first: a typo in a suite file should fail before a model is loaded.
    suites = [load_suite(spec) for spec in args.suite]
    names = [suite.name for suite in suites]
    if len(set(names)) != len(names):
        raise NLIProbeError(f"the same suite is named twice: {', '.join(names)}")
    console = _console()
    examples = read_data(args, args.data).examples
    # The same selection as `evaluate`, so probe and metric numbers cover the same pairs.
    examples, notes = select_by_training(
        examples,
        exclude_trained=args.exclude_trained,
        held_out_of=args.held_out_of,
        data_dir=args.data_dir,
    )
    if args.limit is not None:
        examples = examples[: args.limit]
    for note in notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    if not examples:
        raise NLIProbeError(f"{args.data}: no examples to probe")
    require_unique_ids(examples, source=str(args.data))
    runs: list[SuiteRun] = []
    shown: set[str] = set()
    for spec in args.model:
        runs.extend(_run_model(spec, suites, examples, args, console, shown))
    if not is_main_process():
        return 0  # under torchrun, rank 0 writes the report; this rank's share is predicted
    report = _merge(out / "report.json", runs, examples, dataset=str(args.data), created=created)
    save_report(report, out / "report.json")
    for run in runs:
        print_suite_run(run, console, show_failures=args.show_failures)
    console.print(f"wrote {out / 'report.json'}", highlight=False, markup=False)
    return 0


def _run_model(
    spec: str,
    suites: list[Any],
    examples: list[Example],
    args: argparse.Namespace,
    console: Any,
    shown: set[str],
) -> tuple[SuiteRun, ...]:
    from contextlib import nullcontext

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from nli_probe.models.cache import PredictionCache
    from nli_probe.models.distributed import is_main_process
    from nli_probe.models.load import load_model
    from nli_probe.probing.runner import run_suites

    location, name = model_location(spec)
    apply_threads(args)
    model = load_model(location, **model_options(args, progress=not args.no_progress), name=name)
    announce_precision(
        model, shown, lambda line: console.print(line, highlight=False, markup=False)
    )
    # Under torchrun only rank 0 opens the cache (see `nli_probe.models.engine`).
    cache = (
        nullcontext(None) if args.no_cache or not is_main_process() else PredictionCache(args.cache)
    )
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with (
        cache as opened,
        Progress(*columns, console=console, disable=args.no_progress, transient=True) as bar,
    ):
        task = bar.add_task(f"probing {model.name}", total=None)
        return run_suites(
            model,
            suites,
            examples,
            seed=args.seed,
            cache=opened,
            dataset=str(args.data),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


def _merge(
    path: Path, runs: list[SuiteRun], examples: list[Example], *, dataset: str, created: str
) -> Report:
    """The report at `path` (from `evaluate`, or an earlier `probe`) with these suite runs
    added; a rerun of the same suite on the same model replaces the old one."""
    import dataclasses

    from nli_probe.core.report import Report, load_report

    if not path.exists():
        return Report(
            dataset=dataset, examples=tuple(examples), created=created, suites=tuple(runs)
        )
    old = load_report(path)
    new_keys = {(run.suite, run.model) for run in runs}
    kept = tuple(run for run in old.suites if (run.suite, run.model) not in new_keys)
    return dataclasses.replace(old, suites=kept + tuple(runs))


def print_suite_run(run: SuiteRun, console: Any, *, show_failures: int = 0) -> None:
    """A table of one suite run: per probe, tests, failures and the failure rate's interval."""
    from rich.table import Table

    table = Table(
        title=f"{run.suite} on {run.model} ({run.dataset}, seed {run.seed}, "
        f"{run.distinct_pairs} distinct pairs)",
        title_justify="left",
    )
    for column in ("probe", "capability", "kind"):
        table.add_column(column)
    table.add_column("tested", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("failure rate (95% CI)")
    table.add_column("n/a", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("errors", justify="right")
    for probe in run.probes:
        table.add_row(
            probe.probe,
            probe.capability,
            probe.kind,
            str(probe.tested),
            str(probe.failed),
            format_rate(probe.failure_rate, probe.interval),
            str(probe.not_applicable),
            str(probe.skipped),
            str(probe.errored) if probe.errored else "",
        )
    console.print(table)
    attacks = [probe for probe in run.probes if probe.attack is not None]
    if attacks:
        console.print(attack_table(run.model, attacks))
    for probe in run.probes:
        for outcome in probe.errors()[:3]:
            console.print(
                f"error in {probe.probe} on {outcome.example_id}: {outcome.error}",
                highlight=False,
                markup=False,
            )
        for outcome in probe.failures()[:show_failures]:
            if probe.attack is not None:
                console.print(adversarial_text(probe.probe, outcome))
                continue
            before = outcome.before.label if outcome.before is not None else "?"
            after = outcome.after.label if outcome.after is not None else "?"
            implied = outcome.implied if outcome.implied is not None else "?"
            console.print(
                f"{probe.probe} {outcome.variant_id}: {before} -> {after} (implied {implied})\n"
                f"  P: {outcome.variant_premise}\n  H: {outcome.variant_hypothesis}",
                highlight=False,
                markup=False,
            )


def attack_table(model: str, probes: list[ProbeRun]) -> Any:
    """TextAttack's summary of each attack probe, and more: attempted, succeeded, failed,
    skipped, success rate with its interval, accuracy before and under attack, mean words
    changed and mean queries."""
    from rich.table import Table

    table = Table(title=f"attack summary: {model}", title_justify="left")
    table.add_column("attack")
    for column in ("attempted", "succeeded", "failed", "skipped"):
        table.add_column(column, justify="right")
    table.add_column("success rate (95% CI)")
    table.add_column("accuracy → under attack")
    table.add_column("words changed", justify="right")
    table.add_column("queries", justify="right")
    for probe in probes:
        stats = probe.attack_stats()
        if stats is None:
            continue
        table.add_row(
            probe.probe,
            str(stats.attempted),
            str(stats.succeeded),
            str(stats.failed),
            str(stats.skipped),
            format_rate(stats.success_rate, stats.interval),
            f"{_share(stats.original_accuracy)} → {_share(stats.accuracy_under_attack)}",
            _mean(stats.mean_words_changed),
            _mean(stats.mean_queries),
        )
    return table


def adversarial_text(probe: str, outcome: Outcome) -> Any:
    """One adversarial pair for the terminal: both predictions, the edits marked in the text
    (`jackets→jpckets`: the original word struck through, the new one in bold)."""
    from rich.text import Text

    from nli_probe.core.words import PairWords

    before = outcome.before.label if outcome.before is not None else "?"
    after = outcome.after.label if outcome.after is not None else "?"
    text = Text(f"{probe} {outcome.example_id}: {before} -> {after} ({outcome.queries} queries)")
    original = PairWords.of(outcome.premise, outcome.hypothesis)
    for side, label in (("premise", "P"), ("hypothesis", "H")):
        text.append(f"\n  {label}: ")
        for piece in original.pieces(side, outcome.edits):  # type: ignore[arg-type]
            if piece.before is None:
                text.append(piece.text)
            else:
                text.append(piece.before, style="strike dim")
                text.append("→", style="dim")
                text.append(piece.text, style="bold red")
    return text


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _mean(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_rate(rate: float | None, interval: tuple[float, float] | None) -> str:
    """`12.3% [10.1-14.8]`, or `-` when nothing was tested."""
    if rate is None or interval is None:
        return "-"
    return f"{rate:.1%} [{interval[0]:.1%}-{interval[1]:.1%}]"


def _console() -> Any:
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=max(console.width, 160))
    return console
