"""Taxonomy (hypernyms): "a dog" is "an animal", so "A man is holding a dog." entails "A man is
holding an animal." but not the other way round (neutral), and contradicts "A man is not
holding an animal." (negating the hypernym rules out every hyponym)."""

from __future__ import annotations

import random

from nli_probe.core.labels import Label
from nli_probe.probing.template import Template, register_template
from nli_probe.probing.templates._frames import frames_template
from nli_probe.probing.templates._words import PEOPLE, TAXONOMY, TAXONOMY_VERBS


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _setup(rng: random.Random) -> tuple[str, str, str, str]:
    hypernym = rng.choice(sorted(TAXONOMY))
    hyponym = rng.choice(TAXONOMY[hypernym])
    return rng.choice(PEOPLE), rng.choice(TAXONOMY_VERBS), hyponym, hypernym


def _up(rng: random.Random) -> tuple[str, str, Label]:
    person, verb, hyponym, hypernym = _setup(rng)
    return (
        f"A {person} is {verb} {_a(hyponym)}.",
        f"A {person} is {verb} {_a(hypernym)}.",
        Label.ENTAILMENT,
    )


def _down(rng: random.Random) -> tuple[str, str, Label]:
    person, verb, hyponym, hypernym = _setup(rng)
    return (
        f"A {person} is {verb} {_a(hypernym)}.",
        f"A {person} is {verb} {_a(hyponym)}.",
        Label.NEUTRAL,
    )


def _negated_up(rng: random.Random) -> tuple[str, str, Label]:
    person, verb, hyponym, hypernym = _setup(rng)
    return (
        f"A {person} is {verb} {_a(hyponym)}.",
        f"The {person} is not {verb} any {hypernym}.",
        Label.CONTRADICTION,
    )


@register_template("taxonomy")
def taxonomy(*, n: int = 90) -> Template:
    """Hyponym to hypernym is entailed ("a dog" -> "an animal"), the reverse is neutral."""
    return frames_template(
        "taxonomy",
        (_up, _down, _negated_up),
        n=n,
        description="hypernyms: up entailed, down neutral, negated up contradicted",
    )
