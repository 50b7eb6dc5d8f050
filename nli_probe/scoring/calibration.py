"""`Calibration`: how far a model's confidence matches how often it is right.

Brier score and negative log-likelihood come from scikit-learn (`brier_score_loss` over the
three labels, unscaled so it ranges over [0, 2]; `log_loss`). scikit-learn has no expected
calibration error for multiclass confidences, so ECE and the reliability-diagram bins are
computed here: equal-width bins over the top-label confidence, ECE = sum over bins of
(share of examples) x |accuracy - mean confidence|.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.core.labels import Label

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

DEFAULT_BINS = 10

PROBABILITY_FLOOR = 1e-15
"""Probabilities are floored at this and renormalised before any logarithm (as ChaosNLI does):
saved predictions are rounded, and a rounded 0 would make log-losses infinite."""


@dataclass(frozen=True, kw_only=True)
class ReliabilityBin(JsonRecord):
    """One bar of a reliability diagram: examples whose top-label confidence is in
    [lower, upper) (the last bin includes 1.0)."""

    lower: float
    upper: float
    count: int
    confidence: float | None = None
    """Mean top-label confidence in the bin; None when the bin is empty."""
    accuracy: float | None = None
    """Share of the bin's predictions that are right; None when the bin is empty."""


@dataclass(frozen=True, kw_only=True)
class Calibration(JsonRecord):
    """Calibration against gold labels; None values mean no examples were scored."""

    count: int
    ece: float | None = None
    brier: float | None = None
    nll: float | None = None
    bins: tuple[ReliabilityBin, ...] = ()


def normalised_probs(probs: Sequence[Sequence[float]] | NDArray[Any]) -> NDArray[np.float64]:
    """Rows floored at `PROBABILITY_FLOOR` and renormalised to sum to 1 (shape (n, 3))."""
    import numpy as np

    array = np.asarray(probs, dtype=np.float64).reshape(-1, 3)
    array = np.maximum(array, PROBABILITY_FLOOR)
    normalised: NDArray[np.float64] = array / array.sum(axis=1, keepdims=True)
    return normalised


def calibration(
    gold: Sequence[Label | int] | NDArray[Any],
    probs: Sequence[Sequence[float]] | NDArray[Any],
    *,
    bins: int = DEFAULT_BINS,
) -> Calibration:
    """ECE, Brier score, NLL and reliability bins of `probs` (rows in `Label` order) against
    `gold`. Examples without a gold label must be left out by the caller."""
    from sklearn.metrics import brier_score_loss, log_loss

    from nli_probe.scoring.metrics import label_array

    y_true = label_array(gold)
    p = normalised_probs(probs)
    if y_true.size != p.shape[0]:
        raise ValueError(f"{y_true.size} gold labels but {p.shape[0]} probability rows")
    reliability = reliability_bins(y_true, p, bins=bins)
    if y_true.size == 0:
        return Calibration(count=0, bins=reliability)
    labels = [int(label) for label in Label]
    ece = sum(
        b.count / y_true.size * abs(b.accuracy - b.confidence)
        for b in reliability
        if b.accuracy is not None and b.confidence is not None
    )
    return Calibration(
        count=int(y_true.size),
        ece=float(ece),
        brier=float(brier_score_loss(y_true, p, labels=labels, scale_by_half=False)),
        nll=float(log_loss(y_true, p, labels=labels)),
        bins=reliability,
    )


def slice_calibration(
    gold: NDArray[np.int64], probs: NDArray[Any], *, bins: int = DEFAULT_BINS
) -> Calibration:
    """`calibration` for the many small slices of an agreement breakdown, in plain numpy.

    Each scikit-learn metric call validates its input for a few milliseconds; a breakdown needs
    levels x models x 3 of them, which made scoring a 10,000-pair, 3-model report several times
    slower. The definitions are the same (the tests pin this function to `calibration`).
    """
    import numpy as np

    p = normalised_probs(probs)
    y = np.asarray(gold, dtype=np.int64).reshape(-1)
    reliability = reliability_bins(y, p, bins=bins)
    if y.size == 0:
        return Calibration(count=0, bins=reliability)
    onehot = np.eye(3)[y]
    ece = sum(
        b.count / y.size * abs(b.accuracy - b.confidence)
        for b in reliability
        if b.accuracy is not None and b.confidence is not None
    )
    return Calibration(
        count=int(y.size),
        ece=float(ece),
        brier=float(((p - onehot) ** 2).sum(axis=1).mean()),
        nll=float(-np.log(p[np.arange(y.size), y]).mean()),
        bins=reliability,
    )


def reliability_bins(
    gold: NDArray[np.int64], probs: NDArray[np.float64], *, bins: int = DEFAULT_BINS
) -> tuple[ReliabilityBin, ...]:
    """Equal-width confidence bins with each bin's count, mean confidence and accuracy."""
    import numpy as np

    if bins < 1:
        raise ValueError(f"need at least one bin, got {bins}")
    confidence = probs.max(axis=1) if probs.size else np.zeros(0)
    correct = (probs.argmax(axis=1) == gold) if probs.size else np.zeros(0, dtype=bool)
    # Bin i holds [i/bins, (i+1)/bins); confidence 1.0 goes into the last bin. Computed as
    # floor(confidence * bins), not by searching edges from np.linspace: those edges are rounded
    # (linspace(0, 1, 11)[6] is 0.6000000000000001), which put a confidence of exactly 0.6 or
    # 0.7 into the bin below.
    index = np.minimum(np.floor(confidence * bins).astype(np.int64), bins - 1)
    counts = np.bincount(index, minlength=bins)
    conf_sums = np.bincount(index, weights=confidence, minlength=bins)
    hit_sums = np.bincount(index, weights=correct.astype(np.float64), minlength=bins)
    return tuple(
        ReliabilityBin(
            lower=i / bins,
            upper=(i + 1) / bins,
            count=int(counts[i]),
            confidence=float(conf_sums[i] / counts[i]) if counts[i] else None,
            accuracy=float(hit_sums[i] / counts[i]) if counts[i] else None,
        )
        for i in range(bins)
    )
