"""Constraints: which words an attack may edit, and which candidate pairs it may keep.

A `Constraint` has either rule or both:

- `word(original, word) -> bool`: may this word of the original pair be edited at all
  (stopwords, words both sides share); checked once per pair before the search;
- `candidates(checks) -> [bool, ...]`: is each candidate acceptable (words changed, edit
  distance, sentence similarity). It gets every candidate of a search step, across all the pairs
  attacked, in one call, so a rule that runs a model (the sentence encoder) runs it batched.

Adding one:

    from nli_probe import Constraint, register_constraint

    @register_constraint("no_digits")
    def no_digits() -> Constraint:
        \"\"\"Numbers are left alone.\"\"\"
        return Constraint(name="no_digits", word=lambda pair, word: not word.text.isdigit())
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nli_probe.core.protocol import Pair
from nli_probe.core.registry import Registry
from nli_probe.core.suite_run import Edit
from nli_probe.core.words import PairWords, Word
from nli_probe.errors import NLIProbeError


@dataclass(frozen=True, kw_only=True, slots=True)
class Candidate:
    """A candidate pair, with the original it was edited from and every edit made so far."""

    original: PairWords
    edits: tuple[Edit, ...]
    pair: Pair


WordRule = Callable[[PairWords, Word], bool]
"""`(original pair, word) -> may the word be edited`."""
CandidateRule = Callable[[Sequence[Candidate]], Sequence[bool]]
"""`(candidates) -> is each acceptable`, one verdict per candidate, in order."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Constraint:
    """A named rule on the words an attack may edit and/or the candidates it may keep."""

    name: str
    word: WordRule | None = None
    candidates: CandidateRule | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.word is None and self.candidates is None:
            raise NLIProbeError(f"constraint {self.name!r} needs a word or a candidates rule")


CONSTRAINTS: Registry[Constraint] = Registry(
    "constraint", builtin_packages=("nli_probe.probing.attacks.constraints",)
)
"""Every registered constraint factory, by name."""

register_constraint = CONSTRAINTS.register
"""Decorator: `@register_constraint("name")` on a factory returning a `Constraint`."""


def get_constraint(name: str, **args: object) -> Constraint:
    """Build the registered constraint `name` with keyword `args` (`NLIProbeError` if unknown or
    if the arguments do not fit)."""
    return CONSTRAINTS.build(name, args)
