"""Where a command will write, checked before it starts working: an `--out` that is a file, a
path under a file or a place nobody may write to is refused at once, in one line, instead of
with a traceback after minutes of predicting or training."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from nli_probe.errors import NLIProbeError


def check_output_folder(folder: Path, *, option: str = "--out") -> None:
    """`folder` is, or can be created as, a folder this process can write files into."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise NLIProbeError(f"{option} {folder}: is a file, not a folder; choose another place")
    _check_writable(folder, option=option, shown=folder)


def check_output_file(file: Path, *, option: str = "--out") -> None:
    """`file` can be written: not a folder, and its folder exists or can be created, writable."""
    file = file.expanduser()
    if file.is_dir():
        raise NLIProbeError(f"{option} {file}: is a folder, not a file; name a file")
    _check_writable(file.parent, option=option, shown=file)


def _check_writable(folder: Path, *, option: str, shown: Path) -> None:
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise NLIProbeError(
            f"{option} {shown}: {existing} is a file, so nothing can be written under it"
        )
    try:
        # Writing a file is the only test that holds for every case (permissions, a read-only
        # mount, a root user, access-control lists); it is removed at once.
        handle, probe = tempfile.mkstemp(dir=existing, prefix=".nli-probe-write-test-")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise NLIProbeError(
            f"{option} {shown}: cannot write in {existing} ({reason}); choose another place"
        ) from None
    os.close(handle)
    Path(probe).unlink()
