"""The study's data preparation, step by step: filter, map labels, sample by class.

Each step is a plain function over a sequence of `Example`s; none changes its input. The
study: `filter_examples(train)` (drop gold `-`), labels entailment→0, neutral→1,
contradiction→2 (the `Label` values already), then `stratified_sample(kept, fraction=0.5)`.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

from nli_probe.core.example import Example
from nli_probe.core.labels import Label, parse_label
from nli_probe.errors import NLIProbeError

NO_GOLD_REASON = "no gold label"
NO_VOTES_REASON = "no annotator labels"

# Entailment vs non-entailment (HANS, RTE): contradiction folds into neutral.
TWO_WAY: Mapping[Label, Label] = {Label.CONTRADICTION: Label.NEUTRAL}


@dataclass(frozen=True, kw_only=True)
class FilterResult(Sequence[Example]):
    """The kept examples (iterate or index it like a list) and how many were dropped, why."""

    examples: list[Example]
    dropped: dict[str, int] = field(default_factory=dict)

    @overload
    def __getitem__(self, index: int) -> Example: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Example]: ...
    def __getitem__(self, index: int | slice) -> Example | Sequence[Example]:
        return self.examples[index]

    def __len__(self) -> int:
        return len(self.examples)

    def __iter__(self) -> Iterator[Example]:
        return iter(self.examples)

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())

    def summary(self) -> str:
        """e.g. `kept 9,842; dropped 158 (no gold label: 158)`."""
        if not self.dropped:
            return f"kept {len(self):,}; dropped none"
        reasons = ", ".join(f"{reason}: {count:,}" for reason, count in self.dropped.items())
        return f"kept {len(self):,}; dropped {self.total_dropped:,} ({reasons})"


def agreement_reason(min_agreement: int) -> str:
    return f"agreement below {min_agreement} votes"


def filter_examples(
    examples: Iterable[Example], *, require_gold: bool = True, min_agreement: int | None = None
) -> FilterResult:
    """Drop pairs without a gold label and/or whose top label has fewer than `min_agreement`
    annotator votes (`min_agreement=4` keeps SNLI's 4/5 and 5/5 pairs).

    Raises:
        NLIProbeError: `min_agreement` was asked for but no example has annotator labels
            (the Hugging Face hub's `snli` and stripped MultiNLI files have none).
    """
    if min_agreement is not None and min_agreement < 1:
        raise NLIProbeError(f"min_agreement must be at least 1 vote, not {min_agreement}")
    kept: list[Example] = []
    dropped: Counter[str] = Counter()
    seen = with_votes = 0
    sources: set[str] = set()
    for example in examples:
        seen += 1
        if example.annotator_labels:
            with_votes += 1
        if require_gold and example.gold is None:
            dropped[NO_GOLD_REASON] += 1
            continue
        if min_agreement is not None:
            agreement = example.agreement
            if agreement is None:
                dropped[NO_VOTES_REASON] += 1
                sources.add(example.source)
                continue
            if agreement[0] < min_agreement:
                dropped[agreement_reason(min_agreement)] += 1
                continue
        kept.append(example)
    if min_agreement is not None and seen and not with_votes:
        names = ", ".join(sorted(source or "?" for source in sources))
        raise NLIProbeError(
            f"cannot filter by agreement: {names} has no annotator labels (the Hugging Face "
            "hub's `snli` and stripped MultiNLI files keep only the gold label); use the "
            "official jsonl (`snli:dev`, `nli-probe data download`) or drop --min-agreement"
        )
    return FilterResult(examples=kept, dropped=dict(dropped))


def map_labels(examples: Iterable[Example], mapping: Mapping[Label, Label]) -> list[Example]:
    """Relabel gold and annotator labels (`map_labels(xs, TWO_WAY)` folds contradiction into
    neutral, for entailment / non-entailment scoring; such examples get
    `meta["label_scheme"] = "two-way"`)."""
    table = {label: mapping.get(label, label) for label in Label}
    two_way = table[Label.CONTRADICTION] is Label.NEUTRAL and table[Label.NEUTRAL] is Label.NEUTRAL
    mapped: list[Example] = []
    for example in examples:
        meta = {**example.meta, "label_scheme": "two-way"} if two_way else example.meta
        mapped.append(
            dataclasses.replace(
                example,
                gold=None if example.gold is None else table[example.gold],
                annotator_labels=tuple(table[label] for label in example.annotator_labels),
                meta=meta,
            )
        )
    return mapped


def parse_label_mapping(items: Iterable[str]) -> dict[Label, Label]:
    """`["contradiction=neutral"]` → `{CONTRADICTION: NEUTRAL}` (CLI `--map`)."""
    mapping: dict[Label, Label] = {}
    for item in items:
        source, sep, target = item.partition("=")
        if not sep:
            raise NLIProbeError(f"label mapping {item!r} must look like FROM=TO, e.g. c=n")
        mapping[parse_label(source)] = parse_label(target)
    return mapping


def _strata(examples: Sequence[Example]) -> dict[Label | None, list[int]]:
    strata: dict[Label | None, list[int]] = {}
    for index, example in enumerate(examples):
        strata.setdefault(example.gold, []).append(index)
    return strata


def _allocate(sizes: dict[Label | None, int], total: int) -> dict[Label | None, int]:
    """Split `total` over strata in proportion to their sizes (largest remainder)."""
    n = sum(sizes.values())
    exact = {key: total * size / n for key, size in sizes.items()}
    counts = {key: int(value) for key, value in exact.items()}
    order = sorted(sizes, key=lambda key: (-(exact[key] - counts[key]), _order(key)))
    for key in order[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def _order(key: Label | None) -> int:
    return 3 if key is None else int(key)


def _selected(
    examples: Sequence[Example], fraction: float | None, count: int | None, seed: int
) -> set[int]:
    if (fraction is None) == (count is None):
        raise NLIProbeError("give exactly one of fraction and count")
    n = len(examples)
    if fraction is not None:
        if not 0.0 < fraction <= 1.0:
            raise NLIProbeError(f"fraction must be in (0, 1], not {fraction}")
        total = round(n * fraction)
    else:
        assert count is not None
        if not 0 <= count <= n:
            raise NLIProbeError(f"count must be between 0 and {n:,} (the examples), not {count}")
        total = count
    strata = _strata(examples)
    quota = _allocate({key: len(indices) for key, indices in strata.items()}, total) if n else {}
    rng = random.Random(seed)
    chosen: set[int] = set()
    for key in sorted(strata, key=_order):
        chosen.update(rng.sample(strata[key], quota[key]))
    return chosen


def stratified_sample(
    examples: Sequence[Example],
    *,
    fraction: float | None = None,
    count: int | None = None,
    seed: int = 0,
) -> list[Example]:
    """A seeded sample that keeps each gold label's share (pairs without gold are a stratum of
    their own). Give `fraction` (0.5 = the study's halving) or `count`. The sample keeps file
    order; the same seed gives the same sample."""
    chosen = _selected(examples, fraction, count, seed)
    return [example for index, example in enumerate(examples) if index in chosen]


def stratified_split(
    examples: Sequence[Example],
    *,
    fraction: float | None = None,
    count: int | None = None,
    seed: int = 0,
) -> tuple[list[Example], list[Example]]:
    """(held_out, rest): `held_out` is exactly `stratified_sample(...)` with the same
    arguments and `rest` everything else, both in file order."""
    chosen = _selected(examples, fraction, count, seed)
    held_out = [example for index, example in enumerate(examples) if index in chosen]
    rest = [example for index, example in enumerate(examples) if index not in chosen]
    return held_out, rest
