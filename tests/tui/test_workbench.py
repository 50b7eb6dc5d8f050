"""What issue 20 added to the app: the disagreement view, export, send to the playground,
copy, the command palette, header sorting, search marks, the least-agreed list, plots, live
runs on other data."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from nli_probe import Example, Label, Report, save_report
from nli_probe.data import write_jsonl
from nli_probe.scoring.scores import contrast_models, stored_scores
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.compare import ComparePane
from nli_probe.tui.examples import SEARCH_STYLE, ExampleDetail, ExamplesPane
from nli_probe.tui.export_screen import ExportScreen
from nli_probe.tui.plots import PlotsPane, plot
from tests.tui.fixtures import (
    CREATED,
    fixed_models,
    model_run,
    scored_report,
    settle,
    static_text,
)


async def test_a_comparison_row_opens_where_the_two_models_disagree() -> None:
    report = scored_report()
    app = NLIProbeApp(report)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("d", "enter")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "compare"
        pane = app.query_one(ComparePane)
        summary = static_text(pane.query_one("#cmp-summary", Static), width=140)
        expected = contrast_models(report, "overlap", "neutral")
        assert pane.listed == expected.only_a_right
        assert pane.query_one("#cmp-table", DataTable).row_count == len(expected.only_a_right)
        assert f"A right/B wrong {len(expected.only_a_right)}" in summary
        assert f"A wrong/B right {len(expected.only_b_right)}" in summary
        scores = stored_scores(report)
        assert scores is not None
        # each model's confusion matrix, read from the scores: its diagonal is printed
        for row in scores.model("overlap").metrics.confusion:
            assert " ".join(f"{c:,}" for c in row) in " ".join(summary.split())
        pane.query_one("#cmp-list", Select).value = "label_disagreements"
        await pilot.pause()
        assert pane.listed == expected.label_disagreements


async def test_e_exports_a_list_to_the_file_typed_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "slash", *"dogs", "escape")
        await pilot.pause()
        app.query_one("#ex-table").focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        path_box = app.screen.query_one("#export-path", Input)
        assert path_box.value.startswith("exports/examples-filtered-")
        path_box.value = "out/dogs.csv"
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportScreen)
    written = tmp_path / "out" / "dogs.csv"
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,premise,hypothesis,gold") and "overlap:entailment" in lines[0]
    assert [line.split(",")[0] for line in lines[1:]] == ["pair-03", "pair-04", "pair-05"]


async def test_p_sends_the_pair_to_the_playground_and_c_copies_it() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "down", "c")
        await pilot.pause()
        copied = json.loads(app.clipboard)
        assert copied == {
            "id": "pair-01",
            "premise": "A man plays a guitar on stage.",
            "hypothesis": "A man is not playing music.",
            "gold": "contradiction",
        }
        await pilot.press("p")
        await settle(app, pilot)
        assert app.query_one(TabbedContent).active == "playground"
        assert app.query_one("#pg-hypothesis", Input).value == "A man is not playing music."
        assert app.query_one("#pg-gold", Select).value == int(Label.CONTRADICTION)
        assert "overlap" in static_text(app.query_one("#pg-result", Static))  # predicted
        assert app.query_one("#pg-variants", DataTable).row_count > 0


async def test_p_from_a_probe_case_sends_the_variant() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "enter")
        await pilot.pause()
        case = app.screen.cases[0]  # type: ignore[attr-defined]
        await pilot.press("p")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1  # the dialog closed
        assert app.query_one("#pg-hypothesis", Input).value == case.variant_hypothesis


async def test_the_command_palette_jumps_to_an_example_and_a_probe() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"pair-07")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExampleDetail)
        assert "Nobody is reading." in static_text(app.screen.query_one("#detail", Static))
        await pilot.press("escape")
        pane = app.query_one(ExamplesPane)
        index = pane.query_one("#ex-table").cursor_index  # type: ignore[attr-defined]
        assert pane.table.examples[pane.rows[index]].id == "pair-07"
        await pilot.press("ctrl+p", *"probe fixture/typos")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert "fixture/typos" in static_text(app.screen.query_one("#cases-title", Static))


async def test_a_click_on_a_header_sorts_and_shows_the_direction() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await pilot.pause()
        pane = app.query_one(ExamplesPane)
        table = pane.query_one("#ex-table", DataTable)
        column = table.get_column_index("model:overlap")
        confidence = pane.table.models[0].confidence
        table.post_message(
            DataTable.HeaderSelected(table, table.ordered_columns[column].key, column, None)
        )
        await pilot.pause()
        shown = [confidence[i] for i in pane.rows]
        assert shown == sorted(shown)
        assert str(table.ordered_columns[column].label) == "overlap ▲"
        table.post_message(
            DataTable.HeaderSelected(table, table.ordered_columns[column].key, column, None)
        )
        await pilot.pause()
        shown = [confidence[i] for i in pane.rows]
        assert shown == sorted(shown, reverse=True)
        assert str(table.ordered_columns[column].label) == "overlap ▼"
        assert "most confident first" in static_text(pane.query_one("#ex-count", Static))


async def test_search_words_are_marked_in_the_rows() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "slash", *"dogs")
        await pilot.pause()
        table = app.query_one("#ex-table", DataTable)
        hypothesis = table.get_row_at(0)[-2]
        marked = [hypothesis.plain[s.start : s.end] for s in hypothesis.spans]
        assert marked == ["dogs"] and str(hypothesis.spans[0].style) == SEARCH_STYLE


def _annotated(n: int) -> Report:
    letters = ("eeenn", "ccnne", "nnnnn", "eeeec")
    examples = tuple(
        Example(
            id=f"a{i}",
            premise=f"premise {i}",
            hypothesis=f"hypothesis {i}",
            gold=Label(i % 3),
            annotator_labels=tuple(Label("enc".index(c)) for c in letters[i % 4]),
        )
        for i in range(n)
    )
    return Report(
        dataset="annotated",
        examples=examples,
        models=tuple(model_run(m, examples) for m in fixed_models()),
        created=CREATED,
    )


async def test_the_least_agreed_list_goes_past_50_pairs_with_a_column_per_model() -> None:
    app = NLIProbeApp(_annotated(120), resamples=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        pane = app.query_one("AgreementPane")
        assert len(pane.pairs) == 120  # type: ignore[attr-defined]
        hint = static_text(pane.query_one("#agreement-hint", Static))
        assert hint.startswith("120 least-agreed pairs")
        table = pane.query_one("#low-table", DataTable)
        labels = [str(c.label) for c in table.ordered_columns]
        assert "overlap" in labels and "neutral" in labels


def test_the_plots_draw_the_scores_numbers() -> None:
    scores = stored_scores(scored_report())
    assert scores is not None
    model = scores.models[0]

    def text(kind: str) -> str:
        return static_text(_Shown(plot(kind, scores, width=100)), width=100)

    assert f"(ECE {model.calibration.ece:.3f})" in text("reliability")
    per_class = text("per_class")
    first = model.metrics.per_class[0]
    assert f"{first.label} (support {first.support:,})" in per_class
    assert f"{first.precision:.3f}" in per_class
    by_level = text("agreement")
    for level in model.agreement.levels:
        if level.accuracy is not None:
            assert f"{level.accuracy:.3f}" in by_level
    largest = max(b.count for b in model.calibration.bins)
    assert f"{largest:,}" in text("confidence")  # the histogram's top


class _Shown:
    def __init__(self, content: object) -> None:
        self.content = content


async def test_the_plots_pane_switches_plots() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("8")
        await pilot.pause()
        pane = app.query_one(PlotsPane)
        assert "reliability" in static_text(pane.query_one("#plots-body", Static))
        pane.query_one("#plots-kind", Select).value = "per_class"
        await pilot.pause()
        assert "precision" in static_text(pane.query_one("#plots-body", Static))


async def test_a_live_run_on_a_data_file_and_a_sample(tmp_path: Path) -> None:
    pairs = [
        Example(id=f"new-{i}", premise=f"A dog runs {i}.", hypothesis="A dog runs.", gold=Label(0))
        for i in range(12)
    ]
    data = tmp_path / "new.jsonl"
    write_jsonl(pairs, data)
    app = NLIProbeApp(scored_report(), models=fixed_models()[:1])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await pilot.pause()
        app.query_one("#run-data", Input).value = str(data)
        app.query_one("#run-sample", Input).value = "5"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        status = static_text(app.query_one("#run-status", Static), width=300)
        assert f"evaluated 1 model(s) on 5 pairs of {data}" in status
        new = app.report.model("overlap#2")
        assert len(new.predictions) == 5 and all(i.startswith("new-") for i in new.predictions)
        ids = {example.id for example in app.report.examples}
        assert set(new.predictions) <= ids  # the new pairs joined the report


async def test_a_bad_sample_size_is_said_and_nothing_starts() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        app.query_one("#run-sample", Input).value = "a few"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "not a number of pairs" in static_text(app.query_one("#run-status", Static))
        assert not app.query_one("RunPane").running  # type: ignore[attr-defined]


def test_merging_runs_on_different_data_keeps_them_apart(tmp_path: Path) -> None:
    from nli_probe.tui.sources import open_reports, run_sources

    first = scored_report()
    second = replace(
        first,
        dataset="other",
        examples=tuple(replace(e, id=f"o-{e.id}") for e in first.examples[:4]),
        models=(),
        suites=(),
        extra={},
    )
    save_report(first, tmp_path / "a" / "report.json")
    save_report(second, tmp_path / "b" / "report.json")
    merged = open_reports([tmp_path / "a", tmp_path / "b"])
    assert [part.name for part in merged.datasets] == ["fixture", "other"]
    assert merged.datasets[1].ids == tuple(e.id for e in second.examples)
    assert [(s.label, s.dataset, s.pairs) for s in run_sources(merged)] == [
        (str(tmp_path / "a"), "fixture", 24),
        (str(tmp_path / "b"), "other", 4),
    ]
    same = open_reports([tmp_path / "a", tmp_path / "a"])
    assert same.datasets == ()  # one data set: no parts


async def test_workers_never_write_out_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual describes a worker by repr() of its arguments unless given a description: for
    # a report of 10,000 pairs that blocked the UI thread for 0.18 s (benchmarks/bench_tui.py).
    written: list[str] = []

    def counted(example: Example) -> str:
        written.append(example.id)
        return f"Example({example.id!r})"

    monkeypatch.setattr(Example, "__repr__", counted)
    monkeypatch.chdir(tmp_path)  # ctrl+s saves to runs/tui-TIME/
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)  # the least-agreed and contrast workers ran
        app.query_one(ComparePane).compare("neutral", "overlap")
        await settle(app, pilot)
        await pilot.press("6", "ctrl+r")  # a live run, its worker given the report
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert written == []
    assert list(tmp_path.glob("runs/tui-*/report.json"))  # the save did run


@pytest.mark.parametrize(("width", "rows_of_matrices"), [(78, 1), (58, 2)])
def test_the_matrices_never_cut_a_count(
    monkeypatch: pytest.MonkeyPatch, width: int, rows_of_matrices: int
) -> None:
    # 10,000 pairs give 4-digit counts: at 80 columns they showed as `1,4…`.
    from nli_probe.scoring.contrast import ModelContrast
    from nli_probe.tui import compare

    big = ((1651, 128, 140), (487, 6911, 527), (8, 11, 137))
    monkeypatch.setattr(compare, "_confusion", lambda scores, name: big)
    contrast = ModelContrast(model_a="a", model_b="b", shared=10_000, scored=10_000, cross=big)
    shown = static_text(_Shown(compare.contrast_view(contrast, None)), width=width)
    assert "…" not in shown
    assert shown.count("6,911") == 3
    assert sum("gold × predicted" in line or "A × B" in line for line in shown.splitlines()) == (
        rows_of_matrices
    )
