"""The app shell: tabs by number key and mouse, the help screen, themes, focus."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.help import KEY_MAP, HelpScreen
from nli_probe.tui.panes import pane_specs
from tests.tui.fixtures import scored_report


async def test_number_keys_switch_tabs_and_focus_the_main_control() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        tabs = app.query_one(TabbedContent)
        assert tabs.active == "overview"
        for n, spec in enumerate(pane_specs()[:9], start=1):
            pane = spec.id
            await pilot.press("escape", str(n))  # escape leaves a text box first
            await pilot.pause()
            assert tabs.active == pane
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.focused, DataTable)
        assert app.focused.id == "ex-table"


async def test_tabs_respond_to_the_mouse() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#--content-tab-suites")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "suites"


async def test_help_screen_lists_the_key_map_and_closes_with_escape() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
    assert any(keys == "?" for _, keys, _ in KEY_MAP)


async def test_t_toggles_dark_and_light_themes() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("t")
        assert app.theme == "textual-light"
        await pilot.press("t")
        assert app.theme == "textual-dark"


async def test_q_quits() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
