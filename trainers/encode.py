"""Tokenised training/evaluation sets: one dict per pair, padded later per batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nli_probe.core.example import Example
from nli_probe.errors import NLIProbeError


def encode_examples(
    tokenizer: Any, examples: Sequence[Example], max_length: int
) -> list[dict[str, Any]]:
    """Tokenise (premise, hypothesis) pairs, truncated to `max_length`, without padding
    (`DataCollatorWithPadding` pads each batch to its longest pair).

    A list of dicts is a map-style dataset the Trainer accepts as is.
    """
    if any(example.gold is None for example in examples):
        raise NLIProbeError("every training/evaluation pair needs a gold label")
    encoded = tokenizer(
        [example.premise for example in examples],
        [example.hypothesis for example in examples],
        truncation=True,
        max_length=max_length,
    )
    keys = list(encoded.keys())
    return [
        {**{key: encoded[key][index] for key in keys}, "labels": int(example.gold)}  # type: ignore[arg-type]
        for index, example in enumerate(examples)
    ]
