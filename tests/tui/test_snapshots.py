"""Snapshot tests: each pane of the app on the fixed report (fixed timestamp, seeded scores).

Snapshots live in `__snapshots__/` beside this file. After a deliberate change to the look, run
`pytest tests/tui/test_snapshots.py --snapshot-update` only after reading the report of the
differences (Textual's testing guide), and look at the new SVGs before committing them.
textual and pytest-textual-snapshot are pinned to a minor version in the `dev` extra, since
another version renders differently.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.variants import pair_variants
from tests.tui.fixtures import fixed_models, scored_report, settle

SnapCompare = Callable[..., bool]

# A few seconds each on a loaded 2-core machine; they still run in CI.
pytestmark = pytest.mark.slow


def _app() -> NLIProbeApp:
    return NLIProbeApp(scored_report(), models=fixed_models(), title="fixture")


async def _scored(pilot: Pilot[None]) -> None:
    await settle(pilot.app, pilot)


PANES = {
    "overview": [],
    "agreement": ["2"],
    "suites": ["3"],
    "failing_cases": ["3", "enter"],
    "examples": ["4"],
    "example_detail": ["4", "down", "enter"],
    "help": ["question_mark"],
    "run": ["6"],
    "compare": ["d", "enter"],
    "plots": ["8"],
}


@pytest.mark.parametrize("name", list(PANES))
def test_pane_at_80x24(snap_compare: SnapCompare, name: str) -> None:
    assert snap_compare(_app(), press=PANES[name], terminal_size=(80, 24), run_before=_scored)


def test_playground_after_a_prediction(
    snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fixed set of perturbations: a new built-in one must not move this snapshot.
    fixed = functools.partial(pair_variants, names=("casing", "typos", "swap_locations"))
    monkeypatch.setattr("nli_probe.tui.playground.pair_variants", fixed)

    async def predict(pilot: Pilot[None]) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("5", *"John walks in Paris.", "enter", *"A man walks.", "enter")
        await settle(pilot.app, pilot)
        await pilot.press("escape")  # out of the text box: a blinking cursor would flicker
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=predict)


def test_light_theme_filtered_examples_at_120x36(snap_compare: SnapCompare) -> None:
    async def filtered(pilot: Pilot[None]) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("t", "4", "slash", *"children", "escape")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(120, 36), run_before=filtered)
