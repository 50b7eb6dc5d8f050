"""The Suites pane's model: probe runs of every model lined up by probe, failing cases lined up
by variant, and an attack probe's adversarial examples (one per model and pair: each model's
search finds its own). Pure (no textual)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nli_probe.core.report import Report
from nli_probe.core.suite_run import ATTACK_KIND, Outcome, ProbeRun


@dataclass(frozen=True, kw_only=True, slots=True)
class ProbeRow:
    """One probe of one suite, with each model's run of it."""

    suite: str
    probe: str
    kind: str
    capability: str
    description: str
    runs: Mapping[str, ProbeRun]
    """Model name → that model's run of the probe."""
    expectation: str = ""
    """The expectation's registered name (what the verdicts judge; `nli_probe.tui.verdicts`)."""
    template: str = ""
    """The template's name for probes on generated pairs (the variant is the pair itself)."""

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.probe}"

    @property
    def is_attack(self) -> bool:
        return self.kind == ATTACK_KIND

    def worst_rate(self) -> float:
        """The highest failure rate over the models (0.0 where nothing was tested)."""
        return max((run.failure_rate or 0.0 for run in self.runs.values()), default=0.0)


@dataclass(frozen=True, kw_only=True, slots=True)
class CaseRow:
    """One variant that some model failed: the original, the variant, every model's verdict."""

    example_id: str
    variant_id: str
    premise: str
    hypothesis: str
    variant_premise: str
    variant_hypothesis: str
    gold: int
    """The original's gold label, -1 if none."""
    implied: int
    """The label the variant implies, -1 if unknown."""
    note: str
    outcomes: Mapping[str, Outcome]
    """Model name → its outcome on this variant (absent: the model did not run it)."""


def probe_rows(report: Report) -> list[ProbeRow]:
    """Every (suite, probe) in the report, in first-seen order, with each model's run."""
    rows: dict[tuple[str, str], dict[str, ProbeRun]] = {}
    first: dict[tuple[str, str], ProbeRun] = {}
    for suite_run in report.suites:
        for run in suite_run.probes:
            key = (suite_run.suite, run.probe)
            rows.setdefault(key, {})[suite_run.model] = run
            first.setdefault(key, run)
    return [
        ProbeRow(
            suite=suite,
            probe=probe,
            kind=first[(suite, probe)].kind,
            capability=first[(suite, probe)].capability,
            description=first[(suite, probe)].description,
            runs=runs,
            expectation=first[(suite, probe)].expectation,
            template=first[(suite, probe)].template,
        )
        for (suite, probe), runs in rows.items()
    ]


def probe_models(report: Report) -> list[str]:
    """Models that ran at least one suite, in report order, then any others."""
    ran = list(dict.fromkeys(run.model for run in report.suites))
    ordered = [m.name for m in report.models if m.name in ran]
    return ordered + [name for name in ran if name not in ordered]


def failure_totals(report: Report) -> dict[str, tuple[int, int]]:
    """Model → (failed, tested) over every probe of every suite it ran."""
    totals: dict[str, tuple[int, int]] = {}
    for suite_run in report.suites:
        failed, tested = totals.get(suite_run.model, (0, 0))
        totals[suite_run.model] = (failed + suite_run.failed, tested + suite_run.tested)
    return totals


def failing_cases(row: ProbeRow, models: Sequence[str]) -> list[CaseRow]:
    """The variants of `row`'s probe that at least one of `models` failed, in run order."""
    by_variant: dict[tuple[str, str], dict[str, Outcome]] = {}
    for model in models:
        run = row.runs.get(model)
        if run is None:
            continue
        for outcome in run.outcomes:
            by_variant.setdefault((outcome.example_id, outcome.variant_id), {})[model] = outcome
    cases: list[CaseRow] = []
    for (example_id, variant_id), outcomes in by_variant.items():
        if not any(outcome.status == "failed" for outcome in outcomes.values()):
            continue
        sample = next(iter(outcomes.values()))
        cases.append(
            CaseRow(
                example_id=example_id,
                variant_id=variant_id,
                premise=sample.premise,
                hypothesis=sample.hypothesis,
                variant_premise=sample.variant_premise,
                variant_hypothesis=sample.variant_hypothesis,
                gold=-1 if sample.gold is None else int(sample.gold),
                implied=-1 if sample.implied is None else int(sample.implied),
                note=sample.note,
                outcomes=outcomes,
            )
        )
    return cases


@dataclass(frozen=True, kw_only=True, slots=True)
class AdversarialCase:
    """A successful attack: the model it fooled and its outcome (the original pair, the edits,
    the predictions before and after)."""

    model: str
    outcome: Outcome

    @property
    def variant_id(self) -> str:
        """The outcome's variant id with the model's name: each model's search makes its own
        adversarial pair of the same original."""
        return f"{self.outcome.variant_id}/{self.model}"

    def as_case(self) -> CaseRow:
        """As a failing case of this model alone (for export)."""
        outcome = self.outcome
        return CaseRow(
            example_id=outcome.example_id,
            variant_id=self.variant_id,
            premise=outcome.premise,
            hypothesis=outcome.hypothesis,
            variant_premise=outcome.variant_premise,
            variant_hypothesis=outcome.variant_hypothesis,
            gold=-1 if outcome.gold is None else int(outcome.gold),
            implied=-1 if outcome.implied is None else int(outcome.implied),
            note=outcome.note,
            outcomes={self.model: outcome},
        )


def adversarial_cases(row: ProbeRow, models: Sequence[str]) -> list[AdversarialCase]:
    """The successful attacks of `row`'s attack probe on `models`: pair by pair in run order,
    each pair's models in `models`' order."""
    by_example: dict[str, list[AdversarialCase]] = {}
    for model in models:
        run = row.runs.get(model)
        if run is None:
            continue
        for outcome in run.outcomes:
            if outcome.status == "failed":
                case = AdversarialCase(model=model, outcome=outcome)
                by_example.setdefault(outcome.example_id, []).append(case)
    return [case for cases in by_example.values() for case in cases]
