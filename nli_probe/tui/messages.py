"""The messages worker threads post to the UI (the only way they talk to it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from nli_probe.core.prediction import Prediction
from nli_probe.core.report import Report
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.runner import AttackResult
from nli_probe.probing.perturbation import Variant


@dataclass
class ScoresReady(Message):
    """The report's scores are computed (or loaded from the report); None if unavailable."""

    report: Report
    scores: Any
    error: str = ""


@dataclass
class ReportChanged(Message):
    """A live run produced a new report (new models or probe results)."""

    report: Report


@dataclass
class ModelsLoaded(Message):
    """The models named with `--model` are loaded (or failed: `error`)."""

    error: str = ""


@dataclass
class RunProgress(Message):
    """A live run moved on: `done` of `total` units of `stage`, which is step `step` of
    `steps` (one per model), so the bar can show the whole run's progress."""

    stage: str
    done: int
    total: int
    step: int = 0
    steps: int = 1


@dataclass
class RunFinished(Message):
    """A live run ended: its summary, or why it stopped (`cancelled`, `error`). `report` is
    the report with what the run finished (every model, or those done before a cancel); None
    when it finished nothing."""

    summary: str
    cancelled: bool = False
    error: str = ""
    report: Report | None = None


@dataclass
class PlaygroundResult(Message):
    """The playground's predictions: the typed pair's, then each variant's, per model.

    `original` holds (model name, prediction); `variants` holds (perturbation name, variant,
    one prediction per model in `original`'s order).
    """

    original: list[tuple[str, Prediction]]
    variants: list[tuple[str, Variant, list[Prediction]]]
    error: str = ""


@dataclass
class PlaygroundAttack(Message):
    """The playground's attack on the typed pair: `recipe`, and each model's result as
    (model name, result)."""

    recipe: str
    results: list[tuple[str, AttackResult]]
    error: str = ""


def describe_error(error: BaseException) -> str:
    """A worker's failure for a status line: NLIProbeError's own words, else type and message."""
    if isinstance(error, NLIProbeError):
        return str(error)
    return f"{type(error).__name__}: {error}"
