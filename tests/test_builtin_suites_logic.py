"""The `logic`, `heuristics` and `artefacts` built-in suites load by name and run with the
fake model; simple rule models fail exactly the probes they should."""

from __future__ import annotations

import pytest

from nli_probe import Label
from nli_probe.core.suite_run import SuiteRun
from nli_probe.probing.loader import builtin_suite_names, load_suite
from nli_probe.probing.runner import run_suite, run_suites
from nli_probe.testing.fakes import FakeModel, constant_rule
from tests.snli import gold_pairs

SUITES = ("logic", "heuristics", "artefacts")


def _rates(run: SuiteRun) -> dict[str, float | None]:
    return {probe.probe: probe.failure_rate for probe in run.probes}


@pytest.mark.parametrize("name", SUITES)
def test_builtin_suite_loads_by_name(name: str) -> None:
    assert name in builtin_suite_names()
    suite = load_suite(name)
    assert suite.name == name
    assert suite.description
    assert all(probe.description and probe.capability for probe in suite.probes)


def test_suites_run_on_snli_with_fake_model() -> None:
    examples = gold_pairs(600)
    model = FakeModel()
    runs = run_suites(model, [load_suite(name) for name in SUITES], examples, seed=3)
    # Each distinct pair went to the model once, across all three suites.
    assert len(model.pairs_seen) == len(set(model.pairs_seen))
    for run in runs:
        assert run.errored == 0
        for probe in run.probes:
            assert probe.tested > 0, (run.suite, probe.probe)
            assert probe.interval is not None
            failed = [o for o in probe.outcomes if o.status == "failed"]
            assert len(failed) == probe.failed
            # every outcome keeps what a report or the TUI shows
            for outcome in probe.outcomes[:5]:
                assert outcome.before is not None and outcome.after is not None
                assert outcome.variant_hypothesis
    again = run_suites(FakeModel(), [load_suite(name) for name in SUITES], examples, seed=3)
    assert [_rates(run) for run in runs] == [_rates(run) for run in again]


def test_template_suites_need_no_data() -> None:
    run = run_suite(FakeModel(), load_suite("heuristics"), [])
    assert {probe.probe: probe.tested for probe in run.probes} == {
        "lexical-overlap": 60,
        "lexical-overlap-control": 60,
        "subsequence": 60,
        "subsequence-control": 60,
        "constituent": 60,
        "constituent-control": 60,
    }


def test_always_entailment_follows_every_heuristic() -> None:
    run = run_suite(FakeModel(rule=constant_rule(Label.ENTAILMENT)), load_suite("heuristics"), [])
    # Templates carry gold labels: minimum-functionality tests, HANS's two-way ones included.
    assert {probe.kind for probe in run.probes} == {"MFT"}
    for probe in run.probes:
        assert probe.failure_rate == (0.0 if probe.probe.endswith("-control") else 1.0)


def test_always_neutral_passes_the_tests_and_fails_the_controls() -> None:
    run = run_suite(FakeModel(rule=constant_rule(Label.NEUTRAL)), load_suite("heuristics"), [])
    for probe in run.probes:
        assert probe.failure_rate == (1.0 if probe.probe.endswith("-control") else 0.0)


def test_logic_with_constant_models() -> None:
    examples = gold_pairs(400)
    entail = _rates(
        run_suite(FakeModel(rule=constant_rule(Label.ENTAILMENT)), load_suite("logic"), examples)
    )
    assert entail["premise-as-hypothesis"] == 0.0
    for name in ("negation", "antonym", "number-change", "swap-contradiction"):
        assert entail[name] == 1.0, name
    contradict = _rates(
        run_suite(FakeModel(rule=constant_rule(Label.CONTRADICTION)), load_suite("logic"), examples)
    )
    for name in ("negation", "antonym", "number-change", "swap-contradiction"):
        assert contradict[name] == 0.0, name
    assert contradict["premise-as-hypothesis"] == 1.0


def _hypothesis_only(premise: str, hypothesis: str) -> object:
    """A model that reads only the hypothesis's cue words, as an artefact-driven one would."""
    from nli_probe import Prediction

    words = set(hypothesis.lower().split())
    if words & {"not", "no", "nobody", "sleeping", "never"}:
        return Prediction(probs=(0.05, 0.05, 0.9))
    return Prediction(probs=(0.9, 0.05, 0.05))


def test_artefacts_catch_a_hypothesis_only_model() -> None:
    examples = gold_pairs(400)
    cheat = _rates(run_suite(FakeModel(rule=_hypothesis_only), load_suite("artefacts"), examples))  # type: ignore[arg-type]
    assert cheat["empty-premise"] == 1.0
    assert cheat["shuffled-premise"] == 1.0
    assert cheat["empty-premise-gold"] is not None and 0.0 < cheat["empty-premise-gold"] < 1.0
    neutral = _rates(
        run_suite(FakeModel(rule=constant_rule(Label.NEUTRAL)), load_suite("artefacts"), examples)
    )
    assert set(neutral.values()) == {0.0}


def test_suites_and_registries_do_not_import_checklist() -> None:
    """CheckList (and spaCy under it) is an optional extra: only the interop module loads it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nli_probe.probing.loader import load_suite\n"
        "from nli_probe.probing.perturbation import PERTURBATIONS\n"
        "from nli_probe.probing.template import TEMPLATES\n"
        "for name in ('logic', 'heuristics', 'artefacts'): load_suite(name)\n"
        "PERTURBATIONS.names(); TEMPLATES.names()\n"
        "print(sorted(m for m in ('checklist', 'spacy', 'pattern', 'torch') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
