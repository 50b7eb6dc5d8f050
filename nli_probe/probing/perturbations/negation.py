"""Negation of the hypothesis: an entailed hypothesis, negated, is contradicted.

The edit puts `not` after the hypothesis's one auxiliary or copula ("A man is playing" ->
"A man is not playing"). It implies a label only where logic gives one: if the premise entails
H, it contradicts "not H", so entailment becomes contradiction. For neutral and contradiction
pairs natural-language negation gives no safe label (a negated plural or conjunction is
stronger than the logical "not H"; a negated indefinite may speak of another person), so
the perturbation does not apply to them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.probing.perturbation import Perturbation, Variant, register_perturbation
from nli_probe.probing.perturbations._words import Word, has_negation, words

AUXILIARIES = frozenset(
    {"is", "are", "was", "were", "am", "can", "could", "will", "would", "should", "may",
     "might", "must"}
)  # fmt: skip
"""Finite auxiliaries and copulas that take `not` directly after them."""

# A contracted auxiliary ("it's", "they're") is a second, hidden one: such hypotheses are left
# alone. Other `'s` endings are possessives ("a man's hat") and do not count.
_CONTRACTED_ENDINGS = ("'re", "'m", "'ll", "'d", "'ve")
_CONTRACTED_IS = frozenset(
    {"it's", "that's", "there's", "here's", "he's", "she's", "what's", "who's", "where's"}
)

_DETERMINERS = frozenset(
    {"a", "an", "the", "one", "two", "three", "four", "five", "six", "some", "many", "several",
     "any", "this", "that", "these", "those", "his", "her", "their", "its"}
)  # fmt: skip


def negate(text: str) -> str | None:
    """`text` with `not` after its only auxiliary, or None where that is not a clean edit:
    already negated, no auxiliary, several (a second clause), or a contracted one."""
    if has_negation(text):
        return None
    tokens = words(text)
    if any(w.lower.endswith(_CONTRACTED_ENDINGS) or w.lower in _CONTRACTED_IS for w in tokens):
        return None
    auxiliaries = [w for w in tokens if w.lower in AUXILIARIES]
    if len(auxiliaries) != 1:
        return None
    aux: Word = auxiliaries[0]
    # "can not" is two words in writing only when stressed; "cannot" is the usual spelling.
    inserted = "not" if aux.lower == "can" else " not"
    index = tokens.index(aux)
    after = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    if index > 0 and tokens[index - 1].lower == "there" and after not in _DETERMINERS:
        # "There are children" -> "There are no children", not "There are not children".
        inserted = " no"
    return text[: aux.end] + inserted + text[aux.end :]


@register_perturbation("negate_hypothesis")
def negate_hypothesis() -> Perturbation:
    """Negate an entailed hypothesis, `is` -> `is not` (entailment -> contradiction)."""

    def apply(example: Example, rng: random.Random) -> Iterable[Variant]:
        if example.gold is not Label.ENTAILMENT:
            return
        negated = negate(example.hypothesis)
        if negated is None:
            return
        yield Variant(
            premise=example.premise,
            hypothesis=negated,
            label=Label.CONTRADICTION,
            note="negated the hypothesis",
        )

    return Perturbation(
        name="negate_hypothesis",
        target="hypothesis",
        apply=apply,
        description="negated entailed hypothesis is a contradiction",
    )
