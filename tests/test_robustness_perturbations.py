"""The robustness perturbations (surface edits, consistent swaps, distractors), table-driven."""

from __future__ import annotations

import random
import re

import pytest

from nli_probe import Example, Label, NLIProbeError, get_perturbation
from nli_probe.probing.perturbation import PERTURBATIONS, Variant
from nli_probe.probing.perturbations.wordlists import CITIES, COUNTRIES, FEMALE_NAMES, MALE_NAMES

PAIR = Example(
    id="ex-1",
    premise="Two women named Maria and Julia are not dancing in Paris at 3 pm.",
    hypothesis="Two women aren't dancing in Paris.",
    gold=Label.ENTAILMENT,
)

# (name, args, example, predicate on (example, variant)): each row must yield one variant that
# keeps the gold label and satisfies the predicate.
ROWS: list[tuple[str, dict[str, object], Example, object]] = [
    ("typos", {}, PAIR, lambda e, v: v.premise == e.premise and v.hypothesis != e.hypothesis),
    (
        "typos",
        {"target": "premise"},
        PAIR,
        lambda e, v: v.premise != e.premise and v.hypothesis == e.hypothesis,
    ),
    (
        "typos",
        {"n": 3, "target": "both"},
        PAIR,
        lambda e, v: v.premise != e.premise and v.hypothesis != e.hypothesis,
    ),
    (
        "punctuation",
        {},
        PAIR,
        lambda e, v: v.premise == e.premise[:-1] and v.hypothesis == e.hypothesis[:-1],
    ),
    ("punctuation", {"mode": "all"}, PAIR, lambda e, v: not re.search(r"[.,;:!?]", v.premise)),
    ("casing", {}, PAIR, lambda e, v: v.pair == (e.premise.lower(), e.hypothesis.lower())),
    ("casing", {"mode": "upper"}, PAIR, lambda e, v: v.hypothesis == e.hypothesis.upper()),
    ("casing", {"mode": "first"}, PAIR, lambda e, v: v.premise.startswith("two women")),
    (
        "whitespace",
        {},
        PAIR,
        lambda e, v: " ".join(v.premise.split()) == e.premise and v.premise != e.premise,
    ),
    (
        "contract",
        {},
        PAIR,
        lambda e, v: "aren't dancing" in v.premise and v.hypothesis == e.hypothesis,
    ),
    (
        "expand_contractions",
        {},
        PAIR,
        lambda e, v: (
            v.hypothesis == "Two women are not dancing in Paris." and v.premise == e.premise
        ),
    ),
    (
        "swap_names",
        {},
        PAIR,
        lambda e, v: (
            sum(name in v.premise for name in FEMALE_NAMES) == 2
            and ("Maria" not in v.premise or "Julia" not in v.premise)
        ),
    ),
    (
        "swap_locations",
        {},
        PAIR,
        lambda e, v: (
            "Paris" not in v.premise + v.hypothesis
            and any(f"in {city}" in v.premise and f"in {city}" in v.hypothesis for city in CITIES)
        ),
    ),
    (
        "swap_numbers",
        {},
        PAIR,
        lambda e, v: (
            v.premise.split()[0] == v.hypothesis.split()[0] != "Two" and "3 pm" in v.premise
        ),
    ),
    (
        "distractor",
        {},
        PAIR,
        lambda e, v: v.premise.startswith(e.premise + " ") and v.hypothesis == e.hypothesis,
    ),
    (
        "distractor",
        {"position": "start"},
        PAIR,
        lambda e, v: v.premise.endswith(" " + e.premise),
    ),
]


@pytest.mark.parametrize(("name", "args", "example", "check"), ROWS)
def test_perturbation_yields_a_label_keeping_variant(
    name: str, args: dict[str, object], example: Example, check: object
) -> None:
    perturbation = get_perturbation(name, **args)
    (variant,) = perturbation.variants(example, random.Random(f"0:{example.id}"))
    assert variant.label == example.gold
    assert variant.pair != example.pair
    assert callable(check)
    assert check(example, variant), variant


ROBUSTNESS = sorted({row[0] for row in ROWS})


@pytest.mark.parametrize("name", ROBUSTNESS)
def test_same_seed_same_variants_other_seed_may_differ(name: str) -> None:
    perturbation = get_perturbation(name)
    examples = [
        Example(
            id=f"e{i}",
            premise=f"Two men named John walk in London with {i + 2} dogs, and it is late.",
            hypothesis=f"Two men walk in London with {i + 2} dogs.",
            gold=Label(i % 3),
        )
        for i in range(30)
    ]

    def run(seed: int) -> list[list[Variant]]:
        return [perturbation.variants(e, random.Random(f"{seed}:{e.id}")) for e in examples]

    assert run(0) == run(0)
    if name not in ("casing", "contract", "expand_contractions", "punctuation"):
        # Randomised perturbations differ across seeds on at least one of 30 examples.
        assert run(0) != run(1)


@pytest.mark.parametrize(
    ("name", "premise", "hypothesis"),
    [
        ("contract", "A man walks.", "A man walks."),
        ("expand_contractions", "A man walks.", "A man walks."),
        ("swap_names", "A man walks.", "John walks."),  # name only in the hypothesis
        ("swap_locations", "A man walks.", "A man walks in Rome."),
        ("swap_numbers", "Two men walk.", "Men walk."),  # number only in the premise
        ("swap_numbers", "One man walks.", "One man walks."),  # "one" is never swapped
        ("typos", "A man is in a car.", "A cat."),  # no word of four letters
        ("casing", "a man.", "a dog."),
    ],
)
def test_perturbation_does_not_apply(name: str, premise: str, hypothesis: str) -> None:
    example = Example(id="x", premise=premise, hypothesis=hypothesis, gold=Label.NEUTRAL)
    assert get_perturbation(name).variants(example, random.Random("0:x")) == []


def test_swaps_are_consistent_and_keep_gender_and_kind() -> None:
    for seed in range(40):
        example = Example(
            id=f"s{seed}",
            premise="John and Mary travel from Japan to Berlin with 12 bags.",
            hypothesis="John is in Berlin with 12 bags.",
            gold=Label.NEUTRAL,
        )
        rng = random.Random(f"{seed}:{example.id}")
        (names,) = get_perturbation("swap_names").variants(example, rng)
        old, new = names.note.split(" -> ")
        assert (old in MALE_NAMES) == (new in MALE_NAMES)
        assert new not in example.premise + example.hypothesis
        assert names.premise == example.premise.replace(old, new)
        assert names.hypothesis == example.hypothesis.replace(old, new)
        (places,) = get_perturbation("swap_locations").variants(example, rng)
        old, new = places.note.split(" -> ")
        assert (old in CITIES and new in CITIES) or (old in COUNTRIES and new in COUNTRIES)
        (numbers,) = get_perturbation("swap_numbers").variants(example, rng)
        old, new = numbers.note.split(" -> ")
        assert old == "12" and new != "12" and int(new) >= 2
        assert numbers.hypothesis == f"John is in Berlin with {new} bags."


def test_number_words_keep_capitals() -> None:
    example = Example(id="n", premise="Three dogs run.", hypothesis="three dogs run.")
    (variant,) = get_perturbation("swap_numbers").variants(example, random.Random("0:n"))
    assert variant.premise[0].isupper() and variant.hypothesis[0].islower()
    assert variant.premise.lower() == variant.hypothesis.lower()
    assert variant.label is None  # no gold label on the original: none implied


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("typos", {"n": 0}, "n must be a whole number"),
        ("typos", {"target": "premis"}, "target must be one of"),
        ("casing", {"mode": "loud"}, "mode must be one of"),
        ("typos", {"rate": 0.1}, "has no argument 'rate'"),
        ("distractor", {"position": "middle"}, "position must be"),
    ],
)
def test_bad_arguments_are_user_errors(name: str, args: dict[str, object], message: str) -> None:
    with pytest.raises(NLIProbeError, match=message):
        get_perturbation(name, **args)


def test_robustness_perturbations_are_registered_and_described() -> None:
    names = PERTURBATIONS.names()
    for name in ROBUSTNESS:
        assert name in names
        assert PERTURBATIONS.describe(name)
