"""Small SNLI-format files for the trainer tests, in the tiny tokenizer's vocabulary."""

from __future__ import annotations

import json
import random
from pathlib import Path

from tests.tiny_models import tiny_vocabulary

_LABELS = ("entailment", "neutral", "contradiction")


def write_snli_jsonl(path: Path, n: int, *, seed: int = 0, no_gold: int = 0) -> Path:
    """`n` pairs in the official SNLI jsonl layout (labels cycling e/n/c), plus `no_gold` pairs
    whose annotators disagree (gold `-`)."""
    words = [word for word in tiny_vocabulary() if word.isalpha()]
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(n + no_gold):
            gold = _LABELS[index % 3] if index < n else "-"
            votes = [gold] * 5 if index < n else ["entailment", "neutral", "contradiction"] * 2
            row = {
                "pairID": f"{path.stem}-{index}",
                "sentence1": " ".join(rng.choice(words) for _ in range(rng.randint(4, 10))),
                "sentence2": " ".join(rng.choice(words) for _ in range(rng.randint(3, 6))),
                "gold_label": gold,
                "annotator_labels": votes[:5],
            }
            handle.write(json.dumps(row) + "\n")
    return path
