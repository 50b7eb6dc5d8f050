"""The playground's variants: what the built-in probes make of one typed pair.

Pure (no textual). By default `pair_variants` asks every data probe of every built-in suite
(`nli_probe.probing.runner.variants_of`, the runner's own seeding), so the playground shows the
variants a probe run would make of the same pair, named `suite/probe`. With `names` it applies
those registered perturbations instead, each with its default arguments.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError
from nli_probe.probing.perturbation import PERTURBATIONS, Variant

PLAYGROUND_ID = "playground"


@dataclass(frozen=True, kw_only=True, slots=True)
class NamedVariant:
    """A variant and what made it."""

    perturbation: str
    """The probe (`suite/probe`) or the registered perturbation that made the variant."""
    variant: Variant


def pair_variants(
    premise: str,
    hypothesis: str,
    *,
    gold: Label | None = None,
    seed: int = 0,
    names: Sequence[str] | None = None,
) -> list[NamedVariant]:
    """The variants of (premise, hypothesis): the built-in suites' probes make them, or, with
    `names`, those registered perturbations.

    Probes or perturbations that do not apply or fail on this pair contribute nothing; a
    variant two probes both make is listed once, under the first.
    """
    example = Example(id=PLAYGROUND_ID, premise=premise, hypothesis=hypothesis, gold=gold)
    if names is not None:
        return _perturbation_variants(example, names, seed)
    return _suite_variants(example, seed)


def _suite_variants(example: Example, seed: int) -> list[NamedVariant]:
    from nli_probe.probing.loader import builtin_suite_names, load_builtin_suite
    from nli_probe.probing.runner import variants_of

    found: list[NamedVariant] = []
    seen: set[tuple[tuple[str, str], Label | None]] = set()
    for suite_name in builtin_suite_names():
        try:
            suite = load_builtin_suite(suite_name)
        except NLIProbeError:
            continue  # a suite whose optional extra is not installed
        for probe, variant in variants_of(suite, example, seed=seed):
            if isinstance(variant, str):
                continue  # the perturbation cannot edit this pair
            key = (variant.pair, variant.label)
            if key in seen or variant.pair == example.pair:
                continue
            seen.add(key)
            found.append(NamedVariant(perturbation=f"{suite.name}/{probe.name}", variant=variant))
    return found


def _perturbation_variants(example: Example, names: Sequence[str], seed: int) -> list[NamedVariant]:
    found: list[NamedVariant] = []
    for name in names:
        try:
            perturbation = PERTURBATIONS.build(name, {})
            rng = random.Random(f"{seed}:{example.id}")
            variants = perturbation.variants(example, rng)
        except (NLIProbeError, TypeError, ValueError, KeyError, IndexError):
            continue  # needs arguments, or cannot edit this pair: nothing to show
        found.extend(NamedVariant(perturbation=name, variant=v) for v in variants)
    return found
