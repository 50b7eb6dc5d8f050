"""The low-agreement examination: the pairs annotators disagreed on most, with every model's view.

The study looked at its low inter-rater-reliability pairs by hand. Here they are listed by the
entropy of the human label distribution, most disagreement first, each with the human
distribution beside each model's probabilities and divergences, and can be re-sorted by any
model's divergence from the humans (`sort_pairs`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from nli_probe.scoring.example_arrays import ExampleArrays

SORT_KEYS = ("entropy", "jsd", "kl")


@dataclass(frozen=True, kw_only=True)
class ModelView(JsonRecord):
    """One model's probabilities on one pair and their divergence from the humans."""

    name: str
    probs: tuple[float, float, float]
    label: str
    jsd: float
    """Jensen-Shannon distance to the human distribution (nats)."""
    kl: float
    """KL(human || model) in nats."""


@dataclass(frozen=True, kw_only=True)
class LowAgreementPair(JsonRecord):
    """A pair, its annotators' distribution and each model's view of it."""

    id: str
    premise: str
    hypothesis: str
    gold: str | None
    level: str
    annotators: int
    human: tuple[float, float, float]
    """Share of annotators per label, in `Label` order."""
    entropy: float
    """Entropy of `human` in bits (0: unanimous, 1.585: evenly split)."""
    models: tuple[ModelView, ...] = ()

    def view(self, model: str) -> ModelView | None:
        for view in self.models:
            if view.name == model:
                return view
        return None


def low_agreement_pairs(
    arrays: ExampleArrays,
    levels: Sequence[str | None],
    model_probs: Mapping[str, tuple[NDArray[Any], NDArray[Any]]],
    *,
    limit: int = 50,
) -> tuple[LowAgreementPair, ...]:
    """The `limit` annotated pairs with the highest human entropy (ties: lower agreement, then
    id), each with every model's probabilities and divergences.

    Args:
        arrays: the examples.
        levels: each example's agreement level (from `agreement.agreement_levels`).
        model_probs: model name -> (probabilities (n, 3), mask of rows it predicted).
        limit: how many pairs to keep.
    """
    import numpy as np

    from nli_probe.scoring.divergence import distribution_divergences, entropy_bits

    human = arrays.human_distribution()
    entropies = entropy_bits(human)
    annotated = np.flatnonzero(arrays.annotated)
    top_share = arrays.votes.max(axis=1) / np.maximum(arrays.annotators, 1)
    ids = np.array(arrays.ids, dtype=object)
    order = annotated[np.lexsort((ids[annotated], top_share[annotated], -entropies[annotated]))][
        : max(limit, 0)
    ]
    divergences = {
        name: distribution_divergences(human[order], probs[order])
        for name, (probs, _) in model_probs.items()
    }
    pairs = []
    for k, i in enumerate(order):
        example = arrays.examples[i]
        views = []
        for name, (probs, present) in model_probs.items():
            if not present[i]:
                continue
            _, kl, jsd = divergences[name]
            row = probs[i]
            views.append(
                ModelView(
                    name=name,
                    probs=(float(row[0]), float(row[1]), float(row[2])),
                    label=_label_name(int(np.argmax(row))),
                    jsd=float(jsd[k]),
                    kl=float(kl[k]),
                )
            )
        h = human[i]
        pairs.append(
            LowAgreementPair(
                id=example.id,
                premise=example.premise,
                hypothesis=example.hypothesis,
                gold=None if example.gold is None else str(example.gold),
                level=levels[i] or "",
                annotators=int(arrays.annotators[i]),
                human=(float(h[0]), float(h[1]), float(h[2])),
                entropy=float(entropies[i]),
                models=tuple(views),
            )
        )
    return tuple(pairs)


def sort_pairs(
    pairs: Sequence[LowAgreementPair],
    *,
    by: str = "entropy",
    model: str | None = None,
    descending: bool = True,
) -> list[LowAgreementPair]:
    """Pairs ordered by human entropy, or by one model's `jsd` or `kl` (pairs that model has no
    prediction for go last)."""
    if by not in SORT_KEYS:
        raise ValueError(f"unknown sort key {by!r} (known: {', '.join(SORT_KEYS)})")
    if by == "entropy":
        return sorted(pairs, key=lambda pair: pair.entropy, reverse=descending)
    if model is None:
        raise ValueError(f"sorting by {by} needs a model name")
    sign = -1.0 if descending else 1.0

    def key(pair: LowAgreementPair) -> tuple[int, float]:
        view = pair.view(model)
        if view is None:
            return (1, 0.0)
        return (0, sign * (view.jsd if by == "jsd" else view.kl))

    return sorted(pairs, key=key)


def _label_name(index: int) -> str:
    from nli_probe.core.labels import Label

    return str(Label(index))
