"""Coreference: a pronoun whose gender picks out one of two named people ("John called Mary
because she was late.") makes the statement about that person entailed ("Mary was late.") and
the same statement about the other person neutral ("John was late.": nobody said so)."""

from __future__ import annotations

import random

from nli_probe.core.labels import Label
from nli_probe.probing.template import Template, register_template
from nli_probe.probing.templates._frames import frames_template
from nli_probe.probing.templates._words import MEN, STATES, WOMEN

# Frames state the clause as fact ("because", "and"), never as a report ("told ... that"),
# which would not entail it.
_FRAMES = (
    "{a} called {b} because {pronoun} was {state}.",
    "{a} met {b}, and {pronoun} was {state}.",
    "{a} helped {b} since {pronoun} was {state}.",
)


def _pair(rng: random.Random) -> tuple[str, str, str, str]:
    """(speaker, referent, referent's pronoun, state): speaker and referent differ in
    gender, so the pronoun can only mean the referent."""
    man, woman = rng.choice(MEN), rng.choice(WOMEN)
    if rng.random() < 0.5:
        return man, woman, "she", rng.choice(STATES)
    return woman, man, "he", rng.choice(STATES)


def _referent(rng: random.Random) -> tuple[str, str, Label]:
    a, b, pronoun, state = _pair(rng)
    premise = rng.choice(_FRAMES).format(a=a, b=b, pronoun=pronoun, state=state)
    return premise, f"{b} was {state}.", Label.ENTAILMENT


def _other(rng: random.Random) -> tuple[str, str, Label]:
    a, b, pronoun, state = _pair(rng)
    premise = rng.choice(_FRAMES).format(a=a, b=b, pronoun=pronoun, state=state)
    return premise, f"{a} was {state}.", Label.NEUTRAL


@register_template("coreference")
def coreference(*, n: int = 60) -> Template:
    """A gendered pronoun picks one of two people: about them entailed, the other neutral."""
    return frames_template(
        "coreference",
        (_referent, _other),
        n=n,
        description="pronoun resolution by gender: referent entailed, other person neutral",
    )
