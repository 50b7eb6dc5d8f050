"""`Probe`: one behavioural check, a perturbation plus an expectation.

CheckList's three test types are settings of this one class, not three classes: the
expectation's `kind` says which (MFT for `label`, INV for `same_label`, DIR for `prob_up` ...).

    from nli_probe import Probe, get_expectation, get_perturbation

    typos = Probe(
        name="typos-hypothesis",
        capability="robustness",
        perturbation=get_perturbation("typos", target="hypothesis"),
        expectation=get_expectation("same_label"),
        description="one typo in the hypothesis does not change the prediction",
    )

A probe with a `template` tests the template's generated examples instead of the data set's
(see `nli_probe.probing.template`); its perturbation defaults to `identity` and its expectation to
`label`, i.e. "the model gives each generated example its gold label".

A probe with an `attack` searches, with the model in the loop, for an edit of each pair the
model gets right that changes its prediction (see `nli_probe.probing.attacks`): its kind is
ATTACK, it takes no perturbation, expectation or template, and a successful attack is a failed
test (so its failure rate is the attack's success rate).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nli_probe.core.suite_run import ATTACK_KIND
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.attack import Attack
from nli_probe.probing.expectation import Expectation, label
from nli_probe.probing.perturbation import Perturbation, identity
from nli_probe.probing.template import Template


@dataclass(frozen=True, kw_only=True, slots=True)
class Probe:
    """A named check: apply `perturbation` to each example (of the data set, or of `template`
    when given) and judge every variant with `expectation`."""

    name: str
    capability: str
    """The skill under test (robustness, negation, taxonomy ...): reports group by it."""
    perturbation: Perturbation = field(default_factory=identity)
    expectation: Expectation = field(default_factory=label)
    description: str = ""
    template: Template | None = None
    """Where examples come from: None for the data set, else the template's examples."""
    attack: Attack | None = None
    """An attack to run on the data set's pairs instead of a perturbation and expectation."""

    def __post_init__(self) -> None:
        if not self.name or any(c.isspace() for c in self.name) or "/" in self.name:
            raise NLIProbeError(
                f"probe name must be non-empty, without spaces or '/', got {self.name!r}"
            )
        if not self.capability:
            raise NLIProbeError(f"probe {self.name!r} needs a capability")
        if self.attack is not None:
            if not isinstance(self.attack, Attack):
                raise NLIProbeError(
                    f"probe {self.name!r}: attack must be an Attack, got "
                    f"{type(self.attack).__name__}"
                )
            given = [
                what
                for what, used in (
                    ("a template", self.template is not None),
                    ("a perturbation", self.perturbation.name != "identity"),
                    ("an expectation", self.expectation.name != "label"),
                )
                if used
            ]
            if given:
                raise NLIProbeError(
                    f"probe {self.name!r}: an attack probe takes no {given[0].split()[1]} "
                    "(the attack makes its own variants and judges them)"
                )

    @property
    def kind(self) -> str:
        """MFT, INV or DIR (the expectation's test type), or ATTACK."""
        return ATTACK_KIND if self.attack is not None else self.expectation.kind
