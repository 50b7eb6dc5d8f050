"""The data map's regions, and the paper's subsets for retraining.

Swayamdipta et al. (2020) describe three regions: *easy-to-learn* pairs (high confidence, low
variability), *hard-to-learn* pairs (low confidence, low variability) and *ambiguous* pairs
(high variability). Their selection experiments take a share of the training set by one
measure: the most ambiguous are the pairs of highest variability, the hardest to learn those of
lowest confidence, the easiest those of highest confidence, 33% each.

Regions here follow that, in this order:

1. **ambiguous**: variability at or above the ambiguous cutoff, and above 0;
2. **hard-to-learn**: the rest, with confidence at or below the hard cutoff;
3. **easy-to-learn**: the rest, with confidence at or above the easy cutoff;
4. **other**: the pairs in none of them.

A cutoff is a share of the pairs (`33%`, the default for each: the value of the pair at that
rank, ties at it included) or a value of the measure itself (`0.2`). `select` takes the paper's
subsets for retraining: exactly the given share of the pairs by the region's measure alone
(ties broken by training-set order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from nli_probe.scoring.datamap.coordinates import Coordinates

EASY, AMBIGUOUS, HARD, OTHER = 0, 1, 2, 3
REGION_NAMES = ("easy-to-learn", "ambiguous", "hard-to-learn", "other")
"""Display names, indexed by the region codes above."""
SUBSETS = {"easy": EASY, "ambiguous": AMBIGUOUS, "hard": HARD}
"""The short names the command line takes for a region."""
PAPER_SHARE = 0.33
"""The share each of the paper's selection experiments keeps."""


@dataclass(frozen=True, kw_only=True)
class Cutoff(JsonRecord):
    """Where a region starts: a share of the pairs (`share=True`) or a value of its measure."""

    value: float
    share: bool = True

    def describe(self) -> str:
        return f"{self.value:.0%}" if self.share else f"{self.value:g}"

    @classmethod
    def parse(cls, text: str, *, what: str) -> Cutoff:
        """`33%` (a share of the pairs) or `0.2` (a value from 0 to 1).

        Raises:
            NLIProbeError: anything else, naming `what`.
        """
        raw = text.strip()
        share = raw.endswith("%")
        try:
            number = float(raw.removesuffix("%"))
        except ValueError:
            number = math.nan
        value = number / 100 if share else number
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise NLIProbeError(
                f"{what}: {text!r} is neither a share of the pairs from 0% to 100% (e.g. 33%) "
                f"nor a value from 0 to 1 (e.g. 0.2)"
            )
        return cls(value=value, share=share)


@dataclass(frozen=True, kw_only=True)
class RegionThresholds(JsonRecord):
    """The three cutoffs (the paper's 33% each by default)."""

    ambiguous: Cutoff = Cutoff(value=PAPER_SHARE)
    """Highest variability."""
    hard: Cutoff = Cutoff(value=PAPER_SHARE)
    """Lowest confidence."""
    easy: Cutoff = Cutoff(value=PAPER_SHARE)
    """Highest confidence."""

    def describe(self) -> str:
        return (
            f"ambiguous: top {self.ambiguous.describe()} by variability; hard-to-learn: bottom "
            f"{self.hard.describe()} by confidence; easy-to-learn: top {self.easy.describe()} "
            f"by confidence"
        )


@dataclass(frozen=True, kw_only=True)
class ResolvedCutoffs(JsonRecord):
    """The values the cutoffs came to on one map (what a share of the pairs meant there)."""

    variability: float
    """Ambiguous at or above this variability (and above 0)."""
    hard_confidence: float
    """Hard-to-learn at or below this confidence."""
    easy_confidence: float
    """Easy-to-learn at or above this confidence."""


def assign_regions(
    coords: Coordinates, thresholds: RegionThresholds
) -> tuple[NDArray[np.int8], ResolvedCutoffs]:
    """Each pair's region code (`EASY`, `AMBIGUOUS`, `HARD`, `OTHER`) and the cutoff values.

    Raises:
        NLIProbeError: cutoffs where hard-to-learn and easy-to-learn would overlap.
    """
    import numpy as np

    variability, confidence = coords.variability, coords.confidence
    cut_v = _cutoff(variability, thresholds.ambiguous, highest=True)
    cut_hard = _cutoff(confidence, thresholds.hard, highest=False)
    cut_easy = _cutoff(confidence, thresholds.easy, highest=True)
    hard, easy = thresholds.hard, thresholds.easy
    if hard.share == easy.share and (
        hard.value + easy.value > 1.0 if hard.share else hard.value >= easy.value
    ):
        raise NLIProbeError(
            f"the hard-to-learn cutoff ({hard.describe()}) and the easy-to-learn cutoff "
            f"({easy.describe()}) overlap: hard-to-learn pairs are the least confident, "
            f"easy-to-learn ones the most"
        )
    regions = np.full(len(variability), OTHER, dtype=np.int8)
    ambiguous = (variability >= cut_v) & (variability > 0)
    rest = ~ambiguous
    hard_rows = rest & (confidence <= cut_hard)
    easy_rows = rest & ~hard_rows & (confidence >= cut_easy)
    regions[ambiguous] = AMBIGUOUS
    regions[hard_rows] = HARD
    regions[easy_rows] = EASY
    return regions, ResolvedCutoffs(
        variability=float(cut_v), hard_confidence=float(cut_hard), easy_confidence=float(cut_easy)
    )


def _cutoff(values: NDArray[Any], cutoff: Cutoff, *, highest: bool) -> float:
    """The value a cutoff comes to: itself, or the value at rank `share x pairs` from the top
    (`highest`) or the bottom. A share of 0 selects nothing."""
    import numpy as np

    if not cutoff.share:
        return cutoff.value
    count = round(cutoff.value * len(values))
    if count <= 0 or len(values) == 0:
        return math.inf if highest else -math.inf
    count = min(count, len(values))
    if highest:
        return float(np.partition(values, len(values) - count)[len(values) - count])
    return float(np.partition(values, count - 1)[count - 1])


def select(coords: Coordinates, subset: str, fraction: float) -> NDArray[np.int64]:
    """The paper's subset for retraining: positions of the `fraction` of the pairs with the
    highest variability (`ambiguous`), the lowest confidence (`hard`) or the highest
    confidence (`easy`), most extreme first; ties go by training-set order.

    Raises:
        NLIProbeError: an unknown subset name, or a fraction outside (0, 1].
    """
    import numpy as np

    if subset not in SUBSETS:
        raise NLIProbeError(
            f"unknown region {subset!r}{did_you_mean(subset, SUBSETS)} "
            f"(regions: {', '.join(SUBSETS)})"
        )
    if not (math.isfinite(fraction) and 0.0 < fraction <= 1.0):
        raise NLIProbeError(f"the fraction must be more than 0 and at most 1, got {fraction}")
    count = max(1, round(fraction * len(coords)))
    if subset == "ambiguous":
        key = -coords.variability
    elif subset == "hard":
        key = coords.confidence
    else:
        key = -coords.confidence
    order: NDArray[np.int64] = np.argsort(key, kind="stable")[:count]
    return order
