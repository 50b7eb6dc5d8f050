"""The Data maps pane: a study report's data maps (`extra.datamaps`) drawn, a region's pairs
listed with their votes and both models' labels, the label errors, text shown as text."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from textual.widgets import DataTable, Select, Static, TabbedContent

from nli_probe.core.report import Report
from nli_probe.scoring.datamap import build_data_map, data_map_section
from nli_probe.scoring.datamap.dynamics import Dynamics, PairTable, TextColumn
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.datamaps import NO_MAPS, DataMapsPane
from tests.tui.fixtures import scored_report, settle, static_text

MARKUP = "[bold red]not markup[/]"


def _dynamics(name: str, shift: float) -> Dynamics:
    n, records = 30, 3
    rng = np.random.default_rng(7)
    gold = (np.arange(n) % 3).astype(np.int8)
    votes = np.zeros((n, 3), dtype=np.uint16)
    for row in range(n):
        votes[row, gold[row]] = 3 + row % 3
        votes[row, (gold[row] + 1) % 3] = 5 - votes[row, gold[row]]
    mean = np.clip(np.linspace(0.05, 0.95, n) + shift, 0, 1)
    gold_prob = np.clip(mean + rng.random(n) * 0.2 * rng.standard_normal((records, n)), 0, 1)
    return Dynamics(
        pairs=PairTable(
            ids=TextColumn.of([f"pair{i}" for i in range(n)]),
            premises=TextColumn.of([f"premise {i} {MARKUP}" for i in range(n)]),
            hypotheses=TextColumn.of([f"hypothesis {i}" for i in range(n)]),
            gold=gold,
            votes=votes,
        ),
        gold_prob=gold_prob.astype(np.float32),
        predicted=np.where(gold_prob > 0.4, gold, (gold + 1) % 3).astype(np.int8),
        steps=np.arange(1, records + 1, dtype=np.int64) * 5,
        epochs=np.arange(1, records + 1, dtype=np.float64),
        meta={"pass": "inference", "name": name, "method": name},
    )


def _report() -> Report:
    maps = [
        build_data_map(_dynamics(name, shift), name=name, resamples=20, seed=0)
        for name, shift in (("full", 0.0), ("lora", -0.1))
    ]
    section = data_map_section(maps, seed=0)
    report = scored_report()
    return replace(report, extra={**report.extra, "datamaps": section.to_json()})


async def test_the_pane_draws_the_maps_and_lists_a_regions_pairs() -> None:
    report = _report()
    app = NLIProbeApp(report)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(app, pilot)
        app.query_one(TabbedContent).active = "datamaps"
        await pilot.pause()
        pane = app.query_one(DataMapsPane)
        assert pane.section is not None
        plot = static_text(pane.query_one("#dm-plot", Static))
        assert "share of the training pairs per region" in plot
        assert "full: 30 pairs, 3 records" in plot and "variability →" in plot
        table = pane.query_one("#dm-table", DataTable)
        # The ambiguous pairs of the full map, from the report's sample, with both models.
        ambiguous = [p for p in pane.section.points if p.positions["full"].region == "ambiguous"]
        assert ambiguous and table.row_count == len(ambiguous)
        assert [str(c.label) for c in table.ordered_columns][-2:] == ["full", "lora"]
        assert str(table.get_cell_at((0, 0))) == ambiguous[0].id
        size = pane.section.maps[0].region("ambiguous").pairs
        caption = static_text(pane.query_one("#dm-caption", Static))
        assert f"ambiguous on full: {size:,} pairs, {len(ambiguous):,} of them" in caption
        detail = static_text(pane.query_one("#dm-detail", Static))
        assert MARKUP in detail  # shown as text, not as rich markup
        assert f"lora: {ambiguous[0].positions['lora'].region}" in detail
        # Another map and another list.
        pane.query_one("#dm-map", Select).value = "lora"
        pane.query_one("#dm-list", Select).value = "hard-to-learn"
        await pilot.pause()
        hard = [p for p in pane.section.points if p.positions["lora"].region == "hard-to-learn"]
        assert table.row_count == len(hard)
        assert "lora: 30 pairs" in static_text(pane.query_one("#dm-plot", Static))
        pane.query_one("#dm-list", Select).value = "label errors"
        await pilot.pause()
        ties = pane.section.maps[1].annotators
        assert ties is not None and table.row_count == len(ties.suspects)


async def test_a_report_without_maps_says_how_to_get_them() -> None:
    app = NLIProbeApp(scored_report())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.query_one(TabbedContent).active = "datamaps"
        await pilot.pause()
        pane = app.query_one(DataMapsPane)
        text = " ".join(static_text(pane.query_one("#dm-plot", Static)).split())
        assert text == NO_MAPS
        assert pane.query_one("#dm-table", DataTable).row_count == 0
