"""Running under `torchrun`: which process this is, and the exchanges the engine makes.

`torchrun --nproc-per-node N -m nli_probe COMMAND ...` starts N copies of one command (and, with
its rendezvous, copies on other nodes). Each copy, a *rank*, learns its place from the
environment torchrun sets: `RANK`, `WORLD_SIZE`, `LOCAL_RANK` (its place on its node) and the
rendezvous address. Every rank runs the same command on the same pairs; the engine
(`nli_probe.models.engine`) splits the predicting between them and gathers the results, and only
rank 0 writes files or prints.

`current()` reads that environment. Only under torchrun with more than one process does it
import `torch.distributed` and join the process group (or use the one the Hugging Face Trainer
already joined): a single-process run reads two environment variables and nothing more.
The engine exchanges plain Python objects, so they travel over gloo, also on GPU machines
(where nli-probe joins with `cpu:gloo,cuda:nccl`, or adds a gloo group beside an NCCL one).
"""

from __future__ import annotations

import atexit
import contextvars
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Protocol

from nli_probe.errors import NLIProbeError

RANK_ENV = "RANK"
WORLD_SIZE_ENV = "WORLD_SIZE"
LOCAL_RANK_ENV = "LOCAL_RANK"
TIMEOUT_ENV = "NLI_PROBE_DIST_TIMEOUT"
DEFAULT_TIMEOUT_S = 1800
"""How long a rank waits for the others at an exchange before giving up (the gloo and NCCL
defaults of torch and the Hugging Face Trainer's `ddp_timeout`). A rank that *dies* is noticed
at once (its connections close, and torchrun stops the other ranks); the timeout only ends a
wait on a rank that hangs. Set `NLI_PROBE_DIST_TIMEOUT` (seconds) to change it when nli-probe
starts the process group."""


class World(Protocol):
    """The processes one torchrun job runs the same command in."""

    @property
    def rank(self) -> int:
        """This process's place, 0 to size - 1; rank 0 writes and prints."""
        ...

    @property
    def size(self) -> int: ...

    @property
    def job(self) -> str:
        """An identifier all ranks of this job share (names the ranks' journals)."""
        ...

    def all_gather(self, value: Any, *, what: str) -> list[Any]:
        """Every rank's `value`, in rank order, on every rank. `what` names the exchange in
        the error raised when another rank is lost."""
        ...

    def broadcast(self, value: Any, *, what: str) -> Any:
        """Rank 0's `value`, on every rank."""
        ...

    def barrier(self, *, what: str) -> None:
        """Wait until every rank gets here."""
        ...


_CONTEXT: contextvars.ContextVar[World | None] = contextvars.ContextVar("world", default=None)
_JOINED: list[World] = []  # the torch world of this process, once joined


def launched_size() -> int:
    """How many processes torchrun started for this job (`WORLD_SIZE`; 1 when unset)."""
    return _env_int(WORLD_SIZE_ENV, default=1, least=1)


def rank() -> int:
    """This process's rank (`RANK`; 0 when unset, or the rank of the world `in_world` set)."""
    world = _CONTEXT.get()
    if world is not None:
        return world.rank
    return _env_int(RANK_ENV, default=0, least=0) if launched_size() > 1 else 0


def local_rank() -> int:
    """This process's place on its node (`LOCAL_RANK`; 0 when unset)."""
    return _env_int(LOCAL_RANK_ENV, default=0, least=0) if launched_size() > 1 else 0


def is_main_process() -> bool:
    """True in a single-process run and on rank 0: the process that writes and prints."""
    return rank() == 0


def current() -> World | None:
    """The world this process predicts in, or None for a single process (no torch import).

    Under torchrun with `WORLD_SIZE` > 1, the first call joins the process group (if nothing
    has yet) and every rank must make it; later calls return the same world.
    """
    world = _CONTEXT.get()
    if world is not None:
        return world if world.size > 1 else None
    if launched_size() <= 1:
        return None
    if not _JOINED:
        _JOINED.append(_join())
    return _JOINED[0]


@contextmanager
def in_world(world: World) -> Iterator[World]:
    """Predict as one rank of `world` inside the block (in this thread or task): a seam for
    embedding the engine in another launcher, and for tests that run ranks as threads."""
    token = _CONTEXT.set(world)
    try:
        yield world
    finally:
        _CONTEXT.reset(token)


@contextmanager
def main_process_first() -> Iterator[None]:
    """Run the block on rank 0 first, then on each other node's first rank, then on the rest:
    for work that fills a shared folder (a download) that the others then find done."""
    world = current()
    if world is None:
        yield
        return
    turn = 0 if world.rank == 0 else 1 if local_rank() == 0 else 2
    for step in range(3):
        if step == turn:
            yield
        if step < 2:
            world.barrier(what="waiting for the first rank's download")


def _env_int(name: str, *, default: int, least: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise NLIProbeError(
            f"${name} is {text!r}: torchrun sets it to a whole number (at least {least}); "
            f"unset it to run a single process"
        )
    return value


class TorchWorld:
    """A world over `torch.distributed` (the job torchrun started)."""

    def __init__(self, *, group: Any, rank: int, size: int, job: str) -> None:
        self._group = group
        self._rank = rank
        self._size = size
        self._job = job

    @property
    def rank(self) -> int:
        return self._rank

    @property
    def size(self) -> int:
        return self._size

    @property
    def job(self) -> str:
        return self._job

    def all_gather(self, value: Any, *, what: str) -> list[Any]:
        import torch.distributed as dist

        gathered: list[Any] = [None] * self._size
        with self._lost(what):
            dist.all_gather_object(gathered, value, group=self._group)
        return gathered

    def broadcast(self, value: Any, *, what: str) -> Any:
        import torch.distributed as dist

        box = [value if self._rank == 0 else None]
        with self._lost(what):
            dist.broadcast_object_list(box, src=0, group=self._group)
        return box[0]

    def barrier(self, *, what: str) -> None:
        import torch.distributed as dist

        with self._lost(what):
            dist.barrier(group=self._group)

    @contextmanager
    def _lost(self, what: str) -> Iterator[None]:
        """A failed exchange means another rank stopped (crashed, killed, out of memory):
        one line instead of a traceback, naming what to do."""
        try:
            yield
        except RuntimeError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason"
            raise NLIProbeError(
                f"rank {self._rank} of {self._size}: lost the other ranks while {what} "
                f"({reason[:200]}); see the first rank's error above, then run the same "
                f"command again: finished batches are in the prediction cache"
            ) from error


def _join() -> TorchWorld:
    """Join torchrun's process group (unless the Trainer already did) and agree on a job id."""
    import torch
    import torch.distributed as dist

    size = launched_size()
    if not dist.is_available():
        raise NLIProbeError(f"$WORLD_SIZE is {size}, but this torch build has no distributed")
    if not dist.is_initialized():
        missing = [key for key in ("MASTER_ADDR", "MASTER_PORT") if not os.environ.get(key)]
        if missing:
            raise NLIProbeError(
                f"$WORLD_SIZE is {size}, but {' and '.join('$' + m for m in missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set: start the command with "
                f"torchrun (see README, 'Many processes, GPUs and nodes'), or unset WORLD_SIZE"
            )
        backend = "cpu:gloo,cuda:nccl" if torch.cuda.is_available() else "gloo"
        seconds = _env_int(TIMEOUT_ENV, default=DEFAULT_TIMEOUT_S, least=1)
        dist.init_process_group(backend=backend, timeout=timedelta(seconds=seconds))
        atexit.register(_leave)
    # Object exchanges need a group that runs on the CPU: the default one when it has gloo
    # (ours, or a CPU Trainer's), else a gloo group beside the Trainer's NCCL one.
    group = None if "gloo" in str(dist.get_backend()) else dist.new_group(backend="gloo")
    world = TorchWorld(group=group, rank=dist.get_rank(), size=dist.get_world_size(), job="")
    job = world.broadcast(uuid.uuid4().hex[:12], what="starting")
    return TorchWorld(group=group, rank=world.rank, size=world.size, job=str(job))


def _leave() -> None:
    import torch.distributed as dist

    if dist.is_initialized():
        dist.destroy_process_group()


__all__ = [
    "DEFAULT_TIMEOUT_S",
    "TorchWorld",
    "World",
    "current",
    "in_world",
    "is_main_process",
    "launched_size",
    "local_rank",
    "main_process_first",
    "rank",
]
