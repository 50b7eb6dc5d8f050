"""Test doubles: a deterministic fake NLI model that needs no torch."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from nli_probe import Label, Pair, Prediction


def overlap_rule(premise: str, hypothesis: str) -> Prediction:
    """A crude lexical-overlap classifier: high overlap → entailment, a negation word →
    contradiction, otherwise neutral. Deterministic, fast, and wrong often enough to be useful."""
    p_words = set(premise.lower().split())
    h_words = set(hypothesis.lower().split())
    if not h_words:
        return Prediction(probs=(0.2, 0.6, 0.2))
    if h_words & {"not", "no", "never", "nobody"}:
        return Prediction(probs=(0.1, 0.2, 0.7))
    overlap = len(p_words & h_words) / len(h_words)
    if overlap > 0.6:
        return Prediction(probs=(0.7, 0.2, 0.1))
    return Prediction(probs=(0.2, 0.6, 0.2))


def constant_rule(label: Label) -> Callable[[str, str], Prediction]:
    def rule(premise: str, hypothesis: str) -> Prediction:
        probs = [0.1, 0.1, 0.1]
        probs[label] = 0.8
        return Prediction(probs=(probs[0], probs[1], probs[2]))

    return rule


@dataclass
class FakeModel:
    """Satisfies `nli_probe.Model`; counts the pairs it was asked about."""

    name: str = "fake"
    rule: Callable[[str, str], Prediction] = overlap_rule
    calls: int = 0
    pairs_seen: list[Pair] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"fake:{self.name}".encode()).hexdigest()[:16]

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        self.calls += 1
        self.pairs_seen.extend(pairs)
        return [self.rule(premise, hypothesis) for premise, hypothesis in pairs]
