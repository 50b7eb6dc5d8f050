"""Perturbations: functions that turn one example into zero or more variants.

A `Perturbation` has a name, a target (the premise, the hypothesis or both) and a function
`(example, rng) -> iterable of Variant`. Each `Variant` is a new premise/hypothesis pair and the
gold label it implies (`label`): the original gold for edits that keep the meaning (a typo), a
new label for edits that change it (negating an entailed hypothesis gives a contradiction), or
None where the label cannot be known. Yielding nothing means "does not apply to this example".

The runner calls the function with `random.Random(f"{seed}:{example.id}")`: use only that `rng`
for randomness, so that a run is reproducible and an example's variants do not depend on which
other examples or probes run. A perturbation may raise on a bad example; the runner records the
error with that example and carries on.

Adding a perturbation:

    from nli_probe import Perturbation, Variant, register_perturbation

    @register_perturbation("shout")
    def shout(*, target: Target = "hypothesis") -> Perturbation:
        \"\"\"Upper-case the target text.\"\"\"  # first docstring line is shown by `suites ls`
        def apply(example, rng):
            premise, hypothesis = example.premise, example.hypothesis
            ...
            yield Variant(premise=..., hypothesis=..., label=example.gold)
        return Perturbation(name="shout", target=target, apply=apply)

A factory's keyword arguments are what TOML suites may pass
(`perturbation = { name = "shout", target = "both" }`). For edits of a single text that keep
the label, `text_perturbation` builds the whole thing from a `(text, rng) -> text` function.
Built-in perturbations live in `nli_probe.probing.perturbations` (every module there is
imported when a name is first looked up).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.core.registry import Registry
from nli_probe.errors import NLIProbeError

Target = Literal["premise", "hypothesis", "both"]
"""Which side of the pair a perturbation edits."""

TARGETS: tuple[str, ...] = get_args(Target)


@dataclass(frozen=True, kw_only=True, slots=True)
class Variant:
    """One perturbed pair and the gold label it implies (None: unknown)."""

    premise: str
    hypothesis: str
    label: Label | None
    note: str = ""
    """What changed, for people reading failures (e.g. `"John -> Maria"`)."""

    @property
    def pair(self) -> tuple[str, str]:
        return (self.premise, self.hypothesis)


PerturbFn = Callable[[Example, random.Random], Iterable[Variant]]
"""`(example, rng) -> variants`; nothing when the perturbation does not apply."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Perturbation:
    """A named, seeded edit of NLI examples."""

    name: str
    target: Target
    apply: PerturbFn
    description: str = ""

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise NLIProbeError(
                f"perturbation {self.name!r}: target must be one of {', '.join(TARGETS)}, "
                f"got {self.target!r}"
            )

    def variants(self, example: Example, rng: random.Random) -> list[Variant]:
        """The variants of `example`, as a list."""
        return list(self.apply(example, rng))


TextFn = Callable[[str, random.Random], str | None]
"""`(text, rng) -> edited text`; None or the unchanged text when the edit does not apply."""


def text_perturbation(
    name: str, edit: TextFn, *, target: Target, description: str = ""
) -> Perturbation:
    """A label-keeping perturbation from an edit of one text.

    With `target="both"` the premise is edited first, then the hypothesis, with the same `rng`.
    The variant keeps the example's gold label; no variant when the edit changes nothing.
    """
    check_target(target)

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        premise, hypothesis = example.premise, example.hypothesis
        if target in ("premise", "both"):
            premise = edit(premise, rng) or premise
        if target in ("hypothesis", "both"):
            hypothesis = edit(hypothesis, rng) or hypothesis
        if (premise, hypothesis) != example.pair:
            yield Variant(premise=premise, hypothesis=hypothesis, label=example.gold)

    return Perturbation(name=name, target=target, apply=apply, description=description)


def identity() -> Perturbation:
    """The example itself, with its gold label: for probes whose template already made the
    pairs to test (minimum-functionality tests)."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        yield Variant(premise=example.premise, hypothesis=example.hypothesis, label=example.gold)

    return Perturbation(
        name="identity",
        target="both",
        apply=apply,
        description="the example itself, with its gold label",
    )


def check_target(target: str) -> Target:
    """`target` if it is a valid `Target`; `NLIProbeError` otherwise."""
    if target not in TARGETS:
        raise NLIProbeError(f"target must be one of {', '.join(TARGETS)}, got {target!r}")
    return target  # type: ignore[return-value]


PERTURBATIONS: Registry[Perturbation] = Registry(
    "perturbation",
    builtin_packages=("nli_probe.probing.perturbations", "nli_probe.probing.templates"),
)
"""Every registered perturbation factory, by name."""

register_perturbation = PERTURBATIONS.register
"""Decorator: `@register_perturbation("name")` on a factory returning a `Perturbation`."""


def get_perturbation(name: str, **args: object) -> Perturbation:
    """Build the registered perturbation `name` with keyword `args`.

    Raises `NLIProbeError` for an unknown name (with a did-you-mean) or bad arguments.
    """
    return PERTURBATIONS.build(name, args)


register_perturbation("identity")(identity)
