"""The human ceiling, and the model measured the same way.

Each annotator in turn is left out and compared with the majority of the other n-1: how often
that annotator agrees with it is the human ceiling (`human_agreement`); how often the model's
label agrees with those same n-1 leave-one-out majorities, averaged the same way, is the model's
score (`model_agreement`). Both are compared with the same n-1 annotators, so neither side gets
the easier target: a model scored against the majority of all n annotators would be compared
with a majority it cannot be outvoted in, while each human was not.

Where the others' top labels tie, agreeing with one of the k tied labels earns 1/k, the chance
of agreeing under a random tie-break, so no pair is dropped.
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
    """Per row, the mean over annotators of how often one agrees with the majority of the others
    (NaN for rows with fewer than two annotators)."""
    return _leave_one_out(votes, None)


def model_agreement(votes: NDArray[Any], labels: NDArray[Any]) -> NDArray[np.float64]:
    """Per row, the mean over annotators of how often the model's label agrees with the majority
    of the annotators other than that one: the same n-1 majorities `human_agreement` compares
    each annotator with (NaN for rows with fewer than two annotators)."""
    return _leave_one_out(votes, labels)


def _leave_one_out(votes: NDArray[Any], labels: NDArray[Any] | None) -> NDArray[np.float64]:
    import numpy as np

    v = np.asarray(votes, dtype=np.int64).reshape(-1, 3)
    total = v.sum(axis=1)
    agreement = np.zeros(len(v))
    # Annotators with the same label leave the same n-1 others: one pass per label, weighted by
    # how many annotators gave it.
    for left_out in range(3):
        others = v.copy()
        others[:, left_out] -= 1
        others = np.where(v[:, [left_out]] > 0, others, v)  # (weight 0 where nobody gave it)
        compared = np.full(len(v), left_out) if labels is None else np.asarray(labels)
        agreement += v[:, left_out] * majority_credit(others, compared)
    with np.errstate(divide="ignore", invalid="ignore"):
        result: NDArray[np.float64] = np.where(total >= 2, agreement / total, np.nan)
    return result
