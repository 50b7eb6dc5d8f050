"""`ExampleTable`: a report's examples and predictions laid out in columns for fast browsing.

Built once when the TUI opens a report; the examples browser filters and sorts row indexes
over these columns (`nli_probe.tui.browse`), never the `Example` objects themselves, so a
filter over 10,000 pairs x 3 models is a few list scans. No textual here, and no rule of its
own: agreement levels come from the scores' rule (`example_levels`, so the Examples pane and
the Agreement pane name the same level for a pair: an entropy bin for ChaosNLI) and predicted
labels from `Prediction.label_value`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.core.prediction import Prediction
from nli_probe.core.report import Report
from nli_probe.scoring.scores import NO_CONSENSUS, example_levels

__all__ = [
    "NO_ANNOTATORS",
    "NO_CONSENSUS",
    "NO_LABEL",
    "ExampleTable",
    "ModelColumn",
    "build_table",
]

NO_LABEL = -1
"""Column value for a missing gold label or a missing prediction."""

_LETTER = {label: label.short for label in Label}

NO_ANNOTATORS = "no votes"
"""Agreement level of a pair without annotator labels."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelColumn:
    """One model's predictions, aligned with the table's rows."""

    name: str
    label: tuple[int, ...]
    """Predicted label per row (`Label` value), `NO_LABEL` where the model has no prediction."""
    confidence: tuple[float, ...]
    """Probability of the predicted label per row (0.0 where missing)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ExampleTable:
    """The examples of a report and every model's predictions, in columns."""

    examples: tuple[Example, ...]
    gold: tuple[int, ...]
    """Gold label per row, `NO_LABEL` where there is none."""
    level: tuple[str, ...]
    """Agreement level per row as the scores name it (`5/5`, `4/5`, …, `NO_CONSENSUS`, or an
    entropy bin for many annotators), `NO_ANNOTATORS` without annotator labels."""
    level_order: tuple[str, ...]
    """The levels present, in the Agreement pane's order, then `NO_ANNOTATORS`."""
    agreement: tuple[float, ...]
    """Share of annotators behind the top label (1.0 without annotators), for sorting."""
    annotators: tuple[str, ...]
    """Annotator labels as letters (`eeenc`)."""
    text: tuple[str, ...]
    """Lower-cased id, premise and hypothesis, for free-text search."""
    models: tuple[ModelColumn, ...]
    disagree: tuple[bool, ...]
    """Whether the models predict different labels for the row (False with one model)."""

    def __len__(self) -> int:
        return len(self.examples)

    @property
    def model_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.models)

    @property
    def levels(self) -> tuple[str, ...]:
        """The agreement levels present, in the Agreement pane's order (most agreement first)."""
        return self.level_order


def build_table(report: Report) -> ExampleTable:
    """Lay `report` out in columns (one row per example, in the report's order)."""
    examples = report.examples
    named = example_levels(examples)
    levels = tuple(NO_ANNOTATORS if level is None else level for level in named.levels)
    shares: list[float] = []
    for example in examples:
        agreement = example.agreement
        shares.append(1.0 if agreement is None else agreement[0] / agreement[1])
    models = tuple(_model_column(report, index, examples) for index in range(len(report.models)))
    if len(models) > 1:
        disagree = tuple(
            len(set(labels)) > 1 for labels in zip(*(m.label for m in models), strict=True)
        )
    else:
        disagree = (False,) * len(examples)
    return ExampleTable(
        examples=examples,
        gold=tuple(NO_LABEL if e.gold is None else int(e.gold) for e in examples),
        level=levels,
        level_order=named.order + ((NO_ANNOTATORS,) if NO_ANNOTATORS in levels else ()),
        agreement=tuple(shares),
        annotators=tuple(
            "".join([_LETTER[label] for label in e.annotator_labels]) for e in examples
        ),
        text=tuple(f"{e.id}\n{e.premise}\n{e.hypothesis}".lower() for e in examples),
        models=models,
        disagree=disagree,
    )


def _model_column(report: Report, index: int, examples: tuple[Example, ...]) -> ModelColumn:
    run = report.models[index]
    labels: list[int] = []
    confidences: list[float] = []
    predictions = run.predictions
    for example in examples:
        prediction = predictions.get(example.id)
        if prediction is None:
            labels.append(NO_LABEL)
            confidences.append(0.0)
            continue
        best = Prediction.label_value(prediction.probs)
        labels.append(best)
        confidences.append(prediction.probs[best])
    return ModelColumn(name=run.name, label=tuple(labels), confidence=tuple(confidences))
