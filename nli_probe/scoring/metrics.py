"""`MetricReport`: accuracy, precision, recall, F1, confusion matrix and bootstrap intervals.

Point estimates come from scikit-learn. The bootstrap intervals use one fact to stay fast:
resampling n (gold, predicted) pairs with replacement draws the 9 confusion-matrix cell counts
from a multinomial over the observed cell frequencies, so a thousand resamples are a thousand
3x3 matrices (`numpy.random.Generator.multinomial`), not a thousand passes over the data. The
scores of each resampled matrix are computed in one vectorised step (`scores_from_confusion`,
checked against scikit-learn in the tests).

Undefined values (anything on an empty slice) are None, never NaN, so every report is valid JSON.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.core.labels import LABELS, Label

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

HEADLINE = (
    "accuracy",
    "precision_weighted",
    "recall_weighted",
    "f1_weighted",
    "precision_macro",
    "recall_macro",
    "f1_macro",
)
"""The headline numbers of a `MetricReport`, each with a bootstrap interval."""

BASELINE_NAME = "majority baseline"


@dataclass(frozen=True, kw_only=True)
class Interval(JsonRecord):
    """A bootstrap percentile confidence interval."""

    low: float
    high: float


@dataclass(frozen=True, kw_only=True)
class ClassScores(JsonRecord):
    """Precision, recall and F1 of one label (0.0 where undefined, as scikit-learn's
    `zero_division=0`), and its support (gold count)."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, kw_only=True)
class MetricReport(JsonRecord):
    """One model's label metrics on one set of examples.

    Weighted averages weight each label by its gold support (the study's numbers); macro averages
    weigh equally the labels that occur in the gold labels or the predictions. `confusion` rows
    are gold labels and columns predicted labels, both in `Label` order.
    """

    name: str
    count: int
    accuracy: float | None = None
    precision_weighted: float | None = None
    recall_weighted: float | None = None
    f1_weighted: float | None = None
    precision_macro: float | None = None
    recall_macro: float | None = None
    f1_macro: float | None = None
    per_class: tuple[ClassScores, ...] = ()
    confusion: tuple[tuple[int, ...], ...] = ((0, 0, 0), (0, 0, 0), (0, 0, 0))
    intervals: Mapping[str, Interval] = field(default_factory=dict)
    """Headline name (see `HEADLINE`) -> bootstrap interval; empty when resamples is 0."""
    confidence: float = 0.95
    resamples: int = 0
    seed: int = 0

    def value(self, metric: str) -> float | None:
        """A headline number by name (`accuracy`, `f1_macro`, ...)."""
        if metric not in HEADLINE:
            raise KeyError(metric)
        value: float | None = getattr(self, metric)
        return value

    def interval(self, metric: str) -> Interval | None:
        """The bootstrap interval of a headline number, if one was computed."""
        return self.intervals.get(metric)


def label_array(labels: Sequence[Label | int] | NDArray[Any]) -> NDArray[np.int64]:
    """Labels as an int array in `Label` order (checked to be 0, 1 or 2)."""
    import numpy as np

    array = np.asarray(labels, dtype=np.int64).reshape(-1)
    if array.size and (array.min() < 0 or array.max() > 2):
        raise ValueError("labels must be 0, 1 or 2")
    return array


def metric_report(
    gold: Sequence[Label | int] | NDArray[Any],
    predicted: Sequence[Label | int] | NDArray[Any],
    *,
    name: str = "",
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> MetricReport:
    """Score predicted labels against gold labels.

    Args:
        gold: gold labels (examples without a gold label must be left out by the caller).
        predicted: predicted labels, aligned with `gold`.
        name: the model's name, kept in the report.
        resamples: bootstrap resamples for the intervals (0: no intervals).
        seed: bootstrap seed; the same seed, name and data give the same intervals.
        confidence: the intervals' coverage, e.g. 0.95.
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    y_true = label_array(gold)
    y_pred = label_array(predicted)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.size} gold labels but {y_pred.size} predictions")
    settings: dict[str, Any] = {"confidence": confidence, "resamples": resamples, "seed": seed}
    if y_true.size == 0:
        return MetricReport(name=name, count=0, **settings)
    labels = [int(label) for label in LABELS]
    confusion = confusion_matrix(y_true, y_pred, labels=labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    averaged = {
        average: precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0)[
            :3
        ]
        for average in ("weighted", "macro")
    }
    per_class = tuple(
        ClassScores(
            label=str(label),
            precision=float(precision[label]),
            recall=float(recall[label]),
            f1=float(f1[label]),
            support=int(support[label]),
        )
        for label in LABELS
    )
    intervals = (
        bootstrap_intervals(
            confusion, resamples=resamples, seed=_seed_for(seed, name), confidence=confidence
        )
        if resamples > 0
        else {}
    )
    return MetricReport(
        name=name,
        count=int(y_true.size),
        accuracy=float(accuracy_score(y_true, y_pred)),
        precision_weighted=float(averaged["weighted"][0]),
        recall_weighted=float(averaged["weighted"][1]),
        f1_weighted=float(averaged["weighted"][2]),
        precision_macro=float(averaged["macro"][0]),
        recall_macro=float(averaged["macro"][1]),
        f1_macro=float(averaged["macro"][2]),
        per_class=per_class,
        confusion=tuple(tuple(int(cell) for cell in row) for row in confusion),
        intervals=intervals,
        **settings,
    )


def majority_label(gold: Sequence[Label | int] | NDArray[Any]) -> Label:
    """The most frequent gold label (the lowest label on a tie); entailment when empty."""
    import numpy as np

    counts = np.bincount(label_array(gold), minlength=3)
    return Label(int(np.argmax(counts)))


def majority_baseline(
    gold: Sequence[Label | int] | NDArray[Any],
    *,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> MetricReport:
    """The study's baseline row: always predict the majority gold label of these same examples."""
    import numpy as np

    y_true = label_array(gold)
    predicted = np.full_like(y_true, int(majority_label(y_true)))
    return metric_report(
        y_true,
        predicted,
        name=BASELINE_NAME,
        resamples=resamples,
        seed=seed,
        confidence=confidence,
    )


def scores_from_confusion(confusion: NDArray[Any]) -> dict[str, NDArray[np.float64]]:
    """Headline scores of a stack of 3x3 confusion matrices (shape (..., 3, 3)), vectorised.

    Same definitions as scikit-learn's `precision_recall_fscore_support` with
    `zero_division=0`, macro over the labels present in gold or predictions.
    """
    import numpy as np

    cm = np.asarray(confusion, dtype=np.float64)
    true_counts = cm.sum(axis=-1)  # support per gold label
    pred_counts = cm.sum(axis=-2)
    hits = np.diagonal(cm, axis1=-2, axis2=-1)
    total = true_counts.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(pred_counts > 0, hits / pred_counts, 0.0)
        recall = np.where(true_counts > 0, hits / true_counts, 0.0)
        denominator = precision + recall
        f1 = np.where(denominator > 0, 2 * precision * recall / denominator, 0.0)
        weights = true_counts / total[..., None]
        present = (true_counts + pred_counts) > 0
        n_present = present.sum(axis=-1)
        out: dict[str, NDArray[np.float64]] = {"accuracy": hits.sum(axis=-1) / total}
        for metric, values in (("precision", precision), ("recall", recall), ("f1", f1)):
            out[f"{metric}_weighted"] = (values * weights).sum(axis=-1)
            out[f"{metric}_macro"] = (values * present).sum(axis=-1) / n_present
    return out


def bootstrap_intervals(
    confusion: NDArray[Any], *, resamples: int, seed: int, confidence: float = 0.95
) -> dict[str, Interval]:
    """Percentile bootstrap intervals of every headline number, from a confusion matrix."""
    import numpy as np

    cm = np.asarray(confusion, dtype=np.int64)
    n = int(cm.sum())
    if n == 0 or resamples <= 0:
        return {}
    rng = np.random.default_rng(seed)
    cells = rng.multinomial(n, cm.reshape(-1) / n, size=resamples).reshape(resamples, 3, 3)
    samples = scores_from_confusion(cells)
    return {metric: percentile_interval(samples[metric], confidence) for metric in HEADLINE}


def percentile_interval(samples: NDArray[Any], confidence: float) -> Interval:
    """The central `confidence` share of bootstrap samples."""
    import numpy as np

    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return Interval(low=float(low), high=float(high))


def _seed_for(seed: int, name: str) -> int:
    # A per-model stream, stable across runs and independent of the order models are scored in.
    return seed * 1_000_003 + zlib.crc32(name.encode("utf-8"))
