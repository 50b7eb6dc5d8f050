"""Attacks in the TUI: the Suites pane's adversarial examples with the edit highlighted
(`nli_probe.tui.diff`), and the playground's attack on a typed pair."""

from __future__ import annotations

import functools
from dataclasses import replace

from rich.text import Text
from textual.widgets import DataTable, Input, Select, Static

from nli_probe import Example, Label, Report, attack_examples, get_attack
from nli_probe.probing.probe import Probe
from nli_probe.probing.runner import run_suite
from nli_probe.probing.suite import Suite
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.diff import DELETED_STYLE, INSERTED_STYLE
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.playground import ATTACK_SEED
from nli_probe.tui.probes import ProbeRow, adversarial_cases, probe_rows
from nli_probe.tui.suites import AdversarialScreen, SuitesPane
from nli_probe.tui.variants import PLAYGROUND_ID
from tests.tui.fixtures import fixed_examples, fixed_models, scored_report, settle, static_text


@functools.cache
def attack_report() -> Report:
    """The fixed report plus both fake models' runs of a one-probe attack suite."""
    suite = Suite(
        name="adversarial",
        description="deepwordbug on the fixed pairs",
        probes=[Probe(name="typos", capability="typos", attack=get_attack("deepwordbug"))],
    )
    runs = tuple(
        run_suite(model, suite, fixed_examples(), dataset="fixture") for model in fixed_models()
    )
    report = scored_report()
    return replace(report, suites=report.suites + runs)


def _attack_row() -> ProbeRow:
    (row,) = [row for row in probe_rows(attack_report()) if row.is_attack]
    return row


def test_adversarial_cases_are_each_models_successful_attacks() -> None:
    row = _attack_row()
    cases = adversarial_cases(row, ["overlap", "neutral"])
    succeeded = {
        (model, o.example_id)
        for model, run in row.runs.items()
        for o in run.outcomes
        if o.status == "failed"
    }
    assert {(c.model, c.outcome.example_id) for c in cases} == succeeded
    assert succeeded, "the overlap model falls for typos on the fixed pairs"
    assert all(c.model == "overlap" for c in cases)  # a constant model cannot be flipped
    for case in cases:
        assert case.outcome.edits and case.outcome.variant_hypothesis != case.outcome.hypothesis


async def test_an_attack_probe_opens_its_adversarial_examples_with_the_edits_marked() -> None:
    report = attack_report()
    app = NLIProbeApp(report)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        pane = app.query_one(SuitesPane)
        table = pane.query_one("#suites-table", DataTable)
        at = next(i for i, row in enumerate(pane.rows) if row.is_attack)
        table.move_cursor(row=at)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AdversarialScreen)
        screen = app.screen
        title = static_text(screen.query_one("#cases-title", Static))
        stats = pane.rows[at].runs["overlap"].attack_stats()
        assert stats is not None
        assert f"overlap: {stats.succeeded}/{stats.attempted} succeeded" in title
        assert "neutral: 0/" in title
        cases = screen.query_one("#cases-table", DataTable)
        assert cases.row_count == len(screen.cases) > 0
        first = screen.cases[0].outcome
        cell = cases.get_row_at(0)[1]
        assert isinstance(cell, Text)
        edit = first.edits[0]
        styles = {cell.plain[span.start : span.end]: str(span.style) for span in cell.spans}
        assert styles[edit.before] == DELETED_STYLE and styles[edit.after] == INSERTED_STYLE
        assert cell.plain.startswith("H: ")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExampleDetail)
        detail = static_text(app.screen.query_one("#detail", Static))
        assert first.variant_hypothesis in detail
        assert f"{first.queries} queries" in detail
        assert "before" in detail and "after" in detail
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("p")  # the adversarial pair goes to the playground
        await settle(app, pilot)
        assert app.query_one("#pg-hypothesis", Input).value == first.variant_hypothesis
        assert app.query_one("#pg-premise", Input).value == first.premise


async def test_the_playground_attacks_the_typed_pair_with_every_model() -> None:
    premise, hypothesis = "A man plays a guitar on stage.", "A man plays a guitar."
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert app.query_one("#pg-recipe", Select).value == "deepwordbug"
        await pilot.press(*premise, "enter", *hypothesis, "ctrl+t")
        await settle(app, pilot)
        shown = static_text(app.query_one("#pg-attack", Static))
    overlap = fixed_models()[0]
    example = Example(id=PLAYGROUND_ID, premise=premise, hypothesis=hypothesis)
    attack = get_attack("deepwordbug")
    (expected,) = attack_examples(overlap, attack, [example], seed=ATTACK_SEED, unlabelled=True)
    assert expected.status == "succeeded" and expected.found is not None
    edit = expected.found.state.edits[0]
    assert "overlap: changed its mind" in shown
    assert f"{edit.before} {edit.after}" in shown  # the old word struck, then the new one
    assert f"{expected.queries} queries" in shown
    assert "neutral: held" in shown  # a constant model: no edit changes it


async def test_the_playground_attack_against_gold_and_without_models() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        app.query_one("#pg-gold", Select).value = int(Label.CONTRADICTION)
        await pilot.click("#pg-premise")
        await pilot.press(*"A man plays a guitar on stage.", "tab", *"A man plays a guitar.")
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        shown = static_text(app.query_one("#pg-attack", Static))
    # Both models get the pair wrong against that gold: nothing to attack.
    assert shown.count("not the gold contradiction: nothing to attack") == 2
    bare = NLIProbeApp(scored_report())
    async with bare.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        await pilot.click("#pg-attack-go")
        await pilot.pause()
        assert "type a premise" in static_text(bare.query_one("#pg-attack", Static))
        await pilot.click("#pg-premise")
        await pilot.press(*"A man walks.", "tab", *"A man sleeps.", "ctrl+t")
        await pilot.pause()
        assert "no models loaded" in static_text(bare.query_one("#pg-attack", Static))


async def test_a_recipe_the_model_cannot_run_says_why() -> None:
    app = NLIProbeApp(scored_report(), models=fixed_models())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        app.query_one("#pg-recipe", Select).value = "textfooler"
        await pilot.click("#pg-premise")
        await pilot.press(*"A man walks.", "tab", *"A man sleeps.", "ctrl+t")
        await settle(app, pilot)
        shown = static_text(app.query_one("#pg-attack", Static))
    assert "has no input embeddings" in shown


def test_an_attacks_export_has_each_models_own_adversarial_pair() -> None:
    from nli_probe.tui.suites import cases_export

    row = _attack_row()
    source = cases_export(row, ["overlap", "neutral"])
    records = source.records()
    cases = adversarial_cases(row, ["overlap", "neutral"])
    assert source.count == len(records) == len(cases) > 0
    assert len({r["variant_id"] for r in records}) == len(records)
    for record, case in zip(records, cases, strict=True):
        assert record["variant_id"].endswith(f"/{case.model}")
        assert record["variant_hypothesis"] == case.outcome.variant_hypothesis
        assert record[f"{case.model}:status"] == "failed"
