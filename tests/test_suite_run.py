"""Suite runs inside reports: JSON round trip and backward compatibility."""

from __future__ import annotations

import json
from pathlib import Path

from nli_probe import (
    Example,
    Label,
    Probe,
    Report,
    Suite,
    get_expectation,
    get_perturbation,
    load_report,
    save_report,
)
from nli_probe.core.report import report_from_json, report_to_json
from nli_probe.core.suite_run import SuiteRun, probe_run_to_json
from nli_probe.probing.runner import run_suite
from nli_probe.testing.fakes import FakeModel

EXAMPLES = [
    Example(id=f"e{i}", premise="A man is not walking in Rome.", hypothesis=f"A man walks {i}.",
            gold=Label.CONTRADICTION)
    for i in range(4)
]  # fmt: skip


def _run() -> SuiteRun:
    suite = Suite(
        name="s",
        description="d",
        probes=[
            Probe(name="typos", capability="typos", perturbation=get_perturbation("typos"),
                  expectation=get_expectation("same_label")),
            Probe(name="places", capability="entities",
                  perturbation=get_perturbation("swap_locations")),
        ],
    )  # fmt: skip
    return run_suite(FakeModel(), suite, EXAMPLES, seed=7, dataset="toy")


def test_report_round_trips_suite_runs(tmp_path: Path) -> None:
    run = _run()
    report = Report(dataset="toy", examples=tuple(EXAMPLES), suites=(run,))
    path = tmp_path / "report.json"
    save_report(report, path)
    loaded = load_report(path)
    assert loaded.suites == report.suites
    probe = loaded.suites[0].probe("places")
    assert probe.outcomes[0].note.startswith("Rome -> ")
    assert probe.outcomes[0].implied == Label.CONTRADICTION


def test_json_carries_rates_for_machines() -> None:
    run = _run()
    data = probe_run_to_json(run.probes[0])
    assert data["tested"] == 4 and data["failure_rate"] == run.probes[0].failure_rate
    assert len(data["interval"]) == 2
    json.dumps(data)


def test_reports_without_suites_still_load() -> None:
    data = report_to_json(Report(dataset="toy", examples=tuple(EXAMPLES)))
    del data["suites"]
    assert report_from_json(data).suites == ()


def test_every_builtin_suite_round_trips_including_emptied_sides(tmp_path: Path) -> None:
    from nli_probe import load_suite, run_suites
    from nli_probe.probing.loader import builtin_suite_names

    examples = [
        Example(id=f"x{i}", premise=f"Two men named John do not sit in Paris {i}.",
                hypothesis="Two men aren't standing.", gold=Label(i % 3))
        for i in range(6)
    ]  # fmt: skip
    suites = [load_suite(name) for name in builtin_suite_names()]
    runs = run_suites(FakeModel(), suites, examples)
    emptied = [
        outcome
        for run in runs
        for probe in run.probes
        for outcome in probe.outcomes
        if outcome.variant_premise == "" and outcome.status != "errored"
    ]
    assert emptied  # the artefacts suite empties premises
    path = tmp_path / "report.json"
    save_report(Report(dataset="toy", examples=tuple(examples), suites=runs), path)
    assert load_report(path).suites == runs


def test_errored_outcomes_round_trip() -> None:
    import random
    from collections.abc import Iterable

    from nli_probe import Perturbation, Variant

    def fragile(example: Example, rng: random.Random) -> Iterable[Variant]:
        raise KeyError(example.id)

    suite = Suite(
        name="s",
        probes=[Probe(name="f", capability="c",
                      perturbation=Perturbation(name="f", target="both", apply=fragile))],
    )  # fmt: skip
    run = run_suite(FakeModel(), suite, EXAMPLES)
    assert run.probes[0].errored == 4
    data = report_to_json(Report(dataset="toy", examples=(), suites=(run,)))
    assert report_from_json(json.loads(json.dumps(data))).suites == (run,)
