"""A pair's place on the data map (Swayamdipta et al., 2020, "Dataset Cartography").

Over the E records of a run (one per epoch, or more when the trainer recorded every N steps),
with p_e the probability the model gave the pair's gold label at record e:

- confidence = (1/E) sum_e p_e, the mean;
- variability = sqrt((1/E) sum_e (p_e - confidence)^2), the standard deviation with the paper's
  1/E (the population form, not 1/(E-1));
- correctness = the share of records at which the model's label (its argmax) was the gold one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True, eq=False)
class Coordinates:
    """Per pair, in training-set order."""

    confidence: NDArray[np.float64]
    variability: NDArray[np.float64]
    correctness: NDArray[np.float64]
    model_label: NDArray[np.int8]
    """The label the model chose at most records (a tie goes to the latest record's label)."""
    last_label: NDArray[np.int8]
    """The label the model chose at the last record."""

    def __len__(self) -> int:
        return len(self.confidence)


def coordinates(
    gold_prob: NDArray[Any], predicted: NDArray[Any], gold: NDArray[Any]
) -> Coordinates:
    """Confidence, variability and correctness from (records, pairs) arrays.

    Args:
        gold_prob: the probability of each pair's gold label, one row per record.
        predicted: the label the model chose, one row per record.
        gold: each pair's gold label.
    """
    import numpy as np

    probs = np.asarray(gold_prob, dtype=np.float64)
    chosen = np.asarray(predicted, dtype=np.int8)
    if probs.ndim != 2 or probs.shape[0] == 0:
        empty = np.zeros(probs.shape[-1] if probs.ndim == 2 else 0)
        labels = np.full(empty.shape, -1, dtype=np.int8)
        return Coordinates(
            confidence=empty,
            variability=empty.copy(),
            correctness=empty.copy(),
            model_label=labels,
            last_label=labels.copy(),
        )
    confidence = probs.mean(axis=0)
    variability = np.sqrt(((probs - confidence) ** 2).mean(axis=0))
    correctness = (chosen == np.asarray(gold, dtype=np.int8)[None, :]).mean(axis=0)
    last = chosen[-1]
    # Counts per label, with half a vote for the last record's label: breaks ties only.
    counts = np.stack([(chosen == label).sum(axis=0) for label in range(3)]).astype(np.float64)
    counts[last, np.arange(chosen.shape[1])] += 0.5
    return Coordinates(
        confidence=confidence,
        variability=variability,
        correctness=correctness,
        model_label=counts.argmax(axis=0).astype(np.int8),
        last_label=last.copy(),
    )
