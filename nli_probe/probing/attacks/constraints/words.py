"""Constraints on which words an attack edits: how many, stopwords, words both sides share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nli_probe.core.words import PairWords, Word
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.constraint import Candidate, Constraint, register_constraint
from nli_probe.probing.attacks.constraints._stopwords import STOPWORDS


@register_constraint("max_words")
def max_words(*, count: int | None = None, share: float | None = None) -> Constraint:
    """At most `count` words changed, and/or at most `share` (0-1) of the words of the sides
    the edits touch."""
    if count is None and share is None:
        raise NLIProbeError("give `count` (words) or `share` (0 to 1 of the words), or both")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise NLIProbeError(f"count must be an integer of at least 1, got {count!r}")
    if share is not None and not 0 < share <= 1:
        raise NLIProbeError(f"share must be more than 0 and at most 1, got {share!r}")

    def allowed(candidate: Candidate) -> bool:
        edits = candidate.edits
        if count is not None and len(edits) > count:
            return False
        if share is not None:
            sides = {edit.side for edit in edits}
            words = sum(len(candidate.original.words(side)) for side in sides)
            if words and len(edits) > share * words + 1e-9:
                return False
        return True

    limits = [f"{count} words"] if count is not None else []
    limits += [f"{share:.0%} of the words"] if share is not None else []
    return Constraint(
        name="max_words",
        candidates=lambda candidates: [allowed(candidate) for candidate in candidates],
        description=f"at most {' and '.join(limits)} changed",
    )


@register_constraint("stopwords")
def stopwords(
    *,
    words: Sequence[str] | None = None,
    file: str | None = None,
    case_sensitive: bool = False,
) -> Constraint:
    """Stopwords are left alone: nli-probe's English list (function words), or your own
    `words` or `file` (one word a line). TextAttack compares case-sensitively (so its "The" is
    editable); here case is ignored unless `case_sensitive`."""
    if words is not None and file is not None:
        raise NLIProbeError("give `words` or `file`, not both")
    if words is not None:
        if isinstance(words, str) or not all(isinstance(word, str) for word in words):
            raise NLIProbeError("words must be a list of strings")
        listed = frozenset(words)
        source = f"{len(listed)} words given"
    elif file is not None:
        listed = _read_words(Path(file))
        source = f"{len(listed)} words from {file}"
    else:
        listed = STOPWORDS
        source = "nli-probe's list"
    if not case_sensitive:
        listed = frozenset(word.lower() for word in listed)

    def editable(pair: PairWords, word: Word) -> bool:
        return (word.text if case_sensitive else word.text.lower()) not in listed

    case = ", case-sensitive" if case_sensitive else ""
    return Constraint(
        name="stopwords", word=editable, description=f"stopwords kept ({source}{case})"
    )


@register_constraint("shared_words")
def shared_words() -> Constraint:
    """Words that occur on both sides of the pair (ignoring case) are left alone, so an attack
    cannot break the overlap an NLI pair's label often rests on."""

    def editable(pair: PairWords, word: Word) -> bool:
        other = pair.words("hypothesis" if word.side == "premise" else "premise")
        return word.text.lower() not in {w.text.lower() for w in other}

    return Constraint(name="shared_words", word=editable, description="words both sides share kept")


def _read_words(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NLIProbeError(f"{path}: no such word file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NLIProbeError(f"{path}: cannot read word file ({error})") from None
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
