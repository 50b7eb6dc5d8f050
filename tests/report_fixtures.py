"""Reports built from `FakeModel` predictions, for the renderer, CLI and study tests."""

from __future__ import annotations

from nli_probe import Example, Label, ModelRun, Report, predict
from nli_probe.core.labels import parse_label
from nli_probe.core.suite_run import Outcome, ProbeRun, SuiteRun
from nli_probe.testing.fakes import FakeModel, constant_rule

SCRIPT = "<script>alert(1)</script>"

_PAIRS = [
    ("A man plays a guitar on stage.", "A man plays a guitar.", "eeeee"),
    ("A man plays a guitar on stage.", "A woman is not singing.", "ccccn"),
    ("Two dogs run in a park.", "Animals are outside.", "eeenn"),
    ("Two dogs run in a park.", "The dogs are asleep.", "ccccc"),
    ("A child eats an apple.", "A child eats fruit.", "eeeen"),
    ("A child eats an apple.", "The kid is hungry.", "nnnee"),
    (f"Someone wrote {SCRIPT} on a wall.", "Someone wrote on a wall.", "eeeee"),
    ("A woman rides a bike.", "A woman is not riding.", "ccccc"),
    ("A woman rides a bike.", "She is going to work.", "nnnnn"),
    ("People sit at a table.", "People sit.", "eennc"),
    ("People sit at a table.", "Nobody is sitting.", "ccccc"),
    ("A cat sleeps on a sofa.", "A pet rests.", "eeenn"),
]


def examples() -> tuple[Example, ...]:
    out = []
    for index, (premise, hypothesis, votes) in enumerate(_PAIRS):
        labels = tuple(parse_label(v) for v in votes)
        top = max(set(labels), key=labels.count)
        out.append(
            Example(
                id=f"ex{index}",
                premise=premise,
                hypothesis=hypothesis,
                gold=top if labels.count(top) >= 3 else None,
                annotator_labels=labels,
                source="fixture",
            )
        )
    return tuple(out)


def model_run(model: FakeModel, data: tuple[Example, ...]) -> ModelRun:
    predictions = predict(model, [e.pair for e in data])
    return ModelRun(
        name=model.name,
        fingerprint=model.fingerprint,
        predictions={e.id: p for e, p in zip(data, predictions, strict=True)},
    )


def suite_run(model: str, failed: int) -> SuiteRun:
    outcomes = tuple(
        Outcome(
            example_id=f"ex{i}",
            variant_id=f"ex{i}:typo",
            premise=f"P{i} {SCRIPT}",
            hypothesis=f"H{i}",
            gold=Label.ENTAILMENT,
            variant_premise=f"P{i} {SCRIPT} tpyo",
            variant_hypothesis=f"H{i}",
            status="failed" if i < failed else "passed",
        )
        for i in range(10)
    )
    probe = ProbeRun(
        probe="typos",
        capability="robustness",
        kind="INV",
        perturbation="typos",
        expectation="same_label",
        examples=10,
        tested=10,
        failed=failed,
        passed=10 - failed,
        outcomes=outcomes,
    )
    return SuiteRun(suite="robustness", model=model, fingerprint="f", probes=(probe,))


def two_model_report() -> Report:
    data = examples()
    good = FakeModel(name="overlap")
    constant = FakeModel(name="always-neutral", rule=constant_rule(Label.NEUTRAL))
    return Report(
        dataset="fixture",
        examples=data,
        models=(model_run(good, data), model_run(constant, data)),
        created="2026-11-26T05:00:00Z",
    )


IMG = "<img src=x onerror=\"document.title='pwned'\">"
"""A markup payload that runs script if a page ever puts it into the DOM as markup."""


def multi_set_report() -> Report:
    """Two data sets in one run, sliced, with markup in slice values, a premise and a model
    name: a HANS-like two-way set (slices by heuristic and heuristic x gold) and an SNLI-like
    set with annotator labels (slices by genre)."""
    from nli_probe.core.parts import TWO_WAY, DataSetPart

    two_way = {"label_scheme": TWO_WAY}
    N, E = Label.NEUTRAL, Label.ENTAILMENT
    rows = [
        ("The doctor saw the actor.", "The actor saw the doctor.", N, "lexical_overlap"),
        ("The doctor and the actor ran.", "The actor ran.", E, "lexical_overlap"),
        ("The judge near the dog slept.", "The dog slept.", N, "subsequence"),
        (f"The cook {SCRIPT} smiled.", "The cook smiled.", E, IMG),
    ]
    hans = tuple(
        Example(
            id=f"hans/{index}",
            premise=premise,
            hypothesis=hypothesis,
            gold=gold,
            meta={**two_way, "heuristic": heuristic},
        )
        for index, (premise, hypothesis, gold, heuristic) in enumerate(rows)
    )
    snli = tuple(
        Example(
            id=f"snli/{e.id}",
            premise=e.premise,
            hypothesis=e.hypothesis,
            gold=e.gold,
            annotator_labels=e.annotator_labels,
            source=e.source,
            meta={"genre": "captions" if index % 2 else IMG},
        )
        for index, e in enumerate(examples())
    )
    data = hans + snli
    good = FakeModel(name="overlap")
    odd = FakeModel(name=f"neutral {SCRIPT}", rule=constant_rule(Label.NEUTRAL))
    return Report(
        dataset="hans + snli",
        examples=data,
        models=(model_run(good, data), model_run(odd, data)),
        created="2026-11-26T05:00:00Z",
        datasets=(
            DataSetPart(
                name="hans",
                ids=tuple(e.id for e in hans),
                label_scheme=TWO_WAY,
                slices=("heuristic", "heuristic,gold"),
            ),
            DataSetPart(name="snli", ids=tuple(e.id for e in snli), slices=("genre",)),
        ),
        suites=(suite_run("overlap", failed=3),),
    )
