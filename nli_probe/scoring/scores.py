"""`score_report`: every score of every model in a `Report`, as one JSON-ready value.

Front-ends (console tables, Markdown/HTML reports, the TUI) read a `ReportScores`; none computes
a metric itself. The examples are turned into arrays once and shared by every model, so scoring
10,000 pairs x 3 models with 1,000 bootstrap resamples takes a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.errors import NLIProbeError
from nli_probe.scoring.agreement import NO_CONSENSUS, AgreementBreakdown
from nli_probe.scoring.calibration import DEFAULT_BINS, Calibration
from nli_probe.scoring.comparison import PairedComparison
from nli_probe.scoring.contrast import ModelContrast, contrast_models
from nli_probe.scoring.disagreement import LowAgreementPair
from nli_probe.scoring.metrics import BASELINE_NAME, Interval, MetricReport
from nli_probe.scoring.slices import SliceComparison, SliceModel, SliceRow, SliceTable

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import NDArray

    from nli_probe.core.example import Example
    from nli_probe.core.parts import DataSetPart
    from nli_probe.core.report import Report
    from nli_probe.scoring.example_arrays import ExampleArrays
    from nli_probe.scoring.frames import ScoreTable

__all__ = [
    "BASELINE_NAME",
    "NO_CONSENSUS",
    "SCORES_KEY",
    "ExampleLevels",
    "Interval",
    "LowAgreementPair",
    "ModelContrast",
    "ModelScores",
    "PairedComparison",
    "ReportScores",
    "SideBySideRow",
    "SliceComparison",
    "SliceModel",
    "SliceRow",
    "SliceTable",
    "contrast_models",
    "example_levels",
    "least_agreed",
    "score_report",
    "side_by_side_row",
    "store_scores",
    "stored_scores",
]
"""What front-ends read: `score_report` and its friends, and the values they return (some
defined beside their computations in `metrics` and `disagreement`, handed out here so that a
front-end needs no other scoring module)."""

MIXED = "mixed"
"""The label scheme of pooled scores over data sets of both schemes."""

SCORES_KEY = "scores"
"""The `Report.extra` key under which `store_scores` keeps a `ReportScores`."""


@dataclass(frozen=True, kw_only=True)
class ModelScores(JsonRecord):
    """Everything scored for one model (or the majority baseline) on a report's examples."""

    name: str
    count: int
    """Examples the model has a prediction for."""
    missing: int
    """Examples in the report without a prediction from this model (left out)."""
    metrics: MetricReport
    """Against gold, on the predicted examples that have a gold label."""
    calibration: Calibration
    agreement: AgreementBreakdown
    is_baseline: bool = False
    description: str = ""
    """For the majority baseline, what it predicts: the training-set majority (and where that
    balance comes from), or the evaluation-set majority, an oracle."""


@dataclass(frozen=True, kw_only=True)
class SideBySideRow(JsonRecord):
    """One row of the models-side-by-side table."""

    name: str
    count: int
    accuracy: float | None
    accuracy_interval: Interval | None
    precision_weighted: float | None
    recall_weighted: float | None
    f1_weighted: float | None
    f1_weighted_interval: Interval | None
    f1_macro: float | None
    f1_macro_interval: Interval | None
    ece: float | None
    brier: float | None
    nll: float | None
    jsd: float | None
    """Mean Jensen-Shannon distance to the human distribution over annotated examples."""
    is_baseline: bool = False


@dataclass(frozen=True, kw_only=True)
class ReportScores(JsonRecord):
    """The scores of a whole report: the baseline, each model, and each pair of models."""

    dataset: str
    count: int
    """Examples in the report."""
    with_gold: int
    """Examples with a gold label (the ones label metrics use)."""
    baseline: ModelScores
    models: tuple[ModelScores, ...] = ()
    comparisons: tuple[PairedComparison, ...] = ()
    low_agreement: tuple[LowAgreementPair, ...] = ()
    resamples: int = 1000
    seed: int = 0
    confidence: float = 0.95
    label_scheme: str = "three-way"
    """`three-way`, `two-way` (entailment / non-entailment: neutral + contradiction predictions
    read as non-entailment, and `neutral` in the metrics means non-entailment) or `mixed` (pairs
    of both kinds pooled, each scored by its own scheme)."""
    slices: tuple[SliceTable, ...] = ()
    """Scores per value of each slice field of the data set (`heuristic`, `round`, ...)."""
    datasets: tuple[ReportScores, ...] = ()
    """In a run over several data sets: each set's own scores (the fields above then pool every
    pair of every set, each pair scored by its set's scheme)."""

    def parts(self) -> tuple[ReportScores, ...]:
        """Each data set's scores: `datasets`, or these scores alone for a one-set report."""
        return self.datasets or (self,)

    def part(self, name: str) -> ReportScores:
        """One data set's scores by name; an unknown name raises with the known ones."""
        for part in self.parts():
            if part.dataset == name:
                return part
        known = ", ".join(part.dataset for part in self.parts())
        raise NLIProbeError(f"no data set {name!r} in the scores (data sets: {known})")

    def slice(self, field: str) -> SliceTable:
        """The slice table of `field` (e.g. `heuristic` or `heuristic,gold`)."""
        for table in self.slices:
            if table.field == field:
                return table
        known = ", ".join(table.field for table in self.slices) or "none"
        raise NLIProbeError(f"{self.dataset}: no slices by {field!r} (sliced by: {known})")

    def model(self, name: str) -> ModelScores:
        """A model's scores by name (the baseline is `majority baseline`)."""
        for scores in self.rows:
            if scores.name == name:
                return scores
        known = ", ".join(scores.name for scores in self.rows)
        raise NLIProbeError(f"no scores for model {name!r} (models: {known})")

    @property
    def rows(self) -> tuple[ModelScores, ...]:
        """The baseline first, then the models in report order."""
        return (self.baseline, *self.models)

    def comparison(self, model_a: str, model_b: str) -> PairedComparison:
        for item in self.comparisons:
            if (item.model_a, item.model_b) == (model_a, model_b):
                return item
        raise NLIProbeError(f"no comparison of {model_a!r} with {model_b!r}")

    def table(self) -> tuple[SideBySideRow, ...]:
        """All models side by side (baseline first)."""
        return tuple(side_by_side_row(scores) for scores in self.rows)

    def to_pandas(self, table: ScoreTable = "models") -> pd.DataFrame:
        """A metric table as a DataFrame (needs pandas): `models` (one row per model, baseline
        first: headline metrics with interval bounds, calibration, fit to the human labels),
        `per_class`, `agreement` (per model and agreement level) or `comparisons` (each pair of
        models). See `nli_probe.scoring.frames.scores_frame`."""
        from nli_probe.scoring.frames import scores_frame

        return scores_frame(self, table)


def side_by_side_row(scores: ModelScores) -> SideBySideRow:
    m = scores.metrics
    return SideBySideRow(
        name=scores.name,
        count=m.count,
        accuracy=m.accuracy,
        accuracy_interval=m.interval("accuracy"),
        precision_weighted=m.precision_weighted,
        recall_weighted=m.recall_weighted,
        f1_weighted=m.f1_weighted,
        f1_weighted_interval=m.interval("f1_weighted"),
        f1_macro=m.f1_macro,
        f1_macro_interval=m.interval("f1_macro"),
        ece=scores.calibration.ece,
        brier=scores.calibration.brier,
        nll=scores.calibration.nll,
        jsd=scores.agreement.overall.fit.jsd,
        is_baseline=scores.is_baseline,
    )


def score_report(
    report: Report,
    *,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    calibration_bins: int = DEFAULT_BINS,
    low_agreement_limit: int = 50,
) -> ReportScores:
    """Score every model of `report`, the majority baseline, and every pair of models.

    Args:
        report: examples and each model's predictions.
        resamples: bootstrap resamples for intervals and paired tests (0: none).
        seed: bootstrap seed; the same seed gives the same intervals.
        confidence: interval coverage.
        calibration_bins: reliability-diagram bins.
        low_agreement_limit: how many low-agreement pairs to list.
    """
    import numpy as np

    from nli_probe.core.parts import THREE_WAY, DataSetPart
    from nli_probe.scoring.example_arrays import example_arrays

    if not 0 < confidence < 1:
        raise NLIProbeError(f"confidence must be between 0 and 1, got {confidence}")
    if resamples < 0:
        raise NLIProbeError(f"resamples must be 0 or more, got {resamples}")
    settings: dict[str, Any] = {
        "resamples": resamples,
        "seed": seed,
        "confidence": confidence,
        "calibration_bins": calibration_bins,
        "low_agreement_limit": low_agreement_limit,
    }
    arrays = example_arrays(report.examples)
    parts = report.parts()
    if len(parts) == 1:
        return _score_part(report, arrays, parts[0], **settings)
    position = {example_id: i for i, example_id in enumerate(arrays.ids)}
    each = tuple(
        _score_part(
            report,
            arrays.subset(np.fromiter((position[i] for i in part.ids), dtype=np.int64)),
            part,
            **settings,
        )
        for part in parts
    )
    schemes = {part.label_scheme for part in parts}
    # Pooled, each pair is scored by its own set's scheme (two-way pairs are folded row by
    # row), so the pooled part's own scheme only labels the result.
    pooled = _score_part(
        report,
        arrays,
        DataSetPart(name=report.dataset, ids=arrays.ids, label_scheme=THREE_WAY),
        **settings,
    )
    scheme = next(iter(schemes)) if len(schemes) == 1 else MIXED
    return dataclasses.replace(pooled, label_scheme=scheme, datasets=each)


def _score_part(
    report: Report,
    arrays: ExampleArrays,
    part: DataSetPart,
    *,
    resamples: int,
    seed: int,
    confidence: float,
    calibration_bins: int,
    low_agreement_limit: int,
) -> ReportScores:
    """The scores of one data set's pairs (`arrays`), sliced by its slice fields."""
    import numpy as np

    from nli_probe.core.parts import ORACLE_BASELINE
    from nli_probe.scoring.agreement import agreement_levels
    from nli_probe.scoring.disagreement import low_agreement_pairs
    from nli_probe.scoring.example_arrays import fold_two_way, prediction_matrix
    from nli_probe.scoring.slices import slice_table

    settings: dict[str, Any] = {
        "resamples": resamples,
        "seed": seed,
        "confidence": confidence,
        "calibration_bins": calibration_bins,
    }
    levels = agreement_levels(arrays)
    settings["levels"] = levels
    everything = np.ones(len(arrays), dtype=bool)
    baseline_probs = fold_two_way(_baseline_probs(arrays, report), arrays.two_way)
    baseline = _score_model(
        arrays, BASELINE_NAME, baseline_probs, everything, is_baseline=True, **settings
    )
    # On two-way pairs the baseline's label is the training balance read two-way; say so.
    two_way = bool(len(arrays)) and bool(arrays.two_way.all())
    baseline = dataclasses.replace(
        baseline,
        description=ORACLE_BASELINE
        if report.baseline is None
        else report.baseline.describe(two_way=two_way),
    )
    matrices = {}
    for run in report.models:
        probs, present = prediction_matrix(arrays.ids, run.predictions)
        matrices[run.name] = (fold_two_way(probs, arrays.two_way), present)
    models = tuple(
        _score_model(arrays, name, probs, present, **settings)
        for name, (probs, present) in matrices.items()
    )
    comparisons = tuple(
        _compare(
            arrays,
            a,
            matrices[a],
            b,
            matrices[b],
            resamples=resamples,
            seed=seed,
            confidence=confidence,
        )
        for a, b in itertools.combinations(matrices, 2)
    )
    columns: dict[str, list[str]] = {}  # each field's values, read once for all its tables
    slices = tuple(
        slice_table(
            arrays.examples,
            arrays,
            field,
            matrices,
            baseline_probs,
            levels=levels[1],
            resamples=resamples,
            seed=seed,
            confidence=confidence,
            columns=columns,
        )
        for field in part.slices
    )
    return ReportScores(
        dataset=part.name,
        count=len(arrays),
        with_gold=int(arrays.has_gold.sum()),
        baseline=baseline,
        models=models,
        comparisons=comparisons,
        low_agreement=low_agreement_pairs(arrays, levels[1], matrices, limit=low_agreement_limit),
        resamples=resamples,
        seed=seed,
        confidence=confidence,
        label_scheme=part.label_scheme,
        slices=slices,
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class ExampleLevels:
    """Each example's annotator-agreement level, named and ordered as the agreement breakdown of
    `score_report` names and orders them: `5/5`, `4/5`, ..., `NO_CONSENSUS` for few annotators,
    bins of the human distribution's entropy (`entropy 0.50-1.00`) for many (ChaosNLI)."""

    scheme: str
    """`votes` or `entropy` (see `nli_probe.scoring.agreement.agreement_levels`)."""
    levels: tuple[str | None, ...]
    """Per example, in order; None for an example without annotator labels."""
    order: tuple[str, ...]
    """The levels present, in the breakdown's reading order."""


def example_levels(examples: Sequence[Example]) -> ExampleLevels:
    """The agreement level of each of `examples`, by the rule the scores use (so a front-end
    that lists pairs by level agrees with the per-level scores)."""
    from nli_probe.scoring.agreement import agreement_levels, level_order
    from nli_probe.scoring.example_arrays import example_arrays

    scheme, levels = agreement_levels(example_arrays(examples))
    return ExampleLevels(scheme=scheme, levels=tuple(levels), order=tuple(level_order(levels)))


def least_agreed(report: Report, *, limit: int = 50) -> tuple[LowAgreementPair, ...]:
    """The `limit` annotated pairs of `report` with the highest human entropy, each with every
    model's probabilities and divergences: `ReportScores.low_agreement`, for any number of
    pairs (`score_report` keeps `low_agreement_limit`, 50 by default)."""
    from nli_probe.scoring.agreement import agreement_levels
    from nli_probe.scoring.disagreement import low_agreement_pairs
    from nli_probe.scoring.example_arrays import example_arrays, prediction_matrix

    arrays = example_arrays(report.examples)
    matrices = {run.name: prediction_matrix(arrays.ids, run.predictions) for run in report.models}
    return low_agreement_pairs(arrays, agreement_levels(arrays)[1], matrices, limit=limit)


def store_scores(report: Report, scores: ReportScores) -> Report:
    """A copy of `report` with `scores` in `extra["scores"]` (what `save_report` writes)."""
    return dataclasses.replace(report, extra={**report.extra, SCORES_KEY: scores.to_json()})


def stored_scores(report: Report) -> ReportScores | None:
    """The scores saved in a report by `store_scores`, or None if it has none."""
    data = report.extra.get(SCORES_KEY)
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise NLIProbeError(f"report extra[{SCORES_KEY!r}] is not an object")
    return ReportScores.from_json(data)


def _baseline_probs(arrays: ExampleArrays, report: Report) -> NDArray[Any]:
    # The majority baseline as a probabilistic model that knows only a class balance: that of
    # the model's training data when the report has it (`Report.baseline`), so its label is the
    # training majority; else that of these very examples (the study's row, an oracle), so its
    # label is their majority class. Its calibration and fit to the human distribution are those
    # of such a model.
    import numpy as np

    if report.baseline is not None:
        return np.tile(np.asarray(report.baseline.shares, dtype=np.float64), (len(arrays), 1))
    gold = arrays.gold[arrays.has_gold]
    prior = np.bincount(gold, minlength=3).astype(np.float64)
    prior = prior / prior.sum() if prior.sum() else np.full(3, 1 / 3)
    # Ties would let argmax pick a label other than `majority_label`'s: both take the first.
    return np.tile(prior, (len(arrays), 1))


def _score_model(
    arrays: ExampleArrays,
    name: str,
    probs: NDArray[Any],
    present: NDArray[Any],
    *,
    resamples: int,
    seed: int,
    confidence: float,
    calibration_bins: int,
    levels: tuple[str, list[str | None]],
    is_baseline: bool = False,
) -> ModelScores:
    from nli_probe.scoring.agreement import agreement_breakdown
    from nli_probe.scoring.calibration import calibration
    from nli_probe.scoring.metrics import metric_report

    scored = present & arrays.has_gold
    gold = arrays.gold[scored]
    metrics = metric_report(
        gold,
        probs[scored].argmax(axis=1),
        name=name,
        resamples=resamples,
        seed=seed,
        confidence=confidence,
    )
    return ModelScores(
        name=name,
        count=int(present.sum()),
        missing=int((~present).sum()),
        metrics=metrics,
        calibration=calibration(gold, probs[scored], bins=calibration_bins),
        agreement=agreement_breakdown(
            arrays,
            probs,
            name=name,
            present=present,
            calibration_bins=calibration_bins,
            levels=levels,
        ),
        is_baseline=is_baseline,
    )


def _compare(
    arrays: ExampleArrays,
    name_a: str,
    matrix_a: tuple[NDArray[Any], NDArray[Any]],
    name_b: str,
    matrix_b: tuple[NDArray[Any], NDArray[Any]],
    *,
    resamples: int,
    seed: int,
    confidence: float,
) -> PairedComparison:
    from nli_probe.scoring.comparison import compare_predictions

    (probs_a, present_a), (probs_b, present_b) = matrix_a, matrix_b
    rows = present_a & present_b & arrays.has_gold
    return compare_predictions(
        arrays.gold[rows],
        probs_a[rows].argmax(axis=1),
        probs_b[rows].argmax(axis=1),
        model_a=name_a,
        model_b=name_b,
        resamples=resamples,
        seed=seed,
        confidence=confidence,
    )
