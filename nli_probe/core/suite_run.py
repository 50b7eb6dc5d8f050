"""What running a suite measured: every outcome, counts and failure rates per probe.

Values only (no running here, see `nli_probe.probing.runner`), with their JSON form, so that
reports, renderers and the TUI read them without importing the runner.

Counting, per probe: each example the probe sees is either *skipped* (the perturbation made no
variant), *errored* (the perturbation raised) or yields variants; each variant is one test whose
expectation says passed, failed or not applicable (not counted as tested), or raised (errored).
The failure rate is failed / tested, with a Wilson score interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from nli_probe.core.labels import Label
from nli_probe.core.prediction import Prediction

if TYPE_CHECKING:
    import pandas as pd

Status = Literal["passed", "failed", "not_applicable", "errored"]
STATUSES: tuple[str, ...] = get_args(Status)

Z_95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """One test: an original pair, its variant, both predictions and the verdict.

    An errored perturbation leaves the variant fields empty and the predictions None.
    """

    example_id: str
    variant_id: str
    premise: str
    hypothesis: str
    gold: Label | None
    variant_premise: str = ""
    variant_hypothesis: str = ""
    implied: Label | None = None
    """The gold label the variant implies."""
    before: Prediction | None = None
    after: Prediction | None = None
    status: Status = "passed"
    note: str = ""
    error: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ProbeRun:
    """One probe's results."""

    probe: str
    capability: str
    kind: str
    """MFT, INV or DIR."""
    perturbation: str
    expectation: str
    description: str = ""
    template: str = ""
    """The template's name for probes on generated examples; empty for data probes."""
    examples: int = 0
    """Examples the probe was applied to."""
    skipped: int = 0
    """Examples the perturbation made no variant of."""
    tested: int = 0
    passed: int = 0
    failed: int = 0
    not_applicable: int = 0
    errored: int = 0
    outcomes: tuple[Outcome, ...] = ()

    @property
    def failure_rate(self) -> float | None:
        """failed / tested; None when nothing was tested."""
        return self.failed / self.tested if self.tested else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """95% Wilson score interval of the failure rate; None when nothing was tested."""
        return wilson_interval(self.failed, self.tested)

    def failures(self) -> tuple[Outcome, ...]:
        """The failed outcomes."""
        return tuple(outcome for outcome in self.outcomes if outcome.status == "failed")

    def errors(self) -> tuple[Outcome, ...]:
        """The outcomes of perturbations or expectations that raised."""
        return tuple(outcome for outcome in self.outcomes if outcome.status == "errored")


@dataclass(frozen=True, kw_only=True, slots=True)
class SuiteRun:
    """One suite run against one model on one data set."""

    suite: str
    model: str
    fingerprint: str
    probes: tuple[ProbeRun, ...]
    description: str = ""
    dataset: str = ""
    seed: int = 0
    distinct_pairs: int = 0
    """Distinct (premise, hypothesis) pairs predicted for this run (originals and variants)."""

    def probe(self, name: str) -> ProbeRun:
        """The run of probe `name`; KeyError if absent."""
        for run in self.probes:
            if run.probe == name:
                return run
        raise KeyError(name)

    @property
    def tested(self) -> int:
        return sum(run.tested for run in self.probes)

    @property
    def failed(self) -> int:
        return sum(run.failed for run in self.probes)

    @property
    def errored(self) -> int:
        return sum(run.errored for run in self.probes)

    def to_pandas(self) -> pd.DataFrame:
        """One row per outcome of every probe (see `nli_probe.core.frames.outcomes_frame`; pass it
        `report.suites` for every suite run of a report at once). Needs pandas."""
        from nli_probe.core.frames import outcomes_frame

        return outcomes_frame([self])


def wilson_interval(successes: int, trials: int, *, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a binomial proportion; None for zero trials.

    Unlike the normal approximation it stays inside [0, 1] and behaves at 0 and `trials`
    successes, which is where failure rates of good models live.
    """
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


# JSON. Outcomes are the bulk of a report (one per variant), so their keys are short and empty
# fields are left out.


def _label_json(label: Label | None) -> str | None:
    return None if label is None else str(label)


def _label_from(value: Any) -> Label | None:
    return None if value is None else Label[str(value).upper()]


def _probs_json(prediction: Prediction | None) -> list[float] | None:
    return None if prediction is None else [round(p, 6) for p in prediction.probs]


def _probs_from(value: Any) -> Prediction | None:
    if value is None:
        return None
    e, n, c = (float(p) for p in value)
    return Prediction(probs=(e, n, c))


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": outcome.example_id,
        "vid": outcome.variant_id,
        "p": outcome.premise,
        "h": outcome.hypothesis,
        "gold": _label_json(outcome.gold),
        "implied": _label_json(outcome.implied),
        "before": _probs_json(outcome.before),
        "after": _probs_json(outcome.after),
        "status": outcome.status,
        "note": outcome.note,
        "error": outcome.error,
    }
    data = {key: value for key, value in data.items() if value not in ("", None)}
    # A side the perturbation left alone is not written twice (most edits touch one side); a
    # side it emptied is written as "" (so absent means "unchanged", never "empty").
    if outcome.status != "errored":
        if outcome.variant_premise != outcome.premise:
            data["vp"] = outcome.variant_premise
        if outcome.variant_hypothesis != outcome.hypothesis:
            data["vh"] = outcome.variant_hypothesis
    return data


def outcome_from_json(data: Mapping[str, Any]) -> Outcome:
    status = str(data.get("status", "passed"))
    if status not in STATUSES:
        raise ValueError(f"unknown outcome status {status!r}")
    premise, hypothesis = str(data.get("p", "")), str(data.get("h", ""))
    errored = status == "errored"  # an errored outcome has no variant
    return Outcome(
        example_id=str(data["id"]),
        variant_id=str(data.get("vid", "")),
        premise=premise,
        hypothesis=hypothesis,
        gold=_label_from(data.get("gold")),
        variant_premise=str(data.get("vp", "" if errored else premise)),
        variant_hypothesis=str(data.get("vh", "" if errored else hypothesis)),
        implied=_label_from(data.get("implied")),
        before=_probs_from(data.get("before")),
        after=_probs_from(data.get("after")),
        status=status,  # type: ignore[arg-type]
        note=str(data.get("note", "")),
        error=str(data.get("error", "")),
    )


_COUNTS = ("examples", "skipped", "tested", "passed", "failed", "not_applicable", "errored")


def probe_run_to_json(run: ProbeRun) -> dict[str, Any]:
    interval = run.interval
    return {
        "probe": run.probe,
        "capability": run.capability,
        "kind": run.kind,
        "perturbation": run.perturbation,
        "expectation": run.expectation,
        "description": run.description,
        "template": run.template,
        **{name: getattr(run, name) for name in _COUNTS},
        # Derived, stored for machines (CI gates, jq); recomputed on load.
        "failure_rate": run.failure_rate,
        "interval": None if interval is None else list(interval),
        "outcomes": [outcome_to_json(outcome) for outcome in run.outcomes],
    }


def probe_run_from_json(data: Mapping[str, Any]) -> ProbeRun:
    return ProbeRun(
        probe=str(data["probe"]),
        capability=str(data.get("capability", "")),
        kind=str(data.get("kind", "")),
        perturbation=str(data.get("perturbation", "")),
        expectation=str(data.get("expectation", "")),
        description=str(data.get("description", "")),
        template=str(data.get("template", "")),
        **{name: int(data.get(name, 0)) for name in _COUNTS},
        outcomes=tuple(outcome_from_json(item) for item in data.get("outcomes", [])),
    )


def suite_run_to_json(run: SuiteRun) -> dict[str, Any]:
    return {
        "suite": run.suite,
        "description": run.description,
        "model": run.model,
        "fingerprint": run.fingerprint,
        "dataset": run.dataset,
        "seed": run.seed,
        "distinct_pairs": run.distinct_pairs,
        "probes": [probe_run_to_json(probe) for probe in run.probes],
    }


def suite_run_from_json(data: Mapping[str, Any]) -> SuiteRun:
    return SuiteRun(
        suite=str(data["suite"]),
        description=str(data.get("description", "")),
        model=str(data["model"]),
        fingerprint=str(data.get("fingerprint", "")),
        dataset=str(data.get("dataset", "")),
        seed=int(data.get("seed", 0)),
        distinct_pairs=int(data.get("distinct_pairs", 0)),
        probes=tuple(probe_run_from_json(item) for item in data.get("probes", [])),
    )
