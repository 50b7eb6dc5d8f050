"""Antonym substitution in the hypothesis: an entailed hypothesis with one word replaced by
its antonym is contradicted.

The list is ours and small on purpose: each entry maps a word to a *contrary* (both cannot
hold of the same thing, "tall"/"short"), and only in the direction where the replacement stays
grammatical in SNLI-style captions ("a young man" -> "an old man", but not "an old building"
-> "a young building"). Only entailed pairs are edited: if the premise entails H, it
contradicts H with a contrary in place of one word. For neutral and contradiction pairs a
contrary gives no safe label (not-tall is not short), so the perturbation does not apply.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.probing.perturbation import Perturbation, Variant, register_perturbation
from nli_probe.probing.perturbations._words import has_negation, replace_word, words

ANTONYMS: dict[str, str] = {
    # size, age, mood
    "tall": "short",
    "big": "small",
    "large": "small",
    "small": "big",
    "young": "old",
    "new": "old",
    "happy": "sad",
    "sad": "happy",
    "smiling": "frowning",
    # states
    "wet": "dry",  # not dry -> wet, clean -> dirty: also verbs ("to dry", "men clean up")
    "empty": "full",
    "dirty": "clean",
    # not hot/cold: "hot dog", "hot air balloon", "cold drink" are not temperatures
    "asleep": "awake",
    "awake": "asleep",
    "sleeping": "awake",
    # posture and place
    "sitting": "standing",
    "standing": "sitting",
    "inside": "outside",
    "outside": "inside",
    "indoors": "outdoors",
    "outdoors": "indoors",
    # gender (SNLI annotators treat these as contradictions)
    "man": "woman",
    "woman": "man",
    "men": "women",
    "women": "men",
    "boy": "girl",
    "girl": "boy",
    "boys": "girls",
    "girls": "boys",
    "male": "female",
    "female": "male",
}
"""word -> a contrary that can replace it."""

_MALE = frozenset({"man", "men", "boy", "boys", "male", "guy", "guys", "gentleman", "gentlemen"})
_FEMALE = frozenset({"woman", "women", "girl", "girls", "female", "lady", "ladies"})
# A gender swap would leave these pointing at the wrong person ("A woman walks his dog").
_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})


def _blocked(word: str, pair_words: set[str]) -> bool:
    """Whether the pair already mentions what `word` would become, so the edited hypothesis
    could describe someone (or something) else the premise does show."""
    if ANTONYMS[word] in pair_words:
        return True
    if word in _MALE:
        return bool(pair_words & (_FEMALE | _PRONOUNS))
    if word in _FEMALE:
        return bool(pair_words & (_MALE | _PRONOUNS))
    return False


@register_perturbation("antonym")
def antonym() -> Perturbation:
    """Replace a hypothesis word by its antonym (entailment -> contradiction)."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        if example.gold is not Label.ENTAILMENT or has_negation(example.hypothesis):
            return
        tokens = words(example.hypothesis)
        present = {w.lower for w in tokens} | {w.lower for w in words(example.premise)}
        candidates = [
            w
            for w in tokens
            if w.lower in ANTONYMS
            and not _blocked(w.lower, present)
            # Capitalised inside the sentence: part of a name ("New York", "Big Ben").
            and not (w.start > 0 and w.text[:1].isupper())
        ]
        if not candidates:
            return
        word = rng.choice(candidates)
        new = ANTONYMS[word.lower]
        yield Variant(
            premise=example.premise,
            hypothesis=replace_word(example.hypothesis, word, new),
            label=Label.CONTRADICTION,
            note=f"{word.text} -> {new}",
        )

    return Perturbation(
        name="antonym",
        target="hypothesis",
        apply=apply,
        description="entailed hypothesis with an antonym is a contradiction",
    )
