"""Comparatives: "A is taller than B" entails its converse "B is shorter than A" and
contradicts "B is taller than A" and "A is shorter than B" (comparatives are asymmetric)."""

from __future__ import annotations

import random

from nli_probe.core.labels import Label
from nli_probe.probing.template import Template, register_template
from nli_probe.probing.templates._frames import frames_template
from nli_probe.probing.templates._words import COMPARATIVES, MEN, WOMEN


def _setup(rng: random.Random) -> tuple[str, str, str, str, str]:
    a, b = rng.sample(MEN + WOMEN, 2)
    more, less = rng.choice(COMPARATIVES)
    return a, b, more, less, f"{a} is {more} than {b}."


def _converse(rng: random.Random) -> tuple[str, str, Label]:
    a, b, _more, less, premise = _setup(rng)
    return premise, f"{b} is {less} than {a}.", Label.ENTAILMENT


def _reversed(rng: random.Random) -> tuple[str, str, Label]:
    a, b, more, _less, premise = _setup(rng)
    return premise, f"{b} is {more} than {a}.", Label.CONTRADICTION


def _opposite(rng: random.Random) -> tuple[str, str, Label]:
    a, b, _more, less, premise = _setup(rng)
    return premise, f"{a} is {less} than {b}.", Label.CONTRADICTION


def _restated(rng: random.Random) -> tuple[str, str, Label]:
    a, b, more, _less, premise = _setup(rng)
    return premise, f"{b} is not as {_positive(more)} as {a}.", Label.ENTAILMENT


_POSITIVE = {
    "taller": "tall", "older": "old", "faster": "fast", "heavier": "heavy", "richer": "rich",
    "stronger": "strong", "louder": "loud", "happier": "happy",
}  # fmt: skip


def _positive(comparative: str) -> str:
    return _POSITIVE[comparative]


@register_template("comparatives")
def comparatives(*, n: int = 80) -> Template:
    """Comparatives and their converses ("A is taller than B." / "B is shorter than A.")."""
    return frames_template(
        "comparatives",
        (_converse, _reversed, _restated, _opposite),
        n=n,
        description="comparatives: converse entailed, reversal contradicted",
    )
