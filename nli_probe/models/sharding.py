"""How the engine splits one call's work between the ranks of a torchrun job (no torch here).

Every rank plans the same batches a single process would (the pairs sorted by token length and
cut by the token budget), so each batch, and therefore each prediction, is exactly what a
single-process run computes. The batches are then dealt out by their cost, the padded tokens a
forward pass runs (pairs x the batch's longest pair): the costliest first, each to the rank with
the least work so far, so the ranks finish together. A rank runs its batches shortest first, as
a single process would.
"""

from __future__ import annotations

import hashlib
import heapq
from array import array
from collections.abc import Sequence
from typing import TypeVar

from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Pair
from nli_probe.errors import NLIProbeError

T = TypeVar("T")


def batch_cost(rows: Sequence[int], sizes: Sequence[int]) -> int:
    """The padded tokens (or characters) of one batch: its pairs times its longest pair."""
    return len(rows) * max((max(sizes[row], 1) for row in rows), default=0)


def assign(costs: Sequence[int], ranks: int) -> list[int]:
    """The rank that runs each batch: costliest batch first, to the least loaded rank (the
    lowest rank on a tie), which leaves no rank more than one batch's cost above another."""
    if ranks < 1:
        raise ValueError(f"ranks must be at least 1, got {ranks}")
    loads = [(0, rank) for rank in range(ranks)]  # a heap: least work (then lowest rank) first
    owners = [0] * len(costs)
    for batch in sorted(range(len(costs)), key=lambda b: (-costs[b], b)):
        load, owner = heapq.heappop(loads)
        owners[batch] = owner
        heapq.heappush(loads, (load + costs[batch], owner))
    return owners


def interleave(parts: Sequence[Sequence[T]]) -> list[T]:
    """Undo `items[rank::ranks]`: `parts[r]` is every ranks-th item starting at r."""
    total = sum(len(part) for part in parts)
    merged: list[T] = []
    for position in range(total):
        merged.append(parts[position % len(parts)][position // len(parts)])
    return merged


def pairs_digest(pairs: Sequence[Pair]) -> str:
    """A digest of the pairs in order, to check that every rank was given the same ones."""
    digest = hashlib.blake2b(digest_size=16)
    for premise, hypothesis in pairs:
        digest.update(f"{len(premise)}:{len(hypothesis)}:".encode())
        digest.update(premise.encode("utf-8", "surrogatepass"))
        digest.update(hypothesis.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def pack_positions(positions: Sequence[int]) -> bytes:
    """Positions as raw 64-bit integers (compact to send between ranks)."""
    return array("q", positions).tobytes()


def unpack_positions(data: bytes) -> list[int]:
    values = array("q")
    values.frombytes(data)
    return values.tolist()


def pack_predictions(predictions: Sequence[Prediction]) -> bytes:
    """Probabilities as raw doubles: exact, and compact to send between ranks."""
    return array("d", [p for prediction in predictions for p in prediction.probs]).tobytes()


def unpack_predictions(data: bytes) -> list[Prediction]:
    values = array("d")
    values.frombytes(data)
    return [
        Prediction(probs=(values[i], values[i + 1], values[i + 2]))
        for i in range(0, len(values), 3)
    ]


def check_agreement(name: str, seen: Sequence[tuple[str, str, int]]) -> None:
    """Each rank's (model fingerprint, pairs digest, pair count): all must be rank 0's, or
    the ranks would plan different batches and their results would not fit together.

    Raises:
        NLIProbeError: naming the first rank that differs and how.
    """
    fingerprint, digest, count = seen[0]
    for rank, (other_fingerprint, other_digest, other_count) in enumerate(seen):
        if other_fingerprint != fingerprint:
            raise NLIProbeError(
                f"model {name!r}: rank {rank} loaded other weights or settings than rank 0 "
                f"(fingerprint {other_fingerprint[:12]} vs {fingerprint[:12]}); every rank "
                f"must load the same model in the same precision (give --precision "
                f"explicitly when the machines differ)"
            )
        if other_digest != digest:
            raise NLIProbeError(
                f"model {name!r}: rank {rank} was given other pairs than rank 0 "
                f"({other_count:,} vs {count:,} distinct pairs, or the same number in another "
                f"order or with other text); every rank must read the same data (a data "
                f"file that differs between nodes?)"
            )


__all__ = [
    "assign",
    "batch_cost",
    "check_agreement",
    "interleave",
    "pack_positions",
    "pack_predictions",
    "pairs_digest",
    "unpack_positions",
    "unpack_predictions",
]
