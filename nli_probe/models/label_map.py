"""How a classifier's output columns map onto nli-probe's three labels.

Checkpoints order their columns differently (roberta-large-mnli: contradiction, neutral,
entailment; most SNLI fine-tunes: entailment, neutral, contradiction), so columns are always
mapped through the names in the checkpoint's `id2label`, never by position. Generic names
(`LABEL_0`, ...) carry no meaning and are refused unless the user names the columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nli_probe.core.labels import Label
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError

_NAMES: dict[str, Label] = {
    "entailment": Label.ENTAILMENT,
    "entailed": Label.ENTAILMENT,
    "entails": Label.ENTAILMENT,
    "entail": Label.ENTAILMENT,
    "e": Label.ENTAILMENT,
    "neutral": Label.NEUTRAL,
    "n": Label.NEUTRAL,
    "contradiction": Label.CONTRADICTION,
    "contradicts": Label.CONTRADICTION,
    "contradict": Label.CONTRADICTION,
    "c": Label.CONTRADICTION,
}
# Two-way (RTE/HANS-style) models: everything that is not entailment.
_NON_ENTAILMENT = {"non entailment", "not entailment", "nonentailment", "no entailment"}

_GENERIC = re.compile(r"^label[ _-]?\d+$", re.IGNORECASE)
_KNOWN_SPELLINGS = sorted([*_NAMES, "non-entailment", "not_entailment"])


@dataclass(frozen=True, kw_only=True, slots=True)
class LabelMap:
    """`columns[i]` is the label that output column `i` votes for; `names` are the column
    names as given. A two-way model's non-entailment column maps to NEUTRAL."""

    names: tuple[str, ...]
    columns: tuple[Label, ...]
    two_way: bool

    def describe(self) -> str:
        """A stable text form, part of the model fingerprint."""
        pairs = ",".join(f"{n}={c.name}" for n, c in zip(self.names, self.columns, strict=True))
        return f"{'2way' if self.two_way else '3way'}:{pairs}"


def resolve_label_map(
    id2label: Mapping[int, str] | Mapping[str, str] | None,
    *,
    label_names: Sequence[str] | None = None,
    model: str = "the model",
) -> LabelMap:
    """Map output columns to labels, from the checkpoint's `id2label` or from `label_names`
    (the user's explicit names, in column order, which win over the checkpoint).

    Raises:
        NLIProbeError: generic `LABEL_0` names, unknown names (with a did-you-mean), a label
            named twice, or a set of labels that is neither 3-way e/n/c nor 2-way
            entailment / non-entailment.
    """
    table = {int(key): str(value) for key, value in (id2label or {}).items()}
    width = len(table)
    if label_names is not None:
        names = tuple(str(name) for name in label_names)
        if width and len(names) != width:
            raise NLIProbeError(
                f"{model} has {width} output columns but {len(names)} label names were "
                f"given ({', '.join(names)})"
            )
        source = "the given label names"
    else:
        if sorted(table) != list(range(width)) or width == 0:
            raise NLIProbeError(f"{model}: config id2label {table} does not number columns 0..n-1")
        names = tuple(table[index] for index in range(width))
        source = "its config's id2label"
        if all(_GENERIC.match(name) for name in names):
            example = (
                "entailment,neutral,contradiction" if width == 3 else "entailment,non-entailment"
            )
            raise NLIProbeError(
                f"{model} names its {width} output columns only {', '.join(names)} in "
                f"{source}, so nli-probe cannot tell which is entailment: pass the names in "
                f"column order (--label-names {example}, or label_names=[...] in Python), or "
                f"set id2label in its config.json"
            )
    columns = tuple(_parse(name, model=model, source=source) for name in names)
    return _check(names, columns, model=model, source=source)


def _parse(name: str, *, model: str, source: str) -> Label | None:
    key = re.sub(r"[\s_\-]+", " ", name.strip().lower())
    if key in _NAMES:
        return _NAMES[key]
    if key in _NON_ENTAILMENT:
        return None
    raise NLIProbeError(
        f"{model}: unknown label name {name!r} in {source}"
        f"{did_you_mean(key, _KNOWN_SPELLINGS)} (known names: {', '.join(_KNOWN_SPELLINGS)})"
    )


def _check(
    names: tuple[str, ...], parsed: tuple[Label | None, ...], *, model: str, source: str
) -> LabelMap:
    if len(parsed) == 3 and sorted(p for p in parsed if p is not None) == list(Label):
        return LabelMap(
            names=names, columns=tuple(p for p in parsed if p is not None), two_way=False
        )
    if len(parsed) == 2 and Label.ENTAILMENT in parsed and None in parsed:
        columns = tuple(Label.NEUTRAL if p is None else p for p in parsed)
        return LabelMap(names=names, columns=columns, two_way=True)
    raise NLIProbeError(
        f"{model}: {source} ({', '.join(names)}) is neither a 3-way NLI head (entailment, "
        f"neutral, contradiction, each once) nor a 2-way one (entailment, non-entailment)"
    )
