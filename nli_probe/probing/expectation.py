"""Expectations: what a model should do with a variant, judged from its predictions.

An `Expectation` has a name, a CheckList test type (`kind`: MFT, INV or DIR) and a function
`(check) -> True | False | None`: True passed, False failed, None not applicable (not
counted). `Check` carries everything there is to judge: the original example, the variant
with its implied label, the prediction on the original pair (`before`) and on the variant
(`after`).

- MFT (minimum functionality): the variant has a known gold label; the model must give it
  (`label`, the default for label-changing edits and templates).
- INV (invariance): the prediction must not change (`same_label`, `same_probs`).
- DIR (directional): it must change in an expected way (`prob_up`, `prob_down`, `not_label`,
  `changes`).

Adding an expectation:

    from nli_probe import Check, Expectation, register_expectation

    @register_expectation("confident")
    def confident(*, at_least: float = 0.9) -> Expectation:
        \"\"\"The variant is predicted with probability >= at_least.\"\"\"
        return Expectation(
            name="confident", kind="MFT", judge=lambda c: c.after.confidence >= at_least
        )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from nli_probe.core.example import Example
from nli_probe.core.labels import Label, parse_label
from nli_probe.core.prediction import Prediction
from nli_probe.core.registry import Registry
from nli_probe.errors import NLIProbeError
from nli_probe.probing.perturbation import Variant

Kind = Literal["MFT", "INV", "DIR"]
"""CheckList's test types: minimum functionality, invariance, directional."""

KINDS: tuple[str, ...] = get_args(Kind)

_EPSILON = 1e-9
"""Slack for float comparisons: 0.8 - 0.5 must count as a move of 0.3, not 0.30000000000000004."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Check:
    """One variant to judge."""

    example: Example
    """The example the variant came from (for template probes: the generated example)."""
    variant: Variant
    before: Prediction
    """The model's prediction on the original pair."""
    after: Prediction
    """The model's prediction on the variant."""


JudgeFn = Callable[[Check], bool | None]
"""True: passed; False: failed; None: does not apply (not counted as tested)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Expectation:
    """A named judgement of a model's behaviour on a variant."""

    name: str
    kind: Kind
    judge: JudgeFn
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise NLIProbeError(
                f"expectation {self.name!r}: kind must be one of {', '.join(KINDS)}, "
                f"got {self.kind!r}"
            )


EXPECTATIONS: Registry[Expectation] = Registry(
    "expectation",
    builtin_packages=("nli_probe.probing.perturbations", "nli_probe.probing.templates"),
)
"""Every registered expectation factory, by name."""

register_expectation = EXPECTATIONS.register
"""Decorator: `@register_expectation("name")` on a factory returning an `Expectation`."""


def get_expectation(name: str, **args: object) -> Expectation:
    """Build the registered expectation `name` with keyword `args` (`NLIProbeError` if unknown
    or if the arguments do not fit)."""
    return EXPECTATIONS.build(name, args)


@register_expectation("label")
def label() -> Expectation:
    """MFT: the variant is predicted as the label it implies (n/a when that is unknown)."""

    def judge(check: Check) -> bool | None:
        if check.variant.label is None:
            return None
        return check.after.label == check.variant.label

    return Expectation(name="label", kind="MFT", judge=judge, description=_first_line(label))


@register_expectation("same_label")
def same_label(*, only_correct: bool = False) -> Expectation:
    """INV: the variant gets the same predicted label as the original.

    With `only_correct`, only originals the model got right are tested (n/a otherwise), so that a
    model's errors on the original data are not counted twice.
    """

    def judge(check: Check) -> bool | None:
        if only_correct and (
            check.example.gold is None or check.before.label != check.example.gold
        ):
            return None
        return check.after.label == check.before.label

    return Expectation(
        name="same_label", kind="INV", judge=judge, description=_first_line(same_label)
    )


@register_expectation("same_probs")
def same_probs(*, tolerance: float = 0.1) -> Expectation:
    """INV: no label's probability moves by more than `tolerance`."""
    _check_unit("tolerance", tolerance)

    def judge(check: Check) -> bool | None:
        moves = (abs(a - b) for a, b in zip(check.after.probs, check.before.probs, strict=True))
        return max(moves) <= tolerance + _EPSILON

    return Expectation(
        name="same_probs", kind="INV", judge=judge, description=_first_line(same_probs)
    )


@register_expectation("prob_up")
def prob_up(*, label: Label | str, tolerance: float = 0.0) -> Expectation:
    """DIR: the probability of `label` does not go down (by more than `tolerance`)."""
    target = parse_label(label)
    _check_unit("tolerance", tolerance)

    def judge(check: Check) -> bool | None:
        return check.after.probs[target] >= check.before.probs[target] - tolerance - _EPSILON

    return Expectation(
        name="prob_up", kind="DIR", judge=judge, description=f"P({target}) does not go down"
    )


@register_expectation("prob_down")
def prob_down(*, label: Label | str, tolerance: float = 0.0) -> Expectation:
    """DIR: the probability of `label` does not go up (by more than `tolerance`)."""
    target = parse_label(label)
    _check_unit("tolerance", tolerance)

    def judge(check: Check) -> bool | None:
        return check.after.probs[target] <= check.before.probs[target] + tolerance + _EPSILON

    return Expectation(
        name="prob_down", kind="DIR", judge=judge, description=f"P({target}) does not go up"
    )


@register_expectation("not_label")
def not_label(*, label: Label | str) -> Expectation:
    """DIR: the variant is not predicted as `label`."""
    target = parse_label(label)

    def judge(check: Check) -> bool | None:
        return check.after.label != target

    return Expectation(
        name="not_label", kind="DIR", judge=judge, description=f"not predicted {target}"
    )


@register_expectation("changes")
def changes() -> Expectation:
    """DIR: the variant's predicted label differs from the original's."""

    def judge(check: Check) -> bool | None:
        return check.after.label != check.before.label

    return Expectation(name="changes", kind="DIR", judge=judge, description=_first_line(changes))


def _check_unit(name: str, value: float) -> None:
    if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise NLIProbeError(f"{name} must be a number between 0 and 1, got {value!r}")


def _first_line(function: Callable[..., object]) -> str:
    return (function.__doc__ or "").strip().split("\n", 1)[0]
