"""Benchmark scoring a report: SNLI dev (10,000 pairs) x 3 fake models, 1,000 bootstrap resamples.

Times, in one run and on the same report, taking turns so background load falls on all alike:

- `score_report`: everything (metrics with multinomial-bootstrap intervals, calibration,
  agreement breakdown, paired comparisons, low-agreement pairs) for the baseline and 3 models;
- `stored scores`: reading those scores back from the report's JSON (`stored_scores`), what the
  TUI does when a report carries them;
- `naive bootstrap`: the textbook alternative for the intervals alone, resampling example indices
  and calling scikit-learn's `accuracy_score` and `precision_recall_fscore_support` (weighted and
  macro) per resample, for one model; timed on --naive resamples and scaled to 1,000.

Prints each one's best time of --repeat runs and its ratio to `score_report`.

    .venv/bin/python benchmarks/bench_scores.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nli_probe import Label, ModelRun, Report
from nli_probe.data import load_examples
from nli_probe.scoring.scores import ReportScores, score_report, store_scores, stored_scores
from nli_probe.testing.fakes import FakeModel, constant_rule


def build_report(data_dir: Path) -> Report:
    examples = load_examples("snli:dev", data_dir=data_dir)
    pairs = [example.pair for example in examples]
    runs = []
    for model in (
        FakeModel(name="overlap"),
        FakeModel(name="neutral", rule=constant_rule(Label.NEUTRAL)),
        FakeModel(name="contradiction", rule=constant_rule(Label.CONTRADICTION)),
    ):
        predictions = model.predict(pairs)
        runs.append(
            ModelRun(
                name=model.name,
                fingerprint=model.fingerprint,
                predictions={e.id: p for e, p in zip(examples, predictions, strict=True)},
            )
        )
    return Report(dataset="snli:dev", examples=tuple(examples), models=tuple(runs))


def naive_bootstrap(report: Report, resamples: int) -> None:
    import numpy as np
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    run = report.models[0]
    kept = [e for e in report.examples if e.gold is not None]
    gold = np.array([int(e.gold) for e in kept if e.gold is not None])
    pred = np.array([int(run.predictions[e.id].label) for e in kept])
    rng = np.random.default_rng(0)
    for _ in range(resamples):
        index = rng.integers(0, len(gold), len(gold))
        accuracy_score(gold[index], pred[index])
        for average in ("weighted", "macro"):
            precision_recall_fscore_support(
                gold[index], pred[index], average=average, zero_division=0
            )


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).parents[2] / "shared/data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive", type=int, default=50, help="naive resamples timed (50)")
    args = parser.parse_args()
    from nli_probe.models.hardware import describe_machine

    print(describe_machine(), flush=True)  # first line: what the figures were measured on

    report = build_report(args.data_dir)
    scores = score_report(report, resamples=10)  # imports sklearn/scipy outside the timings
    saved = json.loads(json.dumps(store_scores(report, scores).extra))
    stored = Report(dataset=report.dataset, examples=report.examples, extra=saved)
    timings = {"score_report": [], "stored scores": [], "naive bootstrap": []}
    for _ in range(args.repeat):
        timings["score_report"].append(best_of(1, lambda: score_report(report, resamples=1000)))
        timings["stored scores"].append(best_of(1, lambda: stored_scores(stored)))
        naive = best_of(1, lambda: naive_bootstrap(report, args.naive))
        timings["naive bootstrap"].append(naive * 1000 / args.naive)
    assert isinstance(stored_scores(stored), ReportScores)
    base = min(timings["score_report"])
    print(f"SNLI dev, {len(report.examples)} pairs x {len(report.models)} models + baseline")
    for name, values in timings.items():
        note = " (1 model, intervals only, scaled to 1000 resamples)" if "naive" in name else ""
        print(f"  {name:16s} {min(values):8.3f} s   x{min(values) / base:7.2f}{note}")


if __name__ == "__main__":
    main()
