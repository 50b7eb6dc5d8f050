"""Artefacts: does the model decide without evidence?

SNLI's hypotheses carry cues of their label (Gururangan et al. 2018), so a model can score
well while ignoring the premise. These probes remove the premise's evidence (no premise, or
its words shuffled) and count as a failure a model that still predicts entailment or
contradiction with probability >= 0.5 (`no_evidence`); the `-gold` probes count how often the
premise-less prediction is the original's entailment/contradiction gold label
(`premise_needed`: compare with chance, 1/3 for a uniform three-way guess, 1/2 for a guess
between entailment and contradiction).
"""

from __future__ import annotations

from nli_probe import Probe, Suite, get_expectation, get_perturbation

_NO_EVIDENCE = get_expectation("no_evidence")
_PREMISE_NEEDED = get_expectation("premise_needed")

suite = Suite(
    name="artefacts",
    description="annotation artefacts: predictions without the premise's evidence",
    probes=[
        Probe(
            name="empty-premise",
            capability="hypothesis-only",
            perturbation=get_perturbation("empty_premise"),
            expectation=_NO_EVIDENCE,
            description="no premise: no confident entailment or contradiction",
        ),
        Probe(
            name="empty-premise-gold",
            capability="hypothesis-only",
            perturbation=get_perturbation("empty_premise"),
            expectation=_PREMISE_NEEDED,
            description="no premise: the original's gold label is not recovered",
        ),
        Probe(
            name="shuffled-premise",
            capability="word-order",
            perturbation=get_perturbation("shuffled_premise"),
            expectation=_NO_EVIDENCE,
            description="premise words shuffled: no confident entailment or contradiction",
        ),
        Probe(
            name="shuffled-premise-gold",
            capability="word-order",
            perturbation=get_perturbation("shuffled_premise"),
            expectation=_PREMISE_NEEDED,
            description="premise words shuffled: the original's gold label is not recovered",
        ),
    ],
)
