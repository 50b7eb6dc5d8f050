"""The scores the panes show: the report's stored ones, else computed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nli_probe.core.report import Report

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ReportScores


def load_or_compute_scores(report: Report, *, resamples: int, seed: int = 0) -> ReportScores:
    """`Report.extra["scores"]` when the report stores them (fast), else `score_report`.

    Imports numpy/scipy/scikit-learn, so the app calls it from a worker thread.
    """
    from nli_probe.scoring.scores import score_report, stored_scores

    stored = stored_scores(report)
    if stored is not None and [m.name for m in stored.models] == [m.name for m in report.models]:
        return stored
    return score_report(report, resamples=resamples, seed=seed)
