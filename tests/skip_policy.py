"""The skip policy: every skipped test is listed, and with `--allowed-skips FILE` (as
`scripts/check` runs pytest) a skip whose reason is not on that written allow-list fails the run.

A skip is a test that did not run. Most skips hide a missing file or package that the setup was
meant to provide, so they are errors unless the reason is one the project accepts (a GPU-only test
on a CPU machine, ...). The allow-list (`tests/allowed-skips.txt`) holds one regular expression a
line, searched in the skip's reason, each with a comment saying why it is acceptable.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

_OPTION = "--allowed-skips"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        _OPTION,
        metavar="FILE",
        type=Path,
        help="fail the run when a test skips for a reason that matches no line of FILE",
    )


def read_allow_list(path: Path) -> list[re.Pattern[str]]:
    """The patterns of an allow-list file: one regex a line; `#` starts a comment."""
    patterns = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            patterns.append(re.compile(text))
    return patterns


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The reason pytest gives for a skipped test or module."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else longrepr
    return str(reason).removeprefix("Skipped: ")


def _skips(config: pytest.Config) -> list[tuple[str, str, bool]]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    reports = reporter.stats.get("skipped", []) if reporter is not None else []
    path: Path | None = config.getoption(_OPTION)
    patterns = read_allow_list(path) if path is not None else None
    found = []
    for report in reports:
        reason = skip_reason(report)
        allowed = patterns is None or any(pattern.search(reason) for pattern in patterns)
        found.append((report.nodeid, reason, allowed))
    return found


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.getoption(_OPTION) is None:
        return
    if any(not allowed for _, _, allowed in _skips(session.config)) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    skips = _skips(config)
    checked = config.getoption(_OPTION) is not None
    title = f"skipped: {len(skips)}" + (
        f" (allow-list: {config.getoption(_OPTION)})" if checked else ""
    )
    terminalreporter.section(title, sep="-")
    for where, reason, allowed in skips:
        mark = "allowed" if allowed or not checked else "NOT ALLOWED"
        terminalreporter.write_line(f"{mark}: {where}: {reason}")
    refused = [skip for skip in skips if not skip[2]]
    if checked and refused:
        terminalreporter.write_line(
            f"{len(refused)} test(s) skipped for a reason not on the allow-list: make them run, "
            "or add the reason, with why, to the allow-list",
            red=True,
            bold=True,
        )
