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

from nli_probe.example import Example
from nli_probe.perturbation import Perturbation, Variant, register_perturbation
from nli_probe.perturbations.wordlists import (
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
    return _swap_from_lists("swap_names", (MALE_NAMES, FEMALE_NAMES), swap_names.__doc__)


@register_perturbation("swap_locations")
def swap_locations() -> Perturbation:
    """Replace a city or country by another of the same kind, in premise and hypothesis."""
    return _swap_from_lists("swap_locations", (CITIES, COUNTRIES), swap_locations.__doc__)


@register_perturbation("swap_numbers")
def swap_numbers() -> Perturbation:
    """Replace a number ("two", "3") that occurs in both sides by another, in both."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        premise, hypothesis = example.premise, example.hypothesis
        words = [
            w
            for w in NUMBER_WORDS
            if _has(premise, w, fold=True) and _has(hypothesis, w, fold=True)
        ]
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
            others = [w for w in NUMBER_WORDS if not _has(premise + " " + hypothesis, w, fold=True)]
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


def _swap_from_lists(name: str, lists: Sequence[Sequence[str]], doc: str | None) -> Perturbation:
    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        premise, hypothesis = example.premise, example.hypothesis
        found = [(item, items) for items in lists for item in items if _has(premise, item)]
        if not found:
            return
        # Longest first would matter for "New York" vs "York"; our lists have no such overlap,
        # so a seeded choice among all found items is enough.
        old, items = rng.choice(found)
        both = premise + " " + hypothesis
        new = rng.choice([item for item in items if not _has(both, item)])
        yield Variant(
            premise=_replace(premise, old, new),
            hypothesis=_replace(hypothesis, old, new),
            label=example.gold,
            note=f"{old} -> {new}",
        )

    return Perturbation(name=name, target="both", apply=apply, description=_first(doc))


def _pattern(word: str, *, fold: bool) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE if fold else 0)


def _has(text: str, word: str, *, fold: bool = False) -> bool:
    return _pattern(word, fold=fold).search(text) is not None


def _replace(text: str, old: str, new: str, *, fold: bool = False) -> str:
    def keep_case(match: re.Match[str]) -> str:
        return new[:1].upper() + new[1:] if match.group(0)[:1].isupper() else new

    return _pattern(old, fold=fold).sub(keep_case, text)


def _first(doc: str | None) -> str:
    return (doc or "").strip().split("\n", 1)[0]
