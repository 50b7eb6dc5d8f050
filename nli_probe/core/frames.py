"""pandas views of what a run measured, for notebooks: one DataFrame per table.

- `report_frame`: one row per pair (`Report.to_pandas()`): the pair, its gold label, the
  annotators' votes and agreement, every model's three probabilities and predicted label, and
  each `meta` key as a column of its own.
- `outcomes_frame`: one row per probe outcome of one or more suite runs (`SuiteRun.to_pandas()`).

The values are the report's own: nothing is recomputed here. pandas is imported
only when a frame is asked for, so `import nli_probe` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from nli_probe.core.labels import LABELS

if TYPE_CHECKING:
    import pandas as pd

    from nli_probe.core.example import Example
    from nli_probe.core.prediction import Prediction
    from nli_probe.core.report import Report
    from nli_probe.core.suite_run import SuiteRun

_LABEL_NAMES = tuple(str(label) for label in LABELS)


def report_frame(report: Report) -> pd.DataFrame:
    """One row per pair, indexed by example id.

    Columns: `premise`, `hypothesis`, `gold` (a label name, or None), `votes` (the annotators'
    labels as letters, e.g. `eenec`), `votes_entailment` / `votes_neutral` /
    `votes_contradiction`, `agreement` (`4/5`, or None without annotators), `source`; then for
    each model `MODEL:entailment`, `MODEL:neutral`, `MODEL:contradiction` (probabilities; NaN
    where the model has no prediction for the pair) and `MODEL:label`; then `meta:KEY` for each
    meta key any pair has.
    """
    import pandas as pd

    meta_keys = sorted({key for example in report.examples for key in example.meta})
    rows = []
    for example in report.examples:
        row: dict[str, Any] = pair_columns(example)
        for run in report.models:
            row.update(prediction_columns(run.name, run.predictions.get(example.id)))
        for key in meta_keys:
            row[f"meta:{key}"] = example.meta.get(key)
        rows.append(row)
    columns = [*_PAIR_COLUMNS]
    for run in report.models:
        columns += [f"{run.name}:{name}" for name in (*_LABEL_NAMES, "label")]
    columns += [f"meta:{key}" for key in meta_keys]
    frame = pd.DataFrame(rows, columns=columns, index=[example.id for example in report.examples])
    frame.index.name = "id"
    return frame


_PAIR_COLUMNS = (
    "premise",
    "hypothesis",
    "gold",
    "votes",
    *(f"votes_{name}" for name in _LABEL_NAMES),
    "agreement",
    "source",
)


def pair_columns(example: Example) -> dict[str, Any]:
    """`report_frame`'s pair columns of one example (every column but the id, the models' and
    `meta:KEY`): shared with the TUI's export, so a file exported there reads as this frame."""
    votes = example.votes
    agreement = example.agreement
    return {
        "premise": example.premise,
        "hypothesis": example.hypothesis,
        "gold": None if example.gold is None else str(example.gold),
        "votes": "".join(label.short for label in example.annotator_labels),
        **{f"votes_{label}": votes.get(label, 0) for label in LABELS},
        "agreement": None if agreement is None else f"{agreement[0]}/{agreement[1]}",
        "source": example.source,
    }


def prediction_columns(model: str, prediction: Prediction | None) -> dict[str, Any]:
    """`MODEL:entailment`, `MODEL:neutral`, `MODEL:contradiction` (NaN without a prediction)
    and `MODEL:label` (None without one)."""
    if prediction is None:
        return {f"{model}:{name}": float("nan") for name in _LABEL_NAMES} | {f"{model}:label": None}
    columns: dict[str, Any] = {
        f"{model}:{name}": prob for name, prob in zip(_LABEL_NAMES, prediction.probs, strict=True)
    }
    columns[f"{model}:label"] = str(prediction.label)
    return columns


_OUTCOME_COLUMNS = (
    "suite",
    "model",
    "probe",
    "capability",
    "kind",
    "example_id",
    "variant_id",
    "status",
    "premise",
    "hypothesis",
    "gold",
    "variant_premise",
    "variant_hypothesis",
    "implied",
    "before",
    *(f"before:{name}" for name in _LABEL_NAMES),
    "after",
    *(f"after:{name}" for name in _LABEL_NAMES),
    "note",
    "error",
)


def outcomes_frame(runs: Iterable[SuiteRun]) -> pd.DataFrame:
    """One row per probe outcome of `runs`: which suite, model and probe, the original pair and
    its variant, the gold and implied labels, both predictions (label and probabilities; None
    or NaN for an errored perturbation) and the verdict (`status`: passed, failed,
    not_applicable or errored)."""
    import pandas as pd

    rows = []
    for run in runs:
        for probe in run.probes:
            for outcome in probe.outcomes:
                rows.append(
                    {
                        "suite": run.suite,
                        "model": run.model,
                        "probe": probe.probe,
                        "capability": probe.capability,
                        "kind": probe.kind,
                        "example_id": outcome.example_id,
                        "variant_id": outcome.variant_id,
                        "status": outcome.status,
                        "premise": outcome.premise,
                        "hypothesis": outcome.hypothesis,
                        "gold": _name(outcome.gold),
                        "variant_premise": outcome.variant_premise,
                        "variant_hypothesis": outcome.variant_hypothesis,
                        "implied": _name(outcome.implied),
                        **side_columns("before", outcome.before),
                        **side_columns("after", outcome.after),
                        "note": outcome.note,
                        "error": outcome.error,
                    }
                )
    return pd.DataFrame(rows, columns=list(_OUTCOME_COLUMNS))


def _name(label: object) -> str | None:
    return None if label is None else str(label)


def side_columns(prefix: str, prediction: Prediction | None) -> dict[str, Any]:
    """`PREFIX` (the predicted label, None without a prediction) and `PREFIX:entailment`,
    `PREFIX:neutral`, `PREFIX:contradiction` (NaN without one)."""
    probs: Sequence[float] = prediction.probs if prediction else (float("nan"),) * 3
    columns: dict[str, Any] = {prefix: str(prediction.label) if prediction else None}
    columns.update({f"{prefix}:{name}": p for name, p in zip(_LABEL_NAMES, probs, strict=True)})
    return columns
