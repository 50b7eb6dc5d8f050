"""The playground's variants: what every built-in perturbation makes of one typed pair.

Pure (no textual): `pair_variants` builds each registered perturbation with its default
arguments and applies it with the runner's seeding, so the playground shows the variants a
probe run would make of the same pair.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from nli_probe.errors import NLIProbeError
from nli_probe.example import Example
from nli_probe.labels import Label
from nli_probe.perturbation import PERTURBATIONS, Variant

PLAYGROUND_ID = "playground"


@dataclass(frozen=True, kw_only=True, slots=True)
class NamedVariant:
    """A variant and the perturbation that made it."""

    perturbation: str
    variant: Variant


def pair_variants(
    premise: str,
    hypothesis: str,
    *,
    gold: Label | None = None,
    seed: int = 0,
    names: Sequence[str] | None = None,
) -> list[NamedVariant]:
    """Every variant the registered perturbations (or those in `names`) make of the pair.

    Perturbations that need arguments without defaults, that do not apply, or that fail on
    this pair contribute nothing; `identity` is left out (it is the pair itself).
    """
    example = Example(id=PLAYGROUND_ID, premise=premise, hypothesis=hypothesis, gold=gold)
    found: list[NamedVariant] = []
    for name in PERTURBATIONS.names() if names is None else names:
        if name == "identity":
            continue
        try:
            perturbation = PERTURBATIONS.build(name, {})
            rng = random.Random(f"{seed}:{example.id}")
            variants = perturbation.variants(example, rng)
        except (NLIProbeError, TypeError, ValueError, KeyError, IndexError):
            continue  # needs arguments, or cannot edit this pair: nothing to show
        found.extend(NamedVariant(perturbation=name, variant=v) for v in variants)
    return found
