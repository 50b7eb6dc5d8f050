"""CheckList interop (the `checklist` extra): offline import, `Perturb` functions as our
perturbations, and CheckList's MFT/INV/DIR tests and suites run against our models."""

from __future__ import annotations

import random
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nli_probe import Example, Label, NLIProbeError, Probe, Suite, get_expectation
from nli_probe.probing.runner import run_suite
from nli_probe.testing.fakes import FakeModel
from tests.snli import snli_dev

# Skips only where CheckList is genuinely not installed; CI installs the extra.
pytest.importorskip("checklist", reason="the checklist extra is not installed")

from nli_probe.probing.checklist.interop import (
    checklist_perturbation,
    editor,
    english_pipeline,
    load,
    wordnet_stubbed,
)
from nli_probe.probing.checklist.run import checklist_predictor, run_checklist

pytestmark = pytest.mark.slow  # importing CheckList (spaCy, pattern, IPython) takes seconds


@pytest.fixture(scope="module")
def perturb() -> Any:
    return load().Perturb


@pytest.fixture(scope="module")
def nlp() -> Any:
    return english_pipeline()


def _example(premise: str, hypothesis: str, gold: Label | None = Label.ENTAILMENT) -> Example:
    return Example(id="x", premise=premise, hypothesis=hypothesis, gold=gold)


def test_checklist_imports_offline(perturb: Any) -> None:
    """`checklist.perturb` is importable although pattern's WordNet cannot download here."""
    assert "checklist.perturb" in sys.modules
    assert hasattr(perturb, "add_typos")
    if wordnet_stubbed():
        stand_in = sys.modules["pattern.text.en.wordnet"]
        with pytest.raises(AttributeError, match="NLTK WordNet corpora are not installed"):
            _ = stand_in.synsets
    pattern_en = sys.modules["pattern.en"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # pattern leaves its lexicon open
        assert pattern_en.conjugate("walk", "past") == "walked"  # what add_negation uses


def test_offline_pipeline_finds_checklist_names_and_places(nlp: Any) -> None:
    doc = nlp("John Smith drove to New York with Mary.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("John Smith", "PERSON"),
        ("New York", "GPE"),
        ("Mary", "PERSON"),
    ]
    assert doc[-1].pos_ == "PUNCT"


# (function, target, premise, hypothesis): each must produce at least one variant.
CASES = [
    ("add_typos", "hypothesis", "A man plays a guitar.", "A man is playing music."),
    ("add_typos", "premise", "A man plays a guitar.", "A man is playing music."),
    ("contractions", "hypothesis", "It is a dog.", "The dog is not asleep."),
    ("expand_contractions", "hypothesis", "It is a dog.", "It's a dog."),
    ("contract", "premise", "It is a dog.", "The dog is outside."),
    ("punctuation", "hypothesis", "A man plays a guitar.", "A man is playing music."),
    ("strip_punctuation", "both", "A man plays a guitar!", "A man is playing music."),
    ("change_names", "both", "John plays a guitar.", "John is playing music."),
    ("change_location", "both", "A man sings in New York.", "A man is in New York."),
    ("change_number", "both", "A man plays 12 songs.", "A man plays 12 songs well."),
]


@pytest.mark.parametrize(("function", "target", "premise", "hypothesis"), CASES)
def test_perturb_functions_as_perturbations(
    function: str, target: str, premise: str, hypothesis: str, perturb: Any, nlp: Any
) -> None:
    perturbation = checklist_perturbation(getattr(perturb, function), target=target, nlp=nlp)  # type: ignore[arg-type]
    assert perturbation.name == f"checklist.{function}"
    example = _example(premise, hypothesis)
    state = np.random.get_state()
    variants = perturbation.variants(example, random.Random("0:x"))
    assert np.array_equal(np.random.get_state()[1], state[1])  # global NumPy state untouched
    assert variants, function
    assert variants == perturbation.variants(example, random.Random("0:x"))  # seeded
    for variant in variants:
        assert variant.pair != example.pair
        assert variant.label is Label.ENTAILMENT  # "keep": an invariance edit
        if target == "premise":
            assert variant.hypothesis == hypothesis
        if target == "hypothesis":
            assert variant.premise == premise


def test_both_sides_change_consistently(perturb: Any, nlp: Any) -> None:
    names = checklist_perturbation(perturb.change_names, target="both", nlp=nlp, n=5)
    variants = names.variants(
        _example("John plays a guitar.", "John is playing."), random.Random(1)
    )
    assert len(variants) == 5
    for variant in variants:
        new_name = variant.premise.split()[0]
        assert new_name != "John"
        assert variant.hypothesis == f"{new_name} is playing."


def test_seeds_differ_and_labels_can_change(perturb: Any) -> None:
    typos = checklist_perturbation(perturb.add_typos, label=Label.NEUTRAL, name="my-typos")
    example = _example("A man plays a guitar.", "A man is playing some loud music.")
    runs = {typos.variants(example, random.Random(seed))[0].hypothesis for seed in range(8)}
    assert len(runs) > 1
    assert typos.name == "my-typos"
    assert typos.variants(example, random.Random(0))[0].label is Label.NEUTRAL


def test_not_applicable_gives_no_variant(perturb: Any, nlp: Any) -> None:
    names = checklist_perturbation(perturb.change_names, target="both", nlp=nlp)
    assert names.variants(_example("A dog runs.", "An animal runs."), random.Random(0)) == []
    assert names.variants(_example("Will it rain?", "May it rain?"), random.Random(0)) == []
    expand = checklist_perturbation(perturb.expand_contractions)
    assert expand.variants(_example("A dog runs.", "It is a dog."), random.Random(0)) == []


def test_negation_needs_a_parser(perturb: Any, nlp: Any) -> None:
    if "parser" in nlp.pipe_names:
        pytest.skip("a full English pipeline is installed")
    with pytest.raises(NLIProbeError, match="dependency parse"):
        checklist_perturbation(perturb.add_negation, nlp=nlp)


def test_checklist_perturbation_runs_in_our_suite(perturb: Any) -> None:
    probe = Probe(
        name="checklist-typos",
        capability="typos",
        perturbation=checklist_perturbation(perturb.add_typos),
        expectation=get_expectation("same_label"),
    )
    examples = [
        _example(f"A man plays guitar number {i}.", "A man plays guitar.") for i in range(5)
    ]
    examples = [
        Example(id=str(i), premise=e.premise, hypothesis=e.hypothesis)
        for i, e in enumerate(examples)
    ]
    run = run_suite(FakeModel(), Suite(name="ck", probes=[probe]), examples)
    assert run.probe("checklist-typos").tested == 5
    assert run.errored == 0


def _suite() -> Any:
    from checklist.expect import Expect
    from checklist.test_suite import TestSuite
    from checklist.test_types import DIR, INV, MFT

    suite = TestSuite()
    pairs = [("A dog runs.", "A dog runs."), ("A dog runs.", "A cat is not here.")]
    suite.add(MFT(pairs, labels=[Label.ENTAILMENT, Label.NEUTRAL], name="mft", capability="logic"))
    cases = [
        [("A man sings.", "A man sings."), ("A man sings.", "A man sings loudly.")],
        [("A man sings.", "A woman is here."), ("A man sings.", "A woman is not here.")],
    ]
    suite.add(INV(cases, name="inv", capability="robust", description="same label"))
    suite.add(
        DIR(
            cases,
            expect=Expect.monotonic(label=Label.CONTRADICTION, increasing=True, tolerance=0.1),
            name="dir",
            capability="robust",
        )
    )
    return suite


def test_run_checklist_suite_with_fake_model() -> None:
    suite = _suite()
    model = FakeModel()
    run = run_checklist(suite, model, name="mine")
    assert run.suite == "mine"
    assert len(model.pairs_seen) == len(set(model.pairs_seen)) == run.distinct_pairs == 6
    by_name = {probe.probe: probe for probe in run.probes}
    assert [(p.kind, p.capability) for p in run.probes] == [
        ("MFT", "logic"),
        ("INV", "robust"),
        ("DIR", "robust"),
    ]
    # The fake model: identical pair -> entailment; "not" -> contradiction; else neutral.
    assert (by_name["mft"].tested, by_name["mft"].failed) == (2, 1)
    assert (by_name["inv"].tested, by_name["inv"].failed) == (2, 2)
    # CheckList's monotonic expectation cannot fail when P(contradiction) starts at or below
    # the tolerance, so it filters that case out: not applicable here too.
    dir_run = by_name["dir"]
    assert (dir_run.tested, dir_run.failed, dir_run.not_applicable) == (1, 0, 1)
    for name, test in suite.tests.items():
        stats = test.get_stats()  # CheckList's own bookkeeping agrees with ours
        assert stats.fails == by_name[name].failed
    failed = by_name["mft"].failures()[0]
    assert failed.variant_hypothesis == "A cat is not here."
    assert failed.gold is Label.NEUTRAL and failed.after is not None
    assert failed.after.label is Label.CONTRADICTION
    inv_fail = by_name["inv"].failures()[1]
    assert inv_fail.variant_hypothesis == "A woman is not here."


def test_run_single_test_and_bad_input() -> None:
    from checklist.test_types import MFT

    test = MFT([("A dog runs.", "A dog runs.")], labels=Label.ENTAILMENT, name="id", capability="c")
    run = run_checklist(test, FakeModel())
    assert run.probe("id").failure_rate == 0.0
    with pytest.raises(NLIProbeError, match="premise, hypothesis"):
        run_checklist(MFT(["just a string"], labels=0, name="bad", capability="c"), FakeModel())
    with pytest.raises(NLIProbeError, match="TestSuite"):
        run_checklist(object(), FakeModel())


def test_predictor_for_checklist_run(perturb: Any) -> None:
    """CheckList's own workflow, unchanged: Perturb.perturb over SNLI pairs, INV, test.run."""
    from checklist.test_types import INV

    pairs = [example.pair for example in snli_dev()[:200]]

    def expand(pair: tuple[str, str]) -> list[tuple[str, str]]:
        return [(pair[0], h) for h in perturb.contractions(pair[1])]

    data = perturb.perturb(pairs, expand)
    test = INV(**data)
    predictor = checklist_predictor(FakeModel())
    labels, probs = predictor(pairs[:3])
    assert labels.shape == (3,) and probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0)
    test.run(predictor, verbose=False)
    assert test.get_stats().testcases == len(data.data) > 0


def test_editor_templates_offline() -> None:
    from checklist.test_types import MFT

    ed = editor()
    made = ed.template(
        (
            "{first_name} is taller than {first_name1}.",
            "{first_name1} is shorter than {first_name}.",
        ),
        nsamples=20,
        remove_duplicates=True,
    )
    assert made.data and all(isinstance(pair, tuple) for pair in made.data)
    run = run_checklist(
        MFT(made.data, labels=Label.ENTAILMENT, name="taller", capability="c"), FakeModel()
    )
    assert run.probe("taller").tested == len(made.data)


def test_checklist_perturbations_by_name_in_toml_suites(tmp_path: Path) -> None:
    from nli_probe.probing.loader import load_suite

    path = tmp_path / "ck.toml"
    path.write_text(
        'name = "ck"\n'
        "[[probe]]\n"
        'name = "typos"\n'
        'capability = "typos"\n'
        'perturbation = { name = "checklist", function = "add_typos", args = { typos = 2 } }\n'
        'expectation = "same_label"\n'
        "[[probe]]\n"
        'name = "names"\n'
        'capability = "entities"\n'
        'perturbation = { name = "checklist", function = "change_names", target = "both",'
        ' label = "unknown", args = { n = 3 } }\n'
        'expectation = "same_label"\n',
        encoding="utf-8",
    )
    suite = load_suite(path)
    examples = [
        Example(id=str(i), premise=f"John plays song {i}.", hypothesis="John plays a song.")
        for i in range(4)
    ]
    run = run_suite(FakeModel(), suite, examples)
    assert run.errored == 0
    # Two swaps at the same place undo each other: CheckList then returns the original text,
    # which is no variant.
    assert 3 <= run.probe("typos").tested <= 4
    names = run.probe("names")
    assert names.tested == 12
    assert all(outcome.implied is None for outcome in names.outcomes)


def test_missing_checklist_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import nli_probe.probing.checklist.interop as interop

    real = interop.importlib.import_module

    def without_checklist(name: str, package: str | None = None) -> Any:
        if name == "checklist":
            raise ModuleNotFoundError("No module named 'checklist'")
        return real(name, package)

    monkeypatch.setattr(interop.importlib, "import_module", without_checklist)
    with pytest.raises(NLIProbeError, match=r"pip install 'nli-probe\[checklist\]'"):
        load()
