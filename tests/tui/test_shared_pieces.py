"""The TUI's shared pieces, on their own: edit highlighting, terminal plots, export records and
files, pane registration, the paged table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult

from nli_probe import NLIProbeError
from nli_probe.tui.diff import DELETED_STYLE, INSERTED_STYLE, edit_text, pair_edit, word_edits
from nli_probe.tui.export import (
    case_records,
    default_export_path,
    example_records,
    write_records,
)
from nli_probe.tui.paged_table import PAGE, PagedTable
from nli_probe.tui.panes import pane_specs, register_pane
from nli_probe.tui.plot import MARKER, BarChart, ColumnChart, Series, horizontal_bar
from nli_probe.tui.probes import failing_cases, probe_rows
from tests.tui.fixtures import fixed_report


def _styled(text: Text, style: str) -> list[str]:
    return [text.plain[span.start : span.end] for span in text.spans if str(span.style) == style]


# -- diff --------------------------------------------------------------------------------------


def test_an_edit_highlights_the_new_words_and_strikes_the_old() -> None:
    text = edit_text("A man walks in Paris.", "A man strolls in Paris today.")
    assert text.plain == "A man walks strolls in Paris today."
    assert _styled(text, INSERTED_STYLE) == ["strolls", "today"]
    assert _styled(text, DELETED_STYLE) == ["walks"]
    assert word_edits("A man walks in Paris.", "A man strolls in Paris today.").replaced == 1


def test_without_deletions_the_variant_reads_as_it_is() -> None:
    text = edit_text("It isn't raining.", "It is not raining.", show_deleted=False)
    assert text.plain == "It is not raining."
    assert _styled(text, INSERTED_STYLE) == ["is", "not"]


def test_an_emptied_side_and_an_unchanged_pair_say_so() -> None:
    assert edit_text("A man walks.", "").plain == "A man walks. (empty)"
    assert pair_edit("p", "A man walks.", "", "A man walks.").plain == "P: p (empty)"
    unchanged = pair_edit("p", "h", "p", "h")
    assert unchanged.plain == "H: h  (unchanged)"
    both = pair_edit("a b", "c d", "a x", "c y").plain.splitlines()
    assert both == ["H: c d y", "P: a b x"]  # the hypothesis first
    assert not word_edits("same words", "same words").changed


# -- plot --------------------------------------------------------------------------------------


def _render(renderable: Any, width: int = 60) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text().splitlines()


def test_a_column_chart_draws_heights_in_eighths_and_marks() -> None:
    chart = ColumnChart(
        ["a", "b", "c"],
        [Series(name="m", values=[1.0, 0.5, None], markers=[None, 1.0, 0.5])],
        height=4,
        y_max=1.0,
        marker="mean",
    )
    lines = _render(chart)
    plot = [line for line in lines if "│" in line]
    assert len(plot) == 4
    columns = [line.split("│", 1)[1] for line in plot]
    # a: full height; b: half (two rows) with its marker on the top row; c: only a marker.
    assert [c.lstrip()[:1] for c in columns] == ["█", "█", "█", "█"]
    assert any(MARKER in c for c in columns)
    assert lines[-1].endswith(f"{MARKER} mean")


def test_a_bar_chart_writes_each_value_after_its_bar() -> None:
    chart = BarChart(["x", "y"], [Series(name="m", values=[0.25, None])], bar_width=8)
    lines = _render(chart)
    assert lines[0] == "x ██······ 0.250"
    assert lines[1].rstrip() == "y –"
    assert horizontal_bar(0.5, 4).plain == "██··"


# -- export ------------------------------------------------------------------------------------


def test_example_records_have_the_frames_columns_with_every_models_probabilities() -> None:
    report = fixed_report()
    records = example_records(report, ["pair-05", "pair-01", "missing"])
    assert [r["id"] for r in records] == ["pair-05", "pair-01"]
    first = records[0]
    frame_columns = list(report.to_pandas().columns)
    assert list(first)[1:] == frame_columns
    prediction = report.model("overlap").predictions["pair-05"]
    assert first["overlap:entailment"] == prediction.probs[0]
    assert first["overlap:label"] == str(prediction.label)


def test_written_files_read_back(tmp_path: Path) -> None:
    report = fixed_report()
    records = example_records(report, [e.id for e in report.examples])
    jsonl = write_records(records, tmp_path / "out" / "pairs.jsonl")
    assert jsonl.is_absolute() and jsonl.parent == (tmp_path / "out").resolve()
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e.id for e in report.examples]
    written = write_records(records, tmp_path / "pairs.csv")
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(records) and float(rows[0]["neutral:neutral"]) > 0
    assert rows[19]["gold"] == ""  # no gold: empty in csv (null in jsonl)
    assert json.loads(lines[19])["gold"] is None


def test_case_records_carry_each_models_verdict_and_both_predictions() -> None:
    report = fixed_report()
    (row,) = [r for r in probe_rows(report) if r.probe == "typos"]
    cases = failing_cases(row, ["overlap", "neutral"])
    records = case_records(row, cases, ["overlap", "neutral"])
    assert len(records) == len(cases) > 0
    record, case = records[0], cases[0]
    assert record["variant_hypothesis"] == case.variant_hypothesis
    for model in ("overlap", "neutral"):
        outcome = case.outcomes[model]
        assert record[f"{model}:status"] == outcome.status
        assert outcome.after is not None
        assert record[f"{model}:after:neutral"] == outcome.after.probs[1]


def test_export_refuses_other_suffixes_and_proposes_a_dated_name(tmp_path: Path) -> None:
    with pytest.raises(NLIProbeError, match=r"name a \.jsonl or \.csv file"):
        write_records([{"a": 1}], tmp_path / "out.xlsx")
    from datetime import UTC, datetime

    path = default_export_path("cases-a/b c", now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert path == Path("exports/cases-a-b-c-20260102-030405.jsonl")


# -- panes -------------------------------------------------------------------------------------


def test_the_built_in_panes_are_registered_in_tab_order() -> None:
    ids = [spec.id for spec in pane_specs()]
    assert ids[:8] == [
        "overview",
        "agreement",
        "suites",
        "examples",
        "playground",
        "run",
        "compare",
        "plots",
    ]


def test_a_second_pane_with_a_taken_id_or_order_is_refused() -> None:
    def other(app: Any) -> Any:
        return None

    with pytest.raises(ValueError, match="already registered"):
        register_pane(id="overview", title="X", order=999)(other)
    with pytest.raises(ValueError, match="order 10 is taken by pane 'overview'"):
        register_pane(id="brand_new", title="X", order=10)(other)
    with pytest.raises(ValueError, match="identifier"):
        register_pane(id="no spaces", title="X", order=998)


# -- the paged table ---------------------------------------------------------------------------


class _TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable(cursor_type="row")


async def test_the_paged_table_keeps_a_window_and_reaches_both_ends() -> None:
    app = _TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.add_column("n")
        table.show_rows(1000, lambda i: [str(i)])
        await pilot.pause()
        assert table.row_count == PAGE and table.cursor_index == 0
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_index == 999 and table.row_count <= 2 * PAGE
        # Going up from the window's first rows loads the page before it.
        start = table.start
        table.move_cursor(row=5)
        await pilot.press("up", "up", "up")
        await pilot.pause()
        assert table.start == start - PAGE and table.cursor_index == start + 2
        table.go_to(500)
        await pilot.pause()
        assert table.cursor_index == 500
        assert str(table.get_row_at(table.cursor_row)[0]) == "500"
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_index == 0 and table.start == 0
