"""Training dynamics: what a model gave each training pair's gold label, record after record.

A trainer run with `record_dynamics = true` keeps one file, `dynamics.npz` (numpy's zip of
arrays; no pickle), holding:

- the pairs (`PairTable`): ids, premises and hypotheses (each one UTF-8 byte string with
  offsets, so 550,000 pairs cost their text's size and load in one read), the gold label and
  the annotator votes per label (zeros where the data has no annotator labels);
- per record (the end of each epoch, and every N steps when asked): the probability of the gold
  label (float32) and the label the model chose (int8) for every pair, the optimisation step and
  the epoch it was taken at;
- `meta`: how the records were made (JSON).

While training, each process (rank) writes its own shard (`dynamics-shards/rank-R.npz`: its
pairs' positions and its records) after every record, atomically; at the end the main process
merges the shards and the pair table into `dynamics.npz` and removes the shards. An interrupted
run keeps the records up to the checkpoint it resumes from (`keep_until`), so every step has one
record however often the run was interrupted.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.errors import NLIProbeError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

FILE_NAME = "dynamics.npz"
SHARDS = "dynamics-shards"
FORMAT = "nli-probe training dynamics"
VERSION = 1
"""Bumped when the file changes shape; `read_dynamics` refuses newer versions."""


@dataclass(frozen=True, kw_only=True, eq=False)
class TextColumn:
    """Strings stored as one UTF-8 byte array and the offsets of each string in it."""

    data: NDArray[np.uint8]
    offsets: NDArray[np.int64]
    """`len(self) + 1` offsets: string i is `data[offsets[i]:offsets[i + 1]]`."""

    @classmethod
    def of(cls, strings: Sequence[str]) -> TextColumn:
        import numpy as np

        encoded = [text.encode("utf-8") for text in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(
            np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:]
        )
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(data=data, offsets=offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        cached = self.__dict__.get("_strings")
        if cached is not None:
            return str(cached[index])
        start, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return self.data[start:end].tobytes().decode("utf-8")

    def take(self, indices: Sequence[int] | NDArray[Any]) -> list[str]:
        """The strings at `indices`, in that order."""
        return [self[int(index)] for index in indices]

    def to_list(self) -> list[str]:
        """Every string (decoded once, then kept)."""
        return list(self._strings)

    @functools.cached_property
    def _strings(self) -> tuple[str, ...]:
        text = self.data.tobytes()
        bounds = self.offsets.tolist()
        return tuple(text[a:b].decode("utf-8") for a, b in itertools.pairwise(bounds))


@dataclass(frozen=True, kw_only=True, eq=False)
class PairTable:
    """The training pairs, in training-set order."""

    ids: TextColumn
    premises: TextColumn
    hypotheses: TextColumn
    gold: NDArray[np.int8]
    """The gold label's index (`Label` order)."""
    votes: NDArray[np.uint16]
    """(pairs, 3): how many annotators chose each label (a row of zeros: no annotator labels)."""

    def __len__(self) -> int:
        return len(self.gold)

    @classmethod
    def of(cls, examples: Sequence[Any]) -> PairTable:
        """From `Example`s (each with a gold label)."""
        import numpy as np

        gold = np.fromiter((int(e.gold) for e in examples), dtype=np.int8, count=len(examples))
        votes = np.zeros((len(examples), 3), dtype=np.uint16)
        for row, example in enumerate(examples):
            for label in example.annotator_labels:
                votes[row, int(label)] += 1
        return cls(
            ids=TextColumn.of([e.id for e in examples]),
            premises=TextColumn.of([e.premise for e in examples]),
            hypotheses=TextColumn.of([e.hypothesis for e in examples]),
            gold=gold,
            votes=votes,
        )


@dataclass(frozen=True, kw_only=True, eq=False)
class Dynamics:
    """A run's training dynamics: the pairs and, per record, what the model gave them."""

    pairs: PairTable
    gold_prob: NDArray[np.float32]
    """(records, pairs): the probability of the gold label."""
    predicted: NDArray[np.int8]
    """(records, pairs): the label the model chose (argmax of its probabilities)."""
    steps: NDArray[np.int64]
    """(records,): the optimisation step each record was taken after."""
    epochs: NDArray[np.float64]
    """(records,): the epoch (fractional within an epoch) of each record."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    """How the records were made: `pass` (what computed them), `every_steps`, `precision`,
    `world_size`, the trainer config's `name`, `method` and `base_model`."""

    @property
    def records(self) -> int:
        return int(self.gold_prob.shape[0])


def write_dynamics(path: Path, dynamics: Dynamics) -> None:
    """Save `dynamics` as one `.npz` file, atomically."""
    import numpy as np

    meta = {"format": FORMAT, "version": VERSION, **dynamics.meta}
    pairs = dynamics.pairs
    arrays: dict[str, NDArray[Any]] = {
        "ids": pairs.ids.data,
        "id_offsets": pairs.ids.offsets,
        "premises": pairs.premises.data,
        "premise_offsets": pairs.premises.offsets,
        "hypotheses": pairs.hypotheses.data,
        "hypothesis_offsets": pairs.hypotheses.offsets,
        "gold": pairs.gold,
        "votes": pairs.votes,
        "gold_prob": dynamics.gold_prob,
        "predicted": dynamics.predicted,
        "steps": dynamics.steps,
        "epochs": dynamics.epochs,
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
    }
    _save_atomically(path, arrays)


def read_dynamics(path: Path) -> Dynamics:
    """Read a file written by `write_dynamics`.

    Raises:
        NLIProbeError: no such file, not a dynamics file, a newer version, or arrays that do
            not fit together (one line naming the file).
    """
    import numpy as np

    arrays = _load(path)
    try:
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    except (KeyError, ValueError):
        raise NLIProbeError(f"{path}: not an nli-probe training dynamics file") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise NLIProbeError(f"{path}: not an nli-probe training dynamics file")
    version = meta.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise NLIProbeError(
            f"{path}: training dynamics format {version} is newer than this nli-probe "
            f"understands ({VERSION}); upgrade nli-probe"
        )
    try:
        pairs = PairTable(
            ids=_column(arrays, "ids", "id_offsets"),
            premises=_column(arrays, "premises", "premise_offsets"),
            hypotheses=_column(arrays, "hypotheses", "hypothesis_offsets"),
            gold=arrays["gold"].astype(np.int8, copy=False),
            votes=arrays["votes"].astype(np.uint16, copy=False),
        )
        dynamics = Dynamics(
            pairs=pairs,
            gold_prob=arrays["gold_prob"].astype(np.float32, copy=False),
            predicted=arrays["predicted"].astype(np.int8, copy=False),
            steps=arrays["steps"].astype(np.int64, copy=False),
            epochs=arrays["epochs"].astype(np.float64, copy=False),
            meta={k: v for k, v in meta.items() if k not in ("format", "version")},
        )
    except KeyError as error:
        raise NLIProbeError(f"{path}: damaged training dynamics file (no {error})") from None
    _check_shapes(path, dynamics)
    return dynamics


def locate_dynamics(path: Path) -> list[tuple[str, Path]]:
    """The dynamics files `path` names, with a name for each: the file itself, a trainer run
    folder's `dynamics.npz` (named after the folder), or, in a folder whose `models/*/` hold
    trainer runs (a study's), each run's file (named after its folder: `full`, `lora`).

    Raises:
        NLIProbeError: nothing there, or runs that recorded no dynamics (with how to record).
    """
    path = path.expanduser()
    if path.is_file():
        return [(path.parent.name or path.stem, path)]
    if not path.is_dir():
        raise NLIProbeError(f"{path}: no such run folder or training dynamics file")
    if (path / FILE_NAME).is_file():
        return [(path.name, path / FILE_NAME)]
    runs = sorted(p for p in (path / "models").glob("*") if p.is_dir())
    found = [(run.name, run / FILE_NAME) for run in runs if (run / FILE_NAME).is_file()]
    if found:
        return found
    where = f"{path} (nor its models/*/ runs)" if runs else str(path)
    hint = (
        " (training is still running or was interrupted: its records are in "
        f"{SHARDS}/ until it finishes)"
        if (path / SHARDS).is_dir()
        else ""
    )
    raise NLIProbeError(
        f"{where} holds no training dynamics ({FILE_NAME}){hint}; train with "
        f"record_dynamics=true, e.g. `nli-probe train quick-full record_dynamics=true`"
    )


def _check_shapes(path: Path, dynamics: Dynamics) -> None:
    n = len(dynamics.pairs)
    records = dynamics.gold_prob.shape[0] if dynamics.gold_prob.ndim == 2 else -1
    problems = []
    for name, column in (
        ("ids", dynamics.pairs.ids),
        ("premises", dynamics.pairs.premises),
        ("hypotheses", dynamics.pairs.hypotheses),
    ):
        offsets = column.offsets
        if len(column) != n or (len(offsets) and int(offsets[-1]) != len(column.data)):
            problems.append(name)
    if dynamics.pairs.votes.shape != (n, 3):
        problems.append("votes")
    if dynamics.gold_prob.shape != (records, n):
        problems.append("gold_prob")
    if dynamics.predicted.shape != (records, n):
        problems.append("predicted")
    if dynamics.steps.shape != (records,) or dynamics.epochs.shape != (records,):
        problems.append("steps/epochs")
    if problems:
        raise NLIProbeError(
            f"{path}: damaged training dynamics file ({', '.join(problems)} do not match {n} pairs)"
        )


MISSING = -1
"""`predicted` of a pair a record has no value for (its `gold_prob` is NaN)."""


@dataclass(frozen=True, kw_only=True, eq=False)
class Shard:
    """One process's records: the positions in the training set it records (`indices`) and,
    per record, a value for each (or `MISSING`: a pair this process did not see).

    `pending_*` hold the epoch in progress of a run recorded from its training forward passes
    (what each pair got when it was trained on, and at which step), saved with every
    checkpoint so a run resumed within an epoch keeps the pairs it had already seen.
    """

    indices: NDArray[np.int64]
    gold_prob: NDArray[np.float32]
    """(records, len(indices)); NaN where missing."""
    predicted: NDArray[np.int8]
    """(records, len(indices)); `MISSING` where missing."""
    steps: NDArray[np.int64]
    epochs: NDArray[np.float64]
    pending_gold_prob: NDArray[np.float32] | None = None
    pending_predicted: NDArray[np.int8] | None = None
    pending_step: NDArray[np.int64] | None = None
    """The step each pending value was taken at (`MISSING`: not yet seen this epoch)."""

    @classmethod
    def empty(cls, indices: NDArray[np.int64], *, pending: bool = False) -> Shard:
        import numpy as np

        n = len(indices)
        return cls(
            indices=indices,
            gold_prob=np.zeros((0, n), dtype=np.float32),
            predicted=np.zeros((0, n), dtype=np.int8),
            steps=np.zeros(0, dtype=np.int64),
            epochs=np.zeros(0, dtype=np.float64),
            pending_gold_prob=np.full(n, np.nan, dtype=np.float32) if pending else None,
            pending_predicted=np.full(n, MISSING, dtype=np.int8) if pending else None,
            pending_step=np.full(n, MISSING, dtype=np.int64) if pending else None,
        )

    def add(
        self, *, step: int, epoch: float, gold_prob: NDArray[Any], predicted: NDArray[Any]
    ) -> Shard:
        """This shard with one more record (replacing one already taken at `step`)."""
        import numpy as np

        keep = self.steps != step
        return dataclasses.replace(
            self,
            gold_prob=np.vstack([self.gold_prob[keep], gold_prob[None, :].astype(np.float32)]),
            predicted=np.vstack([self.predicted[keep], predicted[None, :].astype(np.int8)]),
            steps=np.append(self.steps[keep], np.int64(step)),
            epochs=np.append(self.epochs[keep], float(epoch)),
        )

    def keep_until(self, step: int) -> Shard:
        """Only what was recorded at or before `step` (a run resumed from that step's
        checkpoint records the rest again)."""
        import numpy as np

        keep = self.steps <= step
        pending: dict[str, Any] = {}
        if (
            self.pending_step is not None
            and self.pending_gold_prob is not None
            and self.pending_predicted is not None
        ):
            later = self.pending_step > step
            pending = {
                "pending_gold_prob": np.where(later, np.nan, self.pending_gold_prob).astype(
                    np.float32
                ),
                "pending_predicted": np.where(later, MISSING, self.pending_predicted).astype(
                    np.int8
                ),
                "pending_step": np.where(later, MISSING, self.pending_step),
            }
        return dataclasses.replace(
            self,
            gold_prob=self.gold_prob[keep],
            predicted=self.predicted[keep],
            steps=self.steps[keep],
            epochs=self.epochs[keep],
            **pending,
        )


def shard_path(folder: Path, rank: int) -> Path:
    return folder / f"rank-{rank:05d}.npz"


_PENDING = ("pending_gold_prob", "pending_predicted", "pending_step")


def write_shard(folder: Path, rank: int, shard: Shard) -> None:
    """Save one process's shard, atomically (an interruption leaves the previous one whole)."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, NDArray[Any]] = {
        "indices": shard.indices,
        "gold_prob": shard.gold_prob,
        "predicted": shard.predicted,
        "steps": shard.steps,
        "epochs": shard.epochs,
    }
    for name in _PENDING:
        value = getattr(shard, name)
        if value is not None:
            arrays[name] = value
    _save_atomically(shard_path(folder, rank), arrays)


def read_shard(folder: Path, rank: int) -> Shard | None:
    """One process's saved shard; None when it has none yet."""
    import numpy as np

    path = shard_path(folder, rank)
    if not path.is_file():
        return None
    arrays = _load(path)
    try:
        return Shard(
            indices=arrays["indices"].astype(np.int64, copy=False),
            gold_prob=arrays["gold_prob"].astype(np.float32, copy=False),
            predicted=arrays["predicted"].astype(np.int8, copy=False),
            steps=arrays["steps"].astype(np.int64, copy=False),
            epochs=arrays["epochs"].astype(np.float64, copy=False),
            **{name: arrays[name] for name in _PENDING if name in arrays},
        )
    except KeyError as error:
        raise NLIProbeError(f"{path}: damaged training dynamics shard (no {error})") from None


def merge_shards(
    folder: Path, pairs: PairTable, *, ranks: int, meta: Mapping[str, Any]
) -> Dynamics:
    """The shards of processes `0 .. ranks - 1` in `folder` as one `Dynamics` over `pairs`: each
    pair's value in a record comes from a process that has one (under `torchrun` a pair may be
    seen by two processes, whose values are both that record's). A record that some pair has no
    value in (a last epoch cut short by `max_steps`) is left out, and `meta` says so.

    Raises:
        NLIProbeError: a missing shard, shards that recorded at different steps, or no complete
            record.
    """
    import numpy as np

    found = []
    for rank in range(ranks):
        shard = read_shard(folder, rank)
        if shard is None:
            raise NLIProbeError(
                f"{shard_path(folder, rank)}: process {rank} recorded no training dynamics"
            )
        found.append(shard)
    steps = found[0].steps
    for rank, shard in enumerate(found):
        if not np.array_equal(shard.steps, steps):
            raise NLIProbeError(
                f"{shard_path(folder, rank)}: recorded at steps {shard.steps.tolist()}, "
                f"process 0 at {steps.tolist()}; the shards cannot be merged"
            )
    n = len(pairs)
    gold_prob = np.full((len(steps), n), np.nan, dtype=np.float32)
    predicted = np.full((len(steps), n), MISSING, dtype=np.int8)
    for shard in found:
        seen = shard.predicted != MISSING
        rows, columns = np.nonzero(seen)
        gold_prob[rows, shard.indices[columns]] = shard.gold_prob[rows, columns]
        predicted[rows, shard.indices[columns]] = shard.predicted[rows, columns]
    complete = (predicted != MISSING).all(axis=1)
    if not complete.any():
        raise NLIProbeError(
            f"{folder}: no record holds all {n:,} training pairs ({len(steps)} records)"
        )
    order = np.argsort(steps[complete], kind="stable")
    dropped = [int(step) for step in steps[~complete]]
    return Dynamics(
        pairs=pairs,
        gold_prob=gold_prob[complete][order],
        predicted=predicted[complete][order],
        steps=steps[complete][order],
        epochs=found[0].epochs[complete][order],
        meta={**meta, **({"incomplete_records_left_out": dropped} if dropped else {})},
    )


def remove_shards(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _column(arrays: Mapping[str, NDArray[Any]], data: str, offsets: str) -> TextColumn:
    import numpy as np

    return TextColumn(
        data=arrays[data].astype(np.uint8, copy=False),
        offsets=arrays[offsets].astype(np.int64, copy=False),
    )


def _save_atomically(path: Path, arrays: Mapping[str, NDArray[Any]]) -> None:
    import numpy as np

    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]
    partial.replace(path)


def _load(path: Path) -> dict[str, NDArray[Any]]:
    import numpy as np

    try:
        with path.open("rb") as handle:
            archive = np.load(handle, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError("a single array, not an archive of arrays")
            with archive:
                return {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise NLIProbeError(f"{path}: no such training dynamics file") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise NLIProbeError(f"{path}: not a readable training dynamics file ({error})") from None
