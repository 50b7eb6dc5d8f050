"""Reader for ChaosNLI v1.0 jsonl (Nie, Zhou & Bansal 2020): 100 new labels per pair.

- `Example.id` is ChaosNLI's `uid` (the SNLI pairID / MultiNLI pairID of the pair).
- `Example.annotator_labels` are the 100 new labels, expanded from `label_counter` in label
  order (all entailment votes, then neutral, then contradiction).
- `Example.gold` is ChaosNLI's `majority_label`: the majority of the 100 new labels, as the
  file gives it (14 SNLI and 14 MNLI rows have a tied top count; `meta["majority_tie"]` marks
  them).
- `meta["old_label"]` is the original data set's gold and `meta["old_labels"]` its original
  5 annotator labels (comma-separated names); `meta["chaos_source"]` is e.g. `snli_agree_3`.
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
from nli_probe.errors import NLIProbeError


def looks_like(row: dict[str, Any]) -> bool:
    """True for a row shaped like ChaosNLI's jsonl."""
    return "label_counter" in row and "example" in row


def read(path: Path, *, source: str | None = None) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per row (or a `RowProblem` for a bad one), streaming the file."""
    shown = str(path)
    source = source or data_stem(path)
    for number, row in iter_json_lines(path):
        if isinstance(row, RowProblem):
            yield row
            continue
        pair = row.get("example")
        if isinstance(pair, dict) and "obs1" in pair and "premise" not in pair:
            raise NLIProbeError(
                f"{path}:{number}: this is ChaosNLI-αNLI (two observations, two hypotheses), "
                "not premise/hypothesis NLI; nli-probe reads ChaosNLI-SNLI and -MNLI"
            )
        try:
            yield _example(row, source)
        except RowError as error:
            yield error.problem(shown, number)


def _example(row: dict[str, Any], source: str) -> Example:
    uid = row.get("uid")
    if uid is None or not str(uid).strip():
        raise RowError("uid", "missing field" if uid is None else "empty id")
    pair = row.get("example")
    if not isinstance(pair, dict):
        raise RowError("example", "missing field" if pair is None else "expected an object")
    premise = _nested_text(pair, "premise")
    hypothesis = _nested_text(pair, "hypothesis")
    votes = _expand(row.get("label_counter"))
    if "majority_label" not in row:
        raise RowError("majority_label", "missing field")
    gold = fields.label(row["majority_label"], "majority_label")
    meta: dict[str, str] = {}
    if "old_label" in row:
        old_gold = fields.label(row["old_label"], "old_label")
        meta["old_label"] = str(old_gold) if old_gold is not None else "-"
    if "old_labels" in row:
        old = fields.label_list(row["old_labels"], "old_labels")
        meta["old_labels"] = ",".join(str(label) for label in old)
    counts = [votes.count(label) for label in Label]
    if counts.count(max(counts)) > 1:
        meta["majority_tie"] = "yes"
    if isinstance(pair.get("source"), str):
        meta["chaos_source"] = pair["source"]
    if "entropy" in row:
        meta["entropy"] = str(row["entropy"])
    return Example(
        id=str(uid),
        premise=premise,
        hypothesis=hypothesis,
        gold=gold,
        annotator_labels=votes,
        source=source,
        meta=meta,
    )


def _nested_text(pair: dict[str, Any], key: str) -> str:
    try:
        return fields.text(pair, key)
    except RowError as error:
        raise RowError(f"example.{key}", error.message) from None


def _expand(counter: object) -> tuple[Label, ...]:
    if counter is None:
        raise RowError("label_counter", "missing field")
    if not isinstance(counter, dict):
        raise RowError("label_counter", f"expected an object, found {type(counter).__name__}")
    counts: dict[Label, int] = {}
    for key, count in counter.items():
        label = fields.label(key, "label_counter")
        if label is None:
            raise RowError("label_counter", f"{key!r} is not a label")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise RowError("label_counter", f"count for {key!r} is not a whole number: {count!r}")
        counts[label] = counts.get(label, 0) + count
    if not counts or sum(counts.values()) == 0:
        raise RowError("label_counter", "no votes")
    return tuple(label for label in Label for _ in range(counts.get(label, 0)))
