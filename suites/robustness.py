"""Robustness: edits that keep the meaning must not change the prediction (invariance tests).

Surface noise (typos, punctuation, casing, whitespace, contractions), consistent swaps of
names, places and numbers, and an irrelevant sentence added to the premise. Each probe is an
INV test: the variant must get the same predicted label as the original pair.
"""

from __future__ import annotations

from nli_probe import Probe, Suite, get_expectation, get_perturbation

_SAME = get_expectation("same_label")


def _inv(name: str, capability: str, perturbation: str, description: str, **args: object) -> Probe:
    return Probe(
        name=name,
        capability=capability,
        perturbation=get_perturbation(perturbation, **args),
        expectation=_SAME,
        description=description,
    )


suite = Suite(
    name="robustness",
    description="meaning-preserving edits must not change the prediction",
    probes=[
        _inv(
            "typos-hypothesis", "typos", "typos", "one typo in the hypothesis", target="hypothesis"
        ),
        _inv("typos-premise", "typos", "typos", "one typo in the premise", target="premise"),
        _inv("typos-2-both", "typos", "typos", "two typos in each side", n=2, target="both"),
        _inv("punctuation-final", "punctuation", "punctuation", "final stop dropped or added"),
        _inv(
            "punctuation-none", "punctuation", "punctuation", "all punctuation removed", mode="all"
        ),
        _inv("lowercase", "casing", "casing", "both sides lower-cased", mode="lower"),
        _inv("uppercase", "casing", "casing", "both sides upper-cased", mode="upper"),
        _inv("whitespace", "whitespace", "whitespace", "extra spaces between words"),
        _inv("contract", "contractions", "contract", "long forms contracted (is not -> isn't)"),
        _inv("expand", "contractions", "expand_contractions", "contractions expanded"),
        _inv("swap-names", "entities", "swap_names", "a first name replaced in both sides"),
        _inv("swap-locations", "entities", "swap_locations", "a place replaced in both sides"),
        _inv("swap-numbers", "entities", "swap_numbers", "a number replaced in both sides"),
        _inv("distractor-end", "distraction", "distractor", "true, irrelevant sentence after"),
        _inv(
            "distractor-start",
            "distraction",
            "distractor",
            "true, irrelevant sentence before",
            position="start",
        ),
    ],
)
