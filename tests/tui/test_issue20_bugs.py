"""One pilot test per wrong screen of issue 20, each written to fail on the code it fixes.

Each drives the app as a user would (keys, the command line) and checks what the screen says.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.widgets import DataTable, ProgressBar, Static

from nli_probe import Example, Label, Pair, Prediction, Report, load_report, save_report
from nli_probe.cli import main
from nli_probe.probing.expectation import get_expectation
from nli_probe.probing.probe import Probe
from nli_probe.probing.runner import run_suite
from nli_probe.probing.suite import Suite
from nli_probe.probing.template import get_template
from nli_probe.testing.fakes import FakeModel, overlap_rule
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.sources import open_reports
from tests.tui.fixtures import (
    CREATED,
    fixed_examples,
    fixed_models,
    fixed_report,
    model_run,
    scored_report,
    settle,
    static_text,
)

# -- 1. `tui RUN -m NAME=PATH` ---------------------------------------------------------------


def _captured_app(monkeypatch: pytest.MonkeyPatch) -> list[NLIProbeApp]:
    """Make `NLIProbeApp.run` keep the app instead of taking over the terminal."""
    apps: list[NLIProbeApp] = []
    monkeypatch.setattr(NLIProbeApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


@pytest.mark.slow
async def test_1_a_named_model_loads_and_predicts_in_the_playground(
    tmp_path: Path, tiny_roberta: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_report(scored_report(), tmp_path / "run" / "report.json")
    apps = _captured_app(monkeypatch)
    argv = ["tui", str(tmp_path / "run"), "-m", f"full={tiny_roberta}", "--device", "cpu"]
    assert main(argv) == 0
    (app,) = apps
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press(*"A man walks.", "enter", *"A person walks.", "enter")
        await settle(app, pilot)
        result = static_text(app.query_one("#pg-result", Static))
    assert "does not exist" not in result
    assert "full" in result and "0." in result  # the model named full, with probabilities


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("full=./no/such/folder", "model folder no/such/folder does not exist"),
        ("./no/such/folder", "model folder no/such/folder does not exist"),
    ],
)
def test_1_a_missing_model_folder_is_an_error_before_the_ui_starts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spec: str,
    message: str,
) -> None:
    save_report(scored_report(), tmp_path / "run" / "report.json")
    apps = _captured_app(monkeypatch)
    assert main(["tui", str(tmp_path / "run"), "-m", spec]) == 2
    assert apps == []  # the UI never started
    err = capsys.readouterr().err
    assert err.startswith("nli-probe: error: --model") and message in err
    assert err.count("\n") == 1


# -- 2. two runs: pairs and humans per model --------------------------------------------------


def _two_runs(tmp_path: Path, first: Report, second: Report) -> Report:
    save_report(first, tmp_path / "run-a" / "report.json")
    save_report(second, tmp_path / "run-b" / "report.json")
    return open_reports([tmp_path / "run-a", tmp_path / "run-b"])


async def test_2_agreement_counts_pairs_and_humans_per_model_when_runs_differ(
    tmp_path: Path,
) -> None:
    examples = fixed_examples()
    small = Report(
        dataset="fixture",
        examples=examples[:12],
        models=(model_run(fixed_models()[0], examples[:12]),),
        created=CREATED,
    )
    large = Report(
        dataset="fixture",
        examples=examples,
        models=(model_run(fixed_models()[1], examples),),
        created=CREATED,
    )
    app = NLIProbeApp(_two_runs(tmp_path, small, large), resamples=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        text = static_text(app.query_one("#agreement-body", Static), width=160)
    (all_row,) = [line for line in text.splitlines() if line.strip().startswith("all ")]
    assert "12 / 24" in all_row  # each model's own pairs, in model order
    assert "scored on different pairs" in text


# -- 3. two runs on different data -------------------------------------------------------------


def _other_data() -> Report:
    """The fixture's pairs as another data set (other ids), scored by the same two models."""
    examples = tuple(
        replace(example, id=f"other-{example.id}", source="other") for example in fixed_examples()
    )[:10]
    models = tuple(model_run(model, examples) for model in fixed_models())
    return Report(dataset="other", examples=examples, models=models, created=CREATED)


async def test_3_runs_on_different_data_say_n_a_and_name_each_run(tmp_path: Path) -> None:
    merged = _two_runs(tmp_path, fixed_report(), _other_data())
    app = NLIProbeApp(merged, resamples=10)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        body = static_text(app.query_one("#overview-body", Static), width=200)
        table = app.query_one("#comparisons-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    (cross,) = [row for row in rows if row[0] == "overlap vs overlap#2"]
    assert cross[-1] == "no shared pairs" and "n/a" in cross
    (same,) = [row for row in rows if row[0] == "overlap vs neutral"]
    assert same[-1] in ("significant", "not significant")  # those share their pairs
    assert body.splitlines()[0].startswith("fixture + other")  # the header names both sets
    # Which run each model came from, and each run's own baseline (not one pooled over both).
    assert "runs merged" in body and "overlap#2, neutral#2" in body
    assert "baseline fixture" in body and "baseline other" in body
    assert "\nbaseline " not in body


# -- 4. the Run tab ---------------------------------------------------------------------------


class GatedModel(FakeModel):
    """A fake model that waits for `gate` before each batch: the test controls its pace."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self.gate = threading.Event()
        self.started = threading.Event()

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        self.started.set()
        self.gate.wait(timeout=10)
        return super().predict(pairs)


async def test_4_cancelling_keeps_finished_models_stops_the_eta_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    slow = GatedModel("slow")
    app = NLIProbeApp(scored_report(), models=[FakeModel(name="fast"), slow])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("ctrl+r")
        assert slow.started.wait(timeout=10)
        await pilot.pause()
        bar = app.query_one("#run-progress", ProgressBar)
        # The second model has started: the bar shows the whole run (half done), not 0%.
        assert bar.percentage is not None and bar.percentage >= 0.5
        await pilot.press("ctrl+x")
        slow.gate.set()  # the batch ends; the next progress check sees the cancel
        await settle(app, pilot)
        status = static_text(app.query_one("#run-status", Static), width=200)
        assert "cancelled" in status and "kept the 1 model(s) that finished" in status
        assert [m.name for m in app.report.models] == ["overlap", "neutral", "fast"]
        bar.update()  # what the bar's one-second timer does: the ETA must not count on
        assert bar._display_eta is None
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        status = static_text(app.query_one("#run-status", Static), width=400)
    (saved,) = (tmp_path / "runs").glob("tui-*/report.json")
    assert f"saved {saved.resolve()}" in status
    assert [m.name for m in load_report(saved).models] == ["overlap", "neutral", "fast"]


async def test_4_save_with_nothing_new_says_so() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "nothing new to save" in static_text(app.query_one("#run-status", Static))


# -- 5. Examples: End, and the order on screen -------------------------------------------------


def _big_report(n: int) -> Report:
    examples = tuple(
        Example(id=f"x{i}", premise=f"premise {i}", hypothesis=f"hypothesis {i}", gold=Label(i % 3))
        for i in range(n)
    )
    model = FakeModel(name="m", rule=overlap_rule)
    return Report(dataset="big", examples=examples, models=(model_run(model, examples),))


async def test_5_end_goes_to_the_last_pair_and_home_back_to_the_first() -> None:
    app = NLIProbeApp(_big_report(350))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        pane = app.query_one("ExamplesPane")
        table = pane.query_one("#ex-table", DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "350"  # the last pair's number
        await pilot.press("home")
        await pilot.pause()
        assert str(table.get_row_at(table.cursor_row)[0]) == "1"


async def test_5_the_screen_says_which_way_the_rows_are_sorted() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        pane = app.query_one("ExamplesPane")
        pane.query_one("#ex-sort").value = "confidence"  # type: ignore[attr-defined]
        await pilot.pause()
        count = pane.query_one("#ex-count", Static)
        assert "least confident first (overlap)" in static_text(count)
        pane.query_one("#ex-table").focus()
        await pilot.press("o")
        await pilot.pause()
        assert "most confident first (reversed) (overlap)" in static_text(count)
        header = [str(c.label) for c in pane.query_one("#ex-table", DataTable).ordered_columns]
        assert "overlap ▼" in header


# -- 6. Suites: `expect` is what ✓/✗ is judged against ---------------------------------------


def _with_heuristics() -> Report:
    """The fixture report plus a HANS-style template probe (MFT, not entailment)."""
    suite = Suite(
        name="hans",
        description="template probes",
        probes=[
            Probe(
                name="lexical-overlap",
                capability="lexical-overlap",
                template=get_template("lexical_overlap", n=6),
                expectation=get_expectation("not_entailment"),
            )
        ],
    )
    runs = tuple(run_suite(model, suite, (), dataset="fixture") for model in fixed_models())
    report = fixed_report()
    return replace(report, suites=(*report.suites, *runs))


async def _cases_of(app: NLIProbeApp, pilot: object, key: str) -> DataTable:  # type: ignore[type-arg]
    """Open the probe `key`'s failing cases as the command palette's jump does."""
    pane = app.query_one("SuitesPane")
    pane.open_probe_named(key)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return app.screen.query_one("#cases-table", DataTable)


async def test_6_inv_cases_expect_the_models_own_prediction_and_detail_agrees() -> None:
    app = NLIProbeApp(_with_heuristics(), resamples=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        table = await _cases_of(app, pilot, "fixture/typos")
        expect = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert expect == {"= before"}  # INV: the model's own label on the original, not gold
        screen = app.screen
        cases = screen.cases  # type: ignore[attr-defined]
        # A case one model passed: its after row is marked ✓ (the verdict), whatever gold is.
        index = next(
            i
            for i, c in enumerate(cases)
            if c.outcomes["neutral"].status == "passed" and c.gold not in (-1, int(Label.NEUTRAL))
        )
        table.move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
        detail = static_text(app.screen.query_one("#detail", Static), width=120)
    (after,) = [line for line in detail.splitlines() if line.startswith("neutral after")]
    assert after.rstrip().endswith("✓"), after
    assert "neutral: passed" in detail


async def test_6_hans_mft_cases_expect_not_entailment_and_show_one_prediction() -> None:
    app = NLIProbeApp(_with_heuristics(), resamples=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        table = await _cases_of(app, pilot, "hans/lexical-overlap")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    assert rows
    for row in rows:
        assert row[1] == "not ent"  # any non-entailment passes: not "neu"
        for cell in row[2:]:
            assert "→" not in cell  # the generated pair is its own variant: one prediction


# -- 7. Agreement: readable at 80x24, honest without votes -------------------------------------


async def test_7_the_levels_and_the_fit_fit_on_a_small_screen() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        box = app.query_one("#levels-box")
        text = static_text(app.query_one("#agreement-body", Static), width=box.size.width)
        assert box.max_scroll_y == 0  # nothing below the fold of its scroll area
        assert app.query_one("#low-table").size.height >= 5  # and the pairs still show
    title = text.splitlines()[0]
    assert title.strip().startswith("accuracy") and "JSD" in title  # on one line
    assert "JSD" in text and "0." in text  # the fit is in the same view


async def test_7_data_without_votes_says_there_are_none() -> None:
    examples = tuple(replace(e, annotator_labels=()) for e in fixed_examples())
    report = Report(
        dataset="hans-like",
        examples=examples,
        models=tuple(model_run(m, examples) for m in fixed_models()),
        created=CREATED,
    )
    app = NLIProbeApp(report, resamples=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        text = static_text(app.query_one("#agreement-body", Static))
        assert not app.query_one("#low-table").display
    assert "no annotator votes" in text and "24 of 24 pairs" in text
    assert "all" not in text.split()


# -- 8. nothing cut at 80x24 ------------------------------------------------------------------


def _columns_fit(table: DataTable) -> bool:  # type: ignore[type-arg]
    width = sum(column.get_render_width(table) for column in table.ordered_columns)
    return width <= table.scrollable_content_region.width


def _wrapped_lines(text: object, width: int) -> int:
    console = Console(width=width, color_system=None)
    plain = text if isinstance(text, Text) else Text(str(text))
    return len(plain.wrap(console, width))


def _as_the_quick_study() -> Report:
    """The fixture with the quick study's model names and a built-in suite's name (its probe
    names as long as the built-in ones)."""
    report = fixed_report()
    names = {"overlap": "quick-full", "neutral": "quick-lora"}
    return replace(
        report,
        models=tuple(replace(run, name=names[run.name]) for run in report.models),
        suites=tuple(
            replace(run, suite="robustness", model=names[run.model]) for run in report.suites
        ),
    )


async def test_8_the_suites_list_shows_every_models_column_at_80x24() -> None:
    app = NLIProbeApp(_as_the_quick_study(), resamples=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        table = app.query_one("#suites-table", DataTable)
        models = [c for c in table.ordered_columns if str(c.key.value).startswith("model:")]
        last = table.ordered_columns.index(models[-1])
        needed = sum(c.get_render_width(table) for c in table.ordered_columns[: last + 1])
        assert needed <= table.scrollable_content_region.width


async def test_8_the_cases_dialog_shows_every_column_and_wraps_the_edit() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "enter")
        await pilot.pause()
        table = app.screen.query_one("#cases-table", DataTable)
        assert _columns_fit(table)
        edit = table.ordered_columns[0]
        for key, row in table.rows.items():
            cell = table.get_cell(key, edit.key)
            assert row.height >= _wrapped_lines(cell, edit.width)  # no line of the edit cut


async def test_8_the_playground_wraps_each_variant_at_80x24() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press(*"John walks in Paris with Mary.", "enter", *"A man walks.", "enter")
        await settle(app, pilot)
        table = app.query_one("#pg-variants", DataTable)
        assert table.row_count > 0
        assert _columns_fit(table)
        edit = table.ordered_columns[1]
        assert "edit" in str(edit.label)
        for key, row in table.rows.items():
            cell = table.get_cell(key, edit.key)
            assert row.height >= _wrapped_lines(cell, edit.width)
            assert math.isfinite(row.height)
