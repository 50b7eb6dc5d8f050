"""A fixed report for the TUI tests: hand-written pairs, two fake models, a fixed timestamp."""

from __future__ import annotations

import functools
import io

from nli_probe import Example, Label, ModelRun, Prediction, Report, predict
from nli_probe.probing.expectation import get_expectation
from nli_probe.probing.perturbation import get_perturbation
from nli_probe.probing.probe import Probe
from nli_probe.probing.runner import run_suite
from nli_probe.probing.suite import Suite
from nli_probe.scoring.scores import score_report, store_scores
from nli_probe.testing.fakes import FakeModel, constant_rule, overlap_rule

CREATED = "2026-01-01T00:00:00+00:00"

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION

# (premise, hypothesis, gold, annotator labels)
_PAIRS: tuple[tuple[str, str, Label | None, str], ...] = (
    ("A man plays a guitar on stage.", "A man plays a guitar.", E, "eeeee"),
    ("A man plays a guitar on stage.", "A man is not playing music.", C, "ccccc"),
    ("A man plays a guitar on stage.", "The man is famous.", N, "nnnne"),
    ("Two dogs run through a snowy field.", "Two dogs run through a field.", E, "eeeen"),
    ("Two dogs run through a snowy field.", "The dogs are sleeping.", C, "cccnc"),
    ("Two dogs run through a snowy field.", "The dogs are chasing a ball.", N, "nnenn"),
    ("A woman reads a book in the park.", "A woman reads a book.", E, "eenee"),
    ("A woman reads a book in the park.", "Nobody is reading.", C, "ccccc"),
    ("A woman reads a book in the park.", "The woman is a student.", N, "nnncn"),
    ("Children play soccer at the beach.", "Children play at the beach.", E, "eeenn"),
    ("Children play soccer at the beach.", "The children are in school.", C, "ccnnc"),
    ("Children play soccer at the beach.", "The children are on vacation.", N, "nneen"),
    ("An old man sells fruit at a market.", "A man sells fruit.", E, "eeeee"),
    ("An old man sells fruit at a market.", "The man never sells anything.", C, "ccccn"),
    ("An old man sells fruit at a market.", "The fruit is fresh.", N, "nennn"),
    ("A girl rides a red bicycle down a hill.", "A girl rides a bicycle.", E, "eeeec"),
    ("A girl rides a red bicycle down a hill.", "The girl is walking.", C, "ccccc"),
    ("A girl rides a red bicycle down a hill.", "The girl is late for school.", N, "nnnnn"),
    ("People wait for a bus in the rain.", "People wait outside.", E, "eennn"),
    ("People wait for a bus in the rain.", "People wait for a bus in the sun.", None, "ccnne"),
    ("A chef cooks pasta in a kitchen.", "A chef cooks.", E, "eeeee"),
    ("A chef cooks pasta in a kitchen.", "The chef is not cooking.", C, "ccccc"),
    ("A chef cooks pasta in a kitchen.", "The chef cooks pasta for a wedding.", N, "nnncn"),
    ("A boy jumps into a lake.", "A boy is swimming in a lake.", N, "enenn"),
)

_LETTERS = {"e": E, "n": N, "c": C}


def fixed_examples() -> tuple[Example, ...]:
    return tuple(
        Example(
            id=f"pair-{index:02d}",
            premise=premise,
            hypothesis=hypothesis,
            gold=gold,
            annotator_labels=tuple(_LETTERS[letter] for letter in annotators),
            source="fixture",
        )
        for index, (premise, hypothesis, gold, annotators) in enumerate(_PAIRS)
    )


def fixed_models() -> list[FakeModel]:
    return [
        FakeModel(name="overlap", rule=overlap_rule),
        FakeModel(name="neutral", rule=constant_rule(N)),
    ]


def model_run(model: FakeModel, examples: tuple[Example, ...]) -> ModelRun:
    predictions: list[Prediction] = predict(model, [example.pair for example in examples])
    return ModelRun(
        name=model.name,
        fingerprint=model.fingerprint,
        predictions={e.id: p for e, p in zip(examples, predictions, strict=True)},
        settings={"source": "fake"},
    )


def fixed_suite() -> Suite:
    """A small suite of our own, so that new built-in probes do not move the snapshots."""

    def probe(name: str, capability: str, perturbation: str, expectation: str) -> Probe:
        return Probe(
            name=name,
            capability=capability,
            perturbation=get_perturbation(perturbation),
            expectation=get_expectation(expectation),
        )

    return Suite(
        name="fixture",
        description="a fixed suite for the TUI tests",
        probes=[
            probe("typos", "robustness", "typos", "same_label"),
            probe("contract", "robustness", "contract", "same_label"),
            probe("distractor", "robustness", "distractor", "same_label"),
            probe("premise-as-hypothesis", "artefacts", "premise_as_hypothesis", "label"),
        ],
    )


@functools.cache
def fixed_report() -> Report:
    """The fixed pairs, both fake models, and their runs of `fixed_suite`."""
    examples = fixed_examples()
    models = fixed_models()
    suite = fixed_suite()
    runs = tuple(run_suite(model, suite, examples, dataset="fixture") for model in models)
    return Report(
        dataset="fixture",
        examples=examples,
        models=tuple(model_run(model, examples) for model in models),
        suites=runs,
        created=CREATED,
    )


@functools.cache
def scored_report() -> Report:
    """`fixed_report` with its scores stored (the app then loads instead of computing them)."""
    report = fixed_report()
    return store_scores(report, score_report(report, resamples=200, seed=0))


def static_text(widget: object, width: int = 120) -> str:
    """The plain text a `Static` shows (its content rendered by rich)."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)  # type: ignore[attr-defined]
    return console.export_text()


async def settle(app: object, pilot: object) -> None:
    """Let worker threads finish and their messages land."""
    await app.workers.wait_for_complete()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
