"""Case 1: the CI gate never passes on nothing. A run made by `probe` alone has suite results
but no evaluated model; before the fix every threshold on it passed ("gate passed", exit 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nli_probe.cli import main
from nli_probe.core.report import load_report
from tests.hostile.conftest import Cli

PROBE = "logic/premise-as-hypothesis"
"""Each premise as its own hypothesis must be read as entailment: the tiny model fails some."""


@pytest.fixture(scope="module")
def probe_run(
    tiny_roberta: Path, pairs: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """`probe -m tiny -s robustness -s logic -d pairs -o RUN`, once: (run folder, model)."""
    run = tmp_path_factory.mktemp("gate") / "run"
    argv = ["probe", "-m", f"tiny={tiny_roberta}", "-s", "robustness", "-s", "logic"]
    argv += ["-d", str(pairs)]
    assert main([*argv, "-o", str(run), "--no-cache", "--no-progress"]) == 0
    report = load_report(run / "report.json")
    assert not report.models  # probe alone evaluates no model
    probes = {f"{s.suite}/{p.probe}": p for s in report.suites for p in s.probes}
    assert probes[PROBE].failed > 0, "the tiny model must fail some variants for this case"
    assert probes["robustness/swap-names"].tested == 0
    return run, "tiny"


def test_failure_rate_on_a_probe_only_run_is_checked(
    cli: Cli, probe_run: tuple[Path, str], tmp_path: Path
) -> None:
    run, model = probe_run
    result = cli("report", run, "--out", tmp_path / "r", "--max-failure-rate", f"{PROBE}=0.0")
    assert result.status == 1, result.err
    assert "gate FAILED" in result.err
    assert f"{model}: {PROBE} = " in result.err


def test_a_probe_that_tested_nothing_fails_as_not_measured(
    cli: Cli, probe_run: tuple[Path, str], tmp_path: Path
) -> None:
    run, model = probe_run
    # No pair names a person, so every example is skipped: 0 variants tested.
    result = cli(
        "report", run, "--out", tmp_path / "r", "--max-failure-rate", "robustness/swap-names=1.0"
    )
    assert result.status == 1, result.err
    assert f"{model}: robustness/swap-names = not measured" in result.err


def test_a_model_prefix_names_a_probed_model(
    cli: Cli, probe_run: tuple[Path, str], tmp_path: Path
) -> None:
    run, model = probe_run
    passed = cli("report", run, "--out", tmp_path / "a", "--max-failure-rate", f"{model}:{PROBE}=1")
    assert passed.status == 0, passed.err
    assert "gate passed" in passed.out
    crossed = cli(
        "report", run, "--out", tmp_path / "b", "--max-failure-rate", f"{model}:{PROBE}=0"
    )
    assert crossed.status == 1, crossed.err
    unknown = cli("report", run, "--out", tmp_path / "c", "--max-failure-rate", f"tiny2:{PROBE}=1")
    assert "no model 'tiny2'" in unknown.error


def test_a_metric_of_a_model_that_was_only_probed_is_not_measured(
    cli: Cli, probe_run: tuple[Path, str], tmp_path: Path
) -> None:
    run, model = probe_run
    result = cli("report", run, "--out", tmp_path / "r", "--fail-under", "accuracy=0.0")
    assert result.status == 1, result.err
    assert f"{model}: accuracy = not measured" in result.err


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--fail-under", "accuracy=nan"], "must be a finite number"),
        (["--fail-over", "ece=inf"], "must be a finite number"),
        (["--max-failure-rate", "robustness=1.5"], "a failure rate is a share from 0 to 1"),
        (["--max-failure-rate", "robustness=-0.1"], "a failure rate is a share from 0 to 1"),
    ],
)
def test_limits_that_no_value_can_cross_are_refused(
    cli: Cli, probe_run: tuple[Path, str], tmp_path: Path, option: list[str], message: str
) -> None:
    run, _ = probe_run
    assert message in cli("report", run, "--out", tmp_path / "r", *option).error


def test_gate_file_limits_are_checked(
    cli: Cli, probe_run: tuple[Path, str], tmp_path: Path
) -> None:
    run, _ = probe_run
    gate = tmp_path / "gate.toml"
    gate.write_text("[fail_under]\naccuracy = nan\n", encoding="utf-8")
    assert "must be a finite number" in cli("report", run, "--out", tmp_path, "--gate", gate).error
