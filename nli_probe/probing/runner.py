"""The probe runner: apply every probe of one or more suites, predict, judge, count.

It works in three passes so that the model sees each distinct pair once, however many probes
produce it: (1) perturb every example (seeded per example) and collect the pairs, (2) predict
the distinct pairs in one `nli_probe.models.engine.predict` call (batched, cached), (3) judge each
variant. A perturbation or expectation that raises is recorded as an errored outcome with its
example, and the run goes on.

Attack probes (`Probe(attack=...)`) then run together, every pair of every attack in step
(`nli_probe.probing.attacks.runner`), through the same engine and cache: the originals the
first passes predicted cost nothing again.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from nli_probe.core.example import Example
from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Model, Pair
from nli_probe.core.suite_run import Outcome, ProbeRun, Status, SuiteRun
from nli_probe.errors import NLIProbeError
from nli_probe.models.cache import PredictionCache
from nli_probe.models.engine import predict
from nli_probe.probing.attacks.attack import Attack
from nli_probe.probing.attacks.outcomes import attack_probe_run
from nli_probe.probing.attacks.runner import run_attacks
from nli_probe.probing.expectation import Check
from nli_probe.probing.perturbation import Variant
from nli_probe.probing.probe import Probe
from nli_probe.probing.suite import Suite

ProgressCallback = Callable[[int, int], None]
"""Called with (pairs predicted, pairs to predict) as prediction goes; for attack probes, then
with (pairs attacked, pairs to attack)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class _Applied:
    """One example after perturbation: its variants, or the error the perturbation raised."""

    example: Example
    variants: tuple[Variant, ...] = ()
    error: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class _Planned:
    probe: Probe
    applied: tuple[_Applied, ...]
    template_error: str = ""


def run_suite(
    model: Model,
    suite: Suite,
    examples: Sequence[Example],
    *,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    cache: PredictionCache | None = None,
    batch_size: int | None = None,
    dataset: str = "",
) -> SuiteRun:
    """Run every probe of `suite` against `model`.

    Args:
        model: the classifier under test.
        suite: the probes to run.
        examples: the data set the non-template probes perturb.
        seed: perturbations of example `x` use `random.Random(f"{seed}:{x.id}")`.
        progress: called with (pairs done, pairs total) while predicting.
        cache: passed on to `nli_probe.models.engine.predict` (its prediction cache) when given.
        batch_size: most pairs per model call (default: the model's own batch limits).
        dataset: the data set's name, recorded in the result.

    Returns:
        The outcomes and counts of every probe.
    """
    (run,) = run_suites(
        model,
        [suite],
        examples,
        seed=seed,
        progress=progress,
        cache=cache,
        batch_size=batch_size,
        dataset=dataset,
    )
    return run


def run_suites(
    model: Model,
    suites: Sequence[Suite],
    examples: Sequence[Example],
    *,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    cache: PredictionCache | None = None,
    batch_size: int | None = None,
    dataset: str = "",
) -> tuple[SuiteRun, ...]:
    """Run several suites with one prediction pass: a pair shared by two suites is predicted
    once. Arguments as for `run_suite`; one `SuiteRun` per suite, in order."""
    plans = [
        [_plan(probe, examples, seed) for probe in suite.probes if probe.attack is None]
        for suite in suites
    ]
    suite_pairs = [_pairs(suite_plan) for suite_plan in plans]
    distinct = list(dict.fromkeys(pair for pairs in suite_pairs for pair in pairs))
    predictions = predict(model, distinct, batch_size=batch_size, progress=progress, cache=cache)
    predicted = dict(zip(distinct, predictions, strict=True))
    attacked = _attack(
        model,
        suites,
        examples,
        seed=seed,
        cache=cache,
        batch_size=batch_size,
        progress=progress,
    )
    runs = []
    for suite, suite_plan, pairs in zip(suites, plans, suite_pairs, strict=True):
        judged = iter([_judge(planned, predicted) for planned in suite_plan])
        probes = []
        for probe in suite.probes:
            if probe.attack is None:
                probes.append(next(judged))
                continue
            run, attack_pairs = attacked[(suite.name, probe.name)]
            probes.append(run)
            pairs.update(dict.fromkeys(attack_pairs))
        runs.append(
            SuiteRun(
                suite=suite.name,
                description=suite.description,
                model=model.name,
                fingerprint=model.fingerprint,
                dataset=dataset,
                seed=seed,
                distinct_pairs=len(pairs),
                probes=tuple(probes),
            )
        )
    return tuple(runs)


def _attack(
    model: Model,
    suites: Sequence[Suite],
    examples: Sequence[Example],
    *,
    seed: int,
    cache: PredictionCache | None,
    batch_size: int | None,
    progress: ProgressCallback | None,
) -> dict[tuple[str, str], tuple[ProbeRun, set[Pair]]]:
    """Every attack probe of every suite, run in step; by (suite, probe): the probe's run and
    the distinct pairs it predicted."""
    found: dict[tuple[str, str], tuple[ProbeRun, set[Pair]]] = {}
    probes = []
    for suite in suites:
        for probe in suite.probes:
            if probe.attack is None:
                continue
            try:  # a transformation that cannot work with this model (no input embeddings)
                for transformation in probe.attack.transformations:
                    transformation.bind(model)
            except NLIProbeError as error:
                unusable = _unusable(probe, probe.attack, str(error), examples)
                found[(suite.name, probe.name)] = (unusable, set())
                continue
            probes.append((suite, probe, probe.attack))
    if not probes:
        return found
    results = run_attacks(
        model,
        [(attack, examples) for _, _, attack in probes],
        seed=seed,
        cache=cache,
        batch_size=batch_size,
        progress=progress,
    )
    for (suite, probe, attack), attack_results in zip(probes, results, strict=True):
        run = attack_probe_run(
            probe=probe.name,
            capability=probe.capability,
            description=probe.description,
            attack=attack,
            results=attack_results,
        )
        pairs = {pair for result in attack_results for pair in result.pairs}
        found[(suite.name, probe.name)] = (run, pairs)
    return found


def variants_of(
    suite: Suite, example: Example, *, seed: int = 0
) -> list[tuple[Probe, Variant | str]]:
    """Every data probe's variants of one example, without a model (for a playground).

    Template probes are left out (they ignore the example), and so are attack probes (they
    need a model). A perturbation that raises gives its error message in place of a variant.
    """
    found: list[tuple[Probe, Variant | str]] = []
    for probe in suite.probes:
        if probe.template is not None or probe.attack is not None:
            continue
        try:
            variants = list(
                probe.perturbation.apply(example, random.Random(f"{seed}:{example.id}"))
            )
        except Exception as error:  # user code, as in a run
            found.append((probe, _describe(error)))
            continue
        found.extend((probe, variant) for variant in variants)
    return found


def _plan(probe: Probe, examples: Sequence[Example], seed: int) -> _Planned:
    source: Iterable[Example] = examples
    if probe.template is not None:
        try:
            source = probe.template.examples(random.Random(f"{seed}:{probe.name}"))
        except Exception as error:  # a broken template is reported, not fatal
            return _Planned(probe=probe, applied=(), template_error=_describe(error))
    applied = []
    perturbation = probe.perturbation
    for example in source:
        if not isinstance(example, Example):
            error = f"template yielded a {type(example).__name__}, not an Example"
            return _Planned(probe=probe, applied=(), template_error=error)
        rng = random.Random(f"{seed}:{example.id}")
        try:
            variants = tuple(perturbation.apply(example, rng))
            for variant in variants:
                if not isinstance(variant, Variant):
                    raise TypeError(
                        f"perturbation yielded a {type(variant).__name__}, not a Variant"
                    )
        except Exception as error:  # user code: record it with the example and go on
            applied.append(_Applied(example=example, error=_describe(error)))
            continue
        applied.append(_Applied(example=example, variants=variants))
    return _Planned(probe=probe, applied=tuple(applied))


def _pairs(suite_plan: Sequence[_Planned]) -> dict[Pair, None]:
    pairs: dict[Pair, None] = {}
    for planned in suite_plan:
        for item in planned.applied:
            if item.variants:
                pairs[item.example.pair] = None
                for variant in item.variants:
                    pairs[variant.pair] = None
    return pairs


def _judge(planned: _Planned, predicted: dict[Pair, Prediction]) -> ProbeRun:
    probe = planned.probe
    counts = dict.fromkeys(("skipped", "passed", "failed", "not_applicable", "errored"), 0)
    outcomes: list[Outcome] = []
    if planned.template_error:
        counts["errored"] += 1
        template = probe.template.name if probe.template is not None else probe.name
        outcomes.append(_error_outcome(probe, template, planned.template_error))
    judge = probe.expectation.judge
    for item in planned.applied:
        example = item.example
        if item.error:
            counts["errored"] += 1
            outcomes.append(_error_outcome(probe, example.id, item.error, example))
            continue
        if not item.variants:
            counts["skipped"] += 1
            continue
        before = predicted[example.pair]
        for index, variant in enumerate(item.variants):
            after = predicted[variant.pair]
            error = ""
            try:
                verdict = judge(Check(example=example, variant=variant, before=before, after=after))
            except Exception as raised:  # user code, as above
                verdict, error = None, _describe(raised)
            status: Status = (
                "errored"
                if error
                else "not_applicable"
                if verdict is None
                else "passed"
                if verdict
                else "failed"
            )
            counts[status] += 1
            outcomes.append(
                Outcome(
                    example_id=example.id,
                    variant_id=f"{example.id}/{probe.name}/{index}",
                    premise=example.premise,
                    hypothesis=example.hypothesis,
                    gold=example.gold,
                    variant_premise=variant.premise,
                    variant_hypothesis=variant.hypothesis,
                    implied=variant.label,
                    before=before,
                    after=after,
                    status=status,
                    note=variant.note,
                    error=error,
                )
            )
    return ProbeRun(
        probe=probe.name,
        capability=probe.capability,
        kind=probe.kind,
        perturbation=probe.perturbation.name,
        expectation=probe.expectation.name,
        description=probe.description,
        template=probe.template.name if probe.template is not None else "",
        examples=len(planned.applied),
        tested=counts["passed"] + counts["failed"],
        skipped=counts["skipped"],
        passed=counts["passed"],
        failed=counts["failed"],
        not_applicable=counts["not_applicable"],
        errored=counts["errored"],
        outcomes=tuple(outcomes),
    )


def _unusable(probe: Probe, attack: Attack, error: str, examples: Sequence[Example]) -> ProbeRun:
    """An attack probe that cannot run on this model: one errored outcome says why."""
    return dataclasses.replace(
        attack_probe_run(
            probe=probe.name,
            capability=probe.capability,
            description=probe.description,
            attack=attack,
            results=(),
        ),
        examples=len(examples),
        errored=1,
        outcomes=(_error_outcome(probe, probe.name, error),),
    )


def _error_outcome(
    probe: Probe, example_id: str, error: str, example: Example | None = None
) -> Outcome:
    return Outcome(
        example_id=example_id,
        variant_id=f"{example_id}/{probe.name}/error",
        premise=example.premise if example else "",
        hypothesis=example.hypothesis if example else "",
        gold=example.gold if example else None,
        status="errored",
        error=error,
    )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
