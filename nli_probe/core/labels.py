"""The three NLI labels, in the study's order, and the spellings data sets use for them."""

from __future__ import annotations

from enum import IntEnum

from nli_probe.errors import NLIProbeError


class Label(IntEnum):
    """An NLI label. The integer values are the study's mapping and the column order of
    every `Prediction`."""

    ENTAILMENT = 0
    NEUTRAL = 1
    CONTRADICTION = 2

    @property
    def short(self) -> str:
        """One-letter form (`e`, `n`, `c`) as ChaosNLI writes it."""
        return self.name[0].lower()

    def __str__(self) -> str:
        return self.name.lower()


LABELS: tuple[Label, ...] = tuple(Label)

_SPELLINGS: dict[str, Label] = {
    "entailment": Label.ENTAILMENT,
    "entail": Label.ENTAILMENT,
    "entails": Label.ENTAILMENT,
    "e": Label.ENTAILMENT,
    "0": Label.ENTAILMENT,
    "neutral": Label.NEUTRAL,
    "n": Label.NEUTRAL,
    "1": Label.NEUTRAL,
    "contradiction": Label.CONTRADICTION,
    "contradict": Label.CONTRADICTION,
    "contradicts": Label.CONTRADICTION,
    "c": Label.CONTRADICTION,
    "2": Label.CONTRADICTION,
}


def parse_label(value: object, *, spellings: dict[str, Label] | None = None) -> Label:
    """Read a label written as a name, a letter or the study's integer.

    `spellings` adds or overrides spellings (matched case-insensitively), for data sets that
    write labels their own way. Raises `NLIProbeError` naming the value and the known spellings.
    """
    if isinstance(value, Label):
        return value
    key = str(value).strip().lower()
    table = _SPELLINGS if spellings is None else {**_SPELLINGS, **_lower_keys(spellings)}
    try:
        return table[key]
    except KeyError:
        known = ", ".join(sorted(table))
        raise NLIProbeError(f"unknown label {value!r} (known spellings: {known})") from None


def _lower_keys(spellings: dict[str, Label]) -> dict[str, Label]:
    return {key.strip().lower(): label for key, label in spellings.items()}
