"""The Slices pane: pick a data set and a field, the models side by side per value, enter opens
the slice's pairs; a report without slices says how to get them."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from textual.widgets import DataTable, Select, Static, TabbedContent

from nli_probe import Report
from nli_probe.core.parts import DataSetPart
from nli_probe.data import read_dataset
from nli_probe.scoring.scores import score_report, store_scores
from nli_probe.testing.fakes import FakeModel
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.slices import SlicesPane, slice_examples
from tests.report_fixtures import model_run
from tests.tui.fixtures import scored_report, settle, static_text

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "challenge_data"


@functools.cache
def sliced_report() -> Report:
    """HANS and ANLI (the hand-written fixtures) in one run, two fake models, scores stored."""
    examples, parts = [], []
    for name in ("hans:evaluation", "anli:test"):
        data = read_dataset(name, data_dir=DATA)
        pairs = [dataclasses.replace(e, id=f"{name}/{e.id}") for e in data.examples]
        examples += pairs
        parts.append(
            DataSetPart(
                name=name,
                ids=tuple(e.id for e in pairs),
                label_scheme=data.label_scheme,
                slices=data.slices,
            )
        )
    runs = [
        model_run(model, tuple(examples))
        for model in (FakeModel(name="overlap"), FakeModel(name="other", rule=_other))
    ]
    report = Report(
        dataset="hans:evaluation + anli:test",
        examples=tuple(examples),
        models=tuple(runs),
        datasets=tuple(parts),
        created="2026-01-01T00:00:00+00:00",
    )
    return store_scores(report, score_report(report, resamples=50, seed=0))


def _other(premise: str, hypothesis: str) -> object:
    from nli_probe import Prediction

    # Entailment for short hypotheses, else contradiction: differs from the overlap fake.
    if len(hypothesis.split()) <= 4:
        return Prediction(probs=(0.8, 0.1, 0.1))
    return Prediction(probs=(0.1, 0.1, 0.8))


def _cells(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def _slices_key() -> str:
    """The Slices tab's number key: its place among the registered panes."""
    from nli_probe.tui.panes import PANE_KEYS, pane_specs

    ids = [spec.id for spec in pane_specs()]
    return PANE_KEYS[ids.index("slices")]


SLICES_KEY = _slices_key()


async def test_a_report_without_slices_says_how_to_get_them() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press(SLICES_KEY)
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "slices"
        pane = app.query_one(SlicesPane)
        hint = static_text(pane.query_one("#slices-hint", Static))
        assert pane.query_one("#slices-table", DataTable).row_count == 0
    assert "no data set of this report is sliced" in hint and "evaluate --by FIELD" in hint


async def test_a_set_and_a_field_show_the_models_side_by_side() -> None:
    report = sliced_report()
    app = NLIProbeApp(report)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(SLICES_KEY)
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "slices"
        pane = app.query_one(SlicesPane)
        assert str(pane.query_one("#slices-set", Select).value) == "hans:evaluation"
        assert str(pane.query_one("#slices-field", Select).value) == "heuristic"
        table = pane.query_one("#slices-table", DataTable)
        assert app.focused is table
        headers = [str(column.label) for column in table.columns.values()]
        assert headers[:3] == ["heuristic", "pairs", "baseline"]
        assert "overlap acc [95% CI]" in headers and "other acc [95% CI]" in headers
        assert "overlap − other" in headers
        rows = _cells(table)
        hint = static_text(pane.query_one("#slices-hint", Static))
        # anli:test is sliced by round: choosing it shows its rounds.
        pane.query_one("#slices-set", Select).value = "anli:test"
        await pilot.pause()
        assert str(pane.query_one("#slices-field", Select).value) == "round"
        rounds = [row[0] for row in _cells(table)]
    assert [row[0] for row in rows] == ["lexical_overlap", "subsequence", "constituent"]
    assert all(row[1] == "2" for row in rows)
    assert "scored two-way" in hint and "evaluation-set majority (oracle)" in hint
    assert rounds == ["R1", "R2", "R3"]
    # Each accuracy cell is the stored slice score, by hand: two pairs per heuristic.
    scores = report.extra["scores"]["datasets"][0]["slices"][0]
    first = scores["rows"][0]["models"][0]
    assert rows[0][3].startswith(f"{first['accuracy']:.3f} [")


async def test_enter_opens_the_pairs_of_a_slice_with_each_models_label() -> None:
    report = sliced_report()
    app = NLIProbeApp(report)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(SLICES_KEY)
        await pilot.pause()
        await pilot.press("down", "enter")  # the second value: subsequence
        await pilot.pause()
        assert isinstance(app.screen, ExampleDetail)
        text = static_text(app.screen.query_one("#detail", Static), width=160)
    assert "heuristic = subsequence: 2 pairs" in text
    assert "The manager near the senator slept ." in text and "The lawyer waited ." in text
    assert "The banker paid the tourist ." not in text
    assert "non-e" in text  # HANS's two-way gold, by its own name


def test_the_pairs_of_a_crossed_slice() -> None:
    report = sliced_report()
    pairs = slice_examples(
        report, "hans:evaluation", "heuristic,gold", ("constituent", "non-entailment")
    )
    assert [pair.id for pair in pairs] == ["hans:evaluation/ex4"]
    assert slice_examples(report, "anli:test", "round", ("R2",))[0].meta["round"] == "R2"
    assert slice_examples(report, "no such set", "round", ("R2",)) == []
