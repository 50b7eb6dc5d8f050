"""Turning labelled sentence frames into a `Template`: the shared part of the built-in
templates whose examples mix labels (comparatives, taxonomy, temporal order, coreference)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError
from nli_probe.probing.template import Template

LabelledFrame = Callable[[random.Random], tuple[str, str, Label]]
"""rng -> (premise, hypothesis, gold)."""


def frames_template(
    name: str, frames: Sequence[LabelledFrame], *, n: int, description: str
) -> Template:
    """A template whose `n` examples take the frames in turn (so each sub-case, and each
    label, is equally represented), with ids `name-0`, `name-1`, ..."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise NLIProbeError(f"n must be a positive whole number, got {n!r}")

    def generate(rng: random.Random) -> Iterable[Example]:
        for i in range(n):
            premise, hypothesis, gold = frames[i % len(frames)](rng)
            yield Example(
                id=f"{name}-{i}",
                premise=premise,
                hypothesis=hypothesis,
                gold=gold,
                source=f"template:{name}",
            )

    return Template(name=name, generate=generate, description=description)
