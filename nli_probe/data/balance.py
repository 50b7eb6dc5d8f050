"""Class balance: counts and shares per gold label, before and after preparation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nli_probe.example import Example
from nli_probe.labels import Label

if TYPE_CHECKING:
    from rich.table import Table

NO_GOLD = "no gold"


@dataclass(frozen=True, kw_only=True, slots=True)
class ClassBalance:
    """Counts per label name (`entailment`, `neutral`, `contradiction`, `no gold`), in that
    order; `shares` are fractions of `total`."""

    total: int
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def shares(self) -> dict[str, float]:
        return {
            key: (count / self.total if self.total else 0.0) for key, count in self.counts.items()
        }

    def to_json(self) -> dict[str, object]:
        return {"total": self.total, "counts": dict(self.counts), "shares": self.shares}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ClassBalance:
        counts = data.get("counts", {})
        assert isinstance(counts, Mapping)
        total = data.get("total", 0)
        assert isinstance(total, int)
        return cls(total=total, counts={str(k): int(v) for k, v in counts.items()})


def class_balance(examples: Iterable[Example]) -> ClassBalance:
    """Count examples per gold label (one pass; works on a stream)."""
    counter: Counter[Label | None] = Counter(example.gold for example in examples)
    counts = {str(label): counter[label] for label in Label}
    if counter[None]:
        counts[NO_GOLD] = counter[None]
    return ClassBalance(total=sum(counter.values()), counts=counts)


def balance_table(
    before: ClassBalance, after: ClassBalance | None = None, *, title: str = "Class balance"
) -> Table:
    """A rich table: count and share per label, before and (optionally) after preparation."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("label")
    table.add_column("before", justify="right")
    table.add_column("share", justify="right")
    if after is not None:
        table.add_column("after", justify="right")
        table.add_column("share", justify="right")
    keys = list(before.counts) + [
        key for key in (after.counts if after else {}) if key not in before.counts
    ]
    for key in keys:
        row = [key, f"{before.counts.get(key, 0):,}", f"{before.shares.get(key, 0.0):.1%}"]
        if after is not None:
            row += [f"{after.counts.get(key, 0):,}", f"{after.shares.get(key, 0.0):.1%}"]
        table.add_row(*row)
    total = ["total", f"{before.total:,}", "100.0%" if before.total else "-"]
    if after is not None:
        total += [f"{after.total:,}", "100.0%" if after.total else "-"]
    table.add_row(*total, style="bold")
    return table
