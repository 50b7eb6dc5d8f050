"""The engine sharded over ranks (run as threads here; `test_distributed.py` runs torchrun):
the same predictions as one process, each distinct pair predicted once, equal work per rank,
the cache written by rank 0 only, journals for the others, and a rerun after a failed rank."""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from nli_probe import NLIProbeError, Pair, Prediction, PredictionCache, run_predictions
from nli_probe.models import sharding
from nli_probe.models.engine import PredictionRun
from nli_probe.models.journal import journal_folder
from nli_probe.testing.fakes import FakeModel, overlap_rule
from nli_probe.testing.ranks import run_ranks

WORDS = ("a", "man", "woman", "dog", "runs", "sleeps", "in", "the", "park", "not", "never", "red")


def some_pairs(count: int, seed: int = 0) -> list[Pair]:
    rng = random.Random(seed)
    pairs = [
        (
            " ".join(rng.choices(WORDS, k=rng.randint(1, 12))),
            " ".join(rng.choices(WORDS, k=rng.randint(1, 6))),
        )
        for _ in range(count)
    ]
    return pairs + pairs[: count // 5]  # some pairs twice


@dataclass
class CountingModel:
    """A fake with token counts and a token budget (as `TransformersModel` has), which records
    every batch it runs and can fail at its n-th batch."""

    name: str = "counting"
    batch_tokens: int = 40
    fail_at: int | None = None
    batches: list[list[Pair]] = field(default_factory=list)
    measured: list[Pair] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return "counting-fingerprint"

    def pair_lengths(self, pairs: Sequence[Pair]) -> list[int]:
        self.measured.extend(pairs)
        return [len(p.split()) + len(h.split()) + 3 for p, h in pairs]

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        if self.fail_at is not None and len(self.batches) == self.fail_at:
            raise RuntimeError("this rank died")
        self.batches.append(list(pairs))
        return [overlap_rule(p, h) for p, h in pairs]


def sharded(
    size: int, pairs: list[Pair], models: list[CountingModel], **options: object
) -> list[PredictionRun]:
    results = run_ranks(size, lambda rank: run_predictions(models[rank], pairs, **options))  # type: ignore[arg-type]
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


@pytest.mark.parametrize("size", [2, 3, 5])
def test_ranks_predict_exactly_what_one_process_predicts(size: int) -> None:
    pairs = some_pairs(200)
    single_model = CountingModel()
    single = run_predictions(single_model, pairs)
    models = [CountingModel() for _ in range(size)]
    runs = sharded(size, pairs, models)
    for run in runs:  # every rank returns the whole result
        assert run.predictions == single.predictions
        assert (run.distinct, run.cached, run.computed) == (200, 0, 200)
    # The same batches as one process, each run once, by one rank.
    ran = [tuple(batch) for model in models for batch in model.batches]
    assert sorted(ran) == sorted(tuple(batch) for batch in single_model.batches)
    assert all(model.batches for model in models)
    # Each rank measured only its slice of the pairs.
    assert sum(len(model.measured) for model in models) == 200


def test_the_work_is_shared_equally_by_padded_tokens() -> None:
    pairs = some_pairs(2000, seed=3)
    models = [CountingModel(batch_tokens=64) for _ in range(4)]
    sharded(4, pairs, models)
    loads = [
        sum(len(b) * max(models[0].pair_lengths(b)) for b in model.batches) for model in models
    ]
    largest_batch = 64
    assert max(loads) - min(loads) <= largest_batch


def test_assign_gives_the_costliest_batches_first_to_the_least_loaded_rank() -> None:
    assert sharding.assign([5, 5, 5, 5], 2) == [0, 1, 0, 1]
    assert sharding.assign([9, 1, 1, 1, 1, 1], 2) == [0, 1, 1, 1, 1, 1]
    assert sharding.assign([], 3) == []
    assert sharding.assign([4, 2], 4) == [0, 1]


def test_interleave_undoes_a_strided_split() -> None:
    items = list(range(11))
    for size in (1, 2, 3, 11, 12):
        assert sharding.interleave([items[r::size] for r in range(size)]) == items


def test_packing_is_exact() -> None:
    predictions = [Prediction(probs=(0.1, 0.2, 0.7)), Prediction(probs=(1 / 3, 1 / 3, 1 / 3))]
    packed = sharding.pack_predictions(predictions)
    assert sharding.unpack_predictions(packed) == predictions
    assert sharding.unpack_positions(sharding.pack_positions([0, 7, 2**40])) == [0, 7, 2**40]


def test_models_without_token_counts_are_sharded_by_characters() -> None:
    pairs = some_pairs(150)
    single = run_predictions(FakeModel(), pairs, batch_size=8)
    models = [FakeModel() for _ in range(2)]
    results = run_ranks(2, lambda rank: run_predictions(models[rank], pairs, batch_size=8))
    for result in results:
        assert isinstance(result, PredictionRun)
        assert result.predictions == single.predictions
    seen = models[0].pairs_seen + models[1].pairs_seen
    assert sorted(seen) == sorted(set(pairs))
    assert models[0].calls and models[1].calls


def test_fewer_pairs_than_ranks() -> None:
    pairs = [("a dog", "a dog")]
    models = [CountingModel() for _ in range(3)]
    runs = sharded(3, pairs, models)
    assert [len(model.batches) for model in models] == [1, 0, 0]
    assert all(run.predictions == [overlap_rule(*pairs[0])] for run in runs)


def test_only_rank_0_uses_the_cache_and_a_rerun_predicts_nothing(tmp_path: Path) -> None:
    pairs = some_pairs(120)
    path = tmp_path / "cache.sqlite3"
    with PredictionCache(path) as cache:
        models = [CountingModel() for _ in range(2)]
        runs = run_ranks(
            2,
            lambda rank: run_predictions(models[rank], pairs, cache=cache if rank == 0 else None),
        )
        assert all(isinstance(run, PredictionRun) for run in runs)
        assert cache.count() == 120
        again = [CountingModel() for _ in range(2)]
        reruns = run_ranks(
            2,
            lambda rank: run_predictions(again[rank], pairs, cache=cache if rank == 0 else None),
        )
    assert not again[0].batches and not again[1].batches
    for rerun, run in zip(reruns, runs, strict=True):
        assert isinstance(rerun, PredictionRun) and isinstance(run, PredictionRun)
        assert (rerun.cached, rerun.computed) == (120, 0)
        assert rerun.predictions == run.predictions
    assert not journal_folder(path).exists()  # the journals went once rank 0 stored them


def test_a_failed_rank_loses_only_its_batch_in_flight(tmp_path: Path) -> None:
    pairs = some_pairs(300, seed=5)
    path = tmp_path / "cache.sqlite3"
    single = run_predictions(CountingModel(), pairs)
    with PredictionCache(path) as cache:
        models = [CountingModel(), CountingModel(fail_at=3)]
        results = run_ranks(
            2,
            lambda rank: run_predictions(models[rank], pairs, cache=cache if rank == 0 else None),
        )
        assert isinstance(results[1], RuntimeError)
        assert isinstance(results[0], NLIProbeError)  # rank 0 lost rank 1 at the gather
        assert "lost the other ranks" in str(results[0])
        stored_by_rank_0 = cache.count()
    finished = {pair for model in models for batch in model.batches for pair in batch}
    assert stored_by_rank_0 == sum(len(batch) for batch in models[0].batches)
    journals = list(journal_folder(path).glob("*.jsonl"))
    assert [j.name for j in journals] == ["threads-rank1.jsonl"]
    assert len(journals[0].read_text().splitlines()) == 3  # rank 1's three finished batches
    # The rerun: opening the cache stores the journal; only the unfinished pairs are predicted.
    with PredictionCache(path) as cache:
        assert cache.count() == len(finished)
        assert not journal_folder(path).exists()
        again = [CountingModel() for _ in range(2)]
        reruns = run_ranks(
            2,
            lambda rank: run_predictions(again[rank], pairs, cache=cache if rank == 0 else None),
        )
    predicted = [pair for model in again for batch in model.batches for pair in batch]
    assert sorted(predicted) == sorted(set(pairs) - finished)
    for rerun in reruns:
        assert isinstance(rerun, PredictionRun)
        assert rerun.predictions == single.predictions
        assert rerun.cached == len(finished)


def test_ranks_given_other_pairs_or_models_are_refused() -> None:
    pairs = some_pairs(20)
    other = [*pairs[:-1], ("a", "b")]
    results = run_ranks(2, lambda rank: run_predictions(CountingModel(), [pairs, other][rank]))
    for result in results:
        assert isinstance(result, NLIProbeError)
        assert "rank 1 was given other pairs than rank 0" in str(result)

    class Other(CountingModel):
        @property
        def fingerprint(self) -> str:
            return "another-fingerprint"

    results = run_ranks(2, lambda rank: run_predictions([CountingModel(), Other()][rank], pairs))
    for result in results:
        assert isinstance(result, NLIProbeError)
        assert "rank 1 loaded other weights or settings than rank 0" in str(result)


def test_progress_on_rank_0_reaches_the_whole_count() -> None:
    pairs = some_pairs(100)
    seen: list[tuple[int, int]] = []
    models = [CountingModel() for _ in range(2)]
    run_ranks(
        2,
        lambda rank: run_predictions(
            models[rank], pairs, progress=(lambda d, t: seen.append((d, t))) if rank == 0 else None
        ),
    )
    assert seen[-1] == (100, 100)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_single_process_imports_no_torch() -> None:
    import subprocess

    code = (
        "import sys\n"
        "from nli_probe import run_predictions\n"
        "from nli_probe.testing.fakes import FakeModel\n"
        "run_predictions(FakeModel(), [('a', 'b')])\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_transformers_model_on_ranks_gives_bit_identical_predictions(tiny_roberta: Path) -> None:
    from nli_probe import load_model

    pairs = some_pairs(120, seed=7)
    options = {"device": "cpu", "precision": "fp32", "batch_tokens": 96, "progress": False}
    single = run_predictions(load_model(tiny_roberta, **options), pairs)
    models = [load_model(tiny_roberta, **options) for _ in range(2)]
    results = run_ranks(2, lambda rank: run_predictions(models[rank], pairs))
    for result in results:
        assert isinstance(result, PredictionRun)
        assert result.predictions == single.predictions  # exactly, not approximately
