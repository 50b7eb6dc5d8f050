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

Budgets: open < 2 s, filtering < 200 ms; each figure is printed with its share of the budget.

    .venv/bin/python benchmarks/bench_tui.py
"""

from __future__ import annotations

import argparse
import asyncio
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
from nli_probe.scoring.scores import score_report, store_scores  # noqa: E402
from nli_probe.testing.fakes import FakeModel, overlap_rule  # noqa: E402
from nli_probe.tui.browse import ExampleQuery, select_rows  # noqa: E402
from nli_probe.tui.sources import open_reports  # noqa: E402
from nli_probe.tui.table import build_table  # noqa: E402

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


async def time_open(run: Path) -> tuple[float, float, float, float]:
    """(first frame, every pane mounted with the Examples table filled, scores shown, UI
    filter time) for one open of `run`, in seconds from the path."""
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
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.scores is not None
        scored = time.perf_counter() - started
        pane = app.query_one(ExamplesPane)
        best_ui = float("inf")
        for query in (ExampleQuery(text="dog"), ExampleQuery(model="b", correct=False)):
            t = time.perf_counter()
            pane.query_state = query
            pane.refresh_rows()
            await pilot.pause()
            best_ui = min(best_ui, time.perf_counter() - t)
            assert app.query_one("#ex-table", PagedTable).row_count == min(len(pane.rows), PAGE)
    return first, mounted, scored, best_ui


def line(label: str, seconds: float, budget: float | None = None) -> None:
    share = f"{seconds / budget:>10.0%}" if budget else ""
    print(f"{label:<52}{seconds:>9.3f}{share}")


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    default_dev = Path(os.environ.get("NLI_PROBE_DATA", REPO.parent / "shared" / "data"))
    parser.add_argument("--dev", type=Path, default=default_dev / "snli_1.0" / "snli_1.0_dev.jsonl")
    args = parser.parse_args()
    from nli_probe.models.hardware import describe_machine

    print(describe_machine(), flush=True)  # first line: what the figures were measured on
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        scored_run, bare_run = build_run(Path(tmp), args.dev)
        print(f"built the run: 10,000 SNLI dev pairs x 3 models in {time.perf_counter() - t:.1f} s")

        # Opening: best of --repeat, each a fresh app on the stored-scores run.
        results = [asyncio.run(time_open(scored_run)) for _ in range(args.repeat)]
        first, mounted, scored, ui_filter = (min(r[i] for r in results) for i in range(4))
        bare_first, bare_mounted, bare_scored, _ = asyncio.run(time_open(bare_run))

        report = open_reports([scored_run])
        table = build_table(report)
        print(f"\n{'what':<52}{'seconds':>9}{'of budget':>10}")
        line("open: first frame (Overview)", first, OPEN_BUDGET)
        line("open: all panes mounted, Examples table filled", mounted, OPEN_BUDGET)
        line("open: scores shown (stored in report.json)", scored, OPEN_BUDGET)
        line("open without stored scores: first frame", bare_first, OPEN_BUDGET)
        line("open without stored scores: all panes mounted", bare_mounted, OPEN_BUDGET)
        line("open without stored scores: computed scores shown", bare_scored)
        line("  of which load_report", best_of(args.repeat, lambda: open_reports([scored_run])))
        line("  of which build_table", best_of(args.repeat, lambda: build_table(report)))
        print()
        for name, query in QUERIES.items():
            rows = select_rows(table, query)
            seconds = best_of(args.repeat * 3, lambda query=query: select_rows(table, query))
            line(f"filter: {name} ({len(rows):,} rows)", seconds, FILTER_BUDGET)
        line("filter in the UI (query + first page drawn)", ui_filter, FILTER_BUDGET)


if __name__ == "__main__":
    main()
