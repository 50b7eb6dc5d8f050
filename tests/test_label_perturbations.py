"""Label-changing and artefact perturbations: table-driven cases, determinism per seed, implied
labels, well-formed output on real SNLI pairs, and the cases where they do not apply."""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import pytest

from nli_probe import Example, Label, NLIProbeError, get_expectation, get_perturbation
from nli_probe.probing.perturbations._words import fix_article, has_negation, match_case
from tests.snli import gold_pairs

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION
LABEL_EDITS = (
    "negate_hypothesis",
    "antonym",
    "hypothesis_number",
    "swap_contradiction",
    "premise_as_hypothesis",
)
ARTEFACTS = ("empty_premise", "shuffled_premise")


def _example(premise: str, hypothesis: str, gold: Label | None, id: str = "x") -> Example:
    return Example(id=id, premise=premise, hypothesis=hypothesis, gold=gold)


def _variants(name: str, example: Example, seed: int = 0) -> list[tuple[str, str, Label | None]]:
    rng = random.Random(f"{seed}:{example.id}")
    return [
        (v.premise, v.hypothesis, v.label) for v in get_perturbation(name).variants(example, rng)
    ]


def _snli(n: int) -> list[Example]:
    return gold_pairs(n)  # the embedded SNLI dev copy


# (perturbation, premise, hypothesis, gold, expected (premise, hypothesis, label) or None)
CASES = [
    # negation: entailment -> contradiction, `not` after the one auxiliary
    ("negate_hypothesis", "A man plays guitar.", "A man is playing guitar.", E,
     ("A man plays guitar.", "A man is not playing guitar.", C)),
    ("negate_hypothesis", "Kids in a pool.", "There are children in a pool.", E,
     ("Kids in a pool.", "There are no children in a pool.", C)),
    ("negate_hypothesis", "A girl swims.", "A girl can swim.", E,
     ("A girl swims.", "A girl cannot swim.", C)),
    ("negate_hypothesis", "A man's dog runs.", "A man's dog is running.", E,
     ("A man's dog runs.", "A man's dog is not running.", C)),
    ("negate_hypothesis", "P.", "A man is playing guitar.", N, None),  # no safe label
    ("negate_hypothesis", "P.", "A man is playing guitar.", C, None),
    ("negate_hypothesis", "P.", "A man is not playing guitar.", E, None),  # already negated
    ("negate_hypothesis", "P.", "Nobody is here.", E, None),
    ("negate_hypothesis", "P.", "A man plays guitar.", E, None),  # no auxiliary
    ("negate_hypothesis", "P.", "A man who is tall is walking.", E, None),  # two clauses
    ("negate_hypothesis", "P.", "It's raining.", E, None),  # contracted auxiliary
    # antonyms: entailment -> contradiction, article kept in agreement
    ("antonym", "A young man sings.", "A young man is singing.", E,
     ("A young man sings.", "An old man is singing.", C)),
    ("antonym", "Kids play outside in the snow.", "Kids are outside.", E,
     ("Kids play outside in the snow.", "Kids are inside.", C)),
    ("antonym", "A guy sleeps.", "A person is sleeping.", E,
     ("A guy sleeps.", "A person is awake.", C)),
    ("antonym", "A guy sleeps.", "A man sleeps.", E, ("A guy sleeps.", "A woman sleeps.", C)),
    ("antonym", "A tall man sings.", "A tall man is singing.", N, None),
    ("antonym", "A man and a woman talk.", "A man talks.", E, None),  # `woman` is there
    ("antonym", "A man walks his dog.", "A man walks.", E, None),  # `his` would dangle
    ("antonym", "Dogs run.", "Animals run.", E, None),  # nothing in the list
    ("antonym", "A man is not tall.", "The man is not tall.", E, None),  # negated
    # number change in the hypothesis only: entailment -> contradiction
    ("hypothesis_number", "Two dogs run in a field.", "Two dogs are running.", E, "count"),
    ("hypothesis_number", "3 kids play.", "3 kids are playing.", E, "count"),
    ("hypothesis_number", "Two dogs run.", "Two dogs are running.", N, None),
    ("hypothesis_number", "Three dogs run.", "At least two dogs run.", E, None),  # hedged
    ("hypothesis_number", "Two dogs run.", "Some dogs run.", E, None),  # no count
    ("hypothesis_number", "Three dogs run.", "Two dogs run.", E, None),  # not the premise's
    ("hypothesis_number", "Two or three dogs run.", "Two or three dogs run.", E, None),
    ("hypothesis_number", "2-3 dogs run.", "2-3 dogs run.", E, None),
    # contradiction is symmetric
    ("swap_contradiction", "A dog sleeps.", "A dog runs.", C, ("A dog runs.", "A dog sleeps.", C)),
    ("swap_contradiction", "A dog runs.", "An animal runs.", E, None),
    ("swap_contradiction", "A dog runs.", "A dog runs fast.", N, None),
    # a sentence entails itself, whatever the pair's label
    ("premise_as_hypothesis", "A dog runs.", "A cat sleeps.", C,
     ("A dog runs.", "A dog runs.", E)),
    ("premise_as_hypothesis", "A dog runs.", "A cat sleeps.", None,
     ("A dog runs.", "A dog runs.", E)),
    ("premise_as_hypothesis", "  ", "A cat sleeps.", E, None),
    # artefacts: no evidence implies neutral
    ("empty_premise", "A dog runs.", "A cat sleeps.", C, ("", "A cat sleeps.", N)),
    ("empty_premise", "", "A cat sleeps.", C, None),
    ("shuffled_premise", "Two", "A cat sleeps.", C, None),  # too short to shuffle
]  # fmt: skip


@pytest.mark.parametrize(("name", "premise", "hypothesis", "gold", "expected"), CASES)
def test_cases(
    name: str, premise: str, hypothesis: str, gold: Label | None, expected: object
) -> None:
    variants = _variants(name, _example(premise, hypothesis, gold))
    if expected is None:
        assert variants == []
    elif expected == "count":
        ((new_premise, new_hypothesis, label),) = variants
        assert (new_premise, label) == (premise, C)
        old_words, new_words = hypothesis.split(), new_hypothesis.split()
        changed = [(a, b) for a, b in zip(old_words, new_words, strict=True) if a != b]
        assert len(changed) == 1
        old, new = changed[0]
        assert old.isdigit() == new.isdigit()
        assert new.lower() not in premise.lower().split()
    else:
        assert variants == [expected]


def test_shuffled_premise_keeps_the_words_in_another_order() -> None:
    example = _example("A man is playing a red guitar on stage.", "A man plays.", E)
    ((premise, hypothesis, label),) = _variants("shuffled_premise", example)
    assert (hypothesis, label) == ("A man plays.", N)
    original = re.findall(r"\w+", example.premise)
    assert sorted(premise.split()) == sorted(original)
    assert premise.split() != original


@pytest.mark.parametrize("name", LABEL_EDITS + ARTEFACTS)
def test_registered_with_target_and_description(name: str) -> None:
    perturbation = get_perturbation(name)
    assert perturbation.name == name
    assert perturbation.target in ("premise", "hypothesis", "both")
    assert perturbation.description


@pytest.mark.parametrize("name", LABEL_EDITS + ARTEFACTS)
def test_deterministic_per_seed_on_snli(name: str) -> None:
    examples = _snli(400)
    first = [_variants(name, example, seed=1) for example in examples]
    again = [_variants(name, example, seed=1) for example in examples]
    assert first == again
    assert any(first), f"{name} applied to none of 400 SNLI dev pairs"


@pytest.mark.parametrize("name", ["antonym", "hypothesis_number", "shuffled_premise"])
def test_random_choices_follow_the_seed(name: str) -> None:
    examples = _snli(400)
    seed1 = [_variants(name, example, seed=1) for example in examples]
    seed2 = [_variants(name, example, seed=2) for example in examples]
    assert seed1 != seed2


# What each perturbation implies for each gold label (absent: does not apply).
IMPLIED = {
    "negate_hypothesis": {E: C},
    "antonym": {E: C},
    "hypothesis_number": {E: C},
    "swap_contradiction": {C: C},
    "premise_as_hypothesis": {E: E, N: E, C: E},
    "empty_premise": {E: N, N: N, C: N},
    "shuffled_premise": {E: N, N: N, C: N},
}


@pytest.mark.parametrize("name", LABEL_EDITS + ARTEFACTS)
def test_implied_labels_on_snli(name: str) -> None:
    for example in _snli(1500):
        for _, _, label in _variants(name, example):
            assert example.gold is not None
            assert label == IMPLIED[name][example.gold], (name, example)


_ARTICLE_MISMATCH = re.compile(r"\b[Aa] [aeiou]\w*|\b[Aa]n [bcdfgjklmnpqrstvwxyz]\w*")


@pytest.mark.parametrize("name", ["negate_hypothesis", "antonym", "hypothesis_number"])
def test_edits_are_small_and_well_formed_on_snli(name: str) -> None:
    """One word replaced (or `not`/`no` inserted), punctuation and spacing untouched, no
    article left disagreeing with its noun, no double negation."""
    edited = 0
    for example in _snli(3000):
        for premise, hypothesis, _ in _variants(name, example):
            edited += 1
            assert premise == example.premise
            old, new = example.hypothesis.split(), hypothesis.split()
            if name == "negate_hypothesis":
                assert len(new) == len(old) + 1 or (len(new) == len(old) and "cannot" in new)
                assert has_negation(hypothesis)
                assert "not not" not in hypothesis
            else:
                assert len(new) == len(old)
                changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
                # the word itself, and possibly the article before it
                assert 1 <= len(changed) <= 2
            assert hypothesis[-1:] == example.hypothesis[-1:] or name == "negate_hypothesis"
            assert hypothesis[:1].isupper() == example.hypothesis[:1].isupper()
            assert "  " not in hypothesis or "  " in example.hypothesis
            assert len(_ARTICLE_MISMATCH.findall(hypothesis)) <= len(
                _ARTICLE_MISMATCH.findall(example.hypothesis)
            )
    assert edited > 50


# SHA-256 of Minervini & Riedel's swapped SNLI dev contradictions (CoNLL 2018), one line per row
# in file order, "pairID<TAB>sentence1<TAB>sentence2<TAB>gold_label\n": computed from
# snli_1.0_contradictions_inverse_dev.jsonl (3,278 rows, MD5 3504039e23aa1bbf222606e125537489,
# uclnlp/inferbeddings), which a real data folder holds (see the real_data test below).
MINERVINI_SWAP_SHA256 = "f1ae26b1d4b21ae3212d74836f54def3d2e351f663db7ab30a47949b57dd81d8"


def _swap_digest(rows: list[tuple[str, str, str, str]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(("\t".join(row) + "\n").encode("utf-8"))
    return digest.hexdigest()


def test_swap_matches_minervini_and_riedel() -> None:
    """Our swap of SNLI dev's contradictions is exactly the published swapped set."""
    rows = []
    for example in gold_pairs():
        if example.gold is C:
            ((premise, hypothesis, label),) = _variants("swap_contradiction", example)
            assert label is C
            rows.append((example.id, premise, hypothesis, str(label)))
    assert len(rows) == 3278
    assert _swap_digest(rows) == MINERVINI_SWAP_SHA256


@pytest.mark.real_data
def test_swap_reference_digest_is_the_published_file(real_data: Path) -> None:
    path = real_data / "snli_contradiction_swap" / "snli_1.0_contradictions_inverse_dev.jsonl"
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    fields = ("pairID", "sentence1", "sentence2", "gold_label")
    assert _swap_digest([tuple(row[key] for key in fields) for row in rows]) == (
        MINERVINI_SWAP_SHA256
    )


def test_applicability_on_snli_dev() -> None:
    """How much of SNLI dev each edit reaches (a regression guard on the word lists)."""
    examples = _snli(2000)
    entailed = [e for e in examples if e.gold is E]
    reached = {
        name: sum(bool(_variants(name, e)) for e in entailed)
        for name in ("negate_hypothesis", "antonym", "hypothesis_number")
    }
    assert reached["negate_hypothesis"] > 0.5 * len(entailed)
    assert reached["antonym"] > 0.3 * len(entailed)
    assert reached["hypothesis_number"] > 0.05 * len(entailed)


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("a old man", 2, "an old man"),
        ("An young man", 3, "A young man"),
        ("a hour", 2, "an hour"),
        ("an unicorn", 3, "a unicorn"),
        ("a 8 year old", 2, "an 8 year old"),
        ("the old man", 4, "the old man"),
    ],
)
def test_fix_article(text: str, position: int, expected: str) -> None:
    assert fix_article(text, position) == expected


@pytest.mark.parametrize(
    ("new", "old", "expected"), [("old", "Young", "Old"), ("old", "YOUNG", "OLD"), ("x", "y", "x")]
)
def test_match_case(new: str, old: str, expected: str) -> None:
    assert match_case(new, old) == expected


def _check(probs: tuple[float, float, float], gold: Label | None) -> tuple[object, object]:
    from nli_probe import Check, Prediction, Variant

    example = _example("A dog runs.", "A dog sleeps.", gold)
    variant = Variant(premise="", hypothesis="A dog sleeps.", label=N)
    prediction = Prediction(probs=probs)
    return Check(example=example, variant=variant, before=prediction, after=prediction), None


@pytest.mark.parametrize(
    ("probs", "gold", "no_evidence", "premise_needed"),
    [
        ((0.1, 0.8, 0.1), C, True, True),  # falls back to neutral
        ((0.4, 0.3, 0.3), E, True, False),  # unsure: passes no_evidence, but recovers gold
        ((0.1, 0.2, 0.7), C, False, False),  # decides and recovers the gold label
        ((0.7, 0.2, 0.1), C, False, True),  # decides, wrongly
        ((0.1, 0.2, 0.7), N, False, None),  # neutral original: gold test n/a
        ((0.1, 0.2, 0.7), None, False, None),
    ],
)
def test_artefact_expectations(
    probs: tuple[float, float, float],
    gold: Label | None,
    no_evidence: bool,
    premise_needed: bool | None,
) -> None:
    check, _ = _check(probs, gold)
    assert get_expectation("no_evidence").judge(check) is no_evidence  # type: ignore[arg-type]
    assert get_expectation("premise_needed").judge(check) is premise_needed  # type: ignore[arg-type]


@pytest.mark.parametrize("threshold", [0, 1.5, "high"])
def test_no_evidence_threshold_is_checked(threshold: object) -> None:
    with pytest.raises(NLIProbeError, match="threshold"):
        get_expectation("no_evidence", threshold=threshold)


def test_checklist_function_names_are_checked_before_importing_checklist() -> None:
    with pytest.raises(NLIProbeError, match="did you mean 'add_typos'"):
        get_perturbation("checklist", function="add_typo")
