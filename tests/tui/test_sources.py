"""Opening run folders and report files, and merging several reports side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from nli_probe import NLIProbeError, save_report
from nli_probe.cli import main
from nli_probe.tui.sources import merge_reports, open_reports, report_path
from tests.tui.fixtures import fixed_report, scored_report


def test_a_run_folder_or_a_report_file_opens(tmp_path: Path) -> None:
    report = fixed_report()
    save_report(report, tmp_path / "run" / "report.json")
    assert report_path(tmp_path / "run") == tmp_path / "run" / "report.json"
    opened = open_reports([tmp_path / "run"])
    assert opened.examples == report.examples
    assert [m.name for m in opened.models] == ["overlap", "neutral"]
    assert len(opened.suites) == len(report.suites)
    assert open_reports([tmp_path / "run" / "report.json"]).examples == report.examples


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "no such run folder or report file"),
        (lambda p: (p / "empty").mkdir() or p / "empty", "run folder has no report.json"),
    ],
)
def test_bad_paths_say_what_is_wrong(tmp_path: Path, make: object, message: str) -> None:
    with pytest.raises(NLIProbeError, match=message):
        open_reports([make(tmp_path)])  # type: ignore[operator]


def test_merging_keeps_both_models_of_the_same_name_and_drops_stale_scores() -> None:
    first = scored_report()
    second = replace(fixed_report(), examples=fixed_report().examples[:5])
    merged = merge_reports([first, second])
    assert [m.name for m in merged.models] == ["overlap", "neutral", "overlap#2", "neutral#2"]
    assert len(merged.examples) == len(first.examples)
    assert "scores" not in merged.extra
    assert {s.model for s in merged.suites} == {"overlap", "neutral", "overlap#2", "neutral#2"}
    assert merge_reports([first]) is first


def test_cli_reports_a_missing_report_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tui", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nli-probe: error:") and "no such run folder" in err
    assert err.count("\n") == 1
