"""The real app in a real terminal: `nli-probe tui` inside tmux, driven with send-keys and read
back with capture-pane. CI installs tmux (.ci/run); without it this test skips."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nli_probe import save_report
from tests.tui.fixtures import scored_report

TMUX = shutil.which("tmux")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)"),
]


class Terminal:
    """One tmux server (its own socket) running one 80x24 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            [str(TMUX), "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "tui", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "tui")

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        """The screen once it shows `text`; fails with the last screen after `timeout` s."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def alive(self) -> bool:
        return "tui" in self.tmux("list-sessions", "-F", "#{session_name}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    report = tmp_path / "run" / "report.json"
    save_report(scored_report(), report)
    term = Terminal(f"nli-probe-test-{os.getpid()}")
    command = f"{sys.executable} -m nli_probe tui {tmp_path / 'run'}"
    env = {"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    # Started in tmp_path: an export's default path (exports/...) is relative to it.
    term.tmux(
        "new-session", "-d", "-s", "tui", "-x", "80", "-y", "24", "-c", str(tmp_path),
        *(arg for key, value in env.items() for arg in ("-e", f"{key}={value}")),
        command,
    )  # fmt: skip
    try:
        yield term
    finally:
        term.tmux("kill-server")


def test_the_app_runs_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for("models side by side")
    screen = terminal.wait_for("q Quit")  # the footer's key map, drawn last
    # Every tab fits in 80 columns: the active one named, the others by their number key.
    assert " 1 Overview  2  3  4  5  6  7  8" in screen
    assert "overlap" in screen and "neutral" in screen and "? Help" in screen

    terminal.keys("4")
    screen = terminal.wait_for("24 of 24 pairs")
    assert "A man plays a guitar." in screen

    terminal.keys("/")
    time.sleep(1.0)  # focus moves on the next event-loop turn; a person types slower than tmux
    terminal.keys("dogs")
    screen = terminal.wait_for("3 of 24 pairs")
    assert "Two dogs run through a field" in screen
    assert "A man plays a guitar." not in screen

    # A lone escape: ESC and a key sent together read as alt+key, as in any terminal.
    terminal.keys("Escape")
    time.sleep(0.5)
    terminal.keys("?")
    terminal.wait_for("nli-probe tui: keys")
    terminal.keys("Escape")
    time.sleep(0.5)
    terminal.keys("3")
    screen = terminal.wait_for("enter: failing cases")
    assert "fixture/typos" in screen and "20.8% 5/24" in screen

    # The disagreement view, from the Overview's comparison row.
    terminal.keys("1")
    terminal.wait_for("models side by side")
    terminal.keys("d")
    time.sleep(0.5)
    terminal.keys("Enter")
    screen = terminal.wait_for("A right/B wrong 12")
    assert "A overlap vs B neutral" in screen and "7 Compare" in screen
    assert "A man plays a guitar." in screen  # the first pair overlap gets right, neutral not

    # Export that list: the dialog proposes a dated file under exports/, enter writes it.
    terminal.keys("e")
    terminal.wait_for("export 12")
    terminal.keys("Enter")
    terminal.wait_for("exported 12 records")
    (written,) = (tmp_path / "exports").glob("*.jsonl")
    lines = written.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12 and '"overlap:entailment"' in lines[0]

    terminal.keys("q")
    deadline = time.monotonic() + 30
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive(), "q did not quit the app"
