"""How attacks split a pair into words, rebuild it after edits and mark the edits."""

from __future__ import annotations

from nli_probe import Edit
from nli_probe.core.words import PairWords, split_words


def test_words_keep_inner_apostrophes_and_hyphens_and_skip_punctuation() -> None:
    words = split_words("A well-known man can't swim, (really).", "hypothesis")
    assert [w.text for w in words] == ["A", "well-known", "man", "can't", "swim", "really"]
    assert [w.index for w in words] == [0, 1, 2, 3, 4, 5]
    assert all(w.side == "hypothesis" for w in words)


def test_edits_replace_words_in_place_and_leave_the_rest_alone() -> None:
    pair = PairWords.of("Two dogs run.", "A dog, brown, sleeps!")
    edits = [
        Edit(side="hypothesis", index=1, before="dog", after="cat"),
        Edit(side="hypothesis", index=3, before="sleeps", after="naps"),
        Edit(side="premise", index=0, before="Two", after="Three"),
    ]
    assert pair.apply(edits) == ("Three dogs run.", "A cat, brown, naps!")
    assert pair.apply([]) == pair.pair


def test_deleting_a_word_takes_one_space_with_it() -> None:
    pair = PairWords.of("p", "A dog sleeps")
    first, middle, last = pair.hypothesis_words
    assert pair.without(first) == ("p", "dog sleeps")
    assert pair.without(middle) == ("p", "A sleeps")
    assert pair.without(last) == ("p", "A dog")


def test_pieces_mark_each_replaced_word_with_the_one_it_replaced() -> None:
    pair = PairWords.of("p", "Two kids in jackets walk.")
    edits = [
        Edit(side="hypothesis", index=3, before="jackets", after="jpckets"),
        Edit(side="hypothesis", index=4, before="walk", after="wlak"),
    ]
    pieces = pair.pieces("hypothesis", edits)
    assert [(p.text, p.before) for p in pieces] == [
        ("Two kids in ", None), ("jpckets", "jackets"), (" ", None), ("wlak", "walk"), (".", None),
    ]  # fmt: skip
    assert "".join(p.text for p in pieces) == pair.apply(edits)[1]
    assert [(p.text, p.before) for p in pair.pieces("premise", edits)] == [("p", None)]
    assert [(p.text, p.before) for p in PairWords.of("", "").pieces("premise", [])] == [("", None)]
