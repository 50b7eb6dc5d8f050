"""How well a model's probabilities fit the human label distribution.

Follows ChaosNLI's evaluation: `jsd` is the Jensen-Shannon distance
(`scipy.spatial.distance.jensenshannon`, natural log; ChaosNLI reports 0.229 for RoBERTa-base on
ChaosNLI-SNLI), `kl` is KL(human || model) and `cross_entropy` is -sum(human * log model), all
in nats, with model probabilities floored at 1e-15 and renormalised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.scoring.calibration import normalised_probs

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class DistributionFit(JsonRecord):
    """Mean fit of model probabilities to the human label distribution (None when empty)."""

    count: int
    cross_entropy: float | None = None
    kl: float | None = None
    jsd: float | None = None


def entropy_bits(distribution: NDArray[Any]) -> NDArray[np.float64]:
    """Entropy in bits of each row of a (n, 3) distribution (0 log 0 = 0)."""
    import numpy as np
    from scipy.stats import entropy

    rows = np.asarray(distribution, dtype=np.float64)
    result = np.zeros(rows.shape[0])
    nonzero = rows.sum(axis=1) > 0
    result[nonzero] = entropy(rows[nonzero], base=2, axis=1)
    return result


def distribution_fit(human: NDArray[Any], probs: NDArray[Any]) -> DistributionFit:
    """Mean cross-entropy, KL(human || model) and Jensen-Shannon distance over the rows."""
    if len(human) == 0:
        return DistributionFit(count=0)
    cross_entropy, kl, jsd = distribution_divergences(human, probs)
    return DistributionFit(
        count=len(human),
        cross_entropy=float(cross_entropy.mean()),
        kl=float(kl.mean()),
        jsd=float(jsd.mean()),
    )


def distribution_divergences(
    human: NDArray[Any], probs: NDArray[Any]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per-row cross-entropy, KL(human || model) and Jensen-Shannon distance (nats)."""
    import numpy as np
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import entropy

    h = np.asarray(human, dtype=np.float64).reshape(-1, 3)
    q = normalised_probs(probs)
    kl = entropy(h, q, axis=1) if len(h) else np.zeros(0)
    cross_entropy = -(h * np.log(q)).sum(axis=1)
    jsd = jensenshannon(h, q, axis=1) if len(h) else np.zeros(0)
    return cross_entropy, np.asarray(kl, dtype=np.float64), np.asarray(jsd, dtype=np.float64)
