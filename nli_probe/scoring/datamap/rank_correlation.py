"""Spearman's rank correlation with a percentile bootstrap interval, fast enough for the data
map of a whole training set.

A bootstrap resample is a multiset of the pairs: pair i drawn w_i times. Its Spearman rho is the
Pearson correlation of its midranks, and a pair's midrank in the resample depends only on the
weights of the values below and equal to its own. So one sort of each variable (its distinct
values) serves every resample: per resample the ranks come from cumulative sums of the weights
per distinct value, and rho from weighted sums, in a few passes over the data rather than a
sort. The result is the same number as ranking the resampled pairs afresh (tests check it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class Correlation(JsonRecord):
    """Spearman's rho over `count` pairs, with a percentile bootstrap interval (None without
    resamples)."""

    value: float
    count: int
    low: float | None = None
    high: float | None = None
    resamples: int = 0
    confidence: float = 0.95

    def format(self) -> str:
        if self.low is None or self.high is None:
            return f"{self.value:+.3f}"
        return f"{self.value:+.3f} [{self.low:+.3f}, {self.high:+.3f}]"


def spearman(
    x: NDArray[Any],
    y: NDArray[Any],
    *,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> Correlation | None:
    """Spearman's rho of `x` and `y` (ties get midranks) and its bootstrap interval; None when
    it is undefined (fewer than 3 pairs, or a variable without two distinct values)."""
    return spearmans([x], y, resamples=resamples, seed=seed, confidence=confidence)[0]


def spearmans(
    xs: Sequence[NDArray[Any]],
    y: NDArray[Any],
    *,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> list[Correlation | None]:
    """`spearman` of each of `xs` with `y`, the bootstrap resamples shared (each interval is a
    bootstrap interval of its own rho; drawing once serves them all)."""
    import numpy as np

    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    y_values, y_group = np.unique(y, return_inverse=True)
    groups = []
    for x in xs:
        x_values, x_group = np.unique(np.asarray(x, dtype=np.float64), return_inverse=True)
        defined = n >= 3 and len(x_values) >= 2 and len(y_values) >= 2
        groups.append((x_group, len(x_values)) if defined else None)
    ones = np.ones(n, dtype=np.float64)
    values = [
        None if g is None else _weighted_rho(ones, g[0], g[1], y_group, len(y_values))
        for g in groups
    ]
    samples = np.full((len(xs), max(resamples, 0)), np.nan)
    if resamples > 0 and any(g is not None for g in groups):
        rng = np.random.default_rng(seed)
        for r in range(resamples):
            weights = np.bincount(rng.integers(0, n, n), minlength=n).astype(np.float64)
            y_ranks = _midranks(weights, y_group, len(y_values))
            for i, g in enumerate(groups):
                if g is not None:
                    samples[i, r] = _rho_of_ranks(weights, _midranks(weights, g[0], g[1]), y_ranks)
    found: list[Correlation | None] = []
    for value, row in zip(values, samples, strict=True):
        if value is None:
            found.append(None)
            continue
        finite = row[np.isfinite(row)]
        if resamples <= 0 or len(finite) == 0:
            found.append(
                Correlation(
                    value=value, count=n, resamples=max(resamples, 0), confidence=confidence
                )
            )
            continue
        tail = (1.0 - confidence) / 2 * 100
        low, high = np.percentile(finite, [tail, 100 - tail])
        found.append(
            Correlation(
                value=value,
                count=n,
                low=float(low),
                high=float(high),
                resamples=resamples,
                confidence=confidence,
            )
        )
    return found


def _midranks(weights: NDArray[Any], group: NDArray[Any], groups: int) -> NDArray[np.float64]:
    """Each pair's midrank among the weighted pairs (its distinct value's average rank)."""
    import numpy as np

    per_value = np.bincount(group, weights=weights, minlength=groups)
    below = np.cumsum(per_value) - per_value
    ranks: NDArray[np.float64] = (below + (per_value + 1.0) / 2.0)[group]
    return ranks


def _weighted_rho(
    weights: NDArray[Any],
    x_group: NDArray[Any],
    x_groups: int,
    y_group: NDArray[Any],
    y_groups: int,
) -> float:
    """Pearson's r of the midranks, each pair counted `weights` times."""
    return _rho_of_ranks(
        weights, _midranks(weights, x_group, x_groups), _midranks(weights, y_group, y_groups)
    )


def _rho_of_ranks(weights: NDArray[Any], rx: NDArray[Any], ry: NDArray[Any]) -> float:
    import numpy as np

    mean = (weights.sum() + 1.0) / 2.0  # midranks of w items always average (w + 1) / 2
    dx, dy = rx - mean, ry - mean
    # einsum, not `@`: a BLAS dot spins up threads, which cost 20x more than the sums here.
    spread_x = float(np.einsum("i,i,i->", weights, dx, dx))
    spread_y = float(np.einsum("i,i,i->", weights, dy, dy))
    if spread_x <= 0 or spread_y <= 0:
        return math.nan
    return float(np.einsum("i,i,i->", weights, dx, dy) / math.sqrt(spread_x * spread_y))
