"""CheckList's `Perturb` functions by name, for TOML suites (needs the `checklist` extra):

    [[probe]]
    name = "checklist-typos"
    capability = "typos"
    perturbation = { name = "checklist", function = "add_typos", target = "hypothesis" }
    expectation = "same_label"

CheckList is imported only when such a perturbation is built, never when this module is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nli_probe.core.labels import parse_label
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.probing.perturbation import Perturbation, Target, register_perturbation

FUNCTIONS = (
    "add_negation", "add_typos", "change_location", "change_names", "change_number",
    "contract", "contractions", "expand_contractions", "punctuation", "remove_negation",
    "strip_punctuation",
)  # fmt: skip
"""The perturbation functions of CheckList's `Perturb` class."""


@register_perturbation("checklist")
def checklist(
    *,
    function: str,
    target: Target = "hypothesis",
    label: str = "keep",
    args: Mapping[str, Any] | None = None,
) -> Perturbation:
    """CheckList's Perturb.<function> by name (needs the checklist extra).

    `label` is "keep" (the original gold), a label name, or "unknown"; `args` go to the
    function.
    """
    if function not in FUNCTIONS:
        raise NLIProbeError(
            f"CheckList has no Perturb.{function}{did_you_mean(function, list(FUNCTIONS))} "
            f"(known: {', '.join(FUNCTIONS)})"
        )
    from nli_probe.probing.checklist.interop import Implied, checklist_perturbation, load

    implied: Implied = "keep"
    if label == "unknown":
        implied = None
    elif label != "keep":
        implied = parse_label(label)
    perturb = load().Perturb
    return checklist_perturbation(
        getattr(perturb, function), target=target, label=implied, **dict(args or {})
    )
