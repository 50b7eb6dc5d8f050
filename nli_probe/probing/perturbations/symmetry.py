"""Edits whose label follows from the logic of the relation itself, not from any word list.

- `swap_contradiction`: contradiction is symmetric (if P rules out H, H rules out P), so a
  contradiction pair with premise and hypothesis swapped is still a contradiction (Minervini &
  Riedel 2018). Entailment and neutral are not symmetric ("a dog runs" entails "an animal
  runs", not the other way round), so the swap does not apply to them.
- `premise_as_hypothesis`: every sentence entails itself, so (P, P) is an entailment whatever
  the original pair's label.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.probing.perturbation import Perturbation, Variant, register_perturbation


@register_perturbation("swap_contradiction")
def swap_contradiction() -> Perturbation:
    """Swap premise and hypothesis of a contradiction: still a contradiction."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        if example.gold is not Label.CONTRADICTION:
            return
        yield Variant(
            premise=example.hypothesis,
            hypothesis=example.premise,
            label=Label.CONTRADICTION,
            note="premise and hypothesis swapped",
        )

    return Perturbation(
        name="swap_contradiction",
        target="both",
        apply=apply,
        description="a contradiction read backwards is a contradiction",
    )


@register_perturbation("premise_as_hypothesis")
def premise_as_hypothesis() -> Perturbation:
    """Use the premise as the hypothesis: a sentence entails itself."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        if not example.premise.strip():
            return
        yield Variant(
            premise=example.premise,
            hypothesis=example.premise,
            label=Label.ENTAILMENT,
            note="hypothesis = premise",
        )

    return Perturbation(
        name="premise_as_hypothesis",
        target="hypothesis",
        apply=apply,
        description="a premise entails itself",
    )
