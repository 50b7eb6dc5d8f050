"""Built-in templates: sizes, ids, gold labels, determinism per seed, and the property each
HANS-style heuristic is about (every hypothesis word in the premise, ...)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from nli_probe import Label, NLIProbeError, get_template

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION

# (name, args, default size, gold label counts per 60 examples in frame order)
TEMPLATES = [
    ("lexical_overlap", {}, 60, {N: 60}),
    ("lexical_overlap", {"entailed": True}, 60, {E: 60}),
    ("subsequence", {}, 60, {N: 60}),
    ("subsequence", {"entailed": True}, 60, {E: 60}),
    ("constituent", {}, 60, {N: 60}),
    ("constituent", {"entailed": True}, 60, {E: 60}),
    ("comparatives", {}, 80, {E: 30, C: 30}),
    ("taxonomy", {}, 90, {E: 20, N: 20, C: 20}),
    ("temporal", {}, 80, {E: 30, C: 30}),
    ("coreference", {}, 60, {E: 30, N: 30}),
]
IDS = [f"{name}{'-entailed' if args else ''}" for name, args, _, _ in TEMPLATES]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


@pytest.mark.parametrize(("name", "args", "size", "labels"), TEMPLATES, ids=IDS)
def test_sizes_ids_and_labels(
    name: str, args: dict[str, object], size: int, labels: dict[Label, int]
) -> None:
    template = get_template(name, **args)
    examples = template.examples(random.Random("0:probe"))
    assert len(examples) == size
    assert len({e.id for e in examples}) == size
    assert all(e.source == f"template:{name}" or e.source.startswith("template:") for e in examples)
    assert template.description
    first60 = Counter(e.gold for e in examples[:60])
    assert first60 == labels
    small = get_template(name, **args, n=7).examples(random.Random(1))
    assert len(small) == 7


@pytest.mark.parametrize(("name", "args", "size", "labels"), TEMPLATES, ids=IDS)
def test_deterministic_per_seed(
    name: str, args: dict[str, object], size: int, labels: dict[Label, int]
) -> None:
    template = get_template(name, **args)

    def pairs(seed: str) -> list[tuple[str, str, Label | None]]:
        return [(e.premise, e.hypothesis, e.gold) for e in template.examples(random.Random(seed))]

    assert pairs("0:a") == pairs("0:a")
    assert pairs("0:a") != pairs("1:a")


@pytest.mark.parametrize(("name", "args", "size", "labels"), TEMPLATES, ids=IDS)
def test_sentences_are_well_formed(
    name: str, args: dict[str, object], size: int, labels: dict[Label, int]
) -> None:
    for example in get_template(name, **args).examples(random.Random(3)):
        for sentence in example.pair:
            assert sentence[0].isupper(), sentence
            assert sentence.endswith("."), sentence
            assert "  " not in sentence and " ." not in sentence and " ," not in sentence
            assert not re.search(r"\ba [aeiou]|\ban [^aeiou\s]", sentence), sentence
        assert example.premise != example.hypothesis


@pytest.mark.parametrize("entailed", [False, True])
def test_lexical_overlap_uses_only_premise_words(entailed: bool) -> None:
    for example in get_template("lexical_overlap", entailed=entailed).examples(random.Random(0)):
        extra = set(_words(example.hypothesis)) - set(_words(example.premise))
        # Passive controls add only the function words of the passive.
        assert extra <= {"was", "by"} | _participles(example.hypothesis), example


def _participles(text: str) -> set[str]:
    from nli_probe.probing.templates._words import TRANSITIVE

    return {participle for _, participle in TRANSITIVE if participle in text}


def test_non_entailed_heuristic_pairs_are_subsequences_and_constituents() -> None:
    """The defining property of each HANS heuristic holds for every non-entailed example:
    that is what makes them traps for a model using the heuristic."""
    for example in get_template("lexical_overlap").examples(random.Random(0)):
        assert set(_words(example.hypothesis)) <= set(_words(example.premise))
    for name in ("subsequence", "constituent"):
        for example in get_template(name).examples(random.Random(0)):
            hypothesis = " ".join(_words(example.hypothesis))
            assert hypothesis in " ".join(_words(example.premise)), example


def test_coreference_pronoun_matches_referent() -> None:
    from nli_probe.probing.templates._words import MEN, WOMEN

    for example in get_template("coreference").examples(random.Random(0)):
        subject = example.hypothesis.split()[0]
        pronoun = "she" if " she " in example.premise else "he"
        refers_to_subject = (subject in WOMEN) == (pronoun == "she")
        assert subject in MEN + WOMEN
        assert (example.gold is E) == refers_to_subject, example


@pytest.mark.parametrize("n", [0, -3, 2.5, "many", True])
def test_bad_sizes_are_user_errors(n: object) -> None:
    for name in ("lexical_overlap", "comparatives"):
        with pytest.raises(NLIProbeError, match="positive whole number"):
            get_template(name, n=n)


def test_unknown_template_gets_did_you_mean() -> None:
    with pytest.raises(NLIProbeError, match="did you mean 'taxonomy'"):
        get_template("taxonomie")
