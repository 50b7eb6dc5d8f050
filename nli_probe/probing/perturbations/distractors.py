"""Distracting additions: an irrelevant true sentence added to the premise."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Literal, get_args

from nli_probe.core.example import Example
from nli_probe.errors import NLIProbeError
from nli_probe.probing.perturbation import Perturbation, Variant, register_perturbation
from nli_probe.probing.perturbations.wordlists import DISTRACTORS

Position = Literal["end", "start"]


@register_perturbation("distractor")
def distractor(*, position: Position = "end") -> Perturbation:
    """Add an irrelevant, always-true sentence ("Water is wet.") to the premise."""
    if position not in get_args(Position):
        raise NLIProbeError(f"position must be 'end' or 'start', got {position!r}")

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        sentence = rng.choice(DISTRACTORS)
        premise = example.premise.strip()
        if position == "end":
            # A premise without final punctuation would run into the added sentence.
            ends = "" if premise[-1:] in (".", "!", "?") else "."
            premise = f"{premise}{ends} {sentence}"
        else:
            premise = f"{sentence} {premise}"
        yield Variant(
            premise=premise, hypothesis=example.hypothesis, label=example.gold, note=sentence
        )

    return Perturbation(
        name="distractor",
        target="premise",
        apply=apply,
        description="add an irrelevant true sentence to the premise",
    )
