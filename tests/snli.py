"""SNLI 1.0 dev for tests: the copy embedded in the package, so these tests run in every clone.

`snli_dev()` reads it once per test session (about 0.2 s); `gold_pairs(n)` gives the first `n`
gold-labelled pairs as bare examples (id, premise, hypothesis, gold), as a probe sees them;
`write_chaosnli_like` writes a file in ChaosNLI's layout over those pairs.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

from nli_probe import Example
from nli_probe.data import read_dataset
from nli_probe.data.folder import embedded_path


@functools.cache
def _embedded() -> tuple[Example, ...]:
    path = embedded_path("snli:dev")
    assert path is not None and path.is_file(), "the package's embedded SNLI dev copy is missing"
    return tuple(read_dataset(path).examples)


def snli_dev() -> list[Example]:
    """All 10,000 SNLI 1.0 dev pairs, with annotator labels, from the embedded copy."""
    return list(_embedded())


def gold_pairs(n: int | None = None) -> list[Example]:
    """The first `n` (all, when None) gold-labelled SNLI dev pairs, without votes or meta."""
    pairs = [
        Example(id=e.id, premise=e.premise, hypothesis=e.hypothesis, gold=e.gold)
        for e in _embedded()
        if e.gold is not None
    ]
    return pairs if n is None else pairs[:n]


def write_chaosnli_like(folder: Path) -> tuple[Path, list[dict[str, Any]]]:
    """`chaosnli_v1.0/chaosNLI_snli.jsonl` in ChaosNLI v1.0's layout, for the 3-vote-majority
    SNLI dev pairs (the pairs ChaosNLI relabelled), and the rows written.

    ChaosNLI itself (CC BY-NC 4.0) cannot ship here, so its 100 new labels are made up: each
    original vote counts 20 times, except that every 10th pair gets a 50/50 entailment/neutral
    tie. Everything else (ids, texts, original labels, field names) is as in the real file.
    """
    rows = []
    for index, example in enumerate(e for e in _embedded() if e.agreement[0] == 3):
        if index % 10 == 9:
            counts = {"e": 50, "n": 50}
        else:
            counts = {}
            for vote in example.annotator_labels:
                counts[vote.short] = counts.get(vote.short, 0) + 100 // len(
                    example.annotator_labels
                )
        total = sum(counts.values())
        dist = [counts.get(letter, 0) / total for letter in "enc"]
        rows.append(
            {
                "uid": example.id,
                "label_counter": counts,
                "majority_label": max(counts, key=lambda letter: counts[letter]),
                "label_dist": dist,
                "label_count": [counts.get(letter, 0) for letter in "enc"],
                "entropy": -sum(p * math.log2(p) for p in dist if p),
                "example": {
                    "uid": example.id,
                    "premise": example.premise,
                    "hypothesis": example.hypothesis,
                    "source": "snli_agree_3",
                },
                "old_label": example.gold.short if example.gold else "-",
                "old_labels": [str(vote) for vote in example.annotator_labels],
            }
        )
    path = folder / "chaosnli_v1.0" / "chaosNLI_snli.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path, rows
