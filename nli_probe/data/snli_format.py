"""Reader for the official SNLI 1.0 and MultiNLI 1.0 jsonl files.

Each row keeps its `pairID` as the example id, every `annotator_labels` vote, and `captionID`
(SNLI), `promptID`/`genre` (MultiNLI) or `category` (Breaking NLI, which has this layout with
integer pair ids and CRLF line endings) in `Example.meta`. The parse trees are not kept: they
are most of the file's size and nothing here reads them. Files written by `write_jsonl`
(`nli-probe data prepare`) use this layout too; their `source` and `meta` keys are read back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.data import fields
from nli_probe.data.fields import RowError
from nli_probe.data.lines import data_stem, iter_json_lines
from nli_probe.data.problems import RowProblem

REQUIRED = ("pairID", "sentence1", "sentence2", "gold_label")
META_KEYS = ("captionID", "promptID", "genre", "category")
_OFFICIAL: dict[object, Label | None] = {str(label): label for label in Label} | {"-": None}


def looks_like(row: dict[str, Any]) -> bool:
    """True for a row shaped like the official SNLI/MultiNLI jsonl."""
    return "sentence1" in row and "sentence2" in row and "gold_label" in row


def read(path: Path, *, source: str | None = None) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per row (or a `RowProblem` for a bad one), streaming the file."""
    shown = str(path)
    source = source or data_stem(path)
    # Most rows share one of a few vote patterns: share the tuples (550k rows in train).
    votes_cache: dict[tuple[str, ...], tuple[Label, ...]] = {}
    for number, row in iter_json_lines(path):
        if isinstance(row, RowProblem):
            yield row
            continue
        try:
            yield row_to_example(row, source, votes_cache)
        except RowError as error:
            yield error.problem(shown, number)


def row_to_example(
    row: dict[str, Any], source: str, votes_cache: dict[tuple[str, ...], tuple[Label, ...]]
) -> Example:
    """One official-layout row as an `Example`; raises `RowError` for a bad row. `votes_cache`
    shares the vote tuples of rows that voted alike (pass a dict kept across rows)."""
    pair_id = row.get("pairID")
    if pair_id is None or not str(pair_id).strip():
        raise RowError("pairID", "missing field" if pair_id is None else "empty id")
    premise = fields.text(row, "sentence1")
    hypothesis = fields.text(row, "sentence2")
    if "gold_label" not in row:
        raise RowError("gold_label", "missing field")
    raw_gold = row["gold_label"]
    # The official spellings first (a dict lookup); anything else goes through the parser.
    gold = _OFFICIAL[raw_gold] if raw_gold in _OFFICIAL else fields.label(raw_gold, "gold_label")
    raw_votes = row.get("annotator_labels", [])
    key = tuple(raw_votes) if isinstance(raw_votes, list) else None
    votes = votes_cache.get(key) if key is not None else None
    if votes is None:
        votes = fields.label_list(raw_votes, "annotator_labels")
        if key is not None and all(isinstance(item, str) for item in key):
            votes_cache[key] = votes
    meta = {}
    for name in META_KEYS:
        value = row.get(name)
        if value is not None:
            meta[name] = str(value)
    extra = row.get("meta")  # written by nli-probe's own writer
    if isinstance(extra, dict):
        meta.update((str(key), str(value)) for key, value in extra.items())
    return Example(
        id=str(pair_id),
        premise=premise,
        hypothesis=hypothesis,
        gold=gold,
        annotator_labels=votes,
        source=row["source"] if isinstance(row.get("source"), str) else source,
        meta=meta,
    )
