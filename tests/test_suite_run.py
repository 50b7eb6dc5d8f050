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
from nli_probe.probing import run_suite
from nli_probe.report import report_from_json, report_to_json
from nli_probe.suite_run import SuiteRun, probe_run_to_json
from tests.fakes import FakeModel

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
