import pytest

from nli_probe import Example, Label, NLIProbeError

E, N, C = Label


def test_agreement_and_distribution() -> None:
    example = Example(id="1", premise="p", hypothesis="h", gold=E, annotator_labels=(E, E, N, E, C))
    assert example.agreement == (3, 5)
    assert example.human_distribution == (0.6, 0.2, 0.2)
    assert example.pair == ("p", "h")


def test_no_annotators() -> None:
    example = Example(id="1", premise="p", hypothesis="h")
    assert example.agreement is None
    assert example.human_distribution is None


def test_empty_id_refused() -> None:
    with pytest.raises(NLIProbeError):
        Example(id="", premise="p", hypothesis="h")
