"""The scores the Overview and Agreement panes show: the report's stored ones, else computed."""

from __future__ import annotations

import importlib
from typing import Any

from nli_probe.report import Report


def load_or_compute_scores(report: Report, *, resamples: int, seed: int = 0) -> Any:
    """`Report.extra["scores"]` when the report stores them (fast), else `score_report`."""
    try:
        scores = importlib.import_module("nli_probe.scores")
    except ImportError:
        return None
    stored = report.extra.get("scores")
    if stored:
        return scores.ReportScores.from_json(stored)
    return scores.score_report(report, resamples=resamples, seed=seed)
