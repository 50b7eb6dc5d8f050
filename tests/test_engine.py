import pytest

from nli_probe import NLIProbeError, predict
from tests.fakes import FakeModel


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
