"""`PairedComparison`: is one model's accuracy really different from another's on the same pairs?

Two paired tests on the examples both models were scored on:

- McNemar's test on the discordant pairs (one model right, the other wrong): the exact two-sided
  binomial test (`scipy.stats.binomtest`), valid for any count, with the continuity-corrected
  chi-square statistic reported beside it.
- A paired bootstrap of the accuracy difference. Resampling examples only moves the counts of the
  four (A right?, B right?) cells, so the resamples are multinomial draws of those four counts.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.scoring.metrics import Interval, percentile_interval

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class PairedComparison(JsonRecord):
    """Model A against model B on the `count` examples both have a prediction and gold for."""

    model_a: str
    model_b: str
    count: int
    both_correct: int = 0
    only_a: int = 0
    """Examples A gets right and B wrong."""
    only_b: int = 0
    neither: int = 0
    accuracy_a: float | None = None
    accuracy_b: float | None = None
    difference: float | None = None
    """accuracy_a - accuracy_b."""
    interval: Interval | None = None
    """Paired bootstrap interval of `difference`."""
    bootstrap_p: float | None = None
    """Two-sided bootstrap p-value: twice the smaller share of resamples on either side of 0."""
    mcnemar_statistic: float | None = None
    """Continuity-corrected chi-square statistic, (|b - c| - 1)^2 / (b + c)."""
    mcnemar_p: float | None = None
    """Exact two-sided McNemar p-value (binomial test on the discordant pairs)."""
    confidence: float = 0.95
    resamples: int = 0
    seed: int = 0


def bootstrap_stream(seed: int, model_a: str, model_b: str) -> int:
    """The random stream of the paired bootstrap of A against B (the same for every slice)."""
    return seed * 1_000_003 + zlib.crc32(f"{model_a}\0{model_b}".encode())


def compare_predictions(
    gold: Sequence[int] | NDArray[Any],
    predicted_a: Sequence[int] | NDArray[Any],
    predicted_b: Sequence[int] | NDArray[Any],
    *,
    model_a: str = "A",
    model_b: str = "B",
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> PairedComparison:
    """Paired McNemar test and paired bootstrap for A's accuracy minus B's, on aligned labels."""
    import numpy as np
    from scipy.stats import binomtest

    from nli_probe.scoring.metrics import label_array

    y = label_array(gold)
    right_a = label_array(predicted_a) == y
    right_b = label_array(predicted_b) == y
    n = int(y.size)
    settings: dict[str, Any] = {"confidence": confidence, "resamples": resamples, "seed": seed}
    if n == 0:
        return PairedComparison(model_a=model_a, model_b=model_b, count=0, **settings)
    cells = np.array(
        [
            int((right_a & right_b).sum()),
            int((right_a & ~right_b).sum()),
            int((~right_a & right_b).sum()),
            int((~right_a & ~right_b).sum()),
        ]
    )
    both, only_a, only_b, neither = (int(c) for c in cells)
    discordant = only_a + only_b
    if discordant:
        statistic = (abs(only_a - only_b) - 1) ** 2 / discordant
        p_exact = float(binomtest(only_a, discordant, 0.5).pvalue)
    else:
        statistic, p_exact = 0.0, 1.0
    interval = None
    bootstrap_p = None
    if resamples > 0:
        rng = np.random.default_rng(bootstrap_stream(seed, model_a, model_b))
        draws = rng.multinomial(n, cells / n, size=resamples)
        differences = (draws[:, 1] - draws[:, 2]) / n
        interval = percentile_interval(differences, confidence)
        bootstrap_p = float(min(1.0, 2 * min((differences <= 0).mean(), (differences >= 0).mean())))
    return PairedComparison(
        model_a=model_a,
        model_b=model_b,
        count=n,
        both_correct=both,
        only_a=only_a,
        only_b=only_b,
        neither=neither,
        accuracy_a=(both + only_a) / n,
        accuracy_b=(both + only_b) / n,
        difference=(only_a - only_b) / n,
        interval=interval,
        bootstrap_p=bootstrap_p,
        mcnemar_statistic=float(statistic),
        mcnemar_p=p_exact,
        **settings,
    )
