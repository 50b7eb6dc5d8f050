"""The Playground pane: a typed pair, each model's probabilities, the built-in variants."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from nli_probe.testing.fakes import overlap_rule
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.variants import pair_variants
from tests.tui.fixtures import fixed_models, scored_report, settle, static_text

PREMISE = "John, aged 40, walks in Paris."
HYPOTHESIS = "A man walks."


def test_pair_variants_come_from_the_built_in_suites_probes() -> None:
    variants = pair_variants(PREMISE, HYPOTHESIS)
    names = {v.perturbation for v in variants}
    assert {"robustness/typos-hypothesis", "robustness/swap-names"} <= names
    assert all("/" in name for name in names)
    pairs = [(v.variant.pair, v.variant.label) for v in variants]
    assert len(pairs) == len(set(pairs))  # a variant two probes make is listed once
    for named in variants:
        assert named.variant.pair != (PREMISE, HYPOTHESIS)
    assert pair_variants(PREMISE, HYPOTHESIS) == variants  # seeded: same every time


def test_pair_variants_from_named_perturbations() -> None:
    variants = pair_variants(PREMISE, HYPOTHESIS, names=["typos", "casing", "no_such_one"])
    assert [v.perturbation for v in variants] == ["typos", "casing"]


async def test_typing_a_pair_shows_each_models_probabilities_and_the_variants() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.press(*PREMISE, "enter", *HYPOTHESIS, "enter")
        await settle(app, pilot)
        result = static_text(app.query_one("#pg-result", Static))
        table = app.query_one("#pg-variants", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
    expected = overlap_rule(PREMISE, HYPOTHESIS)
    assert "overlap" in result and "neutral" in result
    assert f"{expected.probs[0]:.2f}" in result
    variants = pair_variants(PREMISE, HYPOTHESIS)
    assert len(rows) == len(variants) > 0
    assert [str(row[0]) for row in rows] == [v.perturbation for v in variants]
    original = overlap_rule(PREMISE, HYPOTHESIS)
    for row, named in zip(rows, variants, strict=True):
        prediction = overlap_rule(*named.variant.pair)
        cell = str(row[3])  # probe, edit, implies, then each model
        flipped = prediction.label != original.label
        assert cell.startswith("→") == flipped, cell  # a flip from the typed pair is marked
        assert cell.lstrip("→").startswith(("ent", "neu", "con")[prediction.label])


async def test_without_models_the_variants_still_show() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert "no models loaded" in static_text(app.query_one("#pg-models", Static))
        await pilot.click("#pg-go")
        await pilot.pause()
        assert "type a premise" in static_text(app.query_one("#pg-result", Static))
        await pilot.click("#pg-premise")
        await pilot.press(*PREMISE, "tab", *HYPOTHESIS, "ctrl+r")
        await settle(app, pilot)
        assert "variants only" in static_text(app.query_one("#pg-result", Static))
        assert app.query_one("#pg-variants", DataTable).row_count > 0


@pytest.mark.slow
async def test_a_model_given_by_path_loads_in_a_worker_on_first_predict(tiny_roberta: Path) -> None:
    app = NLIProbeApp(scored_report(), model_specs=[str(tiny_roberta)], device="cpu")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        models_line = static_text(app.query_one("#pg-models", Static))
        assert "loaded on first predict" in models_line
        await pilot.press(*PREMISE, "enter", *HYPOTHESIS, "enter")
        await settle(app, pilot)
        result = static_text(app.query_one("#pg-result", Static))
        assert "loaded on first predict" not in static_text(app.query_one("#pg-models", Static))
    (model,) = app.hub.load()
    assert model.name in result
    (prediction,) = model.predict([(PREMISE, HYPOTHESIS)])
    assert f"{prediction.probs[0]:.2f}" in result
