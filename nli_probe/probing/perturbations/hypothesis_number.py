"""Number change in the hypothesis only: an entailed hypothesis that repeats the premise's
count ("Two dogs ..." / "Two dogs ...") is contradicted when its count changes ("Five dogs").

Only counts written the same way in both sentences are changed, only for entailed pairs, and
never after a hedge ("at least two", "more than 3"), where a different number can stay
entailed. Counts of two or more are replaced by other counts of two or more so the noun after
them stays plural. Unlike the robustness suite's consistent number swap (premise and
hypothesis together, label kept), this edit changes the label.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.probing.perturbation import Perturbation, Variant, register_perturbation
from nli_probe.probing.perturbations._words import Word, replace_word, words

NUMBER_WORDS: dict[str, int] = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_SPELLED = {value: word for word, value in NUMBER_WORDS.items()}

_HEDGES = frozenset(
    {"least", "most", "than", "over", "under", "about", "around", "nearly", "almost",
     "approximately", "roughly", "some", "twenty", "thirty", "forty", "fifty", "hundred",
     "or", "to"}
)  # fmt: skip
"""Words before a number that make it a bound or part of a bigger number."""


def _count(word: Word) -> int | None:
    if word.lower in NUMBER_WORDS:
        return NUMBER_WORDS[word.lower]
    if word.text.isdigit() and 2 <= int(word.text) <= 12:
        return int(word.text)
    return None


@register_perturbation("hypothesis_number")
def hypothesis_number() -> Perturbation:
    """Change a count the hypothesis shares with the premise (entailment -> contradiction)."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        if example.gold is not Label.ENTAILMENT:
            return
        premise_counts = {_count(w) for w in words(example.premise)} - {None}
        tokens = words(example.hypothesis)
        candidates = [
            (index, w)
            for index, w in enumerate(tokens)
            if _count(w) in premise_counts
            and (index == 0 or tokens[index - 1].lower not in _HEDGES)
            # "two or three dogs", "2-3": a range, not one count.
            and (index + 1 >= len(tokens) or tokens[index + 1].lower not in ("or", "to"))
            and "-" not in example.hypothesis[max(w.start - 1, 0) : w.end + 1]
        ]
        if not candidates:
            return
        _, word = rng.choice(candidates)
        old = _count(word)
        choices = [n for n in range(2, 11) if n != old and n not in premise_counts]
        new = rng.choice(choices)
        text = str(new) if word.text.isdigit() else _SPELLED[new]
        yield Variant(
            premise=example.premise,
            hypothesis=replace_word(example.hypothesis, word, text),
            label=Label.CONTRADICTION,
            note=f"{word.text} -> {text}",
        )

    return Perturbation(
        name="hypothesis_number",
        target="hypothesis",
        apply=apply,
        description="entailed hypothesis with another count is a contradiction",
    )
