"""`ModelContrast`: where two models disagree, pair by pair.

`PairedComparison` (`comparison.py`) says whether A's accuracy differs from B's; this says on
which pairs: the pairs A gets right and B wrong, the reverse, and how A's predicted labels line
up with B's (a 3x3 table, on every pair both predicted, with or without gold). The TUI's
disagreement view lists these pairs; `nli-probe` front-ends read the counts, never recount.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nli_probe.core.jsonable import JsonRecord

if TYPE_CHECKING:
    from nli_probe.core.report import Report


@dataclass(frozen=True, kw_only=True)
class ModelContrast(JsonRecord):
    """Model A against model B, pair by pair, on the pairs both predicted.

    The right/wrong lists cover pairs with a gold label; `cross` covers every shared pair.
    Ids are in the report's order.
    """

    model_a: str
    model_b: str
    shared: int
    """Pairs both models predicted."""
    scored: int
    """Shared pairs with a gold label (the ones the right/wrong lists split)."""
    only_a_right: tuple[str, ...] = ()
    """Ids of pairs A gets right and B wrong."""
    only_b_right: tuple[str, ...] = ()
    """Ids of pairs B gets right and A wrong."""
    both_right: int = 0
    both_wrong: int = 0
    both_wrong_differently: tuple[str, ...] = ()
    """Ids of pairs both get wrong, with different labels."""
    label_disagreements: tuple[str, ...] = ()
    """Ids of every shared pair (gold or not) the two label differently."""
    cross: tuple[tuple[int, ...], ...] = ((0, 0, 0), (0, 0, 0), (0, 0, 0))
    """Shared pairs by A's predicted label (rows) and B's (columns), in `Label` order; on
    two-way pairs non-entailment counts as neutral."""


def contrast_models(report: Report, model_a: str, model_b: str) -> ModelContrast:
    """Contrast two of `report`'s models (`NLIProbeError` naming the known ones if absent)."""
    import numpy as np

    from nli_probe.scoring.example_arrays import example_arrays, fold_two_way, prediction_matrix

    run_a, run_b = report.model(model_a), report.model(model_b)
    arrays = example_arrays(report.examples)
    probs_a, present_a = prediction_matrix(arrays.ids, run_a.predictions)
    probs_b, present_b = prediction_matrix(arrays.ids, run_b.predictions)
    # Two-way pairs (HANS) are judged as the scores judge them: neutral + contradiction read as
    # non-entailment, so a model is not "wrong" for saying contradiction on a non-entailed pair.
    probs_a = fold_two_way(probs_a, arrays.two_way)
    probs_b = fold_two_way(probs_b, arrays.two_way)
    shared = present_a & present_b
    label_a = probs_a.argmax(axis=1)
    label_b = probs_b.argmax(axis=1)
    cross = np.zeros((3, 3), dtype=np.int64)
    np.add.at(cross, (label_a[shared], label_b[shared]), 1)
    scored = shared & arrays.has_gold
    right_a = scored & (label_a == arrays.gold)
    right_b = scored & (label_b == arrays.gold)
    ids = np.array(arrays.ids, dtype=object)

    def listed(mask: np.ndarray) -> tuple[str, ...]:
        return tuple(str(example_id) for example_id in ids[mask])

    wrong_both = scored & ~right_a & ~right_b
    return ModelContrast(
        model_a=model_a,
        model_b=model_b,
        shared=int(shared.sum()),
        scored=int(scored.sum()),
        only_a_right=listed(right_a & ~right_b),
        only_b_right=listed(right_b & ~right_a),
        both_right=int((right_a & right_b).sum()),
        both_wrong=int(wrong_both.sum()),
        both_wrong_differently=listed(wrong_both & (label_a != label_b)),
        label_disagreements=listed(shared & (label_a != label_b)),
        cross=tuple(tuple(int(c) for c in row) for row in cross),
    )
