"""Character edits of a word (DeepWordBug's transformations, and a keyboard-typo one)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Literal, get_args

from nli_probe.core.words import Word
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.transformation import (
    Transformation,
    register_transformation,
    word_transformation,
)

CharEdit = Literal["swap", "substitute", "delete", "insert", "keyboard"]
CHAR_EDITS: tuple[str, ...] = get_args(CharEdit)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, str]:
    """Each letter's neighbours on a QWERTY keyboard: left and right on its row, and the keys
    touching it on the rows above and below (rows are offset by about half a key)."""
    where = {
        key: (row, column) for row, keys in enumerate(_ROWS) for column, key in enumerate(keys)
    }
    neighbours: dict[str, str] = {}
    for key, (row, column) in where.items():
        touching = {
            row: (column - 1, column + 1),
            row - 1: (column, column + 1),
            row + 1: (column - 1, column),
        }
        near = [
            other
            for other, (other_row, other_column) in where.items()
            if other_column in touching.get(other_row, ())
        ]
        neighbours[key] = "".join(sorted(near))
    return neighbours


KEYBOARD = _keyboard_neighbours()
"""Letter → its neighbouring keys (QWERTY)."""


def _cased(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter


def _swap(word: str, at: int, rng: random.Random) -> str | None:
    if at + 1 >= len(word) or word[at] == word[at + 1]:
        return None
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _substitute(word: str, at: int, rng: random.Random) -> str:
    letter = rng.choice([c for c in _LETTERS if c != word[at].lower()])
    return word[:at] + _cased(letter, word[at]) + word[at + 1 :]


def _delete(word: str, at: int, rng: random.Random) -> str | None:
    return word[:at] + word[at + 1 :] if len(word) > 1 else None


def _insert(word: str, at: int, rng: random.Random) -> str:
    # Lower case unless the whole word is in capitals ("Man" -> "Mxan", not "XMan").
    return word[:at] + _cased(rng.choice(_LETTERS), word) + word[at:]


def _keyboard(word: str, at: int, rng: random.Random) -> str | None:
    near = KEYBOARD.get(word[at].lower())
    if not near:
        return None
    return word[:at] + _cased(rng.choice(near), word[at]) + word[at + 1 :]


_EDITS: dict[str, tuple[Callable[[str], int], Callable[[str, int, random.Random], str | None]]] = {
    # (number of positions the edit can take, the edit at one position)
    "swap": (lambda word: len(word) - 1, _swap),
    "substitute": (len, _substitute),
    "delete": (len, _delete),
    "insert": (lambda word: len(word) + 1, _insert),
    "keyboard": (len, _keyboard),
}


@register_transformation("chars")
def chars(
    *, edits: Sequence[CharEdit] = ("swap", "substitute", "delete", "insert"), n: int = 1
) -> Transformation:
    """Character edits (DeepWordBug): for each of `edits`, `n` variants of the word at random
    positions: `swap` two neighbouring characters, `substitute` a random letter, `delete` a
    character, `insert` a random letter, `keyboard`: a neighbouring key (QWERTY) for a letter.

    Letters keep the case of the one they replace; one-character words are not shortened.
    """
    if isinstance(edits, str) or not edits:
        raise NLIProbeError(f"edits must be a non-empty list of {', '.join(CHAR_EDITS)}")
    unknown = [edit for edit in edits if edit not in CHAR_EDITS]
    if unknown:
        raise NLIProbeError(
            f"unknown character edit {unknown[0]!r} (edits: {', '.join(CHAR_EDITS)})"
        )
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise NLIProbeError(f"n must be an integer of at least 1, got {n!r}")
    chosen = tuple(dict.fromkeys(edits))

    def replace(word: Word, rng: random.Random) -> list[str]:
        text = word.text
        found: list[str] = []
        for name in chosen:
            positions, edit = _EDITS[name]
            places = list(range(max(positions(text), 0)))
            for at in rng.sample(places, min(n, len(places))):
                variant = edit(text, at, rng)
                if variant and variant != text:
                    found.append(variant)
        return found

    return word_transformation(
        "chars", replace, description=f"character edits ({', '.join(chosen)}, {n} each)"
    )
