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
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    if n < 3:
        return None
    x_values, x_group = np.unique(x, return_inverse=True)
    y_values, y_group = np.unique(y, return_inverse=True)
    if len(x_values) < 2 or len(y_values) < 2:
        return None
    ones = np.ones(n, dtype=np.float64)
    value = _weighted_rho(ones, x_group, len(x_values), y_group, len(y_values))
    if resamples <= 0:
        return Correlation(value=value, count=n)
    rng = np.random.default_rng(seed)
    samples = np.empty(resamples, dtype=np.float64)
    for r in range(resamples):
        weights = np.bincount(rng.integers(0, n, n), minlength=n).astype(np.float64)
        samples[r] = _weighted_rho(weights, x_group, len(x_values), y_group, len(y_values))
    finite = samples[np.isfinite(samples)]
    if len(finite) == 0:
        return Correlation(value=value, count=n, resamples=resamples, confidence=confidence)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Correlation(
        value=value,
        count=n,
        low=float(low),
        high=float(high),
        resamples=resamples,
        confidence=confidence,
    )


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

    rx = _midranks(weights, x_group, x_groups)
    ry = _midranks(weights, y_group, y_groups)
    total = weights.sum()
    mean = (total + 1.0) / 2.0  # midranks of `total` items always average (total + 1) / 2
    dx, dy = rx - mean, ry - mean
    wdx = weights * dx
    spread_x = float(wdx @ dx)
    spread_y = float((weights * dy) @ dy)
    if spread_x <= 0 or spread_y <= 0:
        return math.nan
    return float((wdx @ dy) / math.sqrt(spread_x * spread_y))
