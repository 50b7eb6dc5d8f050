"""The words of a pair, as attacks see them: where each word is, the pair after edits, and the
pair cut into pieces with the edited words marked (for reports and the TUI).

A word is a run of letters, digits or underscores, with inner apostrophes and hyphens kept
(`can't`, `well-known`); everything between words (spaces, punctuation) is left as it is, so an
edited pair differs from the original only where a word was replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from nli_probe.core.protocol import Pair
from nli_probe.core.suite_run import Edit, Side

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


@dataclass(frozen=True, kw_only=True, slots=True)
class Word:
    """One word of one side of a pair: its position among that side's words and in the text."""

    side: Side
    index: int
    start: int
    end: int
    text: str


def split_words(text: str, side: Side) -> tuple[Word, ...]:
    """The words of `text`, in order."""
    return tuple(
        Word(side=side, index=index, start=match.start(), end=match.end(), text=match.group())
        for index, match in enumerate(_WORD.finditer(text))
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class Piece:
    """A stretch of an edited text: unchanged (`before` is None) or a replaced word."""

    text: str
    before: str | None = None
    """The word this one replaced; None for unchanged text."""


@dataclass(frozen=True, kw_only=True, slots=True)
class PairWords:
    """A premise/hypothesis pair split into words, to edit word by word."""

    premise: str
    hypothesis: str
    premise_words: tuple[Word, ...]
    hypothesis_words: tuple[Word, ...]

    @classmethod
    def of(cls, premise: str, hypothesis: str) -> PairWords:
        return cls(
            premise=premise,
            hypothesis=hypothesis,
            premise_words=split_words(premise, "premise"),
            hypothesis_words=split_words(hypothesis, "hypothesis"),
        )

    @property
    def pair(self) -> Pair:
        return (self.premise, self.hypothesis)

    def words(self, side: Side) -> tuple[Word, ...]:
        return self.premise_words if side == "premise" else self.hypothesis_words

    def text(self, side: Side) -> str:
        return self.premise if side == "premise" else self.hypothesis

    def apply(self, edits: Iterable[Edit]) -> Pair:
        """The pair with each edit's word replaced (edits index the original words)."""
        by_side: dict[Side, dict[int, str]] = {"premise": {}, "hypothesis": {}}
        for edit in edits:
            by_side[edit.side][edit.index] = edit.after
        premise = self._replaced("premise", by_side["premise"])
        hypothesis = self._replaced("hypothesis", by_side["hypothesis"])
        return (premise, hypothesis)

    def without(self, word: Word) -> Pair:
        """The pair with `word` deleted, with the space after it (or before it, at the end)."""
        text = self.text(word.side)
        start, end = word.start, word.end
        if end < len(text) and text[end] == " ":
            end += 1
        elif start > 0 and text[start - 1] == " ":
            start -= 1
        edited = text[:start] + text[end:]
        return (edited, self.hypothesis) if word.side == "premise" else (self.premise, edited)

    def pieces(self, side: Side, edits: Iterable[Edit]) -> tuple[Piece, ...]:
        """The edited text of `side` in pieces: unchanged text, and each replaced word with the
        word it replaced (`Piece.before`), for a renderer to mark."""
        replacements = edited_words(edits, side)
        text = self.text(side)
        pieces: list[Piece] = []
        at = 0
        for word in self.words(side):
            if word.index in replacements:
                if word.start > at:
                    pieces.append(Piece(text=text[at : word.start]))
                pieces.append(Piece(text=replacements[word.index], before=word.text))
                at = word.end
        if at < len(text) or not pieces:
            pieces.append(Piece(text=text[at:]))
        return tuple(pieces)

    def _replaced(self, side: Side, replacements: dict[int, str]) -> str:
        text = self.text(side)
        if not replacements:
            return text
        parts: list[str] = []
        at = 0
        for word in self.words(side):
            if word.index in replacements:
                parts.append(text[at : word.start])
                parts.append(replacements[word.index])
                at = word.end
        parts.append(text[at:])
        return "".join(parts)


def edited_words(edits: Iterable[Edit], side: Side) -> dict[int, str]:
    """Index → new word, for the edits of one side."""
    return {edit.index: edit.after for edit in edits if edit.side == side}
