"""The whole preparation as one recipe, and the record of what it did (kept in run folders).

`prepare(examples, Recipe(...))` runs, in order: filter (gold, agreement) → label mapping →
stratified sample; every step optional. `Prepared.summary` holds the class balance before and
after, what each step dropped and the seed, as JSON: trainers write it into their run folder
and `nli-probe data prepare` next to its output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.data.balance import ClassBalance, class_balance
from nli_probe.data.prepare import filter_examples, map_labels, stratified_sample
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError


@dataclass(frozen=True, kw_only=True, slots=True)
class Recipe:
    """Which preparation steps to run. The defaults are the study's filter (drop gold `-`)
    with no sampling; `Recipe(fraction=0.5, seed=0)` is the study's training-set recipe."""

    require_gold: bool = True
    min_agreement: int | None = None
    mapping: Mapping[Label, Label] = field(default_factory=dict)
    fraction: float | None = None
    count: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.fraction is not None and self.count is not None:
            raise NLIProbeError("give at most one of fraction and count")

    def to_json(self) -> dict[str, Any]:
        return {
            "require_gold": self.require_gold,
            "min_agreement": self.min_agreement,
            "mapping": {str(k): str(v) for k, v in self.mapping.items()},
            "fraction": self.fraction,
            "count": self.count,
            "seed": self.seed,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class PrepSummary:
    """What a preparation did: the recipe, and the class balance as read (`before`), after
    filtering and label mapping (`filtered`) and at the end (`after`, = `filtered` when
    nothing was sampled)."""

    source: str
    recipe: Recipe
    before: ClassBalance
    filtered: ClassBalance
    after: ClassBalance
    dropped: Mapping[str, int] = field(default_factory=dict)
    sampled_out: int = 0
    skipped_rows: tuple[RowProblem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "recipe": self.recipe.to_json(),
            "before": self.before.to_json(),
            "filtered": self.filtered.to_json(),
            "after": self.after.to_json(),
            "dropped": dict(self.dropped),
            "sampled_out": self.sampled_out,
            "skipped_rows": {
                "count": len(self.skipped_rows),
                "rows": [problem.to_json() for problem in self.skipped_rows],
            },
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Prepared:
    examples: list[Example]
    summary: PrepSummary


def prepare(
    examples: Sequence[Example],
    recipe: Recipe | None = None,
    *,
    source: str = "",
    skipped_rows: Sequence[RowProblem] = (),
) -> Prepared:
    """Run `recipe` over `examples` (which are not changed); see the module docstring.

    `skipped_rows` (from `read_dataset(..., skip_bad_rows=True).skipped`) are recorded in the
    summary, so a run folder shows every row left out, at reading or at preparing.
    """
    recipe = recipe or Recipe()
    before = class_balance(examples)
    filtered = filter_examples(
        examples, require_gold=recipe.require_gold, min_agreement=recipe.min_agreement
    )
    current: list[Example] = filtered.examples
    if recipe.mapping:
        current = map_labels(current, recipe.mapping)
    filtered_balance = class_balance(current)
    sampled_out = 0
    if recipe.fraction is not None or recipe.count is not None:
        sampled = stratified_sample(
            current, fraction=recipe.fraction, count=recipe.count, seed=recipe.seed
        )
        sampled_out = len(current) - len(sampled)
        current = sampled
    summary = PrepSummary(
        source=source,
        recipe=recipe,
        before=before,
        filtered=filtered_balance,
        after=class_balance(current),
        dropped=filtered.dropped,
        sampled_out=sampled_out,
        skipped_rows=tuple(skipped_rows),
    )
    return Prepared(examples=current, summary=summary)
