"""Running CheckList's own MFT/INV/DIR tests and test suites against nli-probe models (the
`checklist` extra).

    from checklist.test_types import MFT
    from nli_probe.probing.checklist.run import run_checklist

    test = MFT([("A dog runs.", "A dog runs.")], labels=Label.ENTAILMENT, name="identity",
               capability="logic")
    run = run_checklist(test, model)            # a SuiteRun, like a built-in suite's
    run.probe("identity").failure_rate

Examples are (premise, hypothesis) tuples, and labels use nli-probe's order (entailment 0,
neutral 1, contradiction 2; `Label` values work). Every test of a suite is predicted in one
pass through the engine (each distinct pair once, with the prediction cache when given), the
CheckList objects get their usual results (`test.summary()` works afterwards), and the return
value is a `SuiteRun` that reports, the TUI and gates read like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from nli_probe.core.labels import Label
from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Model, Pair
from nli_probe.core.suite_run import Outcome, ProbeRun, Status, SuiteRun
from nli_probe.errors import NLIProbeError
from nli_probe.models.cache import PredictionCache
from nli_probe.models.engine import ProgressCallback, predict
from nli_probe.probing.checklist.interop import load

PredictFn = Callable[[Sequence[Any]], tuple[np.ndarray, np.ndarray]]
"""CheckList's `predict_and_confidence_fn`: inputs -> (labels, probabilities)."""


def checklist_predictor(
    model: Model, *, batch_size: int | None = None, cache: PredictionCache | None = None
) -> PredictFn:
    """`model` as CheckList's prediction function: (premise, hypothesis) inputs in, (predicted
    labels, probabilities over entailment/neutral/contradiction) out."""

    def predict_and_confidence(inputs: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        pairs = [_pair(item) for item in inputs]
        predictions = predict(model, pairs, batch_size=batch_size, cache=cache)
        probs = np.array([p.probs for p in predictions], dtype=float).reshape(len(pairs), 3)
        return probs.argmax(axis=1), probs

    return predict_and_confidence


def run_checklist(
    tests: Any,
    model: Model,
    *,
    name: str = "checklist",
    batch_size: int | None = None,
    cache: PredictionCache | None = None,
    progress: ProgressCallback | None = None,
    n: int | None = None,
    seed: int | None = None,
) -> SuiteRun:
    """Run a CheckList `TestSuite`, or one MFT/INV/DIR test, against `model`.

    Args:
        tests: a `checklist.test_suite.TestSuite` or a single test.
        model: the classifier under test.
        name: the name of the returned `SuiteRun`.
        batch_size, cache, progress: as for `nli_probe.models.engine.predict`.
        n, seed: run `n` test cases per test, sampled with `seed` (CheckList's own options).

    Returns:
        One `ProbeRun` per CheckList test, with CheckList's own verdicts: a test case fails
        when its expectation fails, and is not applicable when CheckList filtered it out.
    """
    load()
    named = _named_tests(tests)
    inputs: list[list[Any]] = []
    for _, test, _ in named:
        examples, _ = test.example_list_and_indices(n, seed=seed)
        inputs.append(examples)
    pairs = [_pair(item) for examples in inputs for item in examples]
    distinct = list(dict.fromkeys(pairs))
    predictions = predict(model, distinct, batch_size=batch_size, progress=progress, cache=cache)
    found = dict(zip(distinct, predictions, strict=True))
    probes = []
    for (test_name, test, info), examples in zip(named, inputs, strict=True):
        probs = np.array([found[_pair(item)].probs for item in examples], dtype=float)
        probs = probs.reshape(len(examples), 3)
        test.run_from_preds_confs(probs.argmax(axis=1), probs, overwrite=True)
        probes.append(_probe_run(test_name, test, info))
    return SuiteRun(
        suite=name,
        description="CheckList tests",
        model=model.name,
        fingerprint=model.fingerprint,
        distinct_pairs=len(distinct),
        probes=tuple(probes),
    )


def _named_tests(tests: Any) -> list[tuple[str, Any, dict[str, str]]]:
    if hasattr(tests, "tests") and hasattr(tests, "info"):  # a TestSuite
        return [
            (name, test, {key: str(value) for key, value in tests.info[name].items()})
            for name, test in tests.tests.items()
        ]
    if hasattr(tests, "run_from_preds_confs"):
        info = {"capability": tests.capability or "", "description": tests.description or ""}
        return [(tests.name or "checklist-test", tests, info)]
    raise NLIProbeError(
        f"expected a CheckList TestSuite or MFT/INV/DIR test, got {type(tests).__name__}"
    )


def _pair(item: Any) -> Pair:
    if isinstance(item, tuple | list) and len(item) == 2 and all(isinstance(s, str) for s in item):
        return (item[0], item[1])
    raise NLIProbeError(
        f"CheckList examples for NLI must be (premise, hypothesis) tuples of strings, got {item!r}"
    )


def _probe_run(name: str, test: Any, info: dict[str, str]) -> ProbeRun:
    kind = type(test).__name__
    results = test.results
    indices = list(range(len(test.data))) if test.run_idxs is None else list(test.run_idxs)
    counts = dict.fromkeys(("passed", "failed", "not_applicable"), 0)
    outcomes = []
    for i in indices:
        passed = results.passed[i]
        status: Status = "not_applicable" if passed is None else "passed" if passed else "failed"
        counts[status] += 1
        outcomes.append(_outcome(name, test, i, status))
    safe = name.replace("/", "-")
    return ProbeRun(
        probe=safe,
        capability=info.get("capability") or "checklist",
        kind=kind if kind in ("MFT", "INV", "DIR") else "MFT",
        perturbation="checklist",
        expectation="checklist",
        description=info.get("description", ""),
        examples=len(indices),
        tested=counts["passed"] + counts["failed"],
        passed=counts["passed"],
        failed=counts["failed"],
        not_applicable=counts["not_applicable"],
        outcomes=tuple(outcomes),
    )


def _outcome(name: str, test: Any, i: int, status: Status) -> Outcome:
    """One test case as an outcome: its first example against the example that decided the
    verdict (the first failing one, else the last)."""
    case = test.data[i]
    examples = case if isinstance(case, list) else [case]
    confs = np.asarray(test.results.confs[i], dtype=float).reshape(len(examples), 3)
    verdicts = test.results.expect_results[i]
    verdicts = list(verdicts) if isinstance(verdicts, list | np.ndarray) else [verdicts]
    failing = [j for j, v in enumerate(verdicts) if v is not None and v <= 0]
    j = failing[0] if failing else len(examples) - 1
    gold = _label(test.labels, i)
    premise, hypothesis = _pair(examples[0])
    variant_premise, variant_hypothesis = _pair(examples[j])
    return Outcome(
        example_id=f"{name}/{i}",
        variant_id=f"{name}/{i}/{j}",
        premise=premise,
        hypothesis=hypothesis,
        gold=gold,
        variant_premise=variant_premise,
        variant_hypothesis=variant_hypothesis,
        implied=gold,
        before=_prediction(confs[0]),
        after=_prediction(confs[j]),
        status=status,
    )


def _label(labels: Any, i: int) -> Label | None:
    value = labels[i] if isinstance(labels, list | np.ndarray) else labels
    if isinstance(value, int | np.integer) and 0 <= int(value) <= 2:
        return Label(int(value))
    return None


def _prediction(probs: np.ndarray) -> Prediction:
    return Prediction(probs=(float(probs[0]), float(probs[1]), float(probs[2])))
