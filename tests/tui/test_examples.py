"""The Examples pane, driven by keys and clicks: every filter, sorting, paging, details."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from nli_probe import Example, Label, ModelRun, Prediction, Report
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.examples import PAGE, ExampleDetail, ExamplesPane, PagedTable
from tests.tui.fixtures import CREATED, scored_report, static_text


async def _open(app: NLIProbeApp, pilot: object) -> ExamplesPane:
    await pilot.press("4")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return app.query_one(ExamplesPane)


def _shown(pane: ExamplesPane) -> list[str]:
    """Example ids in the table, in display order."""
    count = pane.query_one(PagedTable).row_count
    return [pane.table.examples[i].id for i in pane.rows[:count]]


async def test_all_pairs_show_with_a_count() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open(app, pilot)
        assert len(_shown(pane)) == 24
        assert "24 of 24 pairs" in static_text(pane.query_one("#ex-count", Static))


async def test_typing_a_search_filters_rows() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open(app, pilot)
        await pilot.press("slash")
        assert app.focused is pane.query_one("#ex-text", Input)
        await pilot.press(*"dogs")
        await pilot.pause()
        assert _shown(pane) == ["pair-03", "pair-04", "pair-05"]
        assert "3 of 24 pairs" in static_text(pane.query_one("#ex-count", Static))


async def test_each_select_filter_applies(subtests: object = None) -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open(app, pilot)
        cases = [
            ("#ex-gold", int(Label.CONTRADICTION), lambda i: pane.table.gold[i] == 2),
            ("#ex-level", "3/5", lambda i: pane.table.level[i] == "3/5"),
            ("#ex-disagree", "no", lambda i: not pane.table.disagree[i]),
            (
                "#ex-predicted",
                int(Label.ENTAILMENT),
                lambda i: any(m.label[i] == 0 for m in pane.table.models),
            ),
        ]
        for selector, value, check in cases:
            pane.action_reset()
            await pilot.pause()
            pane.query_one(selector, Select).value = value
            await pilot.pause()
            expected = [e.id for i, e in enumerate(pane.table.examples) if check(i)]
            assert _shown(pane) == expected, selector
            assert expected


async def test_right_wrong_for_one_model() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open(app, pilot)
        pane.query_one("#ex-model", Select).value = "neutral"
        pane.query_one("#ex-correct", Select).value = "yes"
        await pilot.pause()
        shown = _shown(pane)
        assert shown
        by_id = {e.id: e for e in pane.table.examples}
        assert all(by_id[i].gold == Label.NEUTRAL for i in shown)


async def test_sort_select_and_reverse_key() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open(app, pilot)
        pane.query_one("#ex-sort", Select).value = "agreement"
        await pilot.pause()
        assert _shown(pane)[0] == "pair-19"  # the no-consensus pair
        pane.query_one(PagedTable).focus()
        await pilot.press("o")
        await pilot.pause()
        assert _shown(pane)[-1] == "pair-19"
        await pilot.press("r")
        await pilot.pause()
        assert _shown(pane)[0] == "pair-00"
        assert pane.query_one("#ex-sort", Select).value == "order"


async def test_enter_opens_the_pair_details_and_escape_closes_them() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExampleDetail)
        text = static_text(app.screen.query_one("#detail", Static))
        assert "The dogs are sleeping" not in text
        assert "A man is not playing music." in text
        assert "humans" in text and "overlap" in text and "neutral" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExampleDetail)


async def test_clicking_a_row_opens_details() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        table = app.query_one("#ex-table", PagedTable)
        await pilot.click("#ex-table", offset=(10, 2))
        await pilot.click("#ex-table", offset=(10, 2))
        await pilot.pause()
        assert isinstance(app.screen, ExampleDetail)
        assert table.cursor_row == 1


def _big_report(n: int) -> Report:
    examples = tuple(
        Example(id=f"x{i}", premise=f"premise {i}", hypothesis=f"hypothesis {i}", gold=Label(i % 3))
        for i in range(n)
    )
    run = ModelRun(
        name="m",
        fingerprint="f",
        predictions={e.id: Prediction(probs=(0.5, 0.3, 0.2)) for e in examples},
    )
    return Report(dataset="big", examples=examples, models=(run,), created=CREATED)


async def test_rows_load_a_page_at_a_time() -> None:
    app = NLIProbeApp(_big_report(PAGE * 2 + 10))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _open(app, pilot)
        table = pane.query_one(PagedTable)
        assert table.row_count == PAGE
        await pilot.press("down")
        await pilot.pause()
        assert table.row_count == PAGE  # far from the end: nothing more loaded
        while table.cursor_row < PAGE - 3:
            await pilot.press("pagedown")
        await pilot.pause()
        assert table.row_count == PAGE * 2  # near the window's end: the next page came
        assert pane.loaded == PAGE * 2
