"""Case 5: an output place that cannot be written is refused in one line before any work starts
(before this, `evaluate` and `probe` failed with a traceback after predicting everything).

Each command is given inputs that do not exist: the output error coming first shows that the
place is checked before any data, model or run is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import Cli

READ_ONLY = Path("/sys/nli-probe-hostile")
"""A place nobody may create files in, root included (sysfs)."""


def _commands(folder: Path, file: Path) -> dict[str, list[str | Path]]:
    """Each command writing into `folder` (a run folder) or to `file`."""
    missing = Path("no-such-thing")
    return {
        "evaluate": ["evaluate", "-m", missing, "-d", "no-such.jsonl", "-o", folder],
        "probe": ["probe", "-m", missing, "-s", "robustness", "-d", "no-such.jsonl", "-o", folder],
        "report": ["report", missing, "--out", folder],
        "train": ["train", "quick-full", "--data-dir", missing, "-o", folder],
        "study": ["study", "quick", "--data-dir", missing, "--out", folder],
        "predict": ["predict", "-m", missing, "-o", file, "a man", "a dog"],
        "data prepare": ["data", "prepare", "no-such.jsonl", "-o", file],
    }


@pytest.mark.parametrize("command", list(_commands(Path(), Path())))
@pytest.mark.parametrize("place", ["taken", "under a file", "read-only"])
def test_unwritable_outputs_are_refused_first(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, place: str
) -> None:
    monkeypatch.chdir(tmp_path)
    a_file = tmp_path / "taken"
    a_file.write_text("not a folder")
    a_folder = tmp_path / "folder.jsonl"
    a_folder.mkdir()
    folder, file = {
        "taken": (a_file, a_folder),  # a file where a folder goes, and the other way round
        "under a file": (a_file / "run", a_file / "out.jsonl"),
        "read-only": (READ_ONLY, READ_ONLY / "out.jsonl"),
    }[place]
    error = cli(*_commands(folder, file)[command]).error
    expected = {
        "taken": ("is a file, not a folder", "is a folder, not a file"),
        "under a file": ("is a file, so nothing can be written under it",),
        "read-only": ("cannot write in",),
    }[place]
    assert any(text in error for text in expected), error
    assert a_file.read_text() == "not a folder"
    assert not any(a_folder.iterdir())
