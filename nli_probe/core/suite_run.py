"""What running a suite measured: every outcome, counts and failure rates per probe.

Values only (no running here, see `nli_probe.probing.runner`), with their JSON form, so that
reports, renderers and the TUI read them without importing the runner.

Counting, per probe: each example the probe sees is either *skipped* (the perturbation made no
variant), *errored* (the perturbation raised) or yields variants; each variant is one test whose
expectation says passed, failed or not applicable (not counted as tested), or raised (errored).
The failure rate is failed / tested, with a Wilson score interval.

An attack probe (`nli_probe.probing.attacks`) counts the same way, in TextAttack's words: a pair
the model already gets wrong (or one without a gold label) is *skipped*; every other pair is one
test (an *attempted* attack) that *failed* when the attack changed the model's prediction (the
model failed the test: a successful attack) and *passed* when it found no such edit. So an
attack's failure rate is its success rate, and the gate and every report read it as they read any
probe's. Its outcomes also carry the word edits and the model queries spent (`Outcome.edits`,
`Outcome.queries`), and the run carries what the attack was (`ProbeRun.attack`).
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

Side = Literal["premise", "hypothesis"]
"""The side of a pair a word belongs to."""
SIDES: tuple[str, ...] = get_args(Side)

ATTACK_KIND = "ATTACK"
"""`ProbeRun.kind` of an attack probe (the others are CheckList's MFT, INV and DIR)."""

Z_95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Edit:
    """One word an attack replaced: its side, its position among that side's words (counted from
    0, as `nli_probe.core.words` splits them), the word before and after."""

    side: Side
    index: int
    before: str
    after: str


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
    edits: tuple[Edit, ...] = ()
    """The words an attack replaced to make the variant (empty for other probes)."""
    queries: int = 0
    """Model queries an attack spent on this pair, the first prediction included (0 for other
    probes)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class AttackInfo:
    """What an attack probe was and what it left out (stored with its `ProbeRun`)."""

    recipe: str
    """The attack's name (`deepwordbug`, or a user's own)."""
    description: str = ""
    """Its parts in one line: transformations, constraints, search, target, budget."""
    target: str = "hypothesis"
    query_budget: int | None = None
    """Most model queries per pair (None: no limit)."""
    already_wrong: int = 0
    """Pairs skipped because the model's prediction was already wrong."""
    no_gold: int = 0
    """Pairs skipped because they have no gold label."""
    out_of_budget: int = 0
    """Attacks that stopped because the query budget ran out (counted as failed attacks)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class AttackStats:
    """An attack probe's summary, as TextAttack prints it and more (`ProbeRun.attack_stats`)."""

    attempted: int
    succeeded: int
    """Attacks that changed the prediction (the probe's failed tests)."""
    failed: int
    """Attacks that found no edit that changes the prediction (the probe's passed tests)."""
    skipped: int
    """Pairs not attacked: the model was already wrong, or there was no gold label."""
    success_rate: float | None
    interval: tuple[float, float] | None
    """95% Wilson interval of the success rate."""
    original_accuracy: float | None
    """Share of the pairs with a gold label that the model got right before the attack."""
    accuracy_under_attack: float | None
    """Share of the pairs with a gold label that the model still gets right after it."""
    mean_words_changed: float | None
    """Over the successful attacks."""
    mean_queries: float | None
    """Over the attempted attacks (the first prediction counts as one query)."""
    mean_queries_successful: float | None


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
    attack: AttackInfo | None = None
    """Set for an attack probe: what the attack was (see `attack_stats`)."""

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

    def attack_stats(self) -> AttackStats | None:
        """The attack summary of an attack probe; None for other probes."""
        if self.attack is None:
            return None
        attempted = [o for o in self.outcomes if o.status in ("passed", "failed")]
        succeeded = [o for o in attempted if o.status == "failed"]
        with_gold = self.tested + self.attack.already_wrong
        return AttackStats(
            attempted=self.tested,
            succeeded=self.failed,
            failed=self.passed,
            skipped=self.skipped,
            success_rate=self.failure_rate,
            interval=self.interval,
            original_accuracy=self.tested / with_gold if with_gold else None,
            accuracy_under_attack=self.passed / with_gold if with_gold else None,
            mean_words_changed=_mean([len(o.edits) for o in succeeded]),
            mean_queries=_mean([o.queries for o in attempted]),
            mean_queries_successful=_mean([o.queries for o in succeeded]),
        )


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


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


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
    if outcome.edits:
        data["edits"] = [[e.side[0], e.index, e.before, e.after] for e in outcome.edits]
    if outcome.queries:
        data["q"] = outcome.queries
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
        edits=tuple(_edit_from(item) for item in data.get("edits", [])),
        queries=int(data.get("q", 0)),
    )


_SIDE_LETTERS: dict[str, Side] = {"p": "premise", "h": "hypothesis"}


def _edit_from(item: Any) -> Edit:
    side, index, before, after = item
    if side not in _SIDE_LETTERS:
        raise ValueError(f"unknown edit side {side!r}")
    return Edit(side=_SIDE_LETTERS[side], index=int(index), before=str(before), after=str(after))


def attack_info_to_json(info: AttackInfo) -> dict[str, Any]:
    return {
        "recipe": info.recipe,
        "description": info.description,
        "target": info.target,
        "query_budget": info.query_budget,
        "already_wrong": info.already_wrong,
        "no_gold": info.no_gold,
        "out_of_budget": info.out_of_budget,
    }


def attack_info_from_json(data: Mapping[str, Any]) -> AttackInfo:
    budget = data.get("query_budget")
    return AttackInfo(
        recipe=str(data["recipe"]),
        description=str(data.get("description", "")),
        target=str(data.get("target", "hypothesis")),
        query_budget=None if budget is None else int(budget),
        already_wrong=int(data.get("already_wrong", 0)),
        no_gold=int(data.get("no_gold", 0)),
        out_of_budget=int(data.get("out_of_budget", 0)),
    )


def attack_stats_to_json(stats: AttackStats) -> dict[str, Any]:
    """The summary, for machines (jq, CI); derived, so it is recomputed on load."""
    return {
        "attempted": stats.attempted,
        "succeeded": stats.succeeded,
        "failed": stats.failed,
        "skipped": stats.skipped,
        "success_rate": stats.success_rate,
        "interval": None if stats.interval is None else list(stats.interval),
        "original_accuracy": stats.original_accuracy,
        "accuracy_under_attack": stats.accuracy_under_attack,
        "mean_words_changed": stats.mean_words_changed,
        "mean_queries": stats.mean_queries,
        "mean_queries_successful": stats.mean_queries_successful,
    }


_COUNTS = ("examples", "skipped", "tested", "passed", "failed", "not_applicable", "errored")


def probe_run_to_json(run: ProbeRun) -> dict[str, Any]:
    interval = run.interval
    attack: dict[str, Any] = {}
    stats = run.attack_stats()
    if run.attack is not None and stats is not None:
        attack["attack"] = {**attack_info_to_json(run.attack), **attack_stats_to_json(stats)}
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
        **attack,
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
        # Absent in reports written before attacks existed, and for every other probe.
        attack=attack_info_from_json(data["attack"]) if data.get("attack") else None,
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
