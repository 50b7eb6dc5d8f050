"""Logic: edits and templates whose gold label follows from meaning, so the model must give
that label (minimum-functionality tests).

Label-changing edits of real pairs (negation, antonyms, a changed count, the premise/hypothesis
swap of a contradiction, the premise as its own hypothesis), each implying a new gold label,
and template-generated pairs for comparatives, hypernyms, temporal order and coreference.
"""

from __future__ import annotations

from nli_probe import Probe, Suite, get_expectation, get_perturbation, get_template

_LABEL = get_expectation("label")


def _edit(name: str, capability: str, perturbation: str, description: str) -> Probe:
    return Probe(
        name=name,
        capability=capability,
        perturbation=get_perturbation(perturbation),
        expectation=_LABEL,
        description=description,
    )


def _template(name: str, capability: str, description: str) -> Probe:
    return Probe(
        name=name,
        capability=capability,
        template=get_template(name),
        expectation=_LABEL,
        description=description,
    )


suite = Suite(
    name="logic",
    description="label-changing edits and templated inferences with known gold labels",
    probes=[
        _edit(
            "negation",
            "negation",
            "negate_hypothesis",
            "entailed hypothesis negated -> contradiction",
        ),
        _edit(
            "antonym", "antonyms", "antonym", "entailed hypothesis with an antonym -> contradiction"
        ),
        _edit(
            "number-change",
            "numbers",
            "hypothesis_number",
            "entailed hypothesis with another count -> contradiction",
        ),
        _edit(
            "swap-contradiction",
            "symmetry",
            "swap_contradiction",
            "contradiction with premise and hypothesis swapped -> contradiction",
        ),
        _edit(
            "premise-as-hypothesis",
            "symmetry",
            "premise_as_hypothesis",
            "the premise as its own hypothesis -> entailment",
        ),
        _template("comparatives", "comparatives", "A taller than B: B shorter than A"),
        _template("taxonomy", "taxonomy", "a dog is an animal; an animal need not be a dog"),
        _template("temporal", "temporal", "A before B: B after A"),
        _template("coreference", "coreference", "a gendered pronoun picks its referent"),
    ],
)
