"""Ranks as threads: run code that predicts through the engine as N ranks of one job, in one
process, without torch.distributed. Tests use it to compare a sharded run with a single one in
milliseconds; the real thing (`torchrun`) is tested end to end too.

    results = run_ranks(2, lambda rank: run_predictions(FakeModel(), pairs))
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from nli_probe.errors import NLIProbeError
from nli_probe.models.distributed import in_world

T = TypeVar("T")


class _Exchange:
    """What the ranks' threads share: one slot per rank and a barrier that a failing rank
    breaks (a wait that completed before the break still counts, unlike `threading.Barrier`,
    where a rank woken a moment late would see the break)."""

    def __init__(self, size: int, timeout: float) -> None:
        self.slots: list[Any] = [None] * size
        self._timeout = timeout
        self._condition = threading.Condition()
        self._arrived = 0
        self._generation = 0
        self._broken = False

    def wait(self) -> None:
        with self._condition:
            if self._broken:
                raise _Broken
            generation = self._generation
            self._arrived += 1
            if self._arrived == len(self.slots):
                self._arrived = 0
                self._generation += 1
                self._condition.notify_all()
                return
            self._condition.wait_for(
                lambda: self._generation != generation or self._broken, self._timeout
            )
            if self._generation == generation:
                self._broken = True
                self._condition.notify_all()
                raise _Broken

    def abort(self) -> None:
        with self._condition:
            self._broken = True
            self._condition.notify_all()


class _Broken(Exception):
    """Another rank failed (or the wait timed out)."""


class ThreadRank:
    """One rank of a `run_ranks` job (satisfies `nli_probe.models.distributed.World`)."""

    def __init__(self, exchange: _Exchange, rank: int, job: str) -> None:
        self._exchange = exchange
        self._rank = rank
        self._job = job

    @property
    def rank(self) -> int:
        return self._rank

    @property
    def size(self) -> int:
        return len(self._exchange.slots)

    @property
    def job(self) -> str:
        return self._job

    def all_gather(self, value: Any, *, what: str) -> list[Any]:
        self._exchange.slots[self._rank] = value
        self._wait(what)
        gathered = list(self._exchange.slots)
        self._wait(what)  # nobody writes the next value before everyone has read this one
        return gathered

    def broadcast(self, value: Any, *, what: str) -> Any:
        return self.all_gather(value, what=what)[0]

    def barrier(self, *, what: str) -> None:
        self._wait(what)

    def _wait(self, what: str) -> None:
        try:
            self._exchange.wait()
        except _Broken:
            raise NLIProbeError(
                f"rank {self._rank} of {self.size}: lost the other ranks while {what}"
            ) from None


def run_ranks(
    size: int, work: Callable[[int], T], *, job: str = "threads", timeout: float = 60.0
) -> list[T | BaseException]:
    """`work(rank)` on `size` threads, each inside `in_world` as that rank; returns each
    rank's result, or the exception it raised (a rank that fails breaks the others' waits,
    as a dead process does under torchrun)."""
    exchange = _Exchange(size, timeout)
    results: list[T | BaseException] = [RuntimeError("did not finish")] * size

    def run(rank: int) -> None:
        try:
            with in_world(ThreadRank(exchange, rank, job)):
                results[rank] = work(rank)
        except BaseException as error:  # handed back to the caller
            results[rank] = error
            exchange.abort()

    threads = [threading.Thread(target=run, args=(rank,)) for rank in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


__all__ = ["ThreadRank", "run_ranks"]
