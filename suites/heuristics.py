"""Heuristics: HANS-style templates (McCoy et al. 2019) for the lexical-overlap, subsequence
and constituent heuristics.

For each heuristic, a test probe of non-entailed pairs whose hypothesis words all appear in
the premise (passed when the model does not say entailment, as HANS scores it) and a control
probe of entailed pairs built from the same words (passed when the model says entailment). A
model that passes the controls and fails the tests follows the heuristic.
"""

from __future__ import annotations

from nli_probe import Probe, Suite, get_expectation, get_template

_NOT_ENTAILED = get_expectation("not_entailment")
_LABEL = get_expectation("label")

_DESCRIPTIONS = {
    "lexical_overlap": "every hypothesis word is in the premise",
    "subsequence": "the hypothesis is a run of premise words",
    "constituent": "the hypothesis is a clause of the premise",
}


def _probes(heuristic: str) -> list[Probe]:
    capability = heuristic.replace("_", "-")
    about = _DESCRIPTIONS[heuristic]
    return [
        Probe(
            name=capability,
            capability=capability,
            template=get_template(heuristic),
            expectation=_NOT_ENTAILED,
            description=f"{about}, yet not entailed: not predicted entailment",
        ),
        Probe(
            name=f"{capability}-control",
            capability=capability,
            template=get_template(heuristic, entailed=True),
            expectation=_LABEL,
            description=f"{about}, and entailed: predicted entailment",
        ),
    ]


suite = Suite(
    name="heuristics",
    description="HANS-style syntactic heuristics: overlap is not entailment",
    probes=[probe for heuristic in _DESCRIPTIONS for probe in _probes(heuristic)],
)
