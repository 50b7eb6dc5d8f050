"""Examples and predictions as numpy arrays, built once per report so every score is vectorised.

A report of 10,000 pairs and 3 models must open in the TUI in well under 2 seconds: the Python
objects are walked once here, and everything after works on whole arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.example import Example
from nli_probe.core.parts import TWO_WAY
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
    `annotators` the number of annotator labels per example; `two_way` marks the examples of
    entailment / non-entailment data (`meta["label_scheme"] == "two-way"`, gold non-entailment
    stored as NEUTRAL), which are scored two-way.
    """

    examples: tuple[Example, ...]
    ids: tuple[str, ...]
    gold: NDArray[np.int64]
    votes: NDArray[np.int64]
    annotators: NDArray[np.int64]
    two_way: NDArray[np.bool_]

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

    def subset(self, rows: Sequence[int] | NDArray[Any]) -> ExampleArrays:
        """The arrays of the examples at `rows` (positions), in that order."""
        import numpy as np

        index = np.asarray(rows, dtype=np.int64)
        return ExampleArrays(
            examples=tuple(self.examples[i] for i in index.tolist()),
            ids=tuple(self.ids[i] for i in index.tolist()),
            gold=self.gold[index],
            votes=self.votes[index],
            annotators=self.annotators[index],
            two_way=self.two_way[index],
        )


def example_arrays(examples: Sequence[Example]) -> ExampleArrays:
    """Build the arrays for `examples` (one pass over the Python objects)."""
    import numpy as np

    n = len(examples)
    gold = np.full(n, NO_GOLD, dtype=np.int64)
    votes = np.zeros((n, 3), dtype=np.int64)
    two_way = np.zeros(n, dtype=bool)
    for i, example in enumerate(examples):
        if example.meta.get("label_scheme") == TWO_WAY:
            two_way[i] = True
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
        two_way=two_way,
    )


def fold_two_way(probs: NDArray[Any], two_way: NDArray[Any]) -> NDArray[np.float64]:
    """A copy of `probs` in which the rows of two-way examples read neutral + contradiction as
    non-entailment (stored in the neutral column; contradiction 0), as HANS is scored: a
    three-way model's neutral and contradiction both mean "not entailed"."""
    import numpy as np

    folded: NDArray[np.float64] = np.array(probs, dtype=np.float64, copy=True)
    if two_way.any():
        folded[two_way, 1] += folded[two_way, 2]
        folded[two_way, 2] = 0.0
    return folded


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
