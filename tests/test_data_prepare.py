"""The study's preparation: filter, map labels, stratified sampling and splitting, balance."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.data import (
    TWO_WAY,
    ClassBalance,
    balance_table,
    class_balance,
    filter_examples,
    map_labels,
    parse_label_mapping,
    stratified_sample,
    stratified_split,
)
from nli_probe.errors import NLIProbeError
from tests.snli import snli_dev


@pytest.fixture(scope="module")
def dev() -> list[Example]:
    return snli_dev()  # the embedded copy


def _example(i: int, gold: Label | None, votes: tuple[Label, ...] = ()) -> Example:
    return Example(id=f"x{i}", premise="p", hypothesis="h", gold=gold, annotator_labels=votes)


def test_filter_drops_no_gold_like_the_study(dev: list[Example]) -> None:
    kept = filter_examples(dev)
    assert len(kept) == 9_842
    assert kept.dropped == {"no gold label": 158}
    assert all(example.gold is not None for example in kept)
    assert kept.summary() == "kept 9,842; dropped 158 (no gold label: 158)"


def test_filter_by_agreement(dev: list[Example]) -> None:
    kept = filter_examples(dev, min_agreement=4)
    # 5/5 + 4/5 + 4/4 pairs; the 1,507 3/5 and 7 3/4 pairs go, and the 158 without gold.
    assert len(kept) == 5_479 + 2_845 + 4
    assert kept.dropped == {"no gold label": 158, "agreement below 4 votes": 1_514}
    unanimous = filter_examples(dev, min_agreement=5)
    assert len(unanimous) == 5_479


def test_filter_keeps_no_gold_when_asked(dev: list[Example]) -> None:
    assert len(filter_examples(dev, require_gold=False)) == 10_000
    assert len(filter_examples(dev, require_gold=False, min_agreement=3)) == 10_000 - 158


def test_agreement_on_data_without_votes_says_so() -> None:
    hub_like = [_example(i, Label.ENTAILMENT) for i in range(3)]
    with pytest.raises(NLIProbeError, match="no annotator labels"):
        filter_examples(hub_like, min_agreement=4)


def test_stratified_sample_keeps_proportions(dev: list[Example]) -> None:
    kept = filter_examples(dev)
    half = stratified_sample(kept, fraction=0.5, seed=0)
    assert len(half) == 4_921
    before, after = class_balance(kept), class_balance(half)
    for label in ("entailment", "neutral", "contradiction"):
        assert abs(before.shares[label] - after.shares[label]) < 0.0005
    assert after.counts == {"entailment": 1_665, "neutral": 1_617, "contradiction": 1_639}
    # Seeded: the same sample each time, another with another seed; file order kept.
    assert [e.id for e in stratified_sample(kept, fraction=0.5, seed=0)] == [e.id for e in half]
    assert [e.id for e in stratified_sample(kept, fraction=0.5, seed=1)] != [e.id for e in half]
    positions = {example.id: i for i, example in enumerate(kept)}
    assert [positions[e.id] for e in half] == sorted(positions[e.id] for e in half)


def test_stratified_sample_by_count_is_exact() -> None:
    examples = [_example(i, Label(i % 3)) for i in range(90)]
    examples += [_example(100 + i, None) for i in range(10)]
    sample = stratified_sample(examples, count=10, seed=3)
    assert len(sample) == 10
    assert Counter(e.gold for e in sample) == {
        Label.ENTAILMENT: 3,
        Label.NEUTRAL: 3,
        Label.CONTRADICTION: 3,
        None: 1,
    }
    # Largest remainder: 91 examples, 10 drawn: 3.3 each; the lone no-gold pair gets none.
    lopsided = stratified_sample(examples[:91], count=10, seed=3)
    assert Counter(e.gold for e in lopsided) == {
        Label.ENTAILMENT: 4,
        Label.NEUTRAL: 3,
        Label.CONTRADICTION: 3,
    }


def test_stratified_split_is_sample_plus_rest(dev: list[Example]) -> None:
    kept = filter_examples(dev)
    held_out, rest = stratified_split(kept, count=1_000, seed=7)
    assert len(held_out) == 1_000 and len(rest) == 8_842
    assert {e.id for e in held_out}.isdisjoint(e.id for e in rest)
    assert [e.id for e in held_out] == [e.id for e in stratified_sample(kept, count=1_000, seed=7)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one"),
        ({"fraction": 0.5, "count": 3}, "exactly one"),
        ({"fraction": 0.0}, "fraction"),
        ({"fraction": 1.5}, "fraction"),
        ({"count": 11}, "count"),
    ],
)
def test_sampling_arguments_are_checked(kwargs: dict[str, float], message: str) -> None:
    examples = [_example(i, Label(i % 3)) for i in range(10)]
    with pytest.raises(NLIProbeError, match=message):
        stratified_sample(examples, **kwargs)  # type: ignore[arg-type]


def test_map_labels_two_way() -> None:
    votes = (Label.CONTRADICTION, Label.NEUTRAL, Label.ENTAILMENT)
    (mapped,) = map_labels([_example(1, Label.CONTRADICTION, votes)], TWO_WAY)
    assert mapped.gold is Label.NEUTRAL
    assert mapped.annotator_labels == (Label.NEUTRAL, Label.NEUTRAL, Label.ENTAILMENT)
    assert mapped.meta["label_scheme"] == "two-way"
    assert parse_label_mapping(["c=n"]) == dict(TWO_WAY)
    with pytest.raises(NLIProbeError, match="FROM=TO"):
        parse_label_mapping(["contradiction"])
    with pytest.raises(NLIProbeError, match="unknown label"):
        parse_label_mapping(["c=maybe"])


def test_class_balance_is_json_and_renders(dev: list[Example]) -> None:
    before = class_balance(dev)
    after = class_balance(filter_examples(dev))
    assert ClassBalance.from_json(json.loads(json.dumps(before.to_json()))) == before
    assert before.shares["no gold"] == pytest.approx(0.0158)
    from rich.console import Console

    console = Console(width=100, record=True)
    console.print(balance_table(before, after))
    text = console.export_text()
    assert "3,329" in text and "33.3%" in text and "9,842" in text and "no gold" in text


def test_class_balance_from_bad_json() -> None:
    with pytest.raises(NLIProbeError, match="not a class balance"):
        ClassBalance.from_json({"counts": {}})
    with pytest.raises(NLIProbeError, match="whole numbers"):
        ClassBalance.from_json({"total": 1, "counts": {"neutral": "x"}})
