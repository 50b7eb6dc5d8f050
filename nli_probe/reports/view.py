"""What a rendered report shows: plain values, already computed, in display order.

The renderers (Markdown, HTML, console) and the CI gate read only a `ReportView`; `build_view`
(in `nli_probe.reports.build`) makes one from a `Report` and its computed scores. Keeping the
renderers on this small shape means a chart never recomputes a metric and every format shows the
same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nli_probe.scoring.datamap import DataMapSection

from nli_probe.core.words import Piece


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """A number with an optional confidence interval (bootstrap or Wilson)."""

    value: float
    low: float | None = None
    high: float | None = None

    def format(self, digits: int = 4) -> str:
        """`0.9065 [0.9001, 0.9127]`, or the bare value without an interval."""
        if self.low is None or self.high is None:
            return f"{self.value:.{digits}f}"
        return f"{self.value:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"


HEADLINE = ("accuracy", "precision", "recall", "f1")
"""The study's table: accuracy and support-weighted precision, recall and F1."""


@dataclass(frozen=True, kw_only=True)
class AgreementRow:
    """One annotator-agreement level of one model (e.g. `4/5`)."""

    level: str
    count: int
    accuracy: Estimate | None
    """Against gold; None where the level has no gold label (no-consensus pairs)."""
    jsd: float | None = None
    """Jensen-Shannon distance from the human label distribution (lower fits better)."""
    human_agreement: float | None = None
    """How often one annotator agrees with the majority of the others (the human ceiling)."""
    model_agreement: float | None = None
    """How often the model agrees with the majority of the annotators but one (the same
    leave-one-out majorities as `human_agreement`)."""


@dataclass(frozen=True, kw_only=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    confidence: float
    accuracy: float


@dataclass(frozen=True, kw_only=True)
class ModelView:
    """One model's scores (or the majority baseline's, with `baseline=True`)."""

    name: str
    baseline: bool = False
    description: str = ""
    """For the baseline: what it predicts (training-set majority, or an oracle)."""
    headline: Mapping[str, Estimate] = field(default_factory=dict)
    """`HEADLINE` metrics, with intervals where computed."""
    metrics: Mapping[str, float] = field(default_factory=dict)
    """Every named metric the gate can check (accuracy, f1_macro, ece, brier, ...)."""
    confusion: tuple[tuple[int, ...], ...] = ()
    """Gold rows by predicted columns, in `Label` order."""
    agreement: tuple[AgreementRow, ...] = ()
    reliability: tuple[ReliabilityBin, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Two models on the same examples: accuracy difference (a - b) and a paired test."""

    a: str
    b: str
    difference: Estimate
    p_value: float | None
    test: str = "McNemar"

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 0.05


@dataclass(frozen=True, kw_only=True)
class Case:
    """A pair worth showing a reader (a probe failure, a low-agreement example)."""

    premise: str
    hypothesis: str
    note: str = ""
    """What happened, e.g. `gold neutral · humans e2 n2 c1 · full: e 0.81`."""


@dataclass(frozen=True, kw_only=True)
class ProbeRow:
    """One probe's outcome for one model."""

    suite: str
    probe: str
    model: str
    tested: int
    failed: int
    rate: Estimate
    kind: str = ""
    """MFT, INV or DIR."""
    failures: tuple[Case, ...] = ()
    """A few failing cases (original and variant) to look at."""

    @property
    def key(self) -> str:
        """The name the gate and the tables use: `suite/probe`."""
        return f"{self.suite}/{self.probe}"


@dataclass(frozen=True, kw_only=True)
class AdversarialCase:
    """A successful attack: the pair with its edits, both predictions and the cost."""

    premise: tuple[Piece, ...]
    """The adversarial premise in pieces; a replaced word carries the word it replaced."""
    hypothesis: tuple[Piece, ...]
    before: str
    """The label predicted for the original pair."""
    after: str
    """The label predicted for the adversarial pair."""
    queries: int


@dataclass(frozen=True, kw_only=True)
class AttackRow:
    """One attack probe's summary for one model (TextAttack's, and more)."""

    suite: str
    probe: str
    model: str
    description: str
    """What the attack is made of, on one line."""
    attempted: int
    succeeded: int
    failed: int
    skipped: int
    success_rate: Estimate | None
    """With its 95% Wilson interval; None when nothing was attempted."""
    original_accuracy: float | None
    accuracy_under_attack: float | None
    mean_words_changed: float | None
    mean_queries: float | None
    examples: tuple[AdversarialCase, ...] = ()
    """A few successful attacks to look at."""

    @property
    def key(self) -> str:
        """`suite/probe`, as the gate names it (`--max-failure-rate` gates the success rate)."""
        return f"{self.suite}/{self.probe}"


@dataclass(frozen=True, kw_only=True)
class SliceRowView:
    """One value of a slice field: its pairs, the baseline, each model's scores."""

    values: tuple[str, ...]
    count: int
    baseline: float | None = None
    accuracy: Mapping[str, Estimate] = field(default_factory=dict)
    """Model -> accuracy with its Wilson interval (absent: no scored pair)."""
    f1_macro: Mapping[str, float] = field(default_factory=dict)
    differences: tuple[Comparison, ...] = ()
    """Every two models: accuracy difference with its paired interval, McNemar's p."""

    @property
    def value(self) -> str:
        """As the gate names it: crossed values joined by a comma."""
        return ",".join(self.values)


@dataclass(frozen=True, kw_only=True)
class SliceView:
    """A data set's scores per value of one field (or of crossed fields, `heuristic,gold`)."""

    field: str
    rows: tuple[SliceRowView, ...] = ()

    def row(self, value: str) -> SliceRowView | None:
        return next((row for row in self.rows if row.value == value), None)


@dataclass(frozen=True, kw_only=True)
class ReportView:
    """Everything a rendered report shows, in order."""

    title: str
    dataset: str
    examples: int
    models: tuple[ModelView, ...]
    """The majority baseline first (when computed), then the models in report order."""
    comparisons: tuple[Comparison, ...] = ()
    probes: tuple[ProbeRow, ...] = ()
    attacks: tuple[AttackRow, ...] = ()
    """Attack probes (also among `probes`, where their failure rate is the success rate)."""
    low_agreement: tuple[Case, ...] = ()
    notes: tuple[str, ...] = ()
    """Provenance lines: tool version, creation time, data preparation, resamples."""
    labels: tuple[str, ...] = ("entailment", "neutral", "contradiction")
    """The label names, in confusion-matrix order (two-way data: entailment, non-entailment)."""
    datamaps: DataMapSection | None = None
    """The training runs' data maps (a study that recorded training dynamics)."""
    label_scheme: str = "three-way"
    baseline_note: str = ""
    """What the majority baseline predicts (the training-set majority, or an oracle)."""
    slices: tuple[SliceView, ...] = ()
    datasets: tuple[ReportView, ...] = ()
    """In a run over several data sets, each set's own view (this one then pools them)."""

    def parts(self) -> tuple[ReportView, ...]:
        """Each data set's view: `datasets`, or this view alone."""
        return self.datasets or (self,)

    def part(self, name: str) -> ReportView | None:
        """The data set called `name`, or the only one of its family (`hans` for
        `hans:evaluation`) when that is unambiguous."""
        parts = self.parts()
        exact = [part for part in parts if part.dataset == name]
        if exact:
            return exact[0]
        family = [part for part in parts if part.dataset.partition(":")[0] == name]
        return family[0] if len(family) == 1 else None

    def slice(self, field: str) -> SliceView | None:
        return next((table for table in self.slices if table.field == field), None)

    def model(self, name: str) -> ModelView | None:
        return next((m for m in self.models if m.name == name), None)

    @property
    def probe_keys(self) -> tuple[str, ...]:
        """Distinct `suite/probe` names in display order."""
        return tuple(dict.fromkeys(row.key for row in self.probes))

    @property
    def probe_models(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row.model for row in self.probes))
