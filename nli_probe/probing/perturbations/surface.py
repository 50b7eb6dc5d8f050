"""Surface edits that keep the meaning, hence the gold label: typos, punctuation, casing,
whitespace, contractions both ways."""

from __future__ import annotations

import random
import re
from typing import Literal, get_args

from nli_probe.errors import NLIProbeError
from nli_probe.probing.perturbation import (
    Perturbation,
    Target,
    check_target,
    register_perturbation,
    text_perturbation,
)
from nli_probe.probing.perturbations.wordlists import CONTRACTIONS, KEYBOARD_NEIGHBOURS

_LONG_WORD = re.compile(r"[A-Za-z]{4,}")


@register_perturbation("typos")
def typos(*, n: int = 1, target: Target = "hypothesis") -> Perturbation:
    """Misspell `n` words of four or more letters (swap, drop, doubled or neighbouring key)."""
    if not isinstance(n, int) or n < 1:
        raise NLIProbeError(f"n must be a whole number >= 1, got {n!r}")

    def edit(text: str, rng: random.Random) -> str | None:
        spans = [match.span() for match in _LONG_WORD.finditer(text)]
        if not spans:
            return None
        # Right to left, so earlier spans stay valid while the text changes length.
        for start, end in sorted(rng.sample(spans, min(n, len(spans))), reverse=True):
            text = text[:start] + _misspell(text[start:end], rng) + text[end:]
        return text

    return text_perturbation("typos", edit, target=check_target(target), description=_doc(typos))


def _misspell(word: str, rng: random.Random) -> str:
    # Keep the first letter: people rarely mistype it, and readers of failures can still
    # recognise the word.
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "key"))
    if kind == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "key" and word[i].lower() in KEYBOARD_NEIGHBOURS:
        key = rng.choice(KEYBOARD_NEIGHBOURS[word[i].lower()])
        return word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1 :]
    return word[:i] + word[i + 1 :]


PunctuationMode = Literal["final", "all"]


@register_perturbation("punctuation")
def punctuation(*, mode: PunctuationMode = "final", target: Target = "both") -> Perturbation:
    """`final`: drop the final . ! or ? (or add a full stop where there is none);
    `all`: remove every . , ; : ! ?"""
    _check_choice("mode", mode, get_args(PunctuationMode))

    def edit(text: str, rng: random.Random) -> str | None:
        if mode == "all":
            return re.sub(r"[.,;:!?]", "", text)
        stripped = text.rstrip()
        if not stripped:
            return None
        return stripped[:-1].rstrip() if stripped[-1] in ".!?" else stripped + "."

    return text_perturbation(
        "punctuation", edit, target=check_target(target), description=_doc(punctuation)
    )


CasingMode = Literal["lower", "upper", "title", "first"]


@register_perturbation("casing")
def casing(*, mode: CasingMode = "lower", target: Target = "both") -> Perturbation:
    """Change letter case: `lower`, `upper`, `title` (Each Word), or `first` (swap the case of
    the first letter only)."""
    _check_choice("mode", mode, get_args(CasingMode))

    def edit(text: str, rng: random.Random) -> str | None:
        if mode == "lower":
            return text.lower()
        if mode == "upper":
            return text.upper()
        if mode == "title":
            return text.title()
        return text[:1].swapcase() + text[1:]

    return text_perturbation("casing", edit, target=check_target(target), description=_doc(casing))


@register_perturbation("whitespace")
def whitespace(*, n: int = 2, target: Target = "both") -> Perturbation:
    """Add `n` extra spaces between words (or at the ends): tokenizers should not care."""
    if not isinstance(n, int) or n < 1:
        raise NLIProbeError(f"n must be a whole number >= 1, got {n!r}")

    def edit(text: str, rng: random.Random) -> str | None:
        # Gaps are the text's edges and its existing spaces.
        gaps = [0, len(text), *(m.start() for m in re.finditer(" ", text))]
        for gap in sorted((rng.choice(gaps) for _ in range(n)), reverse=True):
            text = text[:gap] + " " + text[gap:]
        return text

    return text_perturbation(
        "whitespace", edit, target=check_target(target), description=_doc(whitespace)
    )


_CONTRACT = dict(CONTRACTIONS)
_EXPAND = {short: long for long, short in CONTRACTIONS}
_CONTRACT_RE = re.compile(r"\b(" + "|".join(map(re.escape, _CONTRACT)) + r")\b", re.IGNORECASE)
_EXPAND_RE = re.compile(r"\b(" + "|".join(map(re.escape, _EXPAND)) + r")(?!\w)", re.IGNORECASE)


@register_perturbation("contract")
def contract(*, target: Target = "both") -> Perturbation:
    """Contract every long form ("is not" -> "isn't", "they are" -> "they're")."""

    def edit(text: str, rng: random.Random) -> str | None:
        return _CONTRACT_RE.sub(
            lambda m: _same_case(m.group(0), _CONTRACT[m.group(0).lower()]), text
        )

    return text_perturbation(
        "contract", edit, target=check_target(target), description=_doc(contract)
    )


@register_perturbation("expand_contractions")
def expand_contractions(*, target: Target = "both") -> Perturbation:
    """Expand every contraction ("isn't" -> "is not", "it's" -> "it is")."""

    def edit(text: str, rng: random.Random) -> str | None:
        return _EXPAND_RE.sub(lambda m: _same_case(m.group(0), _EXPAND[m.group(0).lower()]), text)

    return text_perturbation(
        "expand_contractions",
        edit,
        target=check_target(target),
        description=_doc(expand_contractions),
    )


def _same_case(original: str, replacement: str) -> str:
    """`replacement`, capitalised like `original`'s first letter ("Is not" -> "Isn't")."""
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise NLIProbeError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


def _doc(factory: object) -> str:
    return (getattr(factory, "__doc__", None) or "").strip().split("\n", 1)[0]
