"""Class balance: counts and shares per gold label, before and after preparation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError

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
        """Read back what `to_json` wrote (e.g. from a run folder's data summary)."""
        counts = data.get("counts")
        total = data.get("total")
        if not isinstance(counts, Mapping) or not isinstance(total, int):
            raise NLIProbeError(
                f"not a class balance (expected 'total' and 'counts'): {dict(data)!r:.200}"
            )
        try:
            parsed = {str(key): int(value) for key, value in counts.items()}
        except (TypeError, ValueError):
            message = f"class balance counts must be whole numbers: {counts!r:.200}"
            raise NLIProbeError(message) from None
        return cls(total=total, counts=parsed)


def class_balance(examples: Iterable[Example]) -> ClassBalance:
    """Count examples per gold label (one pass; works on a stream)."""
    counter: Counter[Label | None] = Counter(example.gold for example in examples)
    counts = {str(label): counter[label] for label in Label}
    if counter[None]:
        counts[NO_GOLD] = counter[None]
    return ClassBalance(total=sum(counter.values()), counts=counts)


def balance_table(
    *balances: ClassBalance, names: Sequence[str] | None = None, title: str = "Class balance"
) -> Table:
    """A rich table: count and share per label for each balance, side by side.

    `balance_table(before, after)` shows a preparation's effect; column names default to
    `pairs` (one), `before`/`after` (two), `read`/`filtered`/`sampled` (three).
    """
    from rich.table import Table

    if names is None:
        names = _DEFAULT_NAMES.get(len(balances), [f"#{i + 1}" for i in range(len(balances))])
    if len(names) != len(balances):
        raise ValueError(f"{len(balances)} balances but {len(names)} names")
    table = Table(title=title)
    table.add_column("label")
    for name in names:
        table.add_column(name, justify="right")
        table.add_column("share", justify="right")
    keys: list[str] = []
    for balance in balances:
        keys += [key for key in balance.counts if key not in keys]
    keys.sort(key=lambda key: _KEY_ORDER.get(key, len(_KEY_ORDER)))
    for key in keys:
        row = [key]
        for balance in balances:
            row += [f"{balance.counts.get(key, 0):,}", f"{balance.shares.get(key, 0.0):.1%}"]
        table.add_row(*row)
    total = ["total"]
    for balance in balances:
        total += [f"{balance.total:,}", "100.0%" if balance.total else "-"]
    table.add_row(*total, style="bold")
    return table


_DEFAULT_NAMES: dict[int, list[str]] = {
    1: ["pairs"],
    2: ["before", "after"],
    3: ["read", "filtered", "sampled"],
}
_KEY_ORDER = {str(label): int(label) for label in Label} | {NO_GOLD: len(Label)}
