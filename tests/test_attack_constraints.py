"""Each attack constraint on hand-written pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from nli_probe import Edit, NLIProbeError, get_constraint
from nli_probe.core.words import PairWords
from nli_probe.probing.attacks.constraint import Candidate
from nli_probe.probing.attacks.constraints.distance import levenshtein

PAIR = PairWords.of("The man sleeps on a big bed.", "The man is asleep in his bed.")


def _candidate(*changes: tuple[str, int, str]) -> Candidate:
    edits = tuple(
        Edit(side=side, index=index, before=PAIR.words(side)[index].text, after=after)  # type: ignore[arg-type]
        for side, index, after in changes
    )
    return Candidate(original=PAIR, edits=edits, pair=PAIR.apply(edits))


def _allowed(name: str, *candidates: Candidate, **args: object) -> list[bool]:
    rule = get_constraint(name, **args).candidates
    assert rule is not None
    return list(rule(list(candidates)))


def _editable(name: str, **args: object) -> list[str]:
    rule = get_constraint(name, **args).word
    assert rule is not None
    return [w.text for side in ("premise", "hypothesis") for w in PAIR.words(side) if rule(PAIR, w)]  # type: ignore[arg-type]


def test_max_words_counts_words_changed() -> None:
    one = _candidate(("hypothesis", 3, "sleeping"))
    two = _candidate(("hypothesis", 3, "sleeping"), ("hypothesis", 6, "cot"))
    assert _allowed("max_words", one, two, count=1) == [True, False]
    # The hypothesis has 7 words: 2/7 = 0.29.
    assert _allowed("max_words", one, two, share=0.25) == [True, False]
    assert _allowed("max_words", one, two, share=0.3) == [True, True]
    with pytest.raises(NLIProbeError, match="give `count`"):
        get_constraint("max_words")
    with pytest.raises(NLIProbeError, match="share must be more than 0"):
        get_constraint("max_words", share=1.5)


def test_stopwords_are_left_alone_ignoring_case_unless_asked() -> None:
    assert _editable("stopwords") == ["man", "sleeps", "big", "bed", "man", "asleep", "bed"]
    # TextAttack's way: "The" is not "the", so it is editable.
    assert _editable("stopwords", case_sensitive=True)[:2] == ["The", "man"]
    assert _editable("stopwords", words=["man", "bed"]) == [
        "The", "sleeps", "on", "a", "big", "The", "is", "asleep", "in", "his",
    ]  # fmt: skip


def test_stopwords_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "stop.txt").write_text("# mine\nman\nBED\n")
    assert "man" not in _editable("stopwords", file=str(tmp_path / "stop.txt"))
    assert "bed" not in _editable("stopwords", file=str(tmp_path / "stop.txt"))
    with pytest.raises(NLIProbeError, match="no such word file"):
        get_constraint("stopwords", file=str(tmp_path / "nope.txt"))
    with pytest.raises(NLIProbeError, match="not both"):
        get_constraint("stopwords", words=["a"], file="x")


def test_shared_words_are_left_alone() -> None:
    assert _editable("shared_words") == ["sleeps", "on", "a", "big", "is", "asleep", "in", "his"]


def test_edit_distance_sums_the_edited_words_distances() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3 and levenshtein("same", "same") == 0
    typo = _candidate(("hypothesis", 3, "aslep"))  # 1
    swap = _candidate(("hypothesis", 3, "sleeping"), ("hypothesis", 6, "cot"))  # 5 + 2
    assert _allowed("edit_distance", typo, swap, max_distance=6) == [True, False]
    assert _allowed("edit_distance", typo, swap, max_distance=7) == [True, True]


def test_no_contraries_rejects_antonym_swaps() -> None:
    woman = _candidate(("hypothesis", 1, "Woman"))
    guy = _candidate(("hypothesis", 1, "guy"))
    assert _allowed("no_contraries", woman, guy) == [False, True]


@pytest.mark.minilm
def test_similarity_by_the_minilm_encoder_keeps_close_sentences() -> None:
    guy = _candidate(("hypothesis", 1, "guy"))  # a near synonym
    dog = _candidate(("hypothesis", 1, "dog"), ("hypothesis", 3, "barking"))
    assert _allowed("similarity", guy, dog, threshold=0.8) == [True, False]
    assert _allowed("similarity", guy, dog, threshold=-1.0) == [True, True]
    with pytest.raises(NLIProbeError, match="threshold must be from -1 to 1"):
        get_constraint("similarity", threshold=2)


def test_similarity_names_an_encoder_that_cannot_load(tmp_path: Path) -> None:
    rule = get_constraint("similarity", encoder=str(tmp_path)).candidates
    assert rule is not None
    with pytest.raises(NLIProbeError, match=r"cannot load sentence encoder"):
        rule([_candidate(("hypothesis", 1, "guy"))])


def test_a_constraint_needs_a_rule() -> None:
    from nli_probe import Constraint

    with pytest.raises(NLIProbeError, match="needs a word or a candidates rule"):
        Constraint(name="empty")
