"""A fixed report for the TUI tests: hand-written pairs, two fake models, a fixed timestamp."""

from __future__ import annotations

import io

from nli_probe import Example, Label, ModelRun, Prediction, Report, predict
from tests.fakes import FakeModel, constant_rule, overlap_rule

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


def fixed_report() -> Report:
    examples = fixed_examples()
    return Report(
        dataset="fixture",
        examples=examples,
        models=tuple(model_run(model, examples) for model in fixed_models()),
        created=CREATED,
    )


def static_text(widget: object, width: int = 120) -> str:
    """The plain text a `Static` shows (its content rendered by rich)."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)  # type: ignore[attr-defined]
    return console.export_text()
