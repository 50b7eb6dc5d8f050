"""The examples browser's model: filter and sort row indexes of an `ExampleTable`.

Pure functions, no textual: the widgets ask `select_rows(table, query)` for the rows to show
and render only those, so the rules are tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from nli_probe.errors import NLIProbeError
from nli_probe.tui.table import NO_LABEL, ExampleTable, ModelColumn

SortKey = Literal["order", "agreement", "confidence", "gold", "length"]
SORT_KEYS: tuple[SortKey, ...] = ("order", "agreement", "confidence", "gold", "length")
"""`order`: as in the report; `agreement`: least agreed first; `confidence`: the chosen
model's (or the first model's) confidence, least confident first; `gold`: by gold label;
`length`: by premise + hypothesis length."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ExampleQuery:
    """What the examples browser shows: a filter and an order.

    `model` names the model that `predicted` and `correct` look at; without one, `predicted`
    matches a row where any model predicts the label, `correct=True` one that every model gets
    right and `correct=False` one that some model gets wrong.
    """

    gold: int | None = None
    """A `Label` value, `NO_LABEL` for pairs without gold, or None for any."""
    predicted: int | None = None
    model: str | None = None
    correct: bool | None = None
    level: str | None = None
    """An agreement level from `ExampleTable.levels`."""
    disagree: bool | None = None
    """True: the models disagree; False: they all agree."""
    text: str = ""
    """Case-insensitive substring of the id, premise or hypothesis; words must all occur."""
    sort: SortKey = "order"
    sort_model: str | None = None
    """The model whose confidence `confidence` sorts by (None: `model`, else the first)."""
    descending: bool = False


def select_rows(table: ExampleTable, query: ExampleQuery) -> list[int]:
    """The row indexes that `query` keeps, in its order."""
    return sort_rows(table, filter_rows(table, query), query)


def filter_rows(table: ExampleTable, query: ExampleQuery) -> list[int]:
    """The row indexes that pass every condition of `query`, in table order."""
    rows: list[int] = list(range(len(table)))
    columns = _columns(table, query.model)
    if query.gold is not None:
        gold, wanted_gold = table.gold, query.gold
        rows = [i for i in rows if gold[i] == wanted_gold]
    if query.level is not None:
        level, wanted_level = table.level, query.level
        rows = [i for i in rows if level[i] == wanted_level]
    if query.disagree is not None:
        disagree, wanted_disagree = table.disagree, query.disagree
        rows = [i for i in rows if disagree[i] == wanted_disagree]
    if query.predicted is not None:
        wanted = query.predicted
        rows = [i for i in rows if any(c.label[i] == wanted for c in columns)]
    if query.correct is not None:
        rows = _filter_correct(table, rows, columns, correct=query.correct)
    words = query.text.lower().split()
    if words:
        text = table.text
        rows = [i for i in rows if all(word in text[i] for word in words)]
    return rows


def _columns(table: ExampleTable, model: str | None) -> tuple[ModelColumn, ...]:
    if model is None:
        return table.models
    for column in table.models:
        if column.name == model:
            return (column,)
    known = ", ".join(table.model_names) or "none"
    raise NLIProbeError(f"no model {model!r} in the report (models: {known})")


def _filter_correct(
    table: ExampleTable, rows: list[int], columns: tuple[ModelColumn, ...], *, correct: bool
) -> list[int]:
    gold = table.gold
    # Pairs without gold are neither right nor wrong: both filters drop them.
    rows = [i for i in rows if gold[i] != NO_LABEL]
    if correct:
        return [i for i in rows if all(c.label[i] == gold[i] for c in columns)]
    return [i for i in rows if any(c.label[i] != gold[i] for c in columns)]


def sort_rows(table: ExampleTable, rows: list[int], query: ExampleQuery) -> list[int]:
    """`rows` in `query`'s order; stable, so ties keep the report's order."""
    if query.sort == "order":
        return list(reversed(rows)) if query.descending else rows
    key = _sort_key(table, query)
    return sorted(rows, key=key, reverse=query.descending)


def _sort_key(table: ExampleTable, query: ExampleQuery) -> Callable[[int], float]:
    if query.sort == "agreement":
        return table.agreement.__getitem__
    if query.sort == "gold":
        gold = table.gold
        return lambda i: float(gold[i])
    if query.sort == "length":
        text = table.text
        return lambda i: float(len(text[i]))
    if query.sort == "confidence":
        columns = _columns(table, query.sort_model or query.model)
        if not columns:
            return lambda i: 0.0
        return columns[0].confidence.__getitem__
    raise NLIProbeError(f"unknown sort key {query.sort!r} (known: {', '.join(SORT_KEYS)})")


_ORDERS: dict[str, tuple[str, str]] = {
    "order": ("report order", "report order reversed (last first)"),
    "agreement": ("least agreed first", "most agreed first (reversed)"),
    "confidence": ("least confident first", "most confident first (reversed)"),
    "gold": ("by gold: none, ent, neu, con", "by gold reversed: con, neu, ent, none"),
    "length": ("shortest first", "longest first (reversed)"),
}


def describe_order(table: ExampleTable, query: ExampleQuery) -> str:
    """The order `query` shows its rows in, in words (`least confident first (full)`), so the
    screen always says which way a list runs."""
    words = _ORDERS[query.sort][1 if query.descending else 0]
    if query.sort == "confidence":
        model = query.sort_model or query.model or next(iter(table.model_names), None)
        if model is not None:
            words += f" ({model})"
    return words
