"""Word-level editing shared by the label-changing perturbations: find words, replace one
while keeping its capitalisation, and keep `a`/`an` in agreement with the word after it.

Words are runs of letters, digits and apostrophes; everything between them (spaces,
punctuation) is left exactly as it was, so an edit changes only the words it means to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")

NEGATIONS = frozenset(
    {"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "nowhere", "cannot"}
)
"""Words that already negate a sentence; `n't` endings are checked separately."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Word:
    """One word of a text and where it is."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def words(text: str) -> list[Word]:
    """The words of `text`, in order."""
    return [Word(text=m.group(), start=m.start(), end=m.end()) for m in _WORD.finditer(text)]


def has_negation(text: str) -> bool:
    """Whether `text` already contains a negation (`not`, `no`, `n't` ...)."""
    return any(w.lower in NEGATIONS or w.lower.endswith("n't") for w in words(text))


def match_case(new: str, old: str) -> str:
    """`new` capitalised like `old` (all caps, capitalised, or as given)."""
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def replace_word(text: str, word: Word, new: str) -> str:
    """`text` with `word` replaced by `new` (capitalised like the old word), and an `a`/`an`
    just before it corrected for the new word."""
    edited = text[: word.start] + match_case(new, word.text) + text[word.end :]
    return fix_article(edited, word.start)


def fix_article(text: str, position: int) -> str:
    """Make an article `a`/`an` that ends just before `position` agree with the word that
    starts there ("a old man" -> "an old man")."""
    before = text[:position]
    match = re.search(r"\b([Aa]n?)(\s+)$", before)
    if match is None:
        return text
    following = text[position:]
    wanted = "an" if _starts_with_vowel_sound(following) else "a"
    if match.group(1).lower() == wanted:
        return text
    article = match_case(wanted, match.group(1))
    return before[: match.start(1)] + article + match.group(2) + following


# Vowel letters that sound like consonants and silent h's that make a vowel sound: the few
# words our lists and SNLI hypotheses need, not a general solution.
_CONSONANT_SOUND = ("uni", "use", "usu", "one", "eu", "ewe")
_VOWEL_SOUND = ("hour", "honest", "honor", "heir")


def _starts_with_vowel_sound(text: str) -> bool:
    word = text.lstrip().lower()
    if word.startswith(_VOWEL_SOUND):
        return True
    if word.startswith(_CONSONANT_SOUND):
        return False
    if word[:1].isdigit():
        # "an 8", "an 11", "an 18", "an 80": digits said with a vowel sound.
        return word.startswith(("8", "11", "18"))
    return word[:1] in ("a", "e", "i", "o", "u")
