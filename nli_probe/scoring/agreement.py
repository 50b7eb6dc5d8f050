"""Scores sliced by how much the annotators agreed, and the model's fit to the human distribution.

Levels: with few annotators (SNLI's 5, sometimes 4) an example's level is the top label's vote
share, `5/5`, `4/5`, `3/5`, `4/4`, `3/4`; examples whose top label has no strict majority
(SNLI's gold `-`: 2/5, 2/4) form `no consensus` and are scored against their human distribution
rather than dropped. With many annotators (ChaosNLI's 100) levels are bins of the entropy (in
bits) of the human label distribution.

Per level: accuracy, F1 and calibration against gold; the fit to the human distribution
(`nli_probe.scoring.divergence`: cross-entropy, KL, Jensen-Shannon distance as ChaosNLI computes
it); and the human ceiling (`nli_probe.scoring.ceiling`: each annotator against the majority of
the other n-1, beside the model against those same leave-one-out majorities).
"""

from __future__ import annotations

import collections
import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.scoring.calibration import Calibration
from nli_probe.scoring.ceiling import human_agreement, model_agreement
from nli_probe.scoring.divergence import (
    DistributionFit,
    distribution_divergences,
    entropy_bits,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from nli_probe.scoring.example_arrays import ExampleArrays

NO_CONSENSUS = "no consensus"
MANY_ANNOTATORS = 10
"""Examples with more annotators than this are sliced by entropy, not by vote share."""
ENTROPY_EDGES: tuple[float, ...] = (0.0, 0.5, 1.0, 1.25, math.log2(3))
"""Default entropy bin edges in bits (the maximum for three labels is log2(3) = 1.585)."""


@dataclass(frozen=True, kw_only=True)
class AgreementLevel(JsonRecord):
    """One agreement level's scores for one model.

    `accuracy`, `f1_*` and `calibration` are against gold and cover the `scored` examples (those
    with a gold label); `fit` and the ceiling cover every example in the level.
    """

    level: str
    count: int
    scored: int
    accuracy: float | None = None
    f1_weighted: float | None = None
    f1_macro: float | None = None
    calibration: Calibration = field(default_factory=lambda: Calibration(count=0))
    fit: DistributionFit = field(default_factory=lambda: DistributionFit(count=0))
    human_agreement: float | None = None
    """How often one annotator agrees with the majority of the others (the human ceiling)."""
    model_agreement: float | None = None
    """How often the model agrees with the majority of the annotators but one, over the same
    leave-one-out majorities as `human_agreement` (like with like)."""


@dataclass(frozen=True, kw_only=True)
class AgreementBreakdown(JsonRecord):
    """A model's scores per agreement level, plus the same over all annotated examples."""

    name: str
    scheme: str
    """`votes` (levels like 5/5) or `entropy` (bins of the human distribution's entropy)."""
    levels: tuple[AgreementLevel, ...] = ()
    overall: AgreementLevel = field(
        default_factory=lambda: AgreementLevel(level="all", count=0, scored=0)
    )
    unannotated: int = 0
    """Examples without annotator labels (left out of every level)."""

    def level(self, name: str) -> AgreementLevel:
        for level in self.levels:
            if level.level == name:
                return level
        known = ", ".join(level.level for level in self.levels) or "none"
        raise KeyError(f"no agreement level {name!r} (levels: {known})")


def entropy_level_name(low: float, high: float) -> str:
    return f"entropy {low:.2f}-{high:.2f}"


def agreement_levels(
    arrays: ExampleArrays, *, entropy_edges: tuple[float, ...] = ENTROPY_EDGES
) -> tuple[str, list[str | None]]:
    """The slicing scheme (`votes` or `entropy`) and each example's level (None when it has no
    annotator labels). The scheme is `entropy` when most annotated examples have many
    annotators."""
    return vote_levels(arrays.votes, entropy_edges=entropy_edges)


def vote_levels(
    votes: NDArray[Any], *, entropy_edges: tuple[float, ...] = ENTROPY_EDGES
) -> tuple[str, list[str | None]]:
    """`agreement_levels` from a (n, 3) array of annotator counts per label."""
    import numpy as np

    votes = np.asarray(votes, dtype=np.int64)
    n = votes.sum(axis=1)
    top = votes.max(axis=1) if len(votes) else np.zeros(0, dtype=np.int64)
    annotated = n > 0
    many = n > MANY_ANNOTATORS
    scheme = "entropy" if annotated.any() and many[annotated].mean() > 0.5 else "votes"
    # Only pairs with many annotators are binned by entropy (scipy is imported only for them).
    entropies = np.zeros(len(votes))
    if many.any():
        entropies[many] = entropy_bits(votes[many] / n[many, None])
    edges = np.asarray(entropy_edges, dtype=np.float64)
    bins = np.clip(np.searchsorted(edges, entropies, side="right") - 1, 0, len(edges) - 2)
    # Names are built once per distinct (kind, top, n) rather than once per example.
    bin_names = [entropy_level_name(edges[b], edges[b + 1]) for b in range(len(edges) - 1)]
    codes = np.where(
        ~annotated,
        -1,
        np.where(many, 1_000_000 + bins, np.where(top * 2 <= n, -2, top * 1000 + n)),
    )
    names: dict[int, str | None] = {-1: None, -2: NO_CONSENSUS}
    for code in np.unique(codes).tolist():
        if code >= 1_000_000:
            names[code] = bin_names[code - 1_000_000]
        elif code >= 0:
            names[code] = f"{code // 1000}/{code % 1000}"
    levels: list[str | None] = [names[code] for code in codes.tolist()]
    return scheme, levels


def level_order(
    levels: list[str | None], *, entropy_edges: tuple[float, ...] = ENTROPY_EDGES
) -> list[str]:
    """Levels in reading order: the commonest annotator count from full agreement down, then
    no consensus, then other annotator counts; entropy bins from low to high."""
    tally = collections.Counter(levels)
    present = {level for level in tally if level is not None}
    counts: dict[int, int] = collections.Counter()
    for level, times in tally.items():
        if level is not None and "/" in level:
            counts[int(level.split("/")[1])] += times
    common = max(counts, key=lambda n: (counts[n], n)) if counts else 0
    entropy_names = [
        entropy_level_name(low, high) for low, high in itertools.pairwise(entropy_edges)
    ]

    def key(level: str) -> tuple[int, int, int]:
        if level in entropy_names:
            return (3, entropy_names.index(level), 0)
        if level == NO_CONSENSUS:
            return (1, 0, 0)
        top, n = (int(part) for part in level.split("/"))
        return (0 if n == common else 2, -n, -top)

    return sorted(present, key=key)


def level_scores(
    level: str,
    gold: NDArray[np.int64],
    votes: NDArray[np.int64],
    probs: NDArray[np.float64],
    *,
    calibration_bins: int,
) -> AgreementLevel:
    """Every agreement-level statistic for the rows given (already restricted to the level)."""
    rows = _per_example(votes, probs)
    return _summarise(level, gold, probs, rows, calibration_bins=calibration_bins)


def _per_example(votes: NDArray[Any], probs: NDArray[Any]) -> dict[str, NDArray[Any]]:
    """Per-row quantities a level averages: human and model agreement with the majority, and
    the divergences from the human distribution (NaN on rows without annotators)."""
    import numpy as np

    v = np.asarray(votes, dtype=np.int64).reshape(-1, 3)
    annotated = v.sum(axis=1) > 0
    out: dict[str, NDArray[Any]] = {"annotated": annotated}
    out["humans"] = human_agreement(v)
    out["model"] = model_agreement(v, np.asarray(probs).argmax(axis=1)) if len(v) else np.zeros(0)
    human = v[annotated] / v[annotated].sum(axis=1, keepdims=True)
    for key, values in zip(
        ("cross_entropy", "kl", "jsd"),
        distribution_divergences(human, np.asarray(probs)[annotated]),
        strict=True,
    ):
        full = np.full(len(v), np.nan)
        full[annotated] = values
        out[key] = full
    return out


def _summarise(
    level: str,
    gold: NDArray[np.int64],
    probs: NDArray[Any],
    rows: dict[str, NDArray[Any]],
    *,
    calibration_bins: int,
) -> AgreementLevel:
    """An `AgreementLevel` from a slice's gold labels, probabilities and per-row quantities.

    Accuracy and F1 come from the slice's confusion matrix through `scores_from_confusion`, and
    calibration through `slice_calibration`: the same definitions as scikit-learn's (pinned by
    the tests), without its per-call input validation, which dominated a breakdown's time.
    """
    import numpy as np

    from nli_probe.scoring.calibration import slice_calibration
    from nli_probe.scoring.metrics import scores_from_confusion

    has_gold = gold >= 0
    y_true = gold[has_gold]
    y_pred = probs[has_gold].argmax(axis=1) if y_true.size else np.zeros(0, dtype=np.int64)
    scored = int(y_true.size)
    label_scores: dict[str, Any] = {}
    if scored:
        confusion = np.bincount(y_true * 3 + y_pred, minlength=9).reshape(3, 3)
        label_scores = {k: float(v) for k, v in scores_from_confusion(confusion).items()}
    annotated = rows["annotated"]
    fitted = int(annotated.sum())
    fit = (
        DistributionFit(
            count=fitted,
            cross_entropy=float(rows["cross_entropy"][annotated].mean()),
            kl=float(rows["kl"][annotated].mean()),
            jsd=float(rows["jsd"][annotated].mean()),
        )
        if fitted
        else DistributionFit(count=0)
    )
    valid = annotated & ~np.isnan(rows["humans"])
    return AgreementLevel(
        level=level,
        count=len(gold),
        scored=scored,
        accuracy=label_scores.get("accuracy"),
        f1_weighted=label_scores.get("f1_weighted"),
        f1_macro=label_scores.get("f1_macro"),
        calibration=slice_calibration(y_true, probs[has_gold], bins=calibration_bins),
        fit=fit,
        human_agreement=float(rows["humans"][valid].mean()) if valid.any() else None,
        model_agreement=float(rows["model"][valid].mean()) if valid.any() else None,
    )


def agreement_breakdown(
    arrays: ExampleArrays,
    probs: NDArray[Any],
    *,
    name: str = "",
    present: NDArray[Any] | None = None,
    entropy_edges: tuple[float, ...] = ENTROPY_EDGES,
    calibration_bins: int = 10,
    levels: tuple[str, list[str | None]] | None = None,
) -> AgreementBreakdown:
    """Score `probs` (rows aligned with `arrays`, `Label` order) per agreement level.

    Args:
        arrays: the examples (see `nli_probe.scoring.example_arrays.example_arrays`).
        probs: the model's probabilities, shape (n, 3).
        name: the model's name, kept in the breakdown.
        present: mask of the rows the model has predictions for (default: all).
        entropy_edges: entropy bin edges in bits for many-annotator data.
        calibration_bins: reliability bins per level.
        levels: `agreement_levels(arrays)` when the caller has it already (several models).
    """
    import numpy as np

    p = np.asarray(probs, dtype=np.float64).reshape(-1, 3)
    mask = np.ones(len(arrays), dtype=bool) if present is None else np.asarray(present, dtype=bool)
    scheme, per_example_level = (
        agreement_levels(arrays, entropy_edges=entropy_edges) if levels is None else levels
    )
    level_of = np.array([level or "" for level in per_example_level], dtype=object)
    annotated = arrays.annotated & mask
    gold, votes, p = arrays.gold[annotated], arrays.votes[annotated], p[annotated]
    level_of = level_of[annotated]
    rows = _per_example(votes, p)
    results = []
    for level in level_order(per_example_level, entropy_edges=entropy_edges):
        chosen = level_of == level
        results.append(
            _summarise(
                level,
                gold[chosen],
                p[chosen],
                {key: values[chosen] for key, values in rows.items()},
                calibration_bins=calibration_bins,
            )
        )
    overall = _summarise("all", gold, p, rows, calibration_bins=calibration_bins)
    return AgreementBreakdown(
        name=name,
        scheme=scheme,
        levels=tuple(results),
        overall=overall,
        unannotated=int((mask & ~arrays.annotated).sum()),
    )
