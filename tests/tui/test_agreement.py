"""The Agreement pane: per-level bars per model, low-agreement pairs with humans vs models."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from nli_probe.scoring.scores import stored_scores
from nli_probe.tui.agreement import AgreementPane
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.examples import ExampleDetail
from tests.tui.fixtures import scored_report, settle, static_text


async def test_levels_show_each_models_accuracy_with_bars() -> None:
    report = scored_report()
    scores = stored_scores(report)
    assert scores is not None
    app = NLIProbeApp(report)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        text = static_text(app.query_one("#agreement-body", Static))
    for level in scores.models[0].agreement.levels:
        assert level.level in text
    for model in scores.models:
        for level in model.agreement.levels:
            if level.accuracy is not None:
                assert f"{level.accuracy:.3f}" in text
    assert "█" in text  # the bars
    assert "accuracy (bars) and JSD" in text and "Jensen-Shannon" in text


async def test_low_agreement_pairs_open_with_humans_next_to_each_model() -> None:
    report = scored_report()
    scores = stored_scores(report)
    assert scores is not None
    app = NLIProbeApp(report)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        pane = app.query_one(AgreementPane)
        table = pane.query_one("#low-table", DataTable)
        assert table.row_count == len(scores.low_agreement)
        assert app.focused is table
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExampleDetail)
        text = static_text(app.screen.query_one("#detail", Static))
    first = scores.low_agreement[0]
    assert first.hypothesis in text
    assert "humans" in text and "overlap" in text and "neutral" in text
    assert f"{first.human[1]:.2f}" in text
