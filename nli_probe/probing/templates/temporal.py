"""Temporal order: "A arrived before B." entails "B arrived after A." and contradicts "B
arrived before A."; "X ate breakfast before she went to work." entails "X went to work after
she ate breakfast." and contradicts the reversed order."""

from __future__ import annotations

import random

from nli_probe.core.labels import Label
from nli_probe.probing.template import Template, register_template
from nli_probe.probing.templates._frames import frames_template
from nli_probe.probing.templates._words import ARRIVALS, EVENTS, MEN, WOMEN


def _two_people(rng: random.Random) -> tuple[str, str, str]:
    a, b = rng.sample(MEN + WOMEN, 2)
    return a, b, rng.choice(ARRIVALS)


def _converse(rng: random.Random) -> tuple[str, str, Label]:
    a, b, event = _two_people(rng)
    return f"{a} {event} before {b}.", f"{b} {event} after {a}.", Label.ENTAILMENT


def _reversed(rng: random.Random) -> tuple[str, str, Label]:
    a, b, event = _two_people(rng)
    return f"{a} {event} before {b}.", f"{b} {event} before {a}.", Label.CONTRADICTION


def _one_person(rng: random.Random) -> tuple[str, str, tuple[str, str], tuple[str, str]]:
    if rng.random() < 0.5:
        name, pronoun = rng.choice(MEN), "he"
    else:
        name, pronoun = rng.choice(WOMEN), "she"
    first, second = rng.sample(EVENTS, 2)
    return name, pronoun, first, second


def _sequence_converse(rng: random.Random) -> tuple[str, str, Label]:
    name, pronoun, (first, _), (second, _) = _one_person(rng)
    return (
        f"{name} {first} before {pronoun} {second}.",
        f"{name} {second} after {pronoun} {first}.",
        Label.ENTAILMENT,
    )


def _sequence_reversed(rng: random.Random) -> tuple[str, str, Label]:
    name, pronoun, (first, _), (second, _) = _one_person(rng)
    return (
        f"After {name} {first}, {pronoun} {second}.",
        f"{name} {second} before {pronoun} {first}.",
        Label.CONTRADICTION,
    )


@register_template("temporal")
def temporal(*, n: int = 80) -> Template:
    """Before/after: the converse is entailed, the reversed order contradicted."""
    return frames_template(
        "temporal",
        (_converse, _reversed, _sequence_converse, _sequence_reversed),
        n=n,
        description="temporal order: converse entailed, reversal contradicted",
    )
