"""Swaps applied consistently to premise and hypothesis: a person's name, a place, a number.

Replacing "John" by "Peter" everywhere in a pair leaves the relation between premise and
hypothesis, and so the gold label, as it was; a model that changes its mind is reacting to the
name itself. To stay label-preserving:

- the swapped item must occur in the premise (an item only in the hypothesis is new
  information, and replacing it could change the label), and for numbers in both sides
  ("Two men and a woman" / "Three people": changing only the premise's count breaks it);
- names are swapped within the same list (male/female), so "a man" stays consistent;
- the replacement occurs in neither text, so the swap does not merge two entities.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence

from nli_probe.core.example import Example
from nli_probe.probing.perturbation import Perturbation, Variant, register_perturbation
from nli_probe.probing.perturbations.wordlists import (
    CITIES,
    COUNTRIES,
    FEMALE_NAMES,
    MALE_NAMES,
    NUMBER_WORDS,
)

_DIGITS = re.compile(r"(?<![\w.,])\d+(?!\w|[.,]\d)")


@register_perturbation("swap_names")
def swap_names() -> Perturbation:
    """Replace a person's first name by another (same list), in premise and hypothesis."""
    return _swap_from_lists("swap_names", _NAMES, swap_names.__doc__)


@register_perturbation("swap_locations")
def swap_locations() -> Perturbation:
    """Replace a city or country by another of the same kind, in premise and hypothesis."""
    return _swap_from_lists("swap_locations", _PLACES, swap_locations.__doc__)


@register_perturbation("swap_numbers")
def swap_numbers() -> Perturbation:
    """Replace a number ("two", "3") that occurs in both sides by another, in both."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        premise, hypothesis = example.premise, example.hypothesis
        in_hypothesis = set(_NUMBERS.present(hypothesis))
        words = [w for w in _NUMBERS.present(premise) if w in in_hypothesis]
        digits = sorted(
            {m.group(0) for m in _DIGITS.finditer(premise)}
            & {m.group(0) for m in _DIGITS.finditer(hypothesis)}
        )
        if not words and not digits:
            return
        old = rng.choice([*words, *digits])
        if old in digits:
            value = int(old)
            # A different count of the same order of magnitude; never 0 or 1 (plural nouns).
            choices = [v for v in range(2, max(12, value * 2) + 1) if v != value]
            new = str(rng.choice(choices))
        else:
            taken = set(_NUMBERS.present(premise + " " + hypothesis))
            others = [w for w in NUMBER_WORDS if w not in taken]
            new = rng.choice(others)
        yield Variant(
            premise=_replace(premise, old, new, fold=old in words),
            hypothesis=_replace(hypothesis, old, new, fold=old in words),
            label=example.gold,
            note=f"{old} -> {new}",
        )

    return Perturbation(
        name="swap_numbers", target="both", apply=apply, description=_first(swap_numbers.__doc__)
    )


def _swap_from_lists(name: str, lists: Sequence[_Lexicon], doc: str | None) -> Perturbation:
    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        premise, hypothesis = example.premise, example.hypothesis
        found = [(item, lexicon) for lexicon in lists for item in lexicon.present(premise)]
        if not found:
            return
        # Longest first would matter for "New York" vs "York"; our lists have no such overlap,
        # so a seeded choice among all found items is enough.
        old, lexicon = rng.choice(found)
        taken = set(lexicon.present(premise + " " + hypothesis))
        new = rng.choice([item for item in lexicon.items if item not in taken])
        yield Variant(
            premise=_replace(premise, old, new),
            hypothesis=_replace(hypothesis, old, new),
            label=example.gold,
            note=f"{old} -> {new}",
        )

    return Perturbation(name=name, target="both", apply=apply, description=_first(doc))


class _Lexicon:
    """A word list with one compiled pattern finding its whole-word occurrences: one regex
    pass per text instead of one per list entry (the swaps run on every example)."""

    def __init__(self, items: Sequence[str], *, fold: bool = False) -> None:
        self.items = tuple(items)
        self.fold = fold
        self._spelling = {(item.lower() if fold else item): item for item in items}
        # Longest first, so "San Francisco" wins over a shorter entry it contains.
        alternation = "|".join(sorted(map(re.escape, items), key=len, reverse=True))
        flags = re.IGNORECASE if fold else 0
        self._pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", flags)

    def present(self, text: str) -> list[str]:
        """The entries occurring in `text`, in list order, spelled as in the list."""
        found = {
            self._spelling[match.group(0).lower() if self.fold else match.group(0)]
            for match in self._pattern.finditer(text)
        }
        return [item for item in self.items if item in found]


_NAMES = (_Lexicon(MALE_NAMES), _Lexicon(FEMALE_NAMES))
_PLACES = (_Lexicon(CITIES), _Lexicon(COUNTRIES))
_NUMBERS = _Lexicon(NUMBER_WORDS, fold=True)


def _pattern(word: str, *, fold: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE if fold else 0)


def _replace(text: str, old: str, new: str, *, fold: bool = False) -> str:
    def keep_case(match: re.Match[str]) -> str:
        return new[:1].upper() + new[1:] if match.group(0)[:1].isupper() else new

    return _pattern(old, fold=fold).sub(keep_case, text)


def _first(doc: str | None) -> str:
    return (doc or "").strip().split("\n", 1)[0]
