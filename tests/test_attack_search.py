"""Searches and the attack runner on fake models whose decisions are known."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Sequence

import pytest

from nli_probe import (
    Attack,
    Constraint,
    Example,
    Label,
    NLIProbeError,
    Prediction,
    attack_examples,
    get_constraint,
    get_search,
    get_transformation,
    word_transformation,
)
from nli_probe.core.words import Word
from nli_probe.probing.attacks.constraint import Candidate
from nli_probe.testing.fakes import FakeModel, constant_rule

SYNONYMS = {"black": ["dark"], "cat": ["kitty"], "sleeps": ["rests"], "old": ["worn"],
            "mat": ["rug"], "dog": ["hound"]}  # fmt: skip
PLANTED = Example(
    id="planted",
    premise="A black cat is asleep.",
    hypothesis="The black cat sleeps on the old mat.",
    gold=Label.ENTAILMENT,
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def cat_rule(premise: str, hypothesis: str) -> Prediction:
    """Entailment exactly while the hypothesis says "cat": the planted flip."""
    if "cat" in _words(hypothesis):
        return Prediction(probs=(0.9, 0.05, 0.05))
    return Prediction(probs=(0.1, 0.1, 0.8))


def two_word_rule(premise: str, hypothesis: str) -> Prediction:
    """Entailment until both "cat" and "mat" are gone; each one gone lowers it."""
    present = len(_words(hypothesis) & {"cat", "mat"})
    return Prediction(probs=((0.2, 0.6, 0.9)[present], 0.05, (0.75, 0.35, 0.05)[present]))


def _attack(search: str = "greedy", budget: int | None = None, **args: object) -> Attack:
    return Attack(
        name="planted",
        transformations=[get_transformation("word_list", words=SYNONYMS)],
        constraints=[get_constraint("stopwords")],
        search=get_search(search, **args),
        query_budget=budget,
    )


def test_greedy_finds_the_planted_flip_with_the_fewest_queries() -> None:
    model = FakeModel(rule=cat_rule)
    (result,) = attack_examples(model, _attack(), [PLANTED])
    assert result.status == "succeeded"
    assert result.found is not None
    (edit,) = result.found.state.edits
    assert (edit.side, edit.index, edit.before, edit.after) == ("hypothesis", 2, "cat", "kitty")
    assert result.found.state.pair == (PLANTED.premise, "The black kitty sleeps on the old mat.")
    assert result.found.state.prediction.label == Label.CONTRADICTION
    # The original, one deletion per editable word (black, cat, sleeps, old, mat: "cat" ranks
    # first), then cat's one candidate.
    assert result.queries == 1 + 5 + 1
    assert len(set(model.pairs_seen)) == result.queries


def test_greedy_ranked_by_first_candidates_can_succeed_while_ranking() -> None:
    model = FakeModel(rule=cat_rule)
    (result,) = attack_examples(model, _attack(importance="candidate"), [PLANTED])
    assert result.status == "succeeded" and result.found is not None
    assert [(e.before, e.after) for e in result.found.state.edits] == [("cat", "kitty")]
    # The original and one candidate per editable word, "cat -> kitty" among them: it flips the
    # prediction while the words are being ranked, so nothing more is asked.
    assert result.queries == 1 + 5
    assert len(set(model.pairs_seen)) == result.queries


def test_greedy_ranked_by_first_candidates_does_not_ask_the_top_one_again() -> None:
    model = FakeModel(rule=two_word_rule)
    (result,) = attack_examples(model, _attack(importance="candidate"), [PLANTED])
    assert result.status == "succeeded" and result.found is not None
    assert [e.before for e in result.found.state.edits] == ["cat", "mat"]
    # Ranking: cat's and mat's candidates lower entailment most (cat first, in text order).
    # cat -> kitty is kept from the ranking without a new query; then mat -> rug on top flips.
    assert result.queries == 1 + 5 + 1
    assert len(set(model.pairs_seen)) == result.queries


def test_greedy_ranked_by_first_candidates_skips_words_without_any() -> None:
    attack = Attack(
        name="planted",
        transformations=[get_transformation("word_list", words={"mat": ["rug"]})],
        search=get_search("greedy", importance="candidate"),
    )
    model = FakeModel(rule=constant_rule(Label.ENTAILMENT))
    (result,) = attack_examples(model, attack, [PLANTED])
    assert result.status == "failed" and result.found is not None
    assert result.queries == 1 + 1  # only "mat" has a candidate
    assert result.found.state.edits == ()


def test_greedy_in_text_order_edits_words_left_to_right() -> None:
    (result,) = attack_examples(FakeModel(rule=cat_rule), _attack(importance="order"), [PLANTED])
    assert result.status == "succeeded" and result.found is not None
    # black -> dark does not move the prediction, so it is not kept; cat -> kitty flips it.
    assert [e.after for e in result.found.state.edits] == ["kitty"]
    assert result.queries == 1 + 1 + 1


def test_beam_search_finds_a_flip_that_needs_two_words() -> None:
    (result,) = attack_examples(FakeModel(rule=two_word_rule), _attack("beam", width=2), [PLANTED])
    assert result.status == "succeeded" and result.found is not None
    assert {e.before for e in result.found.state.edits} == {"cat", "mat"}
    with pytest.raises(NLIProbeError, match="width must be an integer of at least 1"):
        get_search("beam", width=0)


def test_greedy_reports_the_best_state_when_nothing_flips() -> None:
    (result,) = attack_examples(FakeModel(rule=two_word_rule), _attack(), [PLANTED])
    # Greedy keeps cat -> kitty (it lowers entailment) and then mat -> rug flips it.
    assert result.status == "succeeded"
    model = FakeModel(rule=constant_rule(Label.ENTAILMENT))
    (result,) = attack_examples(model, _attack(), [PLANTED])
    assert result.status == "failed" and result.found is not None
    assert result.found.state.edits == () and result.found.state.pair == PLANTED.pair


def _many_candidates() -> Attack:
    return Attack(
        name="typos",
        transformations=[get_transformation("chars", n=3)],
        search=get_search("greedy"),
    )


EXAMPLES = [
    Example(
        id=f"x{i}",
        premise="A man plays a red guitar on the street.",
        hypothesis=f"Somebody is playing music outside number {i}.",
        gold=Label.ENTAILMENT,
    )
    for i in range(6)
]


@pytest.mark.parametrize("importance", ["delete", "candidate"])
@pytest.mark.parametrize("budget", [2, 3, 5, 8, 13, 21, 40])
def test_a_query_budget_is_never_exceeded(budget: int, importance: str) -> None:
    model = FakeModel(rule=constant_rule(Label.ENTAILMENT))  # nothing ever flips
    attack = Attack(
        name="typos",
        transformations=[get_transformation("chars", n=3)],
        search=get_search("greedy", importance=importance),
        query_budget=budget,
    )
    results = attack_examples(model, attack, EXAMPLES)
    for result in results:
        assert result.status == "failed"
        assert result.queries == budget  # every query it was allowed, and no more
        assert len(result.pairs) == budget
        assert result.out_of_budget
    assert len(set(model.pairs_seen)) <= budget * len(EXAMPLES)
    with pytest.raises(NLIProbeError, match="query_budget must be an integer of at least 2"):
        Attack(name="x", transformations=[get_transformation("chars")],
               search=get_search("greedy"), query_budget=1)  # fmt: skip


def hashed_rule(premise: str, hypothesis: str) -> Prediction:
    """A fixed, arbitrary prediction per hypothesis: attacks on it succeed or fail by chance."""
    draw = random.Random(hypothesis)
    probs = [draw.random() for _ in range(3)]
    return Prediction(probs=(probs[0], probs[1], probs[2]))


def test_results_are_identical_for_the_same_seed_and_differ_for_another() -> None:
    def run(seed: int) -> list[tuple[object, ...]]:
        model = FakeModel(rule=hashed_rule)
        unlabelled = [dataclasses.replace(e, gold=None) for e in EXAMPLES]
        results = attack_examples(model, _many_candidates(), unlabelled, seed=seed, unlabelled=True)
        return [
            (r.status, r.queries, r.found.state if r.found else None, sorted(r.pairs))
            for r in results
        ]

    first = run(3)
    assert "succeeded" in {status for status, *_ in first}
    assert first == run(3)
    assert first != run(4)


@dataclasses.dataclass
class OneBatchModel(FakeModel):
    """A fake model whose batches are unlimited: one engine call is one model call."""

    batch_size: int = 1_000_000


def test_every_round_is_one_engine_call_across_all_pairs() -> None:
    one = OneBatchModel(rule=constant_rule(Label.ENTAILMENT))
    attack_examples(one, _many_candidates(), EXAMPLES[:1])
    many = OneBatchModel(rule=constant_rule(Label.ENTAILMENT))
    attack_examples(many, _many_candidates(), EXAMPLES)
    assert many.calls == one.calls  # six pairs, as many rounds as one pair: in step
    assert len(many.pairs_seen) > 5 * len(one.pairs_seen)


def test_pairs_already_wrong_or_without_gold_are_skipped() -> None:
    examples = [
        PLANTED,
        Example(id="wrong", premise="p", hypothesis="A cat.", gold=Label.NEUTRAL),
        Example(id="unlabelled", premise="p", hypothesis="The cat sleeps.", gold=None),
    ]
    results = attack_examples(FakeModel(rule=cat_rule), _attack(), examples)
    assert [r.status for r in results] == ["succeeded", "already_wrong", "no_gold"]
    assert results[1].original is not None and results[1].original.label == Label.ENTAILMENT
    # The playground attacks a typed pair away from the model's own prediction.
    (typed,) = attack_examples(FakeModel(rule=cat_rule), _attack(), examples[2:], unlabelled=True)
    assert typed.status == "succeeded"


def test_candidate_rules_judge_every_pair_of_a_round_in_one_call() -> None:
    calls: list[int] = []

    def short(candidates: Sequence[Candidate]) -> list[bool]:
        calls.append(len(candidates))
        return [len(c.pair[1]) < 60 for c in candidates]

    attack = Attack(
        name="typos",
        transformations=[get_transformation("chars")],
        constraints=[Constraint(name="short", candidates=short)],
        search=get_search("greedy"),
    )
    results = attack_examples(FakeModel(rule=constant_rule(Label.ENTAILMENT)), attack, EXAMPLES)
    words = 7  # each hypothesis's words; every word is tried once
    assert len(calls) == words  # the deletions are not judged: only the candidate rounds
    # Every candidate judged (and kept) was a query: all but the original and the deletions.
    assert sum(calls) == sum(result.queries - 1 - words for result in results)


def test_a_failing_transformation_errors_its_pair_only() -> None:
    def fragile(word: Word, rng: random.Random) -> list[str]:
        if word.text == "number":
            raise KeyError("boom")
        return [word.text + "s"]

    attack = Attack(
        name="fragile",
        transformations=[word_transformation("fragile", fragile)],
        search=get_search("greedy", importance="order"),
    )
    examples = [*EXAMPLES[:1], Example(id="ok", premise="p", hypothesis="A dog barks.",
                                        gold=Label.ENTAILMENT)]  # fmt: skip
    results = attack_examples(FakeModel(rule=constant_rule(Label.ENTAILMENT)), attack, examples)
    assert results[0].status == "errored" and "KeyError" in results[0].error
    assert results[1].status == "failed"
