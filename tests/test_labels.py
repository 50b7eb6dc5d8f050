import pytest

from nli_probe import Label, NLIProbeError, parse_label


def test_study_order() -> None:
    assert [int(label) for label in Label] == [0, 1, 2]
    assert [str(label) for label in Label] == ["entailment", "neutral", "contradiction"]


@pytest.mark.parametrize(
    ("spelling", "label"),
    [
        ("entailment", Label.ENTAILMENT),
        ("E", Label.ENTAILMENT),
        (0, Label.ENTAILMENT),
        (" Neutral ", Label.NEUTRAL),
        ("1", Label.NEUTRAL),
        ("c", Label.CONTRADICTION),
        (2, Label.CONTRADICTION),
        (Label.NEUTRAL, Label.NEUTRAL),
    ],
)
def test_parse_known_spellings(spelling: object, label: Label) -> None:
    assert parse_label(spelling) is label


def test_custom_spellings() -> None:
    assert (
        parse_label("non-entailment", spellings={"Non-Entailment": Label.NEUTRAL}) is Label.NEUTRAL
    )


def test_unknown_label_names_value() -> None:
    with pytest.raises(NLIProbeError, match="unknown label 'maybe'"):
        parse_label("maybe")
