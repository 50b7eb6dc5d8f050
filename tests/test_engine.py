from pathlib import Path

import pytest

from nli_probe import NLIProbeError, PredictionCache, predict, run_predictions
from nli_probe.testing.fakes import FakeModel


def test_each_distinct_pair_predicted_once_in_order() -> None:
    model = FakeModel()
    pairs = [("a b", "a b"), ("a b", "c"), ("a b", "a b"), ("x", "not x")]
    progress: list[tuple[int, int]] = []
    predictions = predict(model, pairs, batch_size=2, progress=lambda d, t: progress.append((d, t)))
    assert len(predictions) == 4
    assert predictions[0] is predictions[2]
    assert sorted(model.pairs_seen) == sorted(set(pairs))
    assert progress == [(2, 3), (3, 3)]


def test_wrong_prediction_count_is_reported() -> None:
    class Broken(FakeModel):
        def predict(self, pairs):  # type: ignore[no-untyped-def]
            return super().predict(pairs)[:-1]

    with pytest.raises(NLIProbeError, match="returned 0 predictions for 1 pairs"):
        predict(Broken(name="broken"), [("a", "b")])


def test_a_second_run_reads_the_cache_and_calls_no_model(tmp_path: Path) -> None:
    pairs = [("a b", "a b"), ("a b", "c"), ("x", "not x"), ("a b", "c")]
    with PredictionCache(tmp_path / "c.sqlite3") as cache:
        first = FakeModel()
        one = run_predictions(first, pairs, batch_size=2, cache=cache)
        assert (one.distinct, one.cached, one.computed) == (3, 0, 3)
        second = FakeModel()
        progress: list[tuple[int, int]] = []
        two = run_predictions(
            second, pairs, batch_size=2, cache=cache, progress=lambda d, t: progress.append((d, t))
        )
    assert second.calls == 0
    assert (two.cached, two.computed) == (3, 0)
    assert two.predictions == one.predictions
    assert progress == [(3, 3)]


def test_cache_is_keyed_by_fingerprint(tmp_path: Path) -> None:
    with PredictionCache(tmp_path / "c.sqlite3") as cache:
        predict(FakeModel(name="one"), [("a", "b")], cache=cache)
        other = FakeModel(name="two")
        predict(other, [("a", "b")], cache=cache)
    assert other.calls == 1


def test_new_pairs_are_added_to_a_partial_cache(tmp_path: Path) -> None:
    with PredictionCache(tmp_path / "c.sqlite3") as cache:
        predict(FakeModel(), [("a", "b"), ("c", "d")], cache=cache)
        model = FakeModel()
        result = run_predictions(model, [("a", "b"), ("e", "f"), ("c", "d")], cache=cache)
    assert model.pairs_seen == [("e", "f")]
    assert (result.cached, result.computed) == (2, 1)


def test_an_interrupted_run_keeps_finished_batches(tmp_path: Path) -> None:
    class Interrupted(FakeModel):
        def predict(self, pairs):  # type: ignore[no-untyped-def]
            if self.calls == 3:
                raise KeyboardInterrupt
            return super().predict(pairs)

    pairs = [(f"p{i}", f"h{i}") for i in range(50)]
    with PredictionCache(tmp_path / "c.sqlite3") as cache:
        with pytest.raises(KeyboardInterrupt):
            predict(Interrupted(), pairs, batch_size=5, cache=cache)
        resumed = FakeModel()
        result = run_predictions(resumed, pairs, batch_size=5, cache=cache)
    assert result.cached == 15
    assert resumed.calls == 7
    assert len(set(resumed.pairs_seen)) == 35  # only what the interrupted run had not stored


def test_batches_hold_pairs_of_similar_length() -> None:
    model = FakeModel()
    pairs = [("a" * n, "b") for n in (50, 1, 40, 2, 30, 3)]
    predict(model, pairs, batch_size=2)
    lengths = [len(premise) for premise, _ in model.pairs_seen]
    assert lengths == [1, 2, 3, 30, 40, 50]


def test_batches_follow_the_models_own_lengths_when_it_gives_them() -> None:
    class Measured(FakeModel):
        def pair_lengths(self, pairs: list[tuple[str, str]]) -> list[int]:
            return [len(hypothesis) for _, hypothesis in pairs]  # ignore the premise

    model = Measured()
    pairs = [("a" * 50, "bbb"), ("a", "b"), ("a" * 9, "bb")]
    predict(model, pairs, batch_size=1)
    assert model.pairs_seen == [("a", "b"), ("a" * 9, "bb"), ("a" * 50, "bbb")]
