"""pandas views of `ReportScores` (`ReportScores.to_pandas(table)`): the models side by side,
the per-class scores, the agreement breakdown, or the paired comparisons.

The values are the scores' own: nothing is recomputed here. pandas is imported only when a
frame is asked for (see `nli_probe.core.frames` for the report's and the suite runs' frames).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from nli_probe.scoring.metrics import HEADLINE

if TYPE_CHECKING:
    import pandas as pd

    from nli_probe.scoring.scores import ModelScores, ReportScores

ScoreTable = Literal["models", "per_class", "agreement", "comparisons"]
SCORE_TABLES: tuple[ScoreTable, ...] = ("models", "per_class", "agreement", "comparisons")


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
