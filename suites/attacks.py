"""Attacks: with the model in the loop, search each pair the model gets right for a small edit
of the hypothesis that changes its prediction while the meaning stays (TextAttack's recipes,
run through nli-probe's engine and prediction cache).

A probe's failure rate is the attack's success rate: the share of attacked pairs whose
prediction an edit within the constraints changed. Pairs the model already gets wrong are
skipped.
"""

from __future__ import annotations

from nli_probe import Probe, Suite, get_attack

suite = Suite(
    name="attacks",
    description="model-in-the-loop attacks: edits that keep the meaning but change the prediction",
    probes=[
        Probe(
            name="deepwordbug",
            capability="typos",
            attack=get_attack("deepwordbug"),
            description="character edits of hypothesis words (DeepWordBug-like)",
        ),
        Probe(
            name="textfooler",
            capability="synonyms",
            attack=get_attack("textfooler"),
            description="hypothesis words swapped for close ones (TextFooler-like)",
        ),
    ],
)
