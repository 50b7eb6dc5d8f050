"""`build_view`: a `Report`, its `ReportScores` and its suite runs as a `ReportView`.

This is the only place that knows the shape of the score and suite values; the renderers and the
gate read the view. Nothing here computes a metric: numbers are copied from the scores, except
the 95% Wilson interval drawn around each agreement level's accuracy (a proportion whose
numerator and denominator the scores give).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from nli_probe.core.labels import LABELS
from nli_probe.core.suite_run import AttackInfo, AttackStats, ProbeRun, SuiteRun, wilson_interval
from nli_probe.core.words import PairWords
from nli_probe.reports.view import (
    AdversarialCase,
    AgreementRow,
    AttackRow,
    Case,
    Comparison,
    Estimate,
    ModelView,
    ProbeRow,
    ReliabilityBin,
    ReportView,
    SliceRowView,
    SliceView,
)
from nli_probe.scoring.datamap.section import section_from_json

if TYPE_CHECKING:
    from nli_probe.core.report import Report
    from nli_probe.core.suite_run import Outcome
    from nli_probe.scoring.metrics import Interval, MetricReport
    from nli_probe.scoring.scores import ModelScores, ReportScores, SliceTable

FAILURES_SHOWN = 3
"""Failing cases kept per probe and model for a reader to look at."""
ADVERSARIAL_SHOWN = 5
"""Successful attacks kept per attack probe and model."""
LOW_AGREEMENT_SHOWN = 15

_HEADLINE_FIELDS = {
    "accuracy": "accuracy",
    "precision": "precision_weighted",
    "recall": "recall_weighted",
    "f1": "f1_weighted",
}
_METRIC_FIELDS = (
    "accuracy",
    "precision_weighted",
    "recall_weighted",
    "f1_weighted",
    "precision_macro",
    "recall_macro",
    "f1_macro",
)

METRIC_NAMES: tuple[str, ...] = (
    *_METRIC_FIELDS,
    *(f"{kind}_{label}" for label in LABELS for kind in ("f1", "recall")),
    "ece",
    "brier",
    "nll",
    "jsd",
    *_HEADLINE_FIELDS,
)
"""Every metric name `model_view` can give (what gate thresholds may name)."""


def build_view(
    report: Report,
    scores: ReportScores,
    *,
    suites: Sequence[SuiteRun] = (),
    title: str = "nli-probe report",
    notes: Iterable[str] = (),
) -> ReportView:
    """Everything a rendered report shows, from measurements already made and scored."""
    provenance = [
        f"nli-probe {report.tool_version}"
        + (f", created {report.created}" if report.created else ""),
        f"{scores.with_gold} of {scores.count} examples have a gold label",
        f"intervals: {scores.confidence:.0%} bootstrap, {scores.resamples} resamples, "
        f"seed {scores.seed}; probe, agreement-level and slice accuracy intervals are Wilson "
        "intervals",
        *notes,
    ]
    if scores.baseline.description:
        provenance.append(f"majority baseline: {scores.baseline.description}")
    if scores.label_scheme == "two-way":
        provenance.append(
            "two-way data: a model's neutral and contradiction both count as non-entailment"
        )
    view = _scores_view(scores, title=title)
    return dataclasses.replace(
        view,
        probes=tuple(row for run in suites for row in probe_rows(run)),
        attacks=tuple(row for run in suites for row in attack_rows(run)),
        notes=tuple(provenance),
        datamaps=section_from_json(report.extra.get("datamaps")),
        datasets=tuple(_scores_view(part, title=part.dataset) for part in scores.datasets),
    )


def _scores_view(scores: ReportScores, *, title: str) -> ReportView:
    """The view of one set of scores (a whole report, or one data set of it)."""
    two_way = scores.label_scheme == "two-way"
    return ReportView(
        title=title,
        dataset=scores.dataset,
        examples=scores.count,
        models=tuple(model_view(row, two_way=two_way) for row in scores.rows),
        comparisons=_comparisons(scores),
        low_agreement=tuple(_low_agreement(scores)),
        labels=TWO_WAY_LABELS if two_way else tuple(str(label) for label in LABELS),
        label_scheme=scores.label_scheme,
        baseline_note=scores.baseline.description,
        slices=tuple(slice_view(table) for table in scores.slices),
    )


TWO_WAY_LABELS = ("entailment", "non-entailment")


def _comparisons(scores: ReportScores) -> tuple[Comparison, ...]:
    return tuple(
        Comparison(
            a=c.model_a,
            b=c.model_b,
            difference=_estimate(c.difference, c.interval) or Estimate(value=0.0),
            p_value=c.mcnemar_p,
        )
        for c in scores.comparisons
        if c.difference is not None
    )


def slice_view(table: SliceTable) -> SliceView:
    """A slice table as the renderers and the gate read it."""
    rows = []
    for row in table.rows:
        accuracy = {
            m.name: _estimate(m.accuracy, m.interval) for m in row.models if m.accuracy is not None
        }
        rows.append(
            SliceRowView(
                values=row.values,
                count=row.count,
                baseline=row.baseline,
                accuracy={name: e for name, e in accuracy.items() if e is not None},
                f1_macro={m.name: m.f1_macro for m in row.models if m.f1_macro is not None},
                differences=tuple(
                    Comparison(
                        a=c.model_a,
                        b=c.model_b,
                        difference=_estimate(c.difference, c.interval) or Estimate(value=0.0),
                        p_value=c.mcnemar_p,
                    )
                    for c in row.comparisons
                    if c.difference is not None
                ),
            )
        )
    return SliceView(field=table.field, rows=tuple(rows))


def model_view(scores: ModelScores, *, two_way: bool = False) -> ModelView:
    """One model's scores; on two-way data the confusion matrix is entailment /
    non-entailment (the neutral row and column), as the data's labels are."""
    m: MetricReport = scores.metrics
    headline = {
        name: estimate
        for name, field in _HEADLINE_FIELDS.items()
        if (estimate := _estimate(getattr(m, field), m.interval(field))) is not None
    }
    metrics: dict[str, float] = {
        name: value for name in _METRIC_FIELDS if (value := getattr(m, name)) is not None
    }
    for cls in m.per_class:
        metrics[f"f1_{cls.label}"] = cls.f1
        metrics[f"recall_{cls.label}"] = cls.recall
    calibration = scores.calibration
    for name in ("ece", "brier", "nll"):
        value = getattr(calibration, name)
        if value is not None:
            metrics[name] = value
    if scores.agreement.overall.fit.jsd is not None:
        metrics["jsd"] = scores.agreement.overall.fit.jsd
    return ModelView(
        name=scores.name,
        baseline=scores.is_baseline,
        description=scores.description,
        headline=headline,
        metrics=metrics,
        confusion=(tuple(row[:2] for row in m.confusion[:2]) if two_way else m.confusion)
        if m.count
        else (),
        agreement=tuple(
            AgreementRow(
                level=level.level,
                count=level.count,
                accuracy=_proportion(level.accuracy, level.scored),
                jsd=level.fit.jsd,
                human_agreement=level.human_agreement,
                model_agreement=level.model_agreement,
            )
            for level in scores.agreement.levels
        ),
        reliability=tuple(
            ReliabilityBin(
                low=b.lower,
                high=b.upper,
                count=b.count,
                confidence=b.confidence,
                accuracy=b.accuracy,
            )
            for b in calibration.bins
            if b.count and b.confidence is not None and b.accuracy is not None
        ),
    )


def probe_rows(run: SuiteRun) -> list[ProbeRow]:
    rows = []
    for probe in run.probes:
        interval = probe.interval
        rows.append(
            ProbeRow(
                suite=run.suite,
                probe=probe.probe,
                model=run.model,
                kind=probe.kind,
                tested=probe.tested,
                failed=probe.failed,
                rate=Estimate(
                    value=probe.failure_rate or 0.0,
                    low=None if interval is None else interval[0],
                    high=None if interval is None else interval[1],
                ),
                # An attack's successes are shown with their edits marked (`attack_rows`).
                failures=()
                if probe.attack is not None
                else tuple(_failure_case(o) for o in probe.failures()[:FAILURES_SHOWN]),
            )
        )
    return rows


def attack_rows(run: SuiteRun) -> list[AttackRow]:
    """The attack probes of a suite run, summarised, with a few successful attacks."""
    rows = []
    for probe in run.probes:
        stats = probe.attack_stats()
        if probe.attack is not None and stats is not None:
            rows.append(_attack_row(run, probe, probe.attack, stats))
    return rows


def _attack_row(run: SuiteRun, probe: ProbeRun, info: AttackInfo, stats: AttackStats) -> AttackRow:
    rate = None
    if stats.success_rate is not None:
        low, high = stats.interval if stats.interval is not None else (None, None)
        rate = Estimate(value=stats.success_rate, low=low, high=high)
    examples = []
    for outcome in probe.failures()[:ADVERSARIAL_SHOWN]:
        words = PairWords.of(outcome.premise, outcome.hypothesis)
        examples.append(
            AdversarialCase(
                premise=words.pieces("premise", outcome.edits),
                hypothesis=words.pieces("hypothesis", outcome.edits),
                before="?" if outcome.before is None else str(outcome.before.label),
                after="?" if outcome.after is None else str(outcome.after.label),
                queries=outcome.queries,
            )
        )
    return AttackRow(
        suite=run.suite,
        probe=probe.probe,
        model=run.model,
        description=info.description,
        attempted=stats.attempted,
        succeeded=stats.succeeded,
        failed=stats.failed,
        skipped=stats.skipped,
        success_rate=rate,
        original_accuracy=stats.original_accuracy,
        accuracy_under_attack=stats.accuracy_under_attack,
        mean_words_changed=stats.mean_words_changed,
        mean_queries=stats.mean_queries,
        examples=tuple(examples),
    )


def _failure_case(outcome: Outcome) -> Case:
    before = "?" if outcome.before is None else str(outcome.before.label)
    after = "?" if outcome.after is None else str(outcome.after.label)
    parts = [f"prediction {before} → {after}"]
    if outcome.implied is not None:
        parts.append(f"expected {outcome.implied}")
    if outcome.note:
        parts.append(outcome.note)
    if (outcome.variant_premise, outcome.variant_hypothesis) != (
        outcome.premise,
        outcome.hypothesis,
    ):
        parts.append(f"original: {outcome.premise} / {outcome.hypothesis}")
    return Case(
        premise=outcome.variant_premise or outcome.premise,
        hypothesis=outcome.variant_hypothesis or outcome.hypothesis,
        note="; ".join(parts),
    )


def _low_agreement(scores: ReportScores) -> list[Case]:
    cases = []
    for pair in scores.low_agreement[:LOW_AGREEMENT_SHOWN]:
        human = " ".join(
            f"{label.short} {share:.2f}" for label, share in zip(LABELS, pair.human, strict=True)
        )
        models = "; ".join(f"{m.name}: {m.label} (JSD {m.jsd:.2f})" for m in pair.models)
        note = f"{pair.level} · humans {human} · gold {pair.gold or 'none'}"
        cases.append(
            Case(
                premise=pair.premise,
                hypothesis=pair.hypothesis,
                note=f"{note} · {models}" if models else note,
            )
        )
    return cases


def _estimate(value: float | None, interval: Interval | None) -> Estimate | None:
    if value is None:
        return None
    if interval is None:
        return Estimate(value=value)
    return Estimate(value=value, low=interval.low, high=interval.high)


def _proportion(value: float | None, trials: int) -> Estimate | None:
    if value is None:
        return None
    interval = wilson_interval(round(value * trials), trials)
    if interval is None:
        return Estimate(value=value)
    return Estimate(value=value, low=interval[0], high=interval[1])


def report_suites(report: Report) -> tuple[SuiteRun, ...]:
    """The suite runs a report carries."""
    return tuple(report.suites)
