"""Suites from Python and TOML files and built-in names, and the errors users see."""

from __future__ import annotations

from pathlib import Path

import pytest

from nli_probe import NLIProbeError, Probe, Suite
from nli_probe.probing.loader import builtin_suite_names, load_builtin_suite, load_suite
from nli_probe.probing.toml_loader import parse_toml_suite

GOOD_TOML = """\
name = "mine"
description = "typos and a template"

[[probe]]
name = "typos-hypothesis"
capability = "robustness"
perturbation = { name = "typos", n = 2, target = "hypothesis" }
expectation = "same_label"
description = "two typos"

[[probe]]
name = "stop"
capability = "punctuation"
perturbation = "punctuation"
expectation = { name = "same_probs", tolerance = 0.2 }
"""


def test_toml_suite() -> None:
    suite = parse_toml_suite(GOOD_TOML)
    assert suite.name == "mine" and suite.description == "typos and a template"
    typos, stop = suite.probes
    assert (typos.name, typos.capability, typos.kind) == ("typos-hypothesis", "robustness", "INV")
    assert typos.perturbation.name == "typos" and typos.perturbation.target == "hypothesis"
    assert stop.expectation.name == "same_probs" and stop.description == ""


def test_toml_probe_defaults_to_identity_and_label() -> None:
    suite = parse_toml_suite('name = "s"\n[[probe]]\nname = "p"\ncapability = "c"\n')
    assert suite.probes[0].perturbation.name == "identity"
    assert suite.probes[0].expectation.name == "label" and suite.probes[0].kind == "MFT"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD_TOML.replace('"punctuation"\n', '"punctuaton"\n'),
            r"x.toml:11: probe 'stop': unknown perturbation 'punctuaton'; "
            r"did you mean 'punctuation'\?",
        ),
        (
            GOOD_TOML.replace('"same_label"', '"same_lable"'),
            r"x.toml:4: probe 'typos-hypothesis': unknown expectation 'same_lable'; "
            r"did you mean 'same_label'",
        ),
        (
            GOOD_TOML.replace("n = 2", "count = 2"),
            r"x.toml:4: probe 'typos-hypothesis': perturbation 'typos' has no argument 'count' "
            r"\(takes: n, target\)",
        ),
        (
            GOOD_TOML.replace("n = 2", 'n = "two"'),
            r"x.toml:4: probe 'typos-hypothesis': perturbation 'typos': .*whole number",
        ),
        (
            GOOD_TOML.replace("capability =", "capabilty =", 1),
            r"x.toml:4: probe 'typos-hypothesis': unknown probe key 'capabilty'; "
            r"did you mean 'capability'\?",
        ),
        (GOOD_TOML.replace("[[probe]]", "[[probes]]"), r"unknown suite key 'probes'; did you mean"),
        (GOOD_TOML.replace('name = "stop"', 'name = "typos-hypothesis"'), "two probes are named"),
        (GOOD_TOML.replace('name = "mine"', ""), r"x.toml: missing `name`"),
        (GOOD_TOML + "\n[[probe]\n", r"x.toml: invalid TOML: .*line 17"),
        ('name = "s"\n', r"x.toml: a suite needs at least one \[\[probe\]\] table"),
        (
            GOOD_TOML.replace('"punctuation"\n', "3\n"),
            r"x.toml:11: probe 'stop': perturbation must",
        ),
        (GOOD_TOML.replace('name = "stop"', 'name = "no stop"'), "without spaces"),
    ],
)
def test_toml_errors_name_file_line_and_probe(text: str, message: str) -> None:
    with pytest.raises(NLIProbeError, match=message):
        parse_toml_suite(text, where="x.toml")


PYTHON_SUITE = """\
from nli_probe import Probe, Suite, get_expectation, get_perturbation

suite = Suite(
    name="py",
    probes=[
        Probe(
            name="typos",
            capability="robustness",
            perturbation=get_perturbation("{perturbation}"),
            expectation=get_expectation("same_label"),
        )
    ],
)
"""


def test_python_suite_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.py"
    path.write_text(PYTHON_SUITE.replace("{perturbation}", "typos"))
    suite = load_suite(path)
    assert suite.name == "py" and isinstance(suite.probes[0], Probe)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            PYTHON_SUITE.replace("{perturbation}", "typo"),
            r"mine.py:9: unknown perturbation 'typo'; did you mean 'typos'",
        ),
        (PYTHON_SUITE.replace("suite = Suite(", "suite = Suite(("), r"mine.py:\d+: syntax error"),
        ("x = 1\n\ny = 1 / 0\n", r"mine.py:3: ZeroDivisionError: division by zero"),
        ("suite = 3\n", r"mine.py: `suite` is a int, not a Suite"),
        ("x = 3\n", r"mine.py: defines no `suite`"),
    ],
)
def test_python_suite_errors_name_file_and_line(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "mine.py"
    path.write_text(source)
    with pytest.raises(NLIProbeError, match=message):
        load_suite(path)


def test_files_and_names(tmp_path: Path) -> None:
    toml = tmp_path / "mine.toml"
    toml.write_text(GOOD_TOML)
    assert load_suite(toml).name == "mine"
    assert load_suite(str(toml)).name == "mine"
    with pytest.raises(NLIProbeError, match="no such suite file"):
        load_suite(tmp_path / "missing.py")
    with pytest.raises(NLIProbeError, match=r"must end in \.py or \.toml"):
        (tmp_path / "x.yaml").write_text("")
        load_suite(tmp_path / "x.yaml")
    with pytest.raises(
        NLIProbeError, match=r"unknown suite 'robustnes'; did you mean 'robustness'"
    ):
        load_suite("robustnes")


def test_builtin_suites_load_and_are_named_after_their_module() -> None:
    names = builtin_suite_names()
    assert "robustness" in names
    for name in names:
        suite = load_builtin_suite(name)
        assert isinstance(suite, Suite) and suite.name == name and suite.probes


def test_robustness_suite_is_all_invariance() -> None:
    suite = load_builtin_suite("robustness")
    assert len(suite.probes) >= 10
    assert {probe.kind for probe in suite.probes} == {"INV"}
    assert {
        "typos",
        "punctuation",
        "casing",
        "whitespace",
        "contract",
        "expand_contractions",
        "swap_names",
        "swap_locations",
        "swap_numbers",
        "distractor",
    } <= {probe.perturbation.name for probe in suite.probes}
