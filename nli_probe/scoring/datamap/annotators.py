"""The data map against the annotators: for the training pairs that carry annotator labels
(SNLI dev and test pairs have 5, ChaosNLI 100), how agreement and the entropy of the human
labels spread over the regions, how variability and confidence rank against that entropy, and
which hard-to-learn pairs look like label errors.

- **Agreement per region**: the pairs per agreement level (the agreement breakdown's levels:
  `5/5`, `4/5`, `3/5`, no consensus; entropy bins with many annotators), the mean entropy of the
  human label distribution (bits), and the share of pairs whose gold label got at most
  `weak_majority` of the votes (3 of 5 at the default 0.6).
- **Rank correlations** over every annotated pair: Spearman's rho of variability, and of
  confidence, with the human entropy, each with a percentile bootstrap interval.
- **Possible label errors**: hard-to-learn pairs whose gold label has a weak majority (at most
  `weak_majority` of the votes) or whose votes favour the label the model chose over the gold
  one; least confident first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.core.labels import Label
from nli_probe.scoring.datamap.rank_correlation import Correlation, spearmans
from nli_probe.scoring.datamap.regions import HARD, REGION_NAMES

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from nli_probe.scoring.datamap.coordinates import Coordinates

WEAK_MAJORITY = 0.6
"""A gold label with at most this share of the votes has a weak majority (3 of 5)."""
MIN_VOTES = 2
"""Pairs with fewer annotator labels than this (SNLI train's single label) are not annotated."""


@dataclass(frozen=True, kw_only=True)
class RegionAgreement(JsonRecord):
    """The annotated pairs of one region."""

    region: str
    pairs: int
    """All pairs in the region."""
    annotated: int
    """Those with at least `MIN_VOTES` annotator labels."""
    levels: Mapping[str, int] = field(default_factory=dict)
    """Agreement level → annotated pairs at it, in the breakdown's reading order."""
    mean_entropy: float | None = None
    """Mean entropy (bits) of the human label distribution."""
    weak_share: float | None = None
    """Share of annotated pairs whose gold label got at most `weak_majority` of the votes."""


@dataclass(frozen=True, kw_only=True)
class LabelSuspect(JsonRecord):
    """A hard-to-learn pair whose annotators cast doubt on its gold label."""

    index: int
    """Position in the training set."""
    id: str
    premise: str
    hypothesis: str
    gold: str
    model_label: str
    """The label the model chose at most records."""
    votes: tuple[int, int, int]
    """Annotator labels per label, in `Label` order."""
    confidence: float
    variability: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class AnnotatorTies(JsonRecord):
    """Everything the annotators say about one data map."""

    annotated: int
    scheme: str
    """`votes` (levels like 5/5) or `entropy` (bins of the human entropy)."""
    weak_majority: float
    regions: tuple[RegionAgreement, ...] = ()
    variability_entropy: Correlation | None = None
    confidence_entropy: Correlation | None = None
    label_errors: int = 0
    """How many hard-to-learn pairs are possible label errors."""
    suspects: tuple[LabelSuspect, ...] = ()
    """The first of them, least confident first."""


def annotator_ties(
    coords: Coordinates,
    regions: NDArray[Any],
    votes: NDArray[Any],
    gold: NDArray[Any],
    *,
    texts: Any,
    weak_majority: float = WEAK_MAJORITY,
    resamples: int = 1000,
    seed: int = 0,
    suspects: int = 20,
) -> AnnotatorTies | None:
    """The annotators' view of a data map; None when no pair has `MIN_VOTES` labels.

    Args:
        coords: each pair's place on the map.
        regions: each pair's region code.
        votes: (pairs, 3) annotator labels per label.
        gold: each pair's gold label.
        texts: the pair table (`id`, `premise`, `hypothesis` of the suspects are read there).
        weak_majority: see `WEAK_MAJORITY`.
        resamples: bootstrap resamples of the rank correlations (0: no interval).
        seed: their seed.
        suspects: at most this many possible label errors are listed (all are counted).
    """
    import numpy as np

    from nli_probe.scoring.agreement import level_order, vote_levels

    votes = np.asarray(votes, dtype=np.int64)
    counts = votes.sum(axis=1)
    annotated = counts >= MIN_VOTES
    if not annotated.any():
        return None
    rows = np.flatnonzero(annotated)
    scheme, levels = vote_levels(votes[rows])
    order = level_order(levels)
    entropy = _entropy_bits(votes[rows] / counts[rows, None])
    gold_rows = np.asarray(gold, dtype=np.int64)[rows]
    gold_share = votes[rows, gold_rows] / counts[rows]
    weak = gold_share <= weak_majority + 1e-9
    region_rows = np.asarray(regions)[rows]
    per_region = []
    for code, name in enumerate(REGION_NAMES):
        inside = region_rows == code
        tally: dict[str, int] = dict.fromkeys(order, 0)
        for level in (levels[i] for i in np.flatnonzero(inside)):
            if level is not None:
                tally[level] += 1
        count = int(inside.sum())
        per_region.append(
            RegionAgreement(
                region=name,
                pairs=int((np.asarray(regions) == code).sum()),
                annotated=count,
                levels={level: n for level, n in tally.items() if n},
                mean_entropy=float(entropy[inside].mean()) if count else None,
                weak_share=float(weak[inside].mean()) if count else None,
            )
        )
    correlations = spearmans(
        [coords.variability[rows], coords.confidence[rows]], entropy, resamples=resamples, seed=seed
    )
    model = coords.model_label.astype(np.int64)[rows]
    favour = votes[rows, model] > votes[rows, gold_rows]
    doubtful = (region_rows == HARD) & (weak | favour)
    found = rows[doubtful]
    found = found[np.argsort(coords.confidence[found], kind="stable")]
    listed = tuple(
        _suspect(int(row), coords, votes, gold, weak_majority, texts) for row in found[:suspects]
    )
    return AnnotatorTies(
        annotated=len(rows),
        scheme=scheme,
        weak_majority=weak_majority,
        regions=tuple(per_region),
        variability_entropy=correlations[0],
        confidence_entropy=correlations[1],
        label_errors=len(found),
        suspects=listed,
    )


def _entropy_bits(shares: NDArray[Any]) -> NDArray[np.float64]:
    """Entropy in bits of each row of label shares (0 log 0 = 0), in numpy alone: the data map
    of a whole training set should not wait for scipy to import."""
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(shares > 0, np.log2(shares), 0.0)
    result: NDArray[np.float64] = np.maximum(-(shares * logs).sum(axis=1), 0.0)
    return result


def _suspect(
    row: int,
    coords: Coordinates,
    votes: NDArray[Any],
    gold: NDArray[Any],
    weak_majority: float,
    texts: Any,
) -> LabelSuspect:
    tally = tuple(int(v) for v in votes[row])
    total = sum(tally)
    gold_label = Label(int(gold[row]))
    model_label = Label(int(coords.model_label[row]))
    reasons = []
    if tally[gold_label] <= weak_majority * total + 1e-9:
        reasons.append(f"weak majority: {gold_label} has {tally[gold_label]} of {total} votes")
    if tally[model_label] > tally[gold_label]:
        reasons.append(
            f"the votes favour the model's {model_label} ({tally[model_label]}) over "
            f"{gold_label} ({tally[gold_label]})"
        )
    return LabelSuspect(
        index=row,
        id=texts.ids[row],
        premise=texts.premises[row],
        hypothesis=texts.hypotheses[row],
        gold=str(gold_label),
        model_label=str(model_label),
        votes=(tally[0], tally[1], tally[2]),
        confidence=float(coords.confidence[row]),
        variability=float(coords.variability[row]),
        reasons=tuple(reasons),
    )
