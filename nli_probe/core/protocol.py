"""The `Model` protocol: all the engine, the probes and the reports need from a classifier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from nli_probe.core.prediction import Prediction

Pair = tuple[str, str]
"""(premise, hypothesis)."""


@runtime_checkable
class Model(Protocol):
    """An NLI classifier.

    `fingerprint` identifies everything that decides the model's outputs (weights, adapter,
    tokenizer, label map, max length, precision): two models with the same fingerprint give
    the same predictions, so the prediction cache keys on it.
    """

    @property
    def name(self) -> str: ...

    @property
    def fingerprint(self) -> str: ...

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        """One prediction per pair, in order."""
        ...
