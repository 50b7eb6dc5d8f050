"""The scores the panes show: the report's stored ones, else computed; and, for runs merged from
different data, each run's own majority baseline (a baseline pooled over two data sets
describes neither)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from nli_probe.core.report import Report
from nli_probe.tui.sources import run_sources

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ModelScores, ReportScores


def load_or_compute_scores(report: Report, *, resamples: int, seed: int = 0) -> ReportScores:
    """`Report.extra["scores"]` when the report stores them (fast), else `score_report`.

    Imports numpy/scipy/scikit-learn, so the app calls it from a worker thread.
    """
    from nli_probe.scoring.scores import score_report, stored_scores

    stored = stored_scores(report)
    if stored is not None and [m.name for m in stored.models] == [m.name for m in report.models]:
        return stored
    return score_report(report, resamples=resamples, seed=seed)


def source_baselines(
    report: Report, *, resamples: int, seed: int = 0
) -> tuple[tuple[str, ModelScores], ...]:
    """(run label, majority baseline on the pairs that run's models predicted), one per merged
    run, when the runs' models were scored on different pairs; empty when they share their
    pairs (then the report's one baseline is each run's) or the report is not merged.

    Scored by `score_report` on each run's pairs; call it from a worker thread.
    """
    from nli_probe.scoring.scores import score_report

    pairs: list[tuple[str, frozenset[str]]] = []
    for source in run_sources(report):
        ids: set[str] = set()
        for run in report.models:
            if run.name in source.models:
                ids.update(run.predictions)
        if ids:
            pairs.append((source.label, frozenset(ids)))
    if len({ids for _, ids in pairs}) < 2:
        return ()
    baselines: list[tuple[str, ModelScores]] = []
    for label, predicted in pairs:
        examples = tuple(example for example in report.examples if example.id in predicted)
        alone = replace(report, examples=examples, models=(), suites=(), extra={})
        baselines.append((label, score_report(alone, resamples=resamples, seed=seed).baseline))
    return tuple(baselines)
