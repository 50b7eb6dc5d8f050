"""A data map's files: every pair's coordinates (`pairs-NAME.jsonl`) and the paper's retraining
subsets (SNLI jsonl, which `nli-probe train ... train_data='["FILE"]'` reads)."""

from __future__ import annotations

from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.data.write import write_jsonl
from nli_probe.scoring.datamap import REGION_NAMES, subset_rows

if TYPE_CHECKING:
    from nli_probe.scoring.datamap import DataMap

LABEL_NAMES = tuple(str(label) for label in Label)


def write_text(path: Path, text: str) -> Path:
    """Write `text` whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path


def write_coordinates(path: Path, data_map: DataMap) -> Path:
    """One JSON line per training pair, in training-set order: `id`, `index`, `confidence`,
    `variability`, `correctness`, `region`, `gold`, `model_label` (the label chosen at most
    records) and `votes` (annotator labels per label, entailment/neutral/contradiction)."""
    pairs = data_map.dynamics.pairs
    coords = data_map.coordinates
    # The C string encoder of `json` itself: json.dumps per id costs 10x more at 550,000 pairs.
    ids = pairs.ids.to_list()
    columns = zip(
        ids,
        coords.confidence.tolist(),
        coords.variability.tolist(),
        coords.correctness.tolist(),
        data_map.regions.tolist(),
        pairs.gold.tolist(),
        coords.model_label.tolist(),
        data_map.votes.tolist(),
        strict=True,
    )
    lines = [
        f'{{"id": {encode_basestring(pair_id)}, "index": {index}, '
        f'"confidence": {conf:.6f}, "variability": {var:.6f}, "correctness": {corr:.6f}, '
        f'"region": "{REGION_NAMES[region]}", "gold": "{LABEL_NAMES[gold]}", '
        f'"model_label": "{LABEL_NAMES[label]}", "votes": [{votes[0]}, {votes[1]}, {votes[2]}]}}\n'
        for index, (pair_id, conf, var, corr, region, gold, label, votes) in enumerate(columns)
    ]
    return write_text(path, "".join(lines))


def write_subset(path: Path, data_map: DataMap, subset: str, fraction: float) -> Path:
    """The `fraction` most ambiguous, hardest or easiest training pairs (`subset`: ambiguous,
    hard, easy) as SNLI jsonl, most extreme first, with their annotator labels."""
    pairs = data_map.dynamics.pairs
    rows = subset_rows(data_map, subset, fraction)
    examples = []
    for row in rows.tolist():
        votes = data_map.votes[row]
        examples.append(
            Example(
                id=pairs.ids[row],
                premise=pairs.premises[row],
                hypothesis=pairs.hypotheses[row],
                gold=Label(int(pairs.gold[row])),
                annotator_labels=tuple(
                    label for label in Label for _ in range(int(votes[int(label)]))
                ),
            )
        )
    write_jsonl(examples, path)
    return path
