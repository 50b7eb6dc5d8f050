"""Rank journals: where ranks other than rank 0 keep their finished batches during a torchrun job.

Only rank 0 writes the prediction cache (an SQLite file must not be written from several
machines, and a cache on a shared folder may be seen by several nodes). So that a job whose
rank dies loses no more than each rank's batch in flight, every other rank appends each batch it
finishes to its own journal, `CACHE-ranks/JOB-rankN.jsonl` beside the cache file: one JSON line
per batch (model fingerprint, model name, and per pair its cache key and three probabilities).
When the job ends normally rank 0 stores the gathered predictions and deletes the journals; when
it does not, the next process that opens the cache (`PredictionCache`) stores what the journals
hold, and the rerun predicts only the rest.

A writer holds an exclusive `flock` on its journal while it is open, so a cache opened by
another job never takes a journal that is still being written. A line cut short by a kill is
ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nli_probe.errors import NLIProbeWarning

try:
    import fcntl
except ImportError:  # Windows: no flock; journals are then taken without checking
    fcntl = None  # type: ignore[assignment]

FOLDER_SUFFIX = "-ranks"

Row = tuple[bytes, float, float, float]
"""A pair's cache key (`nli_probe.models.cache.pair_key`) and its three probabilities."""


@dataclass(frozen=True, kw_only=True, slots=True)
class JournalBatch:
    """One batch a rank finished."""

    fingerprint: str
    name: str
    rows: tuple[Row, ...]


def journal_folder(cache_path: Path) -> Path:
    """The folder beside a cache file where its ranks' journals live."""
    return cache_path.with_name(cache_path.name + FOLDER_SUFFIX)


def journal_path(folder: Path, job: str, rank: int) -> Path:
    return folder / f"{job}-rank{rank}.jsonl"


class RankJournal:
    """One rank's journal for one engine call; opened at the first batch, closed by `close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None
        self._failed = False

    def append(self, fingerprint: str, name: str, rows: Iterable[Row]) -> None:
        """Add one finished batch (written and flushed before this returns).

        A journal that cannot be written (no space, a folder this node cannot write) is given
        up with one warning: the run goes on, and only its resumability suffers."""
        if self._failed:
            return
        record = {
            "model": fingerprint,
            "name": name,
            "rows": [[key.hex(), e, n, c] for key, e, n, c in rows],
        }
        try:
            handle = self._handle if self._handle is not None else self._open()
            # One write of one line: a kill leaves at most this line cut short.
            handle.write(json.dumps(record, separators=(",", ":")).encode() + b"\n")
            handle.flush()
        except OSError as error:
            self._failed = True
            self.close()
            warnings.warn(
                f"cannot keep this rank's finished batches in {self.path} "
                f"({error.strerror or error}); if the job stops early, a rerun predicts this "
                f"rank's share again",
                NLIProbeWarning,
                stacklevel=2,
            )

    def close(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()  # releases the lock
            self._handle = None

    def _open(self) -> IO[bytes]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = self.path.open("ab")
            _lock(handle, wait=True)
            try:
                # Another process may have taken (and deleted) the file between our open and
                # our lock; then write to a new one.
                if os.path.samestat(os.fstat(handle.fileno()), self.path.stat()):
                    self._handle = handle
                    return handle
            except FileNotFoundError:
                pass
            handle.close()


def orphans(folder: Path) -> Iterator[tuple[JournalBatch, ...]]:
    """The batches of each journal in `folder` that no process is writing, one journal at a
    time; each is deleted once the caller asks for the next (so a journal is only deleted
    after its batches were stored). Unreadable journals are left where they are."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.jsonl")):
        try:
            handle = path.open("rb")
        except OSError:
            continue
        with handle:
            if not _lock(handle, wait=False):
                continue  # a live rank of another job is writing it
            try:
                batches = tuple(_parse(handle.read()))
            except OSError:
                continue
            yield batches
            path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty


def remove_journals(folder: Path, job: str, ranks: Iterable[int]) -> None:
    """Delete the journals of `job`'s `ranks` (their batches are stored)."""
    for rank in ranks:
        journal_path(folder, job, rank).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()


def _parse(data: bytes) -> Iterator[JournalBatch]:
    for line in data.split(b"\n")[:-1]:  # the last piece is empty, or a line cut short
        try:
            record: Any = json.loads(line)
            rows = tuple(
                (bytes.fromhex(key), float(e), float(n), float(c))
                for key, e, n, c in record["rows"]
            )
            yield JournalBatch(
                fingerprint=str(record["model"]), name=str(record["name"]), rows=rows
            )
        except (ValueError, KeyError, TypeError):
            continue  # a damaged line: those pairs are predicted again


def _lock(handle: IO[bytes], *, wait: bool) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:
        return True  # a file system without locks: go on without them
    return True


__all__ = [
    "JournalBatch",
    "RankJournal",
    "journal_folder",
    "journal_path",
    "orphans",
    "remove_journals",
]
