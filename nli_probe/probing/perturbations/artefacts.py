"""Artefact probes: take the premise's evidence away and see whether the model still decides.

Crowd-written hypotheses carry cues of their label (Gururangan et al. 2018; Poliak et al. 2018:
"nobody", "sleeping" and negations for contradiction, generic words for entailment), and a
hypothesis-only classifier scores far above chance on SNLI. These probes show whether a model
leans on them:

- `empty_premise`: the premise is removed (the hypothesis alone is what the model sees).
- `shuffled_premise`: the premise's words in a random order; the words are there, the
  sentence is not.

In both a premise that asserts nothing neither entails nor contradicts a hypothesis, so the
implied label is neutral. What counts as a failure is a model that *decides* anyway:

- `no_evidence` (the failure rate to read): the variant is predicted entailment or
  contradiction with probability >= `threshold` (0.5 by default: more likely than both other
  labels together). A model that falls back to neutral, or stays unsure, passes.
- `premise_needed` (a diagnostic): fails when the premise-less prediction equals the original
  pair's non-neutral gold label, i.e. the model solves the example from the hypothesis alone.
  Neutral and unlabelled originals are not applicable. Read it against chance: a uniform
  three-way guess would "fail" 1/3 of these, a guess between entailment and contradiction 1/2.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError
from nli_probe.probing.expectation import Check, Expectation, register_expectation
from nli_probe.probing.perturbation import Perturbation, Variant, register_perturbation
from nli_probe.probing.perturbations._words import words


@register_perturbation("empty_premise")
def empty_premise() -> Perturbation:
    """Remove the premise, leaving the hypothesis alone (implies neutral)."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        if not example.premise.strip():
            return
        yield Variant(
            premise="", hypothesis=example.hypothesis, label=Label.NEUTRAL, note="premise removed"
        )

    return Perturbation(
        name="empty_premise",
        target="premise",
        apply=apply,
        description="hypothesis only: no premise, no evidence",
    )


@register_perturbation("shuffled_premise")
def shuffled_premise() -> Perturbation:
    """Shuffle the premise's words: same words, no sentence (implies neutral)."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        tokens = [w.text for w in words(example.premise)]
        if len(set(tokens)) < 3:
            return  # too few words for a shuffle to destroy the sentence
        shuffled = tokens[:]
        while shuffled == tokens:
            rng.shuffle(shuffled)
        yield Variant(
            premise=" ".join(shuffled),
            hypothesis=example.hypothesis,
            label=Label.NEUTRAL,
            note="premise words shuffled",
        )

    return Perturbation(
        name="shuffled_premise",
        target="premise",
        apply=apply,
        description="premise words in random order: no evidence",
    )


@register_expectation("no_evidence")
def no_evidence(*, threshold: float = 0.5) -> Expectation:
    """MFT: no entailment or contradiction at probability >= threshold without evidence."""
    if not isinstance(threshold, int | float) or not 0.0 < threshold <= 1.0:
        raise NLIProbeError(f"threshold must be a number in (0, 1], got {threshold!r}")

    def judge(check: Check) -> bool | None:
        decided = max(check.after.probs[Label.ENTAILMENT], check.after.probs[Label.CONTRADICTION])
        return decided < threshold

    return Expectation(
        name="no_evidence",
        kind="MFT",
        judge=judge,
        description=f"no entailment/contradiction at p >= {threshold} without evidence",
    )


@register_expectation("premise_needed")
def premise_needed() -> Expectation:
    """MFT: without the premise, the original's entailment/contradiction gold is not recovered.

    Not applicable to neutral or unlabelled originals.
    """

    def judge(check: Check) -> bool | None:
        gold = check.example.gold
        if gold is None or gold is Label.NEUTRAL:
            return None
        return check.after.label != gold

    return Expectation(
        name="premise_needed",
        kind="MFT",
        judge=judge,
        description="gold not recovered from the hypothesis alone",
    )
