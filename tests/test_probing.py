"""The probe runner: counting, one model call per distinct pair, error isolation, templates."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

import pytest

from nli_probe import (
    Example,
    Label,
    Perturbation,
    Probe,
    Suite,
    Template,
    Variant,
    get_expectation,
    get_perturbation,
)
from nli_probe.core.suite_run import wilson_interval
from nli_probe.models.cache import PredictionCache
from nli_probe.probing.runner import run_suite, run_suites
from nli_probe.testing.fakes import FakeModel, constant_rule

EXAMPLES = [
    Example(
        id=f"ex{i}",
        premise=f"A man named John plays guitar number {i}.",
        hypothesis="A man plays guitar." if i % 2 else "A man is not sleeping.",
        gold=Label.ENTAILMENT,
    )
    for i in range(10)
]


def probe(name: str, perturbation: str, expectation: str = "same_label", **args: object) -> Probe:
    return Probe(
        name=name,
        capability="test",
        perturbation=get_perturbation(perturbation, **args),
        expectation=get_expectation(expectation),
    )


def test_counts_add_up_and_every_outcome_is_kept() -> None:
    suite = Suite(
        name="s",
        probes=[
            probe("typos", "typos"),
            probe("contract", "contract"),
            probe("names", "swap_names"),
            probe("places", "swap_locations"),
        ],
    )
    run = run_suite(FakeModel(), suite, EXAMPLES, seed=3, dataset="toy")
    assert (run.suite, run.model, run.dataset, run.seed) == ("s", "fake", "toy", 3)
    typos = run.probe("typos")
    assert typos.examples == 10 and typos.skipped == 0
    assert typos.tested == typos.passed + typos.failed == 10
    assert len(typos.outcomes) == 10
    assert typos.failure_rate == typos.failed / 10
    # "is not" -> "isn't" in half the hypotheses; the fake's negation list lacks "isn't", so it
    # flips from contradiction to neutral on each: a real invariance failure.
    contract = run.probe("contract")
    assert (contract.skipped, contract.tested, contract.failed) == (5, 5, 5)
    assert [o.example_id for o in contract.failures()] == ["ex0", "ex2", "ex4", "ex6", "ex8"]
    places = run.probe("places")
    assert places.skipped == 10 and places.tested == 0 and places.failure_rate is None
    assert places.interval is None and places.outcomes == ()
    outcome = run.probe("names").outcomes[0]
    assert outcome.example_id == "ex0" and outcome.variant_id == "ex0/names/0"
    assert "John" in outcome.premise and "John" not in outcome.variant_premise
    assert outcome.before is not None and outcome.after is not None
    assert outcome.implied == Label.ENTAILMENT and outcome.note.startswith("John -> ")


def test_each_distinct_pair_is_predicted_once() -> None:
    model = FakeModel()
    suites = [
        Suite(name="a", probes=[probe("lower", "casing"), probe("lower-again", "casing")]),
        Suite(name="b", probes=[probe("lower", "casing"), probe("stop", "punctuation")]),
    ]
    runs = run_suites(model, suites, EXAMPLES)
    assert len(model.pairs_seen) == len(set(model.pairs_seen))
    # originals + lower-cased + punctuation variants
    assert len(model.pairs_seen) == 3 * len(EXAMPLES)
    assert [run.distinct_pairs for run in runs] == [20, 30]


def test_predictions_come_from_the_cache_the_second_time(tmp_path: Path) -> None:
    suite = Suite(name="s", probes=[probe("typos", "typos")])
    with PredictionCache(tmp_path / "cache.sqlite3") as cache:
        first = FakeModel()
        run_suite(first, suite, EXAMPLES, cache=cache)
        second = FakeModel()
        again = run_suite(second, suite, EXAMPLES, cache=cache)
    assert first.pairs_seen and not second.pairs_seen
    assert again.probe("typos").tested == 10


def test_same_seed_same_run_other_seed_other_variants() -> None:
    suite = Suite(name="s", probes=[probe("typos", "typos")])
    one = run_suite(FakeModel(), suite, EXAMPLES, seed=1)
    assert one == run_suite(FakeModel(), suite, EXAMPLES, seed=1)
    two = run_suite(FakeModel(), suite, EXAMPLES, seed=2)
    assert [o.variant_hypothesis for o in one.probes[0].outcomes] != [
        o.variant_hypothesis for o in two.probes[0].outcomes
    ]


def _fragile(example: Example, rng: random.Random) -> Iterable[Variant]:
    if example.id == "ex3":
        raise ValueError("cannot handle this one")
    yield Variant(premise=example.premise, hypothesis=example.hypothesis + "!", label=example.gold)


def test_a_raising_perturbation_is_recorded_with_its_example() -> None:
    fragile = Perturbation(name="fragile", target="hypothesis", apply=_fragile)
    suite = Suite(
        name="s",
        probes=[
            Probe(name="fragile", capability="c", perturbation=fragile,
                  expectation=get_expectation("same_label")),
            probe("typos", "typos"),
        ],
    )  # fmt: skip
    run = run_suite(FakeModel(), suite, EXAMPLES)
    fragile_run = run.probe("fragile")
    assert fragile_run.errored == 1 and fragile_run.tested == 9
    (error,) = fragile_run.errors()
    assert error.example_id == "ex3" and error.premise == EXAMPLES[3].premise
    assert error.error == "ValueError: cannot handle this one"
    assert run.probe("typos").tested == 10  # the other probe ran in full


def test_a_raising_expectation_is_an_error_not_a_crash() -> None:
    from nli_probe import Expectation

    def judge(check: object) -> bool:
        raise ZeroDivisionError("oops")

    suite = Suite(
        name="s",
        probes=[
            Probe(name="bad", capability="c", perturbation=get_perturbation("casing"),
                  expectation=Expectation(name="bad", kind="INV", judge=judge)),
        ],
    )  # fmt: skip
    bad = run_suite(FakeModel(), suite, EXAMPLES).probe("bad")
    assert bad.errored == 10 and bad.tested == 0
    assert bad.outcomes[0].error == "ZeroDivisionError: oops"


def _numbers(rng: random.Random) -> Iterable[Example]:
    for i in range(6):
        a = rng.randrange(2, 9)
        yield Example(
            id=f"num-{i}",
            premise=f"There are {a} cats.",
            hypothesis=f"There are {a + 1} cats.",
            gold=Label.CONTRADICTION,
        )


def test_template_probes_test_generated_examples_with_mft() -> None:
    template = Template(name="numbers", generate=_numbers)
    suite = Suite(name="s", probes=[Probe(name="numbers", capability="numbers", template=template)])
    run = run_suite(FakeModel(rule=constant_rule(Label.CONTRADICTION)), suite, EXAMPLES)
    numbers = run.probe("numbers")
    assert numbers.kind == "MFT" and numbers.template == "numbers"
    assert numbers.examples == 6 and numbers.tested == 6 and numbers.failed == 0
    wrong = run_suite(FakeModel(rule=constant_rule(Label.NEUTRAL)), suite, []).probe("numbers")
    assert wrong.failed == 6 and wrong.failure_rate == 1.0


def test_a_raising_template_is_recorded() -> None:
    def broken(rng: random.Random) -> Iterable[Example]:
        raise RuntimeError("no words")

    suite = Suite(
        name="s",
        probes=[
            Probe(name="broken", capability="c", template=Template(name="broken", generate=broken)),
            probe("typos", "typos"),
        ],
    )
    run = run_suite(FakeModel(), suite, EXAMPLES)
    assert run.probe("broken").errored == 1
    assert run.probe("broken").outcomes[0].error == "RuntimeError: no words"
    assert run.probe("typos").tested == 10


def test_progress_reports_distinct_pairs() -> None:
    seen: list[tuple[int, int]] = []
    suite = Suite(name="s", probes=[probe("lower", "casing")])
    run_suite(FakeModel(), suite, EXAMPLES, progress=lambda done, total: seen.append((done, total)),
              batch_size=4)  # fmt: skip
    assert seen[-1] == (20, 20) and len(seen) == 5


@pytest.mark.parametrize(
    ("failed", "tested", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),
        (50, 1000, 0.0382, 0.0653),
    ],
)
def test_wilson_interval(failed: int, tested: int, low: float, high: float) -> None:
    interval = wilson_interval(failed, tested)
    assert interval is not None
    assert interval == pytest.approx((low, high), abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_variants_of_one_example_without_a_model() -> None:
    from nli_probe.probing.runner import variants_of

    fragile = Perturbation(name="fragile", target="hypothesis", apply=_fragile)
    suite = Suite(
        name="s",
        probes=[
            probe("lower", "casing"),
            probe("places", "swap_locations"),
            Probe(name="fragile", capability="c", perturbation=fragile),
            Probe(name="numbers", capability="n", template=Template(name="n", generate=_numbers)),
        ],
    )
    found = variants_of(suite, EXAMPLES[3], seed=0)
    assert [(p.name, type(v).__name__) for p, v in found] == [
        ("lower", "Variant"),
        ("fragile", "str"),
    ]
    lower = found[0][1]
    assert lower == Variant(
        premise=EXAMPLES[3].premise.lower(),
        hypothesis=EXAMPLES[3].hypothesis.lower(),
        label=EXAMPLES[3].gold,
    )
    assert found[1][1] == "ValueError: cannot handle this one"


def test_wrong_types_from_user_code_are_errors_not_crashes() -> None:
    def strings(example: Example, rng: random.Random) -> Iterable[Variant]:
        yield example.hypothesis  # type: ignore[misc]

    def pairs(rng: random.Random) -> Iterable[Example]:
        yield ("a", "b")  # type: ignore[misc]

    suite = Suite(
        name="s",
        probes=[
            Probe(name="strings", capability="c",
                  perturbation=Perturbation(name="strings", target="both", apply=strings)),
            Probe(name="pairs", capability="c", template=Template(name="pairs", generate=pairs)),
            probe("lower", "casing"),
        ],
    )  # fmt: skip
    run = run_suite(FakeModel(), suite, EXAMPLES)
    assert run.probe("strings").errored == 10
    assert run.probe("strings").outcomes[0].error == (
        "TypeError: perturbation yielded a str, not a Variant"
    )
    assert run.probe("pairs").errored == 1
    assert "template yielded a tuple, not an Example" in run.probe("pairs").outcomes[0].error
    assert run.probe("lower").tested == 10
