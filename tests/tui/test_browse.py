"""The examples browser's filtering model: columns, filters and sort orders."""

from __future__ import annotations

import pytest

from nli_probe import Label, NLIProbeError
from nli_probe.tui.browse import ExampleQuery, filter_rows, select_rows
from nli_probe.tui.table import NO_CONSENSUS, NO_LABEL, build_table
from tests.tui.fixtures import fixed_report

TABLE = build_table(fixed_report())
E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION


def test_table_columns_follow_the_report() -> None:
    report = fixed_report()
    assert len(TABLE) == len(report.examples)
    assert TABLE.model_names == ("overlap", "neutral")
    for column, run in zip(TABLE.models, report.models, strict=True):
        for i, example in enumerate(report.examples):
            prediction = run.predictions[example.id]
            assert column.label[i] == prediction.label
            assert column.confidence[i] == prediction.confidence
    assert TABLE.level[0] == "5/5" and TABLE.level[3] == "4/5" and TABLE.level[9] == "3/5"
    assert TABLE.level[19] == NO_CONSENSUS and TABLE.gold[19] == NO_LABEL
    assert TABLE.levels == ("5/5", "4/5", "3/5", NO_CONSENSUS)
    assert TABLE.annotators[2] == "nnnne"


def test_no_filter_keeps_every_row_in_order() -> None:
    assert select_rows(TABLE, ExampleQuery()) == list(range(len(TABLE)))


@pytest.mark.parametrize(
    ("query", "check"),
    [
        (ExampleQuery(gold=E), lambda i: TABLE.gold[i] == E),
        (ExampleQuery(gold=NO_LABEL), lambda i: TABLE.gold[i] == NO_LABEL),
        (ExampleQuery(level="3/5"), lambda i: TABLE.level[i] == "3/5"),
        (ExampleQuery(predicted=C, model="overlap"), lambda i: TABLE.models[0].label[i] == C),
        (
            ExampleQuery(predicted=E),
            lambda i: any(m.label[i] == E for m in TABLE.models),
        ),
        (
            ExampleQuery(correct=True, model="overlap"),
            lambda i: TABLE.models[0].label[i] == TABLE.gold[i],
        ),
        (
            ExampleQuery(correct=False, model="neutral"),
            lambda i: TABLE.gold[i] != NO_LABEL and TABLE.gold[i] != N,
        ),
        (
            ExampleQuery(correct=True),
            lambda i: all(m.label[i] == TABLE.gold[i] for m in TABLE.models),
        ),
        (
            ExampleQuery(disagree=True),
            lambda i: TABLE.models[0].label[i] != TABLE.models[1].label[i],
        ),
        (
            ExampleQuery(disagree=False),
            lambda i: TABLE.models[0].label[i] == TABLE.models[1].label[i],
        ),
        (ExampleQuery(text="DOGS"), lambda i: "dogs" in TABLE.text[i]),
        (ExampleQuery(text="man guitar"), lambda i: "guitar" in TABLE.text[i]),
        (ExampleQuery(text="pair-07"), lambda i: i == 7),
    ],
)
def test_each_filter_keeps_exactly_the_matching_rows(query: ExampleQuery, check: object) -> None:
    rows = filter_rows(TABLE, query)
    expected = [i for i in range(len(TABLE)) if check(i)]  # type: ignore[operator]
    assert rows == expected
    assert rows, "the fixture should have rows for every filter"


def test_filters_combine() -> None:
    rows = filter_rows(TABLE, ExampleQuery(gold=C, correct=True, model="overlap"))
    # The overlap rule catches a contradiction only through a negation word.
    assert [TABLE.examples[i].hypothesis for i in rows] == [
        "A man is not playing music.",
        "Nobody is reading.",
        "The man never sells anything.",
        "The chef is not cooking.",
    ]


def test_gold_none_rows_are_neither_correct_nor_wrong() -> None:
    for correct in (True, False):
        assert 19 not in filter_rows(TABLE, ExampleQuery(correct=correct))


def test_sort_by_agreement_puts_least_agreed_first_and_is_stable() -> None:
    rows = select_rows(TABLE, ExampleQuery(sort="agreement"))
    shares = [TABLE.agreement[i] for i in rows]
    assert shares == sorted(shares)
    assert rows[0] == 19  # 2/5 for the top label
    three_fifths = [i for i in rows if TABLE.level[i] == "3/5"]
    assert three_fifths == sorted(three_fifths)


def test_sort_by_confidence_and_descending() -> None:
    rows = select_rows(TABLE, ExampleQuery(sort="confidence", model="overlap", descending=True))
    confidences = [TABLE.models[0].confidence[i] for i in rows]
    assert confidences == sorted(confidences, reverse=True)
    assert select_rows(TABLE, ExampleQuery(descending=True)) == list(reversed(range(len(TABLE))))


@pytest.mark.parametrize("key", ["gold", "length"])
def test_other_sort_keys_order_rows(key: str) -> None:
    rows = select_rows(TABLE, ExampleQuery(sort=key))  # type: ignore[arg-type]
    values = [TABLE.gold[i] if key == "gold" else len(TABLE.text[i]) for i in rows]
    assert values == sorted(values)


def test_unknown_model_names_the_known_ones() -> None:
    with pytest.raises(NLIProbeError, match="overlap, neutral"):
        filter_rows(TABLE, ExampleQuery(model="nope", correct=True))


def test_the_filtering_model_loads_without_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import nli_probe.tui.browse, nli_probe.tui.table, nli_probe.tui.sources\n"
        "import nli_probe.tui.probes, nli_probe.tui.variants, nli_probe.tui.runs\n"
        "import nli_probe.commands.tui\n"
        "print('textual' in sys.modules, 'torch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
