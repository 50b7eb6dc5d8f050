"""Examples and predictions as numpy arrays, built once per report so every score is vectorised.

A report of 10,000 pairs and 3 models must open in the TUI in well under 2 seconds: the Python
objects are walked once here, and everything after works on whole arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nli_probe.core.example import Example
from nli_probe.core.prediction import Prediction

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

NO_GOLD = -1
"""The gold value of examples without a gold label."""


@dataclass(frozen=True, kw_only=True, eq=False)
class ExampleArrays:
    """Column views of a sequence of examples.

    `gold` holds the label or `NO_GOLD`; `votes` the annotator count per label (shape (n, 3));
    `annotators` the number of annotator labels per example.
    """

    examples: tuple[Example, ...]
    ids: tuple[str, ...]
    gold: NDArray[np.int64]
    votes: NDArray[np.int64]
    annotators: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.examples)

    @property
    def has_gold(self) -> NDArray[np.bool_]:
        result: NDArray[np.bool_] = self.gold != NO_GOLD
        return result

    @property
    def annotated(self) -> NDArray[np.bool_]:
        result: NDArray[np.bool_] = self.annotators > 0
        return result

    def human_distribution(self) -> NDArray[np.float64]:
        """Share of annotators per label (rows of zeros where there are no annotators)."""
        import numpy as np

        totals = np.maximum(self.annotators, 1)[:, None]
        result: NDArray[np.float64] = self.votes / totals
        return result


def example_arrays(examples: Sequence[Example]) -> ExampleArrays:
    """Build the arrays for `examples` (one pass over the Python objects)."""
    import numpy as np

    n = len(examples)
    gold = np.full(n, NO_GOLD, dtype=np.int64)
    votes = np.zeros((n, 3), dtype=np.int64)
    for i, example in enumerate(examples):
        if example.gold is not None:
            gold[i] = int(example.gold)
        if example.annotator_labels:
            votes[i] = np.bincount(
                np.fromiter(example.annotator_labels, dtype=np.int64), minlength=3
            )
    return ExampleArrays(
        examples=tuple(examples),
        ids=tuple(example.id for example in examples),
        gold=gold,
        votes=votes,
        annotators=votes.sum(axis=1),
    )


def prediction_matrix(
    ids: Sequence[str], predictions: Mapping[str, Prediction]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Probabilities (n, 3) in `ids` order, and a mask of the ids that have a prediction
    (rows without one are zeros)."""
    import numpy as np

    probs = np.zeros((len(ids), 3), dtype=np.float64)
    present = np.zeros(len(ids), dtype=bool)
    for i, example_id in enumerate(ids):
        prediction = predictions.get(example_id)
        if prediction is not None:
            probs[i] = prediction.probs
            present[i] = True
    return probs, present
