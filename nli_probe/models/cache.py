"""The prediction cache: an SQLite file mapping (model fingerprint, pair) to probabilities.

A second evaluation of the same model on the same pairs reads everything from here and makes no
model calls. The engine writes each batch in its own transaction as soon as it is predicted, so
an interrupted run (Ctrl-C, kill) loses at most the batch in flight and the next run resumes.
The database runs in WAL mode with a busy timeout: several processes (parallel CI jobs, the TUI
beside a CLI run) can share one file; writers queue, readers never block, nothing is corrupted.

Under torchrun only rank 0 writes the file; the other ranks keep their finished batches in
journals beside it (`nli_probe.models.journal`) until rank 0 has stored them, and opening a
cache stores what the journals of a job that died left behind, so its rerun resumes too.

Where it lives: `NLI_PROBE_CACHE_DIR/predictions.sqlite3` when that variable is set, else the
user cache folder (`~/.cache/nli-probe` on Linux); `--cache FILE` / `PredictionCache(path)`
choose another file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Pair
from nli_probe.errors import NLIProbeError
from nli_probe.models.journal import Row, journal_folder, orphans

CACHE_ENV = "NLI_PROBE_CACHE_DIR"
CACHE_FILE = "predictions.sqlite3"
SCHEMA_VERSION = 1
_CHUNK = 400  # pairs per SELECT (SQLite allows 32,766 parameters; keep statements small)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS models (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS predictions (
    model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    pair BLOB NOT NULL,
    entailment REAL NOT NULL,
    neutral REAL NOT NULL,
    contradiction REAL NOT NULL,
    PRIMARY KEY (model, pair)
) WITHOUT ROWID;
"""


def default_cache_path() -> Path:
    """`$NLI_PROBE_CACHE_DIR/predictions.sqlite3`, else the user cache folder's."""
    folder = os.environ.get(CACHE_ENV)
    if folder:
        return Path(folder).expanduser() / CACHE_FILE
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("nli-probe", appauthor=False)) / CACHE_FILE


@dataclass(frozen=True, kw_only=True, slots=True)
class CachedModel:
    """One model whose predictions the cache holds."""

    fingerprint: str
    name: str
    """The name the model had when its first predictions were stored."""
    pairs: int
    created: float
    """When its first predictions were stored (seconds since the epoch)."""


def cache_size(path: Path) -> int:
    """Bytes on disk of a cache file with its write-ahead log, shared-memory files and any
    ranks' journals."""
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    folder = journal_folder(path)
    if folder.is_dir():
        files += folder.glob("*.jsonl")
    return sum(file.stat().st_size for file in files if file.is_file())


def pair_key(pair: Pair) -> bytes:
    """A 16-byte digest of (premise, hypothesis); lengths are hashed in, so no separator
    character can make two different pairs collide."""
    premise, hypothesis = pair
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{len(premise)}:{len(hypothesis)}:".encode())
    digest.update(premise.encode("utf-8", "surrogatepass"))
    digest.update(hypothesis.encode("utf-8", "surrogatepass"))
    return digest.digest()


class PredictionCache:
    """An open prediction cache; usable from several threads (calls are serialised) and
    several processes (SQLite locking). Use it as a context manager or call `close`."""

    def __init__(self, path: str | Path | None = None, *, timeout: float = 60.0) -> None:
        self.path = Path(path).expanduser() if path is not None else default_cache_path()
        self._lock = threading.Lock()
        self._model_ids: dict[str, int] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._setup()
            self._store_journals()
        except sqlite3.DatabaseError as error:
            raise NLIProbeError(
                f"prediction cache {self.path} is unusable ({error}); delete the file to "
                f"start a fresh cache, or choose another one with --cache"
            ) from error
        except OSError as error:
            raise NLIProbeError(f"cannot create prediction cache {self.path}: {error}") from error

    def _setup(self) -> None:
        # Switching to WAL needs a moment of exclusive access; several processes opening a new
        # cache at once may find it busy, so retry briefly instead of failing.
        for attempt in range(50):
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        # NORMAL in WAL mode: a committed batch survives the process being killed; only a power
        # cut could lose the last few, which a cache can afford.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise NLIProbeError(
                f"prediction cache {self.path} has schema version {version}, this nli-probe "
                f"reads version {SCHEMA_VERSION}; delete the file or use another --cache"
            )
        self._db.executescript(
            f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
        )

    def _store_journals(self) -> None:
        """Store the batches that ranks of an interrupted torchrun job kept in their journals."""
        for batches in orphans(journal_folder(self.path)):
            by_model: dict[tuple[str, str], list[Row]] = {}
            for batch in batches:
                by_model.setdefault((batch.fingerprint, batch.name), []).extend(batch.rows)
            for (fingerprint, name), rows in by_model.items():
                self._put_rows(fingerprint, rows, name=name)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def _model_id(self, fingerprint: str, name: str, *, create: bool) -> int | None:
        if fingerprint in self._model_ids:
            return self._model_ids[fingerprint]
        row = self._db.execute(
            "SELECT id FROM models WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        if row is None and create:
            self._db.execute(
                "INSERT OR IGNORE INTO models (fingerprint, name, created) VALUES (?, ?, ?)",
                (fingerprint, name, time.time()),
            )
            row = self._db.execute(
                "SELECT id FROM models WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
        if row is None:
            return None
        self._model_ids[fingerprint] = int(row[0])
        return int(row[0])

    def get_many(self, fingerprint: str, pairs: Sequence[Pair]) -> dict[Pair, Prediction]:
        """The cached predictions among `pairs` for the model with this fingerprint."""
        with self._lock, self._errors():
            model = self._model_id(fingerprint, "", create=False)
            if model is None:
                return {}
            by_key = {pair_key(pair): pair for pair in pairs}
            keys = list(by_key)
            found: dict[Pair, Prediction] = {}
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT pair, entailment, neutral, contradiction FROM predictions "
                    f"WHERE model = ? AND pair IN ({marks})",
                    (model, *chunk),
                )
                for key, e, n, c in rows:
                    found[by_key[key]] = Prediction(probs=(e, n, c))
            return found

    def put_many(
        self, fingerprint: str, items: Iterable[tuple[Pair, Prediction]], *, name: str = ""
    ) -> None:
        """Store predictions for one model, atomically (all of them or none)."""
        rows: list[Row] = [(pair_key(pair), *prediction.probs) for pair, prediction in items]
        self._put_rows(fingerprint, rows, name=name)

    def _put_rows(self, fingerprint: str, rows: Sequence[Row], *, name: str) -> None:
        if not rows:
            return
        with self._lock, self._errors(), self._transaction():
            model = self._model_id(fingerprint, name, create=True)
            self._db.executemany(
                "INSERT OR REPLACE INTO predictions (model, pair, entailment, neutral, "
                "contradiction) VALUES (?, ?, ?, ?, ?)",
                [(model, *row) for row in rows],
            )

    def count(self, fingerprint: str | None = None) -> int:
        """How many predictions are stored (for one model, or in all)."""
        with self._lock, self._errors():
            if fingerprint is None:
                return int(self._db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0])
            return int(
                self._db.execute(
                    "SELECT COUNT(*) FROM predictions JOIN models ON model = id "
                    "WHERE fingerprint = ?",
                    (fingerprint,),
                ).fetchone()[0]
            )

    def models(self) -> list[CachedModel]:
        """Every model with stored predictions, oldest first, with how many pairs each has."""
        with self._lock, self._errors():
            rows = self._db.execute(
                "SELECT fingerprint, name, created, "
                "(SELECT COUNT(*) FROM predictions WHERE model = id) FROM models ORDER BY created"
            ).fetchall()
        return [
            CachedModel(fingerprint=fingerprint, name=name, created=created, pairs=int(pairs))
            for fingerprint, name, created, pairs in rows
        ]

    def clear(self, fingerprint: str | None = None) -> None:
        """Forget one model's predictions, or everything."""
        with self._lock, self._errors(), self._transaction():
            if fingerprint is None:
                self._db.execute("DELETE FROM predictions")
                self._db.execute("DELETE FROM models")
            else:
                self._db.execute("DELETE FROM models WHERE fingerprint = ?", (fingerprint,))
            self._model_ids.clear()

    def compact(self) -> None:
        """Give the space of deleted predictions back to the file system (SQLite keeps freed
        pages for reuse until the file is vacuumed)."""
        with self._lock, self._errors():
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.execute("VACUUM")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> PredictionCache:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _errors(self) -> _ErrorTranslation:
        return _ErrorTranslation(self.path)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): take the write lock up front so two
    writers never deadlock upgrading read locks."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


class _ErrorTranslation:
    def __init__(self, path: Path) -> None:
        self._path = path

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            raise NLIProbeError(
                f"prediction cache {self._path} stayed locked by another process; retry, or "
                f"use another file with --cache"
            ) from error
        if isinstance(error, sqlite3.DatabaseError):
            raise NLIProbeError(
                f"prediction cache {self._path} failed ({error}); delete the file to start "
                f"a fresh cache"
            ) from error
