"""A torchrun worker for the tests: runs one or more `nli-probe` commands in this process, one
after the other, as `python -m nli_probe` would (commands separated by `+++`).

    torchrun --standalone --nproc-per-node 2 tests/distributed_worker.py probe ... +++ predict ...

`--die-after N` makes rank 1 kill itself with SIGKILL (as the out-of-memory killer would) when it
is about to predict its batch N+1, so N of its batches are finished and one is in flight.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from nli_probe.cli import main


def die_after(batches: int) -> None:
    from nli_probe.models.transformers_model import TransformersModel

    original = TransformersModel.predict_batches

    def dying(self: TransformersModel, work: Iterable[Sequence[Any]]) -> Iterator[Any]:
        for done, predictions in enumerate(original(self, work)):
            if done == batches and os.environ.get("RANK") == "1":
                os.kill(os.getpid(), signal.SIGKILL)
            yield predictions

    TransformersModel.predict_batches = dying  # type: ignore[method-assign]


def run(argv: list[str]) -> int:
    if argv[:1] == ["--die-after"]:
        die_after(int(argv[1]))
        argv = argv[2:]
    commands: list[list[str]] = [[]]
    for word in argv:
        if word == "+++":
            commands.append([])
        else:
            commands[-1].append(word)
    for command in commands:
        status = main(command)
        if status:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
