"""Transformations: the replacements an attack may try for one word.

A `Transformation` is bound to the model under attack when the attack starts (`bind(model)`);
the bound function takes a `Word` and a seeded `random.Random` and returns candidate
replacements (the word itself, empty strings and repeats are dropped by the attack). Most
transformations ignore the model; the embedding-neighbour one reads its input embeddings.

The attack seeds `rng` per word (`f"{seed}:{example id}:{side}:{word index}"`), so a word's
candidates depend on nothing else: a run is reproducible, and every rank of a sharded run takes
the same path.

Adding one:

    from nli_probe import Transformation, register_transformation

    @register_transformation("shout")
    def shout() -> Transformation:
        \"\"\"The word in capitals.\"\"\"  # first docstring line is shown by `suites ls --all`
        return word_transformation("shout", lambda word, rng: [word.text.upper()])

A factory's keyword arguments are what TOML suites may pass
(`transformations = [{ name = "chars", edits = ["swap"] }]`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nli_probe.core.protocol import Model
from nli_probe.core.registry import Registry
from nli_probe.core.words import Word

WordFn = Callable[[Word, random.Random], Sequence[str]]
"""`(word, rng) -> replacements`."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Transformation:
    """A named source of replacement words, bound to the model under attack when it starts."""

    name: str
    bind: Callable[[Model], WordFn]
    description: str = ""


def word_transformation(name: str, replace: WordFn, *, description: str = "") -> Transformation:
    """A transformation that does not depend on the model."""
    return Transformation(name=name, bind=lambda model: replace, description=description)


TRANSFORMATIONS: Registry[Transformation] = Registry(
    "transformation", builtin_packages=("nli_probe.probing.attacks.transformations",)
)
"""Every registered transformation factory, by name."""

register_transformation = TRANSFORMATIONS.register
"""Decorator: `@register_transformation("name")` on a factory returning a `Transformation`."""


def get_transformation(name: str, **args: object) -> Transformation:
    """Build the registered transformation `name` with keyword `args` (`NLIProbeError` if
    unknown or if the arguments do not fit)."""
    return TRANSFORMATIONS.build(name, args)
