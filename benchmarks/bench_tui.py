"""Benchmark the terminal UI on a run of 10,000 pairs x 3 models: opening it and filtering.

The run is built from the real SNLI dev file (10,000 pairs, 5 annotator labels each) and three
deterministic fake models (no torch): the lexical-overlap rule of `nli_probe.testing.fakes` and
two noisy variants of it, seeded per pair. Like `nli-probe evaluate`, the run folder's report.json
stores the scores; a second report without them measures the case where the TUI computes them.

Times, in one run:

- open: from the run folder's path to the app's first frame with the Examples table filled
  (`open_reports` + `build_table` + mounting every pane, headless at 80x24), best of --repeat;
  and, separately, until the Overview shows the scores (loaded, or computed in the worker);
- filter (model): `select_rows` for each query below, best of --repeat;
- filter (UI): the Examples pane answering a query: `select_rows`, clearing the table and
  rendering its first page, measured to the next frame.

And the workbench's views (issue 20), on the same run:

- Compare: `contrast_models` for two models (the scoring layer, in the pane's worker), and the
  Compare pane from `compare(a, b)` to its return (the UI thread's share) and to its summary
  and first page drawn;
- the least-agreed list: `least_agreed` for the Agreement pane's 1,000 pairs;
- each plot of the Plots pane rendered at 120 columns;
- `end` in the Examples table (to the last of 10,000 pairs, drawn) and a column-header sort;
- export: the records of a filtered list and writing them as jsonl and csv.

Budgets: open < 2 s, filtering < 200 ms (a header sort is a filter); each figure is printed with
its share of the budget, CPU time of this process beside wall time, and the machine's load.

    .venv/bin/python benchmarks/bench_tui.py
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nli_probe import Label, ModelRun, Prediction, Report, predict, save_report  # noqa: E402
from nli_probe.data import load_examples  # noqa: E402
from nli_probe.scoring.scores import (  # noqa: E402
    ReportScores,
    contrast_models,
    least_agreed,
    score_report,
    store_scores,
    stored_scores,
)
from nli_probe.testing.fakes import FakeModel, overlap_rule  # noqa: E402
from nli_probe.tui.browse import ExampleQuery, select_rows  # noqa: E402
from nli_probe.tui.export import example_records, write_records  # noqa: E402
from nli_probe.tui.sources import open_reports  # noqa: E402
from nli_probe.tui.table import ExampleTable, build_table  # noqa: E402

OPEN_BUDGET = 2.0
FILTER_BUDGET = 0.2

QUERIES: dict[str, ExampleQuery] = {
    "text 'dog'": ExampleQuery(text="dog"),
    "text 'man guitar' (2 words)": ExampleQuery(text="man guitar"),
    "gold=contradiction": ExampleQuery(gold=int(Label.CONTRADICTION)),
    "wrong (model b)": ExampleQuery(model="b", correct=False),
    "models disagree": ExampleQuery(disagree=True),
    "level 3/5 + predicted neutral": ExampleQuery(level="3/5", predicted=int(Label.NEUTRAL)),
    "wrong, sorted by confidence": ExampleQuery(correct=False, sort="confidence", model="c"),
    "everything, sorted by agreement": ExampleQuery(sort="agreement"),
}


def noisy(name: str, flip: float) -> Callable[[str, str], Prediction]:
    """The overlap rule, with probabilities shuffled for a seeded `flip` share of pairs."""

    def rule(premise: str, hypothesis: str) -> Prediction:
        base = overlap_rule(premise, hypothesis)
        rng = random.Random(f"{name}:{premise}:{hypothesis}")
        if rng.random() >= flip:
            return base
        probs = list(base.probs)
        rng.shuffle(probs)
        return Prediction(probs=(probs[0], probs[1], probs[2]))

    return rule


def build_run(folder: Path, dev: Path) -> tuple[Path, Path]:
    """Write the 10,000 x 3 run twice: with stored scores (as evaluate writes it) and without."""
    examples = tuple(load_examples(dev))
    pairs = [example.pair for example in examples]
    models = [
        FakeModel(name="a", rule=overlap_rule),
        FakeModel(name="b", rule=noisy("b", 0.2)),
        FakeModel(name="c", rule=noisy("c", 0.4)),
    ]
    runs = tuple(
        ModelRun(
            name=model.name,
            fingerprint=model.fingerprint,
            predictions={e.id: p for e, p in zip(examples, predict(model, pairs), strict=True)},
        )
        for model in models
    )
    report = Report(dataset="snli_1.0_dev", examples=examples, models=runs, created="bench")
    scored = store_scores(report, score_report(report, resamples=1000, seed=0))
    save_report(scored, folder / "scored" / "report.json")
    save_report(report, folder / "bare" / "report.json")
    return folder / "scored", folder / "bare"


Timing = tuple[float, float]
"""(wall seconds, CPU seconds of this process)."""


def clock() -> Timing:
    return time.perf_counter(), time.process_time()


def since(start: Timing) -> Timing:
    return time.perf_counter() - start[0], time.process_time() - start[1]


async def time_views(run: Path) -> dict[str, Timing]:
    """The workbench's views in the app on `run` (80x24), each to the next frame drawn."""
    from textual.widgets import DataTable, Static

    from nli_probe.tui.app import NLIProbeApp
    from nli_probe.tui.compare import ComparePane
    from nli_probe.tui.examples import ExamplesPane, PagedTable

    report = open_reports([run])
    app = NLIProbeApp(report, resamples=1000)
    times: dict[str, Timing] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        while not app.query(ComparePane) or not app.query(ExamplesPane):
            await asyncio.sleep(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()

        await pilot.press("7")
        await pilot.pause()
        pane = app.query_one(ComparePane)
        start = clock()
        pane.compare("a", "c")
        # The UI thread is blocked until compare() returns (the contrast itself is a worker's).
        times["Compare pane: compare() returns (UI thread busy)"] = since(start)
        while pane.contrast is None or pane.contrast.model_b != "c":
            await asyncio.sleep(0.001)
        await pilot.pause()
        times["Compare pane: a vs c, summary and first page drawn"] = since(start)
        assert pane.query_one("#cmp-table", PagedTable).row_count > 0

        await pilot.press("4")
        await pilot.pause()
        examples = app.query_one(ExamplesPane)
        table = examples.query_one("#ex-table", PagedTable)
        table.focus()
        await pilot.pause()
        start = clock()
        await pilot.press("end")
        await pilot.pause()
        times["Examples: end (the last of 10,000 pairs drawn)"] = since(start)
        assert table.cursor_index == len(examples.rows) - 1
        column = table.get_column_index("model:b")
        header = table.ordered_columns[column]
        start = clock()
        table.post_message(DataTable.HeaderSelected(table, header.key, column, header.label))
        await pilot.pause()
        times["Examples: sort by a model's column header"] = since(start)
        assert "least confident first" in str(app.query_one("#ex-count", Static).render())
    return times


def time_library(report: Report, table: ExampleTable, scores: ReportScores, repeat: int) -> None:
    """What the views compute or render outside the app, best of `repeat` each."""
    from rich.console import Console

    from nli_probe.tui.agreement import LEAST_AGREED
    from nli_probe.tui.plots import PLOTS, plot

    contrast = contrast_models(report, "a", "c")
    line(
        f"contrast_models a vs c ({len(contrast.only_a_right):,} / "
        f"{len(contrast.only_b_right):,} pairs)",
        best_of(repeat, lambda: contrast_models(report, "a", "c")),
        FILTER_BUDGET,
    )
    line(
        f"least_agreed: the {LEAST_AGREED:,} least-agreed pairs",
        best_of(repeat, lambda: least_agreed(report, limit=LEAST_AGREED)),
        FILTER_BUDGET,
    )
    console = Console(width=120, file=io.StringIO(), color_system="truecolor")
    for kind, title in PLOTS:
        line(
            f"plot: {title} (3 models, 120 columns)",
            best_of(repeat, lambda kind=kind: console.print(plot(kind, scores, width=120))),
            FILTER_BUDGET,
        )
    wrong = [
        table.examples[i].id for i in select_rows(table, ExampleQuery(model="b", correct=False))
    ]
    line(
        f"export: records of 'wrong (model b)' ({len(wrong):,} pairs)",
        best_of(repeat, lambda: example_records(report, wrong)),
    )
    records = example_records(report, wrong)
    with tempfile.TemporaryDirectory() as out:
        for suffix in ("jsonl", "csv"):
            path = Path(out) / f"wrong.{suffix}"
            line(
                f"export: write {len(records):,} records as {suffix}",
                best_of(repeat, lambda path=path: write_records(records, path)),
            )


async def time_open(run: Path) -> tuple[float, float, float, float, float]:
    """(first frame, every pane mounted with the Examples table filled, scores shown, every
    worker done, UI filter time) for one open of `run`, in seconds from the path."""
    from nli_probe.tui.app import NLIProbeApp
    from nli_probe.tui.examples import PAGE, ExamplesPane, PagedTable

    started = time.perf_counter()
    report = open_reports([run])
    app = NLIProbeApp(report, resamples=1000)
    async with app.run_test(size=(80, 24)) as pilot:
        first = time.perf_counter() - started  # run_test yields after the first frame
        deadline = time.perf_counter() + 60
        while not app.query("#ex-table") or not app.query_one("#ex-table", PagedTable).row_count:
            # the hidden panes mount right after the first frame
            if not app.is_running or time.perf_counter() > deadline:
                raise RuntimeError("the app stopped before the Examples pane mounted")
            await asyncio.sleep(0.005)
        mounted = time.perf_counter() - started
        while app.scores is None:  # the scores worker (or the stored scores) answered
            if not app.is_running or time.perf_counter() > deadline:
                raise RuntimeError("the app stopped before the scores were shown")
            await asyncio.sleep(0.005)
        await pilot.pause()  # the Overview drew them
        scored = time.perf_counter() - started
        # Then every worker the scores start (the least-agreed list, the contrast) finishes.
        await app.workers.wait_for_complete()
        await pilot.pause()
        idle = time.perf_counter() - started
        pane = app.query_one(ExamplesPane)
        best_ui = float("inf")
        for query in (ExampleQuery(text="dog"), ExampleQuery(model="b", correct=False)):
            t = time.perf_counter()
            pane.query_state = query
            pane.refresh_rows()
            await pilot.pause()
            best_ui = min(best_ui, time.perf_counter() - t)
            assert app.query_one("#ex-table", PagedTable).row_count == min(len(pane.rows), PAGE)
    return first, mounted, scored, idle, best_ui


def line(label: str, timing: float | Timing, budget: float | None = None) -> None:
    """One figure: wall seconds, CPU seconds (when measured) and the share of the budget."""
    wall, cpu = timing if isinstance(timing, tuple) else (timing, None)
    cpu_text = f"{cpu:>9.3f}" if cpu is not None else f"{'':>9}"
    share = f"{wall / budget:>10.0%}" if budget else ""
    print(f"{label:<60}{wall:>9.3f}{cpu_text}{share}")


def best_of(repeat: int, fn: Callable[[], object]) -> Timing:
    """The fastest of `repeat` calls (wall), with its CPU time."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, since(start))
    return best


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    default_dev = Path(os.environ.get("NLI_PROBE_DATA", REPO.parent / "shared" / "data"))
    parser.add_argument("--dev", type=Path, default=default_dev / "snli_1.0" / "snli_1.0_dev.jsonl")
    args = parser.parse_args()
    from nli_probe.models.hardware import describe_machine

    print(describe_machine(), flush=True)  # first line: what the figures were measured on
    print(f"{load()} at the start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        scored_run, bare_run = build_run(Path(tmp), args.dev)
        print(f"built the run: 10,000 SNLI dev pairs x 3 models in {time.perf_counter() - t:.1f} s")

        # Opening: best of --repeat, each a fresh app on the stored-scores run.
        results = [asyncio.run(time_open(scored_run)) for _ in range(args.repeat)]
        first, mounted, scored, idle, ui_filter = (min(r[i] for r in results) for i in range(5))
        bare_first, bare_mounted, bare_scored, bare_idle, _ = asyncio.run(time_open(bare_run))

        report = open_reports([scored_run])
        table = build_table(report)
        print(f"\n{'what':<60}{'wall s':>9}{'CPU s':>9}{'of budget':>10}")
        line("open: first frame (Overview)", first, OPEN_BUDGET)
        line("open: all panes mounted, Examples table filled", mounted, OPEN_BUDGET)
        line("open: scores shown (stored in report.json)", scored, OPEN_BUDGET)
        line("open: every pane's worker done (least-agreed, contrast)", idle)
        line("open without stored scores: first frame", bare_first, OPEN_BUDGET)
        line("open without stored scores: all panes mounted", bare_mounted, OPEN_BUDGET)
        line("open without stored scores: computed scores shown", bare_scored)
        line("open without stored scores: every pane's worker done", bare_idle)
        line("  of which load_report", best_of(args.repeat, lambda: open_reports([scored_run])))
        line("  of which build_table", best_of(args.repeat, lambda: build_table(report)))
        print()
        for name, query in QUERIES.items():
            rows = select_rows(table, query)
            seconds = best_of(args.repeat * 3, lambda query=query: select_rows(table, query))
            line(f"filter: {name} ({len(rows):,} rows)", seconds, FILTER_BUDGET)
        line("filter in the UI (query + first page drawn)", ui_filter, FILTER_BUDGET)

        print()
        scores = stored_scores(report)
        assert scores is not None
        time_library(report, table, scores, args.repeat)
        views = [asyncio.run(time_views(scored_run)) for _ in range(args.repeat)]
        for name in views[0]:
            line(name, min(view[name] for view in views), FILTER_BUDGET)
        print(f"\n{load()} at the end", flush=True)


if __name__ == "__main__":
    main()
