"""Scores broken down by any field of the pairs: HANS per heuristic, ANLI per round, MultiNLI per
genre, the stress tests per category.

A slice field is a key of the pairs' `meta` (`heuristic`, `round`, `genre`, `category`, ...) or
one of the fields every pair has: `gold` (its gold label), `source`, `agreement` (its annotator
agreement level, named as the agreement breakdown names them) and `hypothesis_overlap` (the share
of the hypothesis's words found in the premise, in buckets). `heuristic,gold` crosses two fields:
one slice per (heuristic, gold label) that occurs.

Per slice value: the pairs in it, each model's accuracy with a Wilson interval and its macro F1,
the majority baseline's accuracy, and for every two models the paired accuracy difference (with
its paired-bootstrap interval and McNemar's p, as `compare_predictions` computes them on the
whole set). Everything is computed from confusion counts per slice in a few numpy passes, so
slicing 30,000 pairs costs little beside the rest of a report's scores.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.core.labels import Label
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.scoring.metrics import Interval

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from nli_probe.core.example import Example
    from nli_probe.scoring.example_arrays import ExampleArrays

GOLD = "gold"
SOURCE = "source"
AGREEMENT = "agreement"
HYPOTHESIS_OVERLAP = "hypothesis_overlap"
BUILT_IN_FIELDS = (GOLD, SOURCE, AGREEMENT, HYPOTHESIS_OVERLAP)
"""Slice fields every pair has; any other name is looked up in the pairs' `meta`."""

MISSING = "(none)"
"""The value of a pair that lacks the field (a meta key only some pairs carry)."""
NO_GOLD = "no gold"
NON_ENTAILMENT = "non-entailment"
CROSS = ","
"""Separates crossed fields (`heuristic,gold`) and their values (`lexical_overlap,entailment`)."""

OVERLAP_BUCKETS = ("0-25%", "25-50%", "50-75%", "75-99%", "100%")
"""`hypothesis_overlap` values: the share of the hypothesis's distinct words that occur in the
premise (case-folded, punctuation ignored); `100%` is every word (HANS's pairs all are)."""
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, kw_only=True)
class SliceModel(JsonRecord):
    """One model's scores on one slice (against gold, on the slice's pairs that have one)."""

    name: str
    count: int
    """Pairs of the slice the model has a prediction for and that have a gold label."""
    correct: int = 0
    accuracy: float | None = None
    interval: Interval | None = None
    """Wilson interval of `accuracy` at the scores' confidence."""
    f1_macro: float | None = None


@dataclass(frozen=True, kw_only=True)
class SliceComparison(JsonRecord):
    """Model A against model B on one slice: accuracy A - B on the pairs both predicted."""

    model_a: str
    model_b: str
    count: int
    difference: float | None = None
    interval: Interval | None = None
    """Paired bootstrap interval of `difference`."""
    mcnemar_p: float | None = None


@dataclass(frozen=True, kw_only=True)
class SliceRow(JsonRecord):
    """One value of a slice field (or one combination of crossed fields)."""

    values: tuple[str, ...]
    count: int
    """Pairs with this value."""
    with_gold: int
    baseline: float | None = None
    """Accuracy of the majority baseline (the same constant label as on the whole set)."""
    models: tuple[SliceModel, ...] = ()
    comparisons: tuple[SliceComparison, ...] = ()

    @property
    def value(self) -> str:
        """The values joined as a gate or a table names them: `lexical_overlap,entailment`."""
        return CROSS.join(self.values)

    def model(self, name: str) -> SliceModel | None:
        return next((m for m in self.models if m.name == name), None)


@dataclass(frozen=True, kw_only=True)
class SliceTable(JsonRecord):
    """Scores per value of one slice field (or of crossed fields)."""

    field: str
    """As asked: `heuristic` or `heuristic,gold`."""
    rows: tuple[SliceRow, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.field.split(CROSS))

    def row(self, value: str) -> SliceRow | None:
        """The row whose value (crossed values joined by a comma) is `value`."""
        return next((row for row in self.rows if row.value == value), None)


def parse_slice_field(text: str) -> str:
    """`heuristic`, or `heuristic,gold` for crossed fields: spaces removed, each part checked."""
    parts = [part.strip() for part in text.split(CROSS)]
    if not text.strip() or any(not part for part in parts):
        raise NLIProbeError(f"--by {text!r}: expected FIELD or FIELD,FIELD (e.g. heuristic,gold)")
    if len(set(parts)) != len(parts):
        raise NLIProbeError(f"--by {text!r}: a field is named twice")
    return CROSS.join(parts)


def available_fields(examples: Sequence[Example]) -> list[str]:
    """Every field the pairs could be sliced by: the built-in ones and their meta keys."""
    keys = dict.fromkeys(key for example in examples for key in example.meta)
    keys.pop("label_scheme", None)  # the same for every pair of a set: nothing to slice
    return [*BUILT_IN_FIELDS, *keys]


def check_slice_fields(fields: Sequence[str], examples: Sequence[Example], *, where: str) -> None:
    """Raise `NLIProbeError` (with a did-you-mean) for a field no pair carries."""
    known = available_fields(examples)
    for field in fields:
        for part in field.split(CROSS):
            if part not in known:
                raise NLIProbeError(
                    f"{where}: no field {part!r} to slice by{did_you_mean(part, known)} "
                    f"(fields: {', '.join(known)})"
                )


def has_fields(
    field: str, examples: Sequence[Example], *, known: Sequence[str] | None = None
) -> bool:
    """True when every part of `field` is a built-in field or a meta key some pair carries
    (`known`: `available_fields(examples)`, when the caller has it)."""
    found = set(available_fields(examples) if known is None else known)
    return all(part in found for part in field.split(CROSS))


def slice_values(
    examples: Sequence[Example],
    field: str,
    *,
    levels: Sequence[str | None] | None = None,
) -> list[str]:
    """Each pair's value of one (not crossed) field, as text."""
    if field == GOLD:
        names = {label: str(label) for label in Label}  # str() of an enum is slow 30,000 times
        return [
            NO_GOLD
            if example.gold is None
            else NON_ENTAILMENT
            if example.gold is Label.NEUTRAL and example.meta.get("label_scheme") == "two-way"
            else names[example.gold]
            for example in examples
        ]
    if field == SOURCE:
        return [example.source or MISSING for example in examples]
    if field == AGREEMENT:
        if levels is None:
            from nli_probe.scoring.agreement import agreement_levels
            from nli_probe.scoring.example_arrays import example_arrays

            levels = agreement_levels(example_arrays(examples))[1]
        return [level or MISSING for level in levels]
    if field == HYPOTHESIS_OVERLAP:
        return _overlap_buckets(examples)
    return [example.meta.get(field, MISSING) for example in examples]


def overlap_bucket(premise: str, hypothesis: str) -> str:
    """The `hypothesis_overlap` bucket of one pair."""
    words = set(_WORD.findall(hypothesis.casefold()))
    if not words:
        return OVERLAP_BUCKETS[0]
    share = len(words & set(_WORD.findall(premise.casefold()))) / len(words)
    if share >= 1.0:
        return OVERLAP_BUCKETS[4]
    return OVERLAP_BUCKETS[min(int(share * 4), 3)]


def _overlap_buckets(examples: Sequence[Example]) -> list[str]:
    """`overlap_bucket` of every pair, inlined (the slowest field to compute), each distinct
    premise's words found once (SNLI and MultiNLI give each premise three hypotheses)."""
    findall = _WORD.findall
    premises: dict[str, set[str]] = {}
    buckets = []
    for example in examples:
        words = set(findall(example.hypothesis.casefold()))
        if not words:
            buckets.append(OVERLAP_BUCKETS[0])
            continue
        found = premises.get(example.premise)
        if found is None:
            found = premises[example.premise] = set(findall(example.premise.casefold()))
        shared = len(words & found)
        # As overlap_bucket: 100% only when every word is there, else quarters of the share.
        if shared == len(words):
            buckets.append(OVERLAP_BUCKETS[4])
        else:
            buckets.append(OVERLAP_BUCKETS[min(int(shared / len(words) * 4), 3)])
    return buckets


def _gold_name(example: Example) -> str:
    if example.gold is None:
        return NO_GOLD
    if example.gold is Label.NEUTRAL and example.meta.get("label_scheme") == "two-way":
        return NON_ENTAILMENT
    return str(example.gold)


def _value_order(field: str, values: Sequence[str]) -> dict[str, int]:
    """Reading order of a field's values: labels in label order, agreement levels as the
    breakdown orders them, overlap buckets low to high, anything else by first appearance."""
    seen = list(dict.fromkeys(values))
    if field == GOLD:
        fixed = [
            str(Label.ENTAILMENT),
            str(Label.NEUTRAL),
            NON_ENTAILMENT,
            str(Label.CONTRADICTION),
        ]
        seen.sort(key=lambda v: fixed.index(v) if v in fixed else len(fixed))
    elif field == HYPOTHESIS_OVERLAP:
        seen.sort(key=OVERLAP_BUCKETS.index)
    elif field == AGREEMENT:
        from nli_probe.scoring.agreement import level_order

        order = level_order([v for v in seen if v != MISSING])
        seen.sort(key=lambda v: order.index(v) if v in order else len(order))
    return {value: index for index, value in enumerate(seen)}


def slice_table(
    examples: Sequence[Example],
    arrays: ExampleArrays,
    field: str,
    predictions: Mapping[str, tuple[NDArray[Any], NDArray[Any]]],
    baseline: NDArray[Any],
    *,
    levels: Sequence[str | None] | None = None,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    columns: dict[str, list[str]] | None = None,
) -> SliceTable:
    """Score every model (and the baseline) per value of `field`.

    Args:
        examples: the pairs, aligned with `arrays`.
        arrays: `example_arrays(examples)`.
        field: a slice field, or crossed fields joined by a comma.
        predictions: model name -> (probabilities (n, 3), mask of predicted rows), two-way pairs
            already folded (`nli_probe.scoring.scores` does it).
        baseline: the baseline's probabilities (n, 3), folded the same way.
        levels: each pair's agreement level, when the caller has them.
        resamples, seed, confidence: as for the whole set's scores.
        columns: each field's values, as computed so far for the same pairs (filled in here),
            so `heuristic` and `heuristic,gold` read `heuristic` once.
    """
    import numpy as np

    known = {} if columns is None else columns
    parts = field.split(CROSS)
    for part in parts:
        if part not in known:
            known[part] = slice_values(examples, part, levels=levels)
    values = [known[part] for part in parts]
    orders = [_value_order(part, column) for part, column in zip(parts, values, strict=True)]
    keys = list(zip(*values, strict=True)) if values else []
    distinct = sorted(
        dict.fromkeys(keys),
        key=lambda key: tuple(order[value] for order, value in zip(orders, key, strict=True)),
    )
    index_of = {key: i for i, key in enumerate(distinct)}
    group = np.fromiter((index_of[key] for key in keys), dtype=np.int64, count=len(keys))
    groups = len(distinct)
    has_gold = arrays.has_gold
    gold = np.where(has_gold, arrays.gold, 0)
    sizes = np.bincount(group, minlength=groups)
    with_gold = np.bincount(group[has_gold], minlength=groups)
    baseline_right = np.bincount(
        group[has_gold],
        weights=baseline[has_gold].argmax(axis=1) == gold[has_gold],
        minlength=groups,
    )
    z = statistics.NormalDist().inv_cdf((1 + confidence) / 2)
    per_model = {
        name: _model_slices(name, group, groups, gold, has_gold, probs, present, z)
        for name, (probs, present) in predictions.items()
    }
    comparisons = {
        (a, b): _paired_slices(
            group,
            groups,
            gold,
            has_gold,
            predictions[a],
            predictions[b],
            names=(a, b),
            resamples=resamples,
            seed=seed,
            confidence=confidence,
        )
        for a, b in itertools.combinations(predictions, 2)
    }
    rows = tuple(
        SliceRow(
            values=tuple(distinct[g]),
            count=int(sizes[g]),
            with_gold=int(with_gold[g]),
            baseline=float(baseline_right[g] / with_gold[g]) if with_gold[g] else None,
            models=tuple(per_model[name][g] for name in predictions),
            comparisons=tuple(comparisons[pair][g] for pair in comparisons),
        )
        for g in range(groups)
    )
    return SliceTable(field=field, rows=rows)


def _model_slices(
    name: str,
    group: NDArray[np.int64],
    groups: int,
    gold: NDArray[np.int64],
    has_gold: NDArray[np.bool_],
    probs: NDArray[Any],
    present: NDArray[Any],
    z: float,
) -> list[SliceModel]:
    import numpy as np

    from nli_probe.core.suite_run import wilson_interval
    from nli_probe.scoring.metrics import scores_from_confusion

    scored = has_gold & present
    predicted = probs.argmax(axis=1)
    cells = group[scored] * 9 + gold[scored] * 3 + predicted[scored]
    confusion = np.bincount(cells, minlength=groups * 9).reshape(groups, 3, 3)
    counts = confusion.sum(axis=(1, 2))
    correct = np.trace(confusion, axis1=1, axis2=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = scores_from_confusion(confusion)["f1_macro"]
    out = []
    for g in range(groups):
        n, k = int(counts[g]), int(correct[g])
        interval = wilson_interval(k, n, z=z)
        out.append(
            SliceModel(
                name=name,
                count=n,
                correct=k,
                accuracy=k / n if n else None,
                interval=None if interval is None else Interval(low=interval[0], high=interval[1]),
                f1_macro=float(f1[g]) if n else None,
            )
        )
    return out


def _paired_slices(
    group: NDArray[np.int64],
    groups: int,
    gold: NDArray[np.int64],
    has_gold: NDArray[np.bool_],
    first: tuple[NDArray[Any], NDArray[Any]],
    second: tuple[NDArray[Any], NDArray[Any]],
    *,
    names: tuple[str, str],
    resamples: int,
    seed: int,
    confidence: float,
) -> list[SliceComparison]:
    import numpy as np
    from scipy.stats import binom

    from nli_probe.scoring.comparison import bootstrap_stream
    from nli_probe.scoring.metrics import percentile_interval

    (probs_a, present_a), (probs_b, present_b) = first, second
    rows = has_gold & present_a & present_b
    right_a = probs_a[rows].argmax(axis=1) == gold[rows]
    right_b = probs_b[rows].argmax(axis=1) == gold[rows]
    # Cell 0: both right, 1: only A, 2: only B, 3: neither (compare_predictions' order).
    cell = np.where(right_a, np.where(right_b, 0, 1), np.where(right_b, 2, 3))
    cells = np.bincount(group[rows] * 4 + cell, minlength=groups * 4).reshape(groups, 4)
    counts = cells.sum(axis=1)
    discordant = cells[:, 1] + cells[:, 2]
    # McNemar's exact two-sided p: the binomial test of the discordant pairs at 1/2, which
    # for a symmetric distribution is twice the smaller tail (capped at 1).
    with np.errstate(invalid="ignore"):
        tails = binom.cdf(np.minimum(cells[:, 1], cells[:, 2]), discordant, 0.5)
    p_values = np.where(discordant > 0, np.minimum(1.0, 2 * tails), 1.0)
    out = []
    for g in range(groups):
        n = int(counts[g])
        if n == 0:
            out.append(SliceComparison(model_a=names[0], model_b=names[1], count=0))
            continue
        interval = None
        if resamples > 0:
            rng = np.random.default_rng(bootstrap_stream(seed, names[0], names[1]))
            draws = rng.multinomial(n, cells[g] / n, size=resamples)
            interval = percentile_interval((draws[:, 1] - draws[:, 2]) / n, confidence)
        out.append(
            SliceComparison(
                model_a=names[0],
                model_b=names[1],
                count=n,
                difference=float((cells[g, 1] - cells[g, 2]) / n),
                interval=interval,
                mcnemar_p=float(p_values[g]),
            )
        )
    return out
