"""The Run pane: evaluations and probe runs in a worker thread, progress, cancel."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.widgets import Button, ProgressBar, Select, Static, TabbedContent

from nli_probe import Pair, Prediction, load_report
from nli_probe.testing.fakes import FakeModel
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.examples import ExamplesPane
from nli_probe.tui.live import RunPane
from nli_probe.tui.suites import SuitesPane
from tests.tui.fixtures import fixed_models, scored_report, settle, static_text


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


async def test_evaluating_adds_the_models_everywhere_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    report = scored_report()
    app = NLIProbeApp(report, models=fixed_models())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        status = static_text(app.query_one("#run-status", Static))
        assert "evaluated 2 model(s) on 24 pairs" in status
        assert [m.name for m in app.report.models] == [
            "overlap",
            "neutral",
            "overlap#2",
            "neutral#2",
        ]
        assert app.query_one(ExamplesPane).table.model_names == tuple(
            m.name for m in app.report.models
        )
        assert app.query_one("#run-progress", ProgressBar).percentage == 1.0
        assert app.scores is not None and len(app.scores.models) == 4
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()  # the report is written in a worker
        await pilot.pause()
        (saved,) = (tmp_path / "runs").glob("tui-*/report.json")
        # The absolute path, on one line at any width (a path must be readable to be found).
        status = static_text(app.query_one("#run-status", Static), width=400)
        assert f"saved {saved.resolve()}" in status
    assert [m.name for m in load_report(saved).models] == [m.name for m in app.report.models]


async def test_a_probe_run_adds_its_suite_to_the_suites_pane() -> None:
    from dataclasses import replace

    app = NLIProbeApp(replace(scored_report(), suites=()), models=fixed_models())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        app.query_one("#run-kind", Select).value = "suite:robustness"
        await pilot.click("#run-start")
        await settle(app, pilot)
        assert {run.suite for run in app.report.suites} == {"robustness"}
        assert {run.model for run in app.report.suites} == {"overlap", "neutral"}
        assert app.query_one(SuitesPane).rows


async def test_the_ui_stays_responsive_and_a_run_can_be_cancelled() -> None:
    model = GatedModel("slow")
    app = NLIProbeApp(scored_report(), models=[model])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("ctrl+r")
        assert model.started.wait(timeout=10)
        pane = app.query_one(RunPane)
        assert pane.running
        assert app.query_one("#run-start", Button).disabled
        # The worker is blocked inside the model: the UI still answers keys.
        await pilot.press("4")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "examples"
        await pilot.press("6")
        await pilot.pause()
        await pilot.click("#run-cancel")
        await pilot.pause()
        model.gate.set()  # the batch ends; the next progress check sees the cancel
        await settle(app, pilot)
        assert not pane.running
        assert "cancelled" in static_text(app.query_one("#run-status", Static))
        assert [m.name for m in app.report.models] == ["overlap", "neutral"]  # unchanged


async def test_without_models_the_run_pane_says_how_to_load_one() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not app.query_one(RunPane).running
        assert "--model" in static_text(app.query_one("#run-status", Static))


async def test_a_failing_model_is_reported_and_the_ui_carries_on() -> None:
    def broken(premise: str, hypothesis: str) -> Prediction:
        raise RuntimeError("boom")

    app = NLIProbeApp(scored_report(), models=[FakeModel(name="broken", rule=broken)])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        status = static_text(app.query_one("#run-status", Static))
        assert "run failed: RuntimeError: boom" in status
        assert not app.query_one(RunPane).running
        await pilot.press("5")
        await pilot.pause()
        await pilot.press(*"a b", "enter", *"c d", "enter")
        await settle(app, pilot)
        assert "RuntimeError: boom" in static_text(app.query_one("#pg-result", Static))
        assert app.is_running
