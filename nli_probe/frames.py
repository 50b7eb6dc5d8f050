"""pandas views of what a run measured, for notebooks: one DataFrame per table.

- `report_frame`: one row per pair (`Report.to_pandas()`): the pair, its gold label, the
  annotators' votes and agreement, every model's three probabilities and predicted label, and
  each `meta` key as a column of its own.
- `scores_frame`: a table of `ReportScores` (`ReportScores.to_pandas(table)`): the models side by
  side, the per-class scores, the agreement breakdown, or the paired comparisons.
- `outcomes_frame`: one row per probe outcome of one or more suite runs (`SuiteRun.to_pandas()`).

The values are the report's and the scores' own: nothing is recomputed here. pandas is imported
only when a frame is asked for, so `import nli_probe` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from nli_probe.labels import LABELS
from nli_probe.metrics import HEADLINE

if TYPE_CHECKING:
    import pandas as pd

    from nli_probe.example import Example
    from nli_probe.prediction import Prediction
    from nli_probe.report import Report
    from nli_probe.scores import ModelScores, ReportScores
    from nli_probe.suite_run import SuiteRun

ScoreTable = Literal["models", "per_class", "agreement", "comparisons"]
SCORE_TABLES: tuple[ScoreTable, ...] = ("models", "per_class", "agreement", "comparisons")
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
        row: dict[str, Any] = _pair_columns(example)
        for run in report.models:
            row.update(_prediction_columns(run.name, run.predictions.get(example.id)))
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


def _pair_columns(example: Example) -> dict[str, Any]:
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


def _prediction_columns(model: str, prediction: Prediction | None) -> dict[str, Any]:
    if prediction is None:
        return {f"{model}:{name}": float("nan") for name in _LABEL_NAMES} | {f"{model}:label": None}
    columns: dict[str, Any] = {
        f"{model}:{name}": prob for name, prob in zip(_LABEL_NAMES, prediction.probs, strict=True)
    }
    columns[f"{model}:label"] = str(prediction.label)
    return columns


def scores_frame(scores: ReportScores, table: ScoreTable = "models") -> pd.DataFrame:
    """One table of `scores` as a DataFrame (see `ReportScores.to_pandas`).

    Raises:
        ValueError: an unknown table name.
    """
    import pandas as pd

    if table == "models":
        rows = [_model_row(model) for model in scores.rows]
        return pd.DataFrame(rows).set_index("model")
    if table == "per_class":
        rows = [
            {"model": model.name, **item.to_json()}
            for model in scores.rows
            for item in model.metrics.per_class
        ]
        return pd.DataFrame(rows).set_index(["model", "label"])
    if table == "agreement":
        rows = [
            _level_row(model.name, level)
            for model in scores.rows
            for level in (*model.agreement.levels, model.agreement.overall)
        ]
        return pd.DataFrame(rows).set_index(["model", "level"])
    if table == "comparisons":
        rows = [
            {
                **{key: value for key, value in item.to_json().items() if key != "interval"},
                "interval_low": item.interval.low if item.interval else None,
                "interval_high": item.interval.high if item.interval else None,
            }
            for item in scores.comparisons
        ]
        columns = ["model_a", "model_b"]
        return pd.DataFrame(rows).set_index(columns) if rows else pd.DataFrame(columns=columns)
    raise ValueError(f"unknown table {table!r} (tables: {', '.join(SCORE_TABLES)})")


def _model_row(model: ModelScores) -> dict[str, Any]:
    metrics = model.metrics
    row: dict[str, Any] = {"model": model.name, "baseline": model.is_baseline}
    row["count"] = metrics.count
    row["missing"] = model.missing
    for name in HEADLINE:
        row[name] = metrics.value(name)
        interval = metrics.interval(name)
        row[f"{name}_low"] = interval.low if interval else None
        row[f"{name}_high"] = interval.high if interval else None
    calibration = model.calibration
    row.update(ece=calibration.ece, brier=calibration.brier, nll=calibration.nll)
    fit = model.agreement.overall.fit
    row.update(cross_entropy=fit.cross_entropy, kl=fit.kl, jsd=fit.jsd)
    return row


def _level_row(model: str, level: Any) -> dict[str, Any]:
    return {
        "model": model,
        "level": level.level,
        "count": level.count,
        "scored": level.scored,
        "accuracy": level.accuracy,
        "f1_macro": level.f1_macro,
        "f1_weighted": level.f1_weighted,
        "ece": level.calibration.ece,
        "nll": level.calibration.nll,
        "cross_entropy": level.fit.cross_entropy,
        "kl": level.fit.kl,
        "jsd": level.fit.jsd,
        "human_agreement": level.human_agreement,
        "model_agreement": level.model_agreement,
    }


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
                        **_side("before", outcome.before),
                        **_side("after", outcome.after),
                        "note": outcome.note,
                        "error": outcome.error,
                    }
                )
    return pd.DataFrame(rows, columns=list(_OUTCOME_COLUMNS))


def _name(label: object) -> str | None:
    return None if label is None else str(label)


def _side(prefix: str, prediction: Prediction | None) -> dict[str, Any]:
    probs: Sequence[float] = prediction.probs if prediction else (float("nan"),) * 3
    columns: dict[str, Any] = {prefix: str(prediction.label) if prediction else None}
    columns.update({f"{prefix}:{name}": p for name, p in zip(_LABEL_NAMES, probs, strict=True)})
    return columns
