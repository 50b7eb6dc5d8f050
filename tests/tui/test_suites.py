"""The Suites pane and its model: probes by failure rate, failing cases for every model."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.probes import failing_cases, failure_totals, probe_models, probe_rows
from nli_probe.tui.suites import CasesScreen, SuitesPane
from tests.tui.fixtures import fixed_report, scored_report, settle, static_text


def test_probe_rows_line_up_every_models_run() -> None:
    report = fixed_report()
    rows = probe_rows(report)
    assert probe_models(report) == ["overlap", "neutral"]
    suite_probes = {(s.suite, p.probe) for s in report.suites for p in s.probes}
    assert {(row.suite, row.probe) for row in rows} == suite_probes
    for row in rows:
        assert set(row.runs) == {"overlap", "neutral"}
    totals = failure_totals(report)
    for model in ("overlap", "neutral"):
        runs = [s for s in report.suites if s.model == model]
        assert totals[model] == (sum(s.failed for s in runs), sum(s.tested for s in runs))


def test_failing_cases_are_the_variants_some_model_failed() -> None:
    report = fixed_report()
    for row in probe_rows(report):
        cases = failing_cases(row, ["overlap", "neutral"])
        failed = {
            (o.example_id, o.variant_id)
            for run in row.runs.values()
            for o in run.outcomes
            if o.status == "failed"
        }
        assert {(c.example_id, c.variant_id) for c in cases} == failed
        for case in cases:
            assert set(case.outcomes) <= {"overlap", "neutral"}
            assert any(o.status == "failed" for o in case.outcomes.values())


async def test_selecting_a_probe_lists_its_failing_cases_then_one_case() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        pane = app.query_one(SuitesPane)
        table = pane.query_one("#suites-table", DataTable)
        assert app.focused is table
        assert table.row_count == len(pane.rows) > 0
        rates = [row.worst_rate() for row in pane.rows]
        assert rates == sorted(rates, reverse=True)  # worst probe first
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        screen = app.screen
        expected = failing_cases(pane.rows[0], ["overlap", "neutral"])
        assert screen.query_one(DataTable).row_count == len(expected) > 0
        assert pane.rows[0].key in static_text(screen.query_one("#cases-title", Static))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExampleDetail)
        text = static_text(app.screen.query_one("#detail", Static))
        assert expected[0].variant_hypothesis in text
        assert "overlap before" in text and "neutral after" in text
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_report_without_suites_points_to_the_run_tab() -> None:
    from dataclasses import replace

    app = NLIProbeApp(replace(scored_report(), suites=()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert "no probe results" in static_text(app.query_one("#suites-hint", Static))
