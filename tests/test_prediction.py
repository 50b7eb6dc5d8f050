import pytest

from nli_probe import Label, NLIProbeError, Prediction


def test_label_is_argmax_in_label_order() -> None:
    assert Prediction(probs=(0.1, 0.2, 0.7)).label is Label.CONTRADICTION
    assert Prediction(probs=(0.5, 0.3, 0.2)).confidence == 0.5


@pytest.mark.parametrize("probs", [(0.5, 0.5), (0.2, float("nan"), 0.8), (-0.1, 0.6, 0.5)])
def test_bad_probabilities_refused(probs: tuple[float, ...]) -> None:
    with pytest.raises(NLIProbeError):
        Prediction(probs=probs)  # type: ignore[arg-type]
