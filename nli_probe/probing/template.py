"""Templates: probes that generate their own examples instead of perturbing a data set's.

A `Template` has a name and a function `rng -> iterable of Example`. A probe with a template
runs on the template's examples (and ignores the data set): each generated example carries its
gold label, and the probe's perturbation (by default `identity`, which tests the example
itself) and expectation (by default `label`, a minimum-functionality test) apply to it as to
any example. The runner seeds the template with `random.Random(f"{seed}:{probe.name}")`.

Generated examples need ids that are unique within the template and stable for a seed (e.g.
`f"hans-overlap-{i}"`): variant ids, seeds and reports build on them.

Adding a template:

    from nli_probe import Example, Label, Template, register_template

    @register_template("taller")
    def taller(*, n: int = 100) -> Template:
        \"\"\"X is taller than Y, so Y is shorter than X.\"\"\"
        def generate(rng):
            for i in range(n):
                a, b = rng.sample(NAMES, 2)
                yield Example(id=f"taller-{i}", premise=f"{a} is taller than {b}.",
                              hypothesis=f"{b} is shorter than {a}.", gold=Label.ENTAILMENT)
        return Template(name="taller", generate=generate)

Built-in templates live in `nli_probe.probing.templates` or `nli_probe.probing.perturbations`;
every module there is imported when a template name is first looked up.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nli_probe.core.example import Example
from nli_probe.core.registry import Registry

GenerateFn = Callable[[random.Random], Iterable[Example]]
"""`rng -> examples`, each with an id and (usually) a gold label."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Template:
    """A named generator of test examples."""

    name: str
    generate: GenerateFn
    description: str = ""

    def examples(self, rng: random.Random) -> list[Example]:
        """The generated examples, as a list."""
        return list(self.generate(rng))


TEMPLATES: Registry[Template] = Registry(
    "template", builtin_packages=("nli_probe.probing.templates", "nli_probe.probing.perturbations")
)
"""Every registered template factory, by name."""

register_template = TEMPLATES.register
"""Decorator: `@register_template("name")` on a factory returning a `Template`."""


def get_template(name: str, **args: object) -> Template:
    """Build the registered template `name` with keyword `args` (`NLIProbeError` if unknown or
    if the arguments do not fit)."""
    return TEMPLATES.build(name, args)
