"""The CI gate: thresholds from options and TOML, breaches, did-you-mean errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from nli_probe.errors import NLIProbeError
from nli_probe.reports.gate import check, load_gate_file, parse_threshold, verdict
from tests.sample_view import SCRIPT, sample_view

LORA = f"lora {SCRIPT}"


def test_metric_threshold_applies_to_every_model_but_the_baseline() -> None:
    breaches = check(sample_view(), [parse_threshold("accuracy=0.88", "fail_under")])
    assert [(b.model, b.value) for b in breaches] == [(LORA, 0.85)]
    assert "accuracy = 0.8500, needs accuracy >= 0.88" in breaches[0].describe()


def test_passing_gate() -> None:
    thresholds = [
        parse_threshold("accuracy=0.8", "fail_under"),
        parse_threshold("ece=0.1", "fail_over"),
        parse_threshold("robustness/typos=0.31", "max_failure_rate"),
    ]
    assert check(sample_view(), thresholds) == []
    assert verdict([], 3) == "gate passed: 3 threshold(s) met"


def test_per_model_threshold_and_probe_rates() -> None:
    view = sample_view()
    breaches = check(view, [parse_threshold("full:robustness/typos=0.1", "max_failure_rate")])
    assert [(b.model, b.value) for b in breaches] == [("full", 0.2)]
    # A whole suite pools its probes; a probe with nothing tested counts as not measured.
    suite = check(view, [parse_threshold("robustness=0.25", "max_failure_rate")])
    assert [(b.model, b.value) for b in suite] == [(LORA, 0.3)]
    logic = check(view, [parse_threshold("full:logic/negation=0.5", "max_failure_rate")])
    assert logic[0].value is None and "not measured" in logic[0].describe()
    # The baseline is checked when named.
    assert check(view, [parse_threshold("majority baseline:accuracy=0.5", "fail_under")])


def test_unknown_names_suggest_the_closest() -> None:
    view = sample_view()
    with pytest.raises(NLIProbeError, match="unknown metric 'acuracy'; did you mean 'accuracy'"):
        check(view, [parse_threshold("acuracy=0.8", "fail_under", source="--fail-under")])
    with pytest.raises(NLIProbeError, match="did you mean 'robustness/typos'"):
        check(view, [parse_threshold("robustness/typo=0.2", "max_failure_rate")])
    with pytest.raises(NLIProbeError, match=r"no model 'ful'.*did you mean 'full'"):
        check(view, [parse_threshold("ful:accuracy=0.8", "fail_under")])


def test_bad_option_syntax() -> None:
    with pytest.raises(NLIProbeError, match="expected"):
        parse_threshold("accuracy", "fail_under")
    with pytest.raises(NLIProbeError, match="not a number"):
        parse_threshold("accuracy=high", "fail_under")


def test_gate_file(tmp_path: Path) -> None:
    path = tmp_path / "gate.toml"
    path.write_text(
        '[fail_under]\naccuracy = 0.8\n[max_failure_rate]\n"robustness/typos" = 0.25\n'
        "[model.full.fail_under]\naccuracy = 0.95\n",
        encoding="utf-8",
    )
    thresholds = load_gate_file(path)
    assert len(thresholds) == 3
    breaches = check(sample_view(), thresholds)
    assert sorted(b.describe().split(":")[0] for b in breaches) == ["full", LORA]
    text = verdict(breaches, len(thresholds))
    assert text.startswith("gate FAILED: 2 threshold(s) crossed")
    assert "gate.toml [model.full] [fail_under]" in text


def test_gate_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "gate.toml"
    path.write_text("[fail_undr]\naccuracy = 0.8\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match="did you mean 'fail_under'"):
        load_gate_file(path)
    path.write_text("[fail_under]\naccuracy = 'x'\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match="is not a number"):
        load_gate_file(path)
    path.write_text("[fail_under\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match="not valid TOML"):
        load_gate_file(path)
    with pytest.raises(NLIProbeError, match="no such gate file"):
        load_gate_file(tmp_path / "missing.toml")


def test_probe_only_models_are_gated_and_nothing_measured_fails() -> None:
    import dataclasses

    view = sample_view()
    probe_only = dataclasses.replace(view, models=tuple(m for m in view.models if m.baseline))
    rate = check(probe_only, [parse_threshold("robustness/typos=0.1", "max_failure_rate")])
    assert {b.model for b in rate} == {"full", LORA}
    metric = check(probe_only, [parse_threshold("accuracy=0.5", "fail_under")])
    assert {(b.model, b.value) for b in metric} == {("full", None), (LORA, None)}
    empty = dataclasses.replace(probe_only, probes=())
    (breach,) = check(empty, [parse_threshold("accuracy=0.5", "fail_under")])
    assert "the report holds no evaluated or probed model" in breach.describe()
