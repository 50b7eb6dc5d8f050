"""How pairs are grouped into batches, and how a batch of token ids becomes one padded array.

Batches are cut by a token budget, not a fixed pair count: a transformer's cost grows with the
padded size of a batch (pairs x its longest pair), so a budget lets short pairs fill a batch as
well as long ones do. Pairs are sorted by length first, so each batch pads little.

The padded array is built with numpy in a few whole-array operations (no per-row tensor work),
so that on a GPU the host keeps ahead of the device.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from nli_probe.errors import NLIProbeError

if TYPE_CHECKING:
    import numpy as np


def plan_batches(
    lengths: Sequence[int], *, max_pairs: int | None = None, max_tokens: int | None = None
) -> list[list[int]]:
    """Positions into `lengths`, shortest first, cut into batches.

    Each batch holds at most `max_pairs` pairs and at most `max_tokens` padded tokens (its pair
    count times its longest pair's length); a pair longer than the whole budget gets a batch of
    its own. With neither limit, everything is one batch.

    Raises:
        NLIProbeError: a limit below 1.
    """
    for name, limit in (("batch size", max_pairs), ("batch token budget", max_tokens)):
        if limit is not None and limit < 1:
            raise NLIProbeError(f"{name} must be at least 1, got {limit}")
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches: list[list[int]] = []
    current: list[int] = []
    for position in order:
        # Sorted ascending, so this pair is the batch's longest if it joins.
        width = max(lengths[position], 1)
        full = max_pairs is not None and len(current) >= max_pairs
        over = max_tokens is not None and (len(current) + 1) * width > max_tokens
        if current and (full or over):
            batches.append(current)
            current = []
        current.append(position)
    if current:
        batches.append(current)
    return batches


def padded_batch(
    columns: Sequence[Sequence[Sequence[int]]],
    *,
    fills: Sequence[int],
    right: bool = True,
    allocate: Callable[[tuple[int, int, int]], np.ndarray] | None = None,
) -> np.ndarray:
    """One batch as a single (len(columns) + 1, pairs, longest pair) int64 array: each column
    (input ids, token type ids, ...) padded with its `fills` value on the right (or the left,
    for left-padding tokenizers), then the attention mask (1 on real tokens).

    `allocate(shape)` supplies the array to fill (e.g. a view of pinned host memory, so the
    batch reaches a GPU in one copy); by default a new numpy array.
    """
    import numpy as np

    count = len(columns[0])
    lengths = np.fromiter(map(len, columns[0]), dtype=np.int64, count=count)
    width = int(lengths.max()) if count else 0
    total = int(lengths.sum())
    shape = (len(columns) + 1, count, width)
    out = allocate(shape) if allocate is not None else np.empty(shape, dtype=np.int64)
    mask = token_mask(lengths, width, right=right)
    for plane, rows, fill in zip(out[:-1], columns, fills, strict=True):
        plane.fill(fill)
        # A boolean mask assigns in row-major order, so the flat ids land row by row.
        plane[mask] = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=total)
    out[-1] = mask
    return out


def token_mask(lengths: np.ndarray, width: int, *, right: bool = True) -> np.ndarray:
    """The (len(lengths), width) boolean mask of real (not padding) positions."""
    import numpy as np

    columns = np.arange(width)
    if right:
        return columns[None, :] < lengths[:, None]
    return columns[None, :] >= (width - lengths)[:, None]
