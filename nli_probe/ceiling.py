"""The human ceiling: how often one annotator agrees with the majority of the others.

Beside it, the model is scored as one more annotator: how often its label is the majority of all
the annotators. Where the others' top labels tie, agreeing with one of the k tied labels earns
1/k, the chance of agreeing under a random tie-break, so no pair is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def majority_credit(votes: NDArray[Any], label: NDArray[Any]) -> NDArray[np.float64]:
    """Per row, the chance that `label` is the majority of `votes` under a random tie-break:
    1/k when it is one of k tied top labels, else 0."""
    import numpy as np

    v = np.asarray(votes)
    top = v.max(axis=1, keepdims=True)
    is_top = v == top
    ties = is_top.sum(axis=1)
    chosen = is_top[np.arange(len(v)), np.asarray(label)]
    result: NDArray[np.float64] = chosen / np.maximum(ties, 1)
    return result


def human_agreement(votes: NDArray[Any]) -> NDArray[np.float64]:
    """Per row, the mean over annotators of how often one agrees with the majority of the
    others (NaN for rows with fewer than two annotators)."""
    import numpy as np

    v = np.asarray(votes, dtype=np.int64)
    total = v.sum(axis=1)
    agreement = np.zeros(len(v))
    for label in range(3):
        others = v.copy()
        others[:, label] -= 1
        credit = majority_credit(np.where(v[:, [label]] > 0, others, v), np.full(len(v), label))
        agreement += v[:, label] * credit
    with np.errstate(divide="ignore", invalid="ignore"):
        result: NDArray[np.float64] = np.where(total >= 2, agreement / total, np.nan)
    return result
