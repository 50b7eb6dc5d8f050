import subprocess
import sys

import pytest

from nli_probe import NLIProbeError, __version__, cli


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"nli-probe {__version__}"


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "version" in capsys.readouterr().out


def test_user_error_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise NLIProbeError("data.jsonl:3: field 'gold_label'\n is missing")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser.set_defaults(handler=broken)
    assert cli.main([]) == 2
    assert (
        capsys.readouterr().err == "nli-probe: error: data.jsonl:3: field 'gold_label' is missing\n"
    )


def test_bug_keeps_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(args: object) -> int:
        raise ZeroDivisionError("bug")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser.set_defaults(handler=buggy)
    with pytest.raises(ZeroDivisionError):
        cli.main([])


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nli_probe", "version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith(f"nli-probe {__version__}")
