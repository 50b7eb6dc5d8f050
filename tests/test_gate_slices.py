"""Gate thresholds on one data set of a multi-set report and on one slice of a set: the CLI
grammar, the equivalent TOML keys, and errors for unknown sets, fields, values and metrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from nli_probe import Example, Label, ModelRun, Prediction, Report
from nli_probe.core.parts import TWO_WAY, DataSetPart
from nli_probe.errors import NLIProbeError
from nli_probe.reports.build import build_view
from nli_probe.reports.gate import check, load_gate_file, parse_threshold
from nli_probe.reports.view import ReportView
from nli_probe.scoring.scores import score_report

E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION


def _probs(label: Label) -> Prediction:
    probs = [0.1, 0.1, 0.1]
    probs[label] = 0.8
    return Prediction(probs=(probs[0], probs[1], probs[2]))


def _view() -> ReportView:
    # HANS-like (two-way): lexical_overlap pairs 1-4, subsequence 5-6.
    hans_rows = [
        ("h1", "lexical_overlap", N, C, E),
        ("h2", "lexical_overlap", N, E, E),
        ("h3", "lexical_overlap", E, E, E),
        ("h4", "lexical_overlap", E, N, E),
        ("h5", "subsequence", N, N, N),
        ("h6", "subsequence", E, E, C),
    ]
    anli_rows = [("a1", "R1", E, E, N), ("a2", "R1", C, C, C), ("a3", "R2", N, E, N)]
    examples = [
        Example(
            id=f"hans:evaluation/{i}",
            premise=i,
            hypothesis=i,
            gold=gold,
            meta={"heuristic": h, "label_scheme": TWO_WAY},
        )
        for i, h, gold, _, _ in hans_rows
    ] + [
        Example(id=f"anli:test/{i}", premise=i, hypothesis=i, gold=gold, meta={"round": r})
        for i, r, gold, _, _ in anli_rows
    ]
    rows = [(f"hans:evaluation/{r[0]}", r[3], r[4]) for r in hans_rows] + [
        (f"anli:test/{r[0]}", r[3], r[4]) for r in anli_rows
    ]
    report = Report(
        dataset="hans:evaluation + anli:test",
        examples=tuple(examples),
        models=(
            ModelRun(name="a", fingerprint="a", predictions={i: _probs(a) for i, a, _ in rows}),
            ModelRun(name="b", fingerprint="b", predictions={i: _probs(b) for i, _, b in rows}),
        ),
        datasets=(
            DataSetPart(
                name="hans:evaluation",
                ids=tuple(e.id for e in examples[:6]),
                label_scheme=TWO_WAY,
                slices=("heuristic", "heuristic,gold"),
            ),
            DataSetPart(name="anli:test", ids=tuple(e.id for e in examples[6:]), slices=("round",)),
        ),
    )
    return build_view(report, score_report(report, resamples=0))


def test_slice_and_set_thresholds() -> None:
    view = _view()
    # Model a on lexical_overlap, two-way: C on h1 is non-entailment (right), E on h2 wrong,
    # E on h3 right, N on h4 wrong -> 0.5. Model b: wrong, wrong, right, right -> 0.5.
    slice_rule = parse_threshold("hans/heuristic=lexical_overlap:accuracy=0.6", "fail_under")
    breaches = check(view, [slice_rule])
    assert [(b.model, b.value) for b in breaches] == [("a", 0.5), ("b", 0.5)]
    assert "needs hans/heuristic=lexical_overlap:accuracy >= 0.6" in breaches[0].describe()
    # A model prefix picks one model; the set may be named in full.
    one = parse_threshold("b:hans:evaluation/heuristic=subsequence:accuracy=0.6", "fail_under")
    assert [(b.model, b.value) for b in check(view, [one])] == [("b", 0.5)]
    assert (
        check(view, [parse_threshold("a:hans/heuristic=subsequence:accuracy=1", "fail_under")])
        == []
    )
    crossed = "hans/heuristic,gold=lexical_overlap,non-entailment:accuracy=0.9"
    assert [(b.model, b.value) for b in check(view, [parse_threshold(crossed, "fail_under")])] == [
        ("a", 0.5),
        ("b", 0.0),
    ]
    # A data set's own metric: ANLI accuracy a 2/3, b 2/3.
    anli = check(view, [parse_threshold("anli:test/accuracy=0.7", "fail_under")])
    assert [b.model for b in anli] == ["a", "b"]
    assert (
        check(view, [parse_threshold("anli/round=R2:f1_macro=0.5", "fail_under")])[0].model == "a"
    )
    # The unscoped form still gates the pooled scores.
    assert check(view, [parse_threshold("accuracy=0.1", "fail_under")]) == []


def test_the_toml_form_is_the_same_grammar(tmp_path: Path) -> None:
    gate = tmp_path / "gate.toml"
    gate.write_text(
        '[fail_under]\n"hans/heuristic=lexical_overlap:accuracy" = 0.6\n'
        '[model.b.fail_under]\n"anli:test/accuracy" = 0.5\n',
        encoding="utf-8",
    )
    thresholds = load_gate_file(gate)
    breaches = check(_view(), thresholds)
    assert [(b.model, b.threshold.name) for b in breaches] == [
        ("a", "hans/heuristic=lexical_overlap:accuracy"),
        ("b", "hans/heuristic=lexical_overlap:accuracy"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hnas/heuristic=lexical_overlap:accuracy=0.5", r"no data set 'hnas'.*did you mean 'hans"),
        ("hans/heuristc=lexical_overlap:accuracy=0.5", r"not sliced by 'heuristc'.*did you mean"),
        ("hans/heuristic=lexical_overlp:accuracy=0.5", r"no heuristic 'lexical_overlp'.*did you"),
        ("hans/heuristic=lexical_overlap:acc=0.5", r"ends in :METRIC, one of accuracy, f1_macro"),
        ("anli:test/acuracy=0.5", r"unknown metric 'acuracy' of anli:test.*did you mean"),
        ("c:anli:test/accuracy=0.5", r"no model 'c' in anli:test"),
    ],
)
def test_unknown_names_are_errors(text: str, message: str) -> None:
    with pytest.raises(NLIProbeError, match=message):
        check(_view(), [parse_threshold(text, "fail_under", source="--fail-under")])
