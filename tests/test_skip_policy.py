"""The skip policy scripts/check applies: a skip whose reason is not allowed fails the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.skip_policy import read_allow_list

pytest_plugins = ["pytester"]

_TESTS = """
import pytest

def test_runs():
    pass

def test_gpu():
    pytest.skip("needs a CUDA GPU (none here)")

@pytest.mark.skipif(True, reason="real data not found")
def test_data():
    pass
"""


def _run(pytester: pytest.Pytester, allow: str | None) -> pytest.RunResult:
    pytester.makepyfile(test_sample=_TESTS)
    # The subprocess imports the plugin from this repository.
    pytester._monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    args = ["-p", "tests.skip_policy", "-p", "no:cacheprovider"]
    if allow is not None:
        (pytester.path / "allowed.txt").write_text(allow)
        args += ["--allowed-skips", "allowed.txt"]
    return pytester.runpytest_subprocess(*args)


def test_a_skip_not_on_the_allow_list_fails(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "# GPU tests\nneeds a CUDA GPU\n")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(
        [
            "*skipped: 2 (allow-list: allowed.txt)*",
            "allowed: test_sample.py::test_gpu: needs a CUDA GPU (none here)",
            "NOT ALLOWED: test_sample.py::test_data: real data not found",
            "1 test(s) skipped for a reason not on the allow-list*",
        ]
    )


def test_allowed_skips_pass_and_are_still_listed(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "needs a CUDA GPU\nreal data not found  # for this test only\n")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*skipped: 2*", "allowed: *GPU*", "allowed: *real data*"])


def test_without_the_option_skips_are_listed_only(pytester: pytest.Pytester) -> None:
    result = _run(pytester, None)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*skipped: 2*"])
    result.stdout.no_fnmatch_line("*NOT ALLOWED*")


def test_the_project_allow_list_is_short_and_explained() -> None:
    path = Path(__file__).parent / "allowed-skips.txt"
    patterns = read_allow_list(path)
    assert 0 < len(patterns) <= 5
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            assert lines[index - 1].startswith("#"), f"no comment says why {line!r} is allowed"
