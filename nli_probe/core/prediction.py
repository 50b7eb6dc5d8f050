"""What a model says about one pair: a probability for each label."""

from __future__ import annotations

import math
from dataclasses import dataclass

from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError


@dataclass(frozen=True, kw_only=True, slots=True)
class Prediction:
    """Probabilities over the three labels, in `Label` order (entailment, neutral,
    contradiction), whatever order the model's own output columns use."""

    probs: tuple[float, float, float]

    def __post_init__(self) -> None:
        if len(self.probs) != 3:
            raise NLIProbeError(f"a prediction needs 3 probabilities, got {len(self.probs)}")
        if any(not math.isfinite(p) or p < 0.0 for p in self.probs):
            raise NLIProbeError(f"prediction probabilities must be finite and >= 0: {self.probs}")

    @property
    def label(self) -> Label:
        """The most probable label (the first one on a tie)."""
        return Label(Prediction.label_value(self.probs))

    @staticmethod
    def label_value(probs: tuple[float, float, float]) -> int:
        """The value of the most probable label (the first one on a tie), as `label` and the
        scores (numpy's argmax) pick it, from bare probabilities. A plain int, written out: a
        front-end laying out a large report asks this 30,000 times, where building a `Label`
        each time would show."""
        best = 0 if probs[0] >= probs[1] else 1
        return 2 if probs[2] > probs[best] else best

    @property
    def confidence(self) -> float:
        """The probability of the predicted label."""
        return max(self.probs)
