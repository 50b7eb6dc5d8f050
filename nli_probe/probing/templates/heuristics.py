"""HANS-style templates (McCoy, Pavlick & Linzen 2019) for three syntactic heuristics a model
may use instead of understanding the sentence:

- lexical overlap: assume entailment when every hypothesis word is in the premise;
- subsequence: assume entailment when the hypothesis is a contiguous run of premise words;
- constituent: assume entailment when the hypothesis is a whole subtree of the premise.

Each template makes non-entailed examples where the heuristic is wrong (`entailed=False`, the
test) or entailed controls where it happens to be right (`entailed=True`): a model that passes
the controls but fails the tests leans on the heuristic. HANS has two labels; here the
non-entailed examples are labelled neutral (the premise says nothing either way), and the
built-in `heuristics` suite judges them with `not_entailment`, as HANS scores them, so a
contradiction answer is not counted against the model.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from nli_probe.core.labels import Label
from nli_probe.probing.expectation import Check, Expectation, register_expectation
from nli_probe.probing.template import Template, register_template
from nli_probe.probing.templates._frames import LabelledFrame, frames_template
from nli_probe.probing.templates._words import ADVERBS, INTRANSITIVE, PROFESSIONS, TRANSITIVE

Frame = Callable[[random.Random], tuple[str, str]]
"""rng -> (premise, hypothesis)."""


def _people(rng: random.Random, k: int) -> list[str]:
    return rng.sample(PROFESSIONS, k)


# Passive frames use verbs whose past tense and participle are one word ("helped"), so the
# active hypothesis repeats the premise's words exactly, as the heuristic requires.
_SAME_FORM = tuple(verb for verb in TRANSITIVE if verb[0] == verb[1])


# --- lexical overlap ------------------------------------------------------------------------


def _overlap_swap(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb, _ = rng.choice(TRANSITIVE)
    return f"The {a} {verb} the {b}.", f"The {b} {verb} the {a}."


def _overlap_passive_swap(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb, participle = rng.choice(_SAME_FORM)
    return f"The {a} was {participle} by the {b}.", f"The {a} {verb} the {b}."


def _overlap_conjunction(rng: random.Random) -> tuple[str, str]:
    a, b, c = _people(rng, 3)
    verb, _ = rng.choice(TRANSITIVE)
    return f"The {a} and the {b} {verb} the {c}.", f"The {c} {verb} the {b}."


def _overlap_passive(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb, participle = rng.choice(_SAME_FORM)
    return f"The {a} {verb} the {b}.", f"The {b} was {participle} by the {a}."


def _overlap_conjunction_entailed(rng: random.Random) -> tuple[str, str]:
    a, b, c = _people(rng, 3)
    verb, _ = rng.choice(TRANSITIVE)
    return f"The {a} and the {b} {verb} the {c}.", f"The {b} {verb} the {c}."


# --- subsequence ----------------------------------------------------------------------------


def _subsequence_pp(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb = rng.choice(INTRANSITIVE)
    return f"The {a} near the {b} {verb}.", f"The {b} {verb}."


def _subsequence_relative(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    transitive, _ = rng.choice(TRANSITIVE)
    verb = rng.choice(INTRANSITIVE)
    return f"The {a} who {transitive} the {b} {verb}.", f"The {b} {verb}."


def _subsequence_clause(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb = rng.choice(INTRANSITIVE)
    return f"The {a} believed the {b} {verb}.", f"The {a} believed the {b}."


def _subsequence_pp_entailed(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb = rng.choice(INTRANSITIVE)
    return f"The {a} near the {b} {verb}.", f"The {a} {verb}."


def _subsequence_adverb(rng: random.Random) -> tuple[str, str]:
    (a,) = _people(rng, 1)
    verb = rng.choice(INTRANSITIVE)
    return f"The {a} {verb} {rng.choice(ADVERBS)}.", f"The {a} {verb}."


# --- constituent ----------------------------------------------------------------------------


def _constituent_if(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    v1, v2 = rng.sample(INTRANSITIVE, 2)
    return f"If the {a} {v1}, the {b} {v2}.", f"The {a} {v1}."


def _constituent_belief(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb = rng.choice(INTRANSITIVE)
    thought = rng.choice(("thought", "hoped", "suspected", "claimed"))
    return f"The {a} {thought} that the {b} {verb}.", f"The {b} {verb}."


def _constituent_whether(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb = rng.choice(INTRANSITIVE)
    return f"The {a} asked whether the {b} {verb}.", f"The {b} {verb}."


def _constituent_since(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    v1, v2 = rng.sample(INTRANSITIVE, 2)
    return f"Since the {a} {v1}, the {b} {v2}.", f"The {a} {v1}."


def _constituent_factive(rng: random.Random) -> tuple[str, str]:
    a, b = _people(rng, 2)
    verb = rng.choice(INTRANSITIVE)
    knew = rng.choice(("knew", "noticed", "forgot", "regretted"))
    return f"The {a} {knew} that the {b} {verb}.", f"The {b} {verb}."


_FRAMES: dict[str, dict[bool, tuple[Frame, ...]]] = {
    "lexical_overlap": {
        False: (_overlap_swap, _overlap_passive_swap, _overlap_conjunction),
        True: (_overlap_passive, _overlap_conjunction_entailed),
    },
    "subsequence": {
        False: (_subsequence_pp, _subsequence_relative, _subsequence_clause),
        True: (_subsequence_pp_entailed, _subsequence_adverb),
    },
    "constituent": {
        False: (_constituent_if, _constituent_belief, _constituent_whether),
        True: (_constituent_since, _constituent_factive),
    },
}


def _template(heuristic: str, n: int, entailed: bool) -> Template:
    gold = Label.ENTAILMENT if entailed else Label.NEUTRAL
    suffix = "entailed" if entailed else "non-entailed"

    def labelled(frame: Frame) -> LabelledFrame:
        return lambda rng: (*frame(rng), gold)

    return frames_template(
        f"{heuristic}-{suffix}",
        [labelled(frame) for frame in _FRAMES[heuristic][bool(entailed)]],
        n=n,
        description=f"{heuristic} ({suffix})",
    )


@register_template("lexical_overlap")
def lexical_overlap(*, n: int = 60, entailed: bool = False) -> Template:
    """HANS lexical overlap: every hypothesis word is in the premise.

    "The doctor saw the lawyer." / "The lawyer saw the doctor." (not entailed).
    """
    return _template("lexical_overlap", n, entailed)


@register_template("subsequence")
def subsequence(*, n: int = 60, entailed: bool = False) -> Template:
    """HANS subsequence: the hypothesis is a run of premise words.

    "The doctor near the actor danced." / "The actor danced." (not entailed).
    """
    return _template("subsequence", n, entailed)


@register_template("constituent")
def constituent(*, n: int = 60, entailed: bool = False) -> Template:
    """HANS constituent: the hypothesis is a clause of the premise.

    "If the artist slept, the actor ran." / "The artist slept." (not entailed).
    """
    return _template("constituent", n, entailed)


@register_expectation("not_entailment")
def not_entailment() -> Expectation:
    """MFT, HANS's two labels: not predicted entailment (neutral or contradiction pass)."""

    def judge(check: Check) -> bool | None:
        return check.after.label is not Label.ENTAILMENT

    return Expectation(
        name="not_entailment",
        kind="MFT",
        judge=judge,
        description="not predicted entailment (HANS non-entailment)",
    )
