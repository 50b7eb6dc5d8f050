"""Attacks as a probe kind: Probe(attack=...), TOML suites, the runner, reports and the gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nli_probe import (
    Attack,
    Example,
    Label,
    NLIProbeError,
    Prediction,
    Probe,
    Report,
    Suite,
    get_attack,
    get_constraint,
    get_expectation,
    get_perturbation,
    get_search,
    get_transformation,
    load_report,
    load_suite,
    run_suites,
    save_report,
)
from nli_probe.core.report import report_from_json, report_to_json
from nli_probe.core.suite_run import ATTACK_KIND, probe_run_to_json
from nli_probe.probing.toml_loader import parse_toml_suite
from nli_probe.reports.build import build_view
from nli_probe.reports.gate import check, parse_threshold
from nli_probe.reports.html import render_html
from nli_probe.reports.markdown import render_markdown
from nli_probe.scoring.scores import score_report
from nli_probe.testing.fakes import FakeModel
from tests.test_attack_search import SYNONYMS, cat_rule

EXAMPLES = [
    Example(id="cat", premise="A black cat is asleep.",
            hypothesis="The black cat sleeps on the old mat.", gold=Label.ENTAILMENT),
    Example(id="dog", premise="A dog barks.", hypothesis="The old dog sleeps <here>.",
            gold=Label.CONTRADICTION),
    Example(id="wrong", premise="A cat.", hypothesis="No cat sleeps.", gold=Label.NEUTRAL),
    Example(id="none", premise="A cat.", hypothesis="A cat naps.", gold=None),
]  # fmt: skip


def _planted() -> Attack:
    return Attack(
        name="synonyms",
        transformations=[get_transformation("word_list", words=SYNONYMS)],
        constraints=[get_constraint("stopwords")],
        search=get_search("greedy"),
    )


def _suite() -> Suite:
    return Suite(
        name="adv",
        probes=[
            Probe(name="typos", capability="typos", perturbation=get_perturbation("typos"),
                  expectation=get_expectation("same_label")),
            Probe(name="synonyms", capability="synonyms", attack=_planted(),
                  description="planted"),
        ],
    )  # fmt: skip


def test_an_attack_probe_counts_as_textattack_does() -> None:
    (run,) = run_suites(FakeModel(rule=cat_rule), [_suite()], EXAMPLES, dataset="toy")
    typos, attack = run.probes
    assert typos.kind == "INV" and attack.kind == ATTACK_KIND
    assert (attack.examples, attack.skipped, attack.tested) == (4, 2, 2)
    assert (attack.failed, attack.passed) == (1, 1)  # "cat" flips; "dog" never does
    stats = attack.attack_stats()
    assert stats is not None
    assert (stats.attempted, stats.succeeded, stats.failed, stats.skipped) == (2, 1, 1, 2)
    assert stats.success_rate == 0.5 and stats.interval == attack.interval
    assert stats.original_accuracy == 2 / 3  # "none" has no gold; "wrong" is wrong
    assert stats.accuracy_under_attack == 1 / 3
    assert stats.mean_words_changed == 1.0
    assert attack.attack is not None
    assert (attack.attack.already_wrong, attack.attack.no_gold) == (1, 1)
    success = attack.failures()[0]
    assert success.variant_hypothesis == "The black kitty sleeps on the old mat."
    assert [(e.before, e.after) for e in success.edits] == [("cat", "kitty")]
    assert success.note == "cat → kitty" and success.implied == Label.ENTAILMENT
    assert stats.mean_queries == (success.queries + attack.outcomes[1].queries) / 2
    # Every pair the attack predicted counts in the suite run's distinct pairs.
    assert run.distinct_pairs > typos.tested + 4


def test_attack_results_round_trip_and_old_reports_load(tmp_path: Path) -> None:
    runs = run_suites(FakeModel(rule=cat_rule), [_suite()], EXAMPLES, dataset="toy")
    path = tmp_path / "report.json"
    save_report(Report(dataset="toy", examples=tuple(EXAMPLES), suites=runs), path)
    assert load_report(path).suites == runs
    data = probe_run_to_json(runs[0].probes[1])
    assert data["attack"]["success_rate"] == 0.5 and data["attack"]["recipe"] == "synonyms"
    assert data["outcomes"][0]["edits"] == [["h", 2, "cat", "kitty"]]
    # A report written before attacks existed: no attack key, no edits, no queries.
    old = report_to_json(Report(dataset="toy", examples=tuple(EXAMPLES), suites=runs))
    for probe in old["suites"][0]["probes"]:
        probe.pop("attack", None)
        for outcome in probe["outcomes"]:
            outcome.pop("edits", None)
            outcome.pop("q", None)
    loaded = report_from_json(json.loads(json.dumps(old)))
    assert loaded.suites[0].probes[1].attack is None
    assert loaded.suites[0].probes[1].attack_stats() is None


def test_an_attack_probe_takes_no_perturbation_expectation_or_template() -> None:
    with pytest.raises(NLIProbeError, match="an attack probe takes no perturbation"):
        Probe(name="x", capability="c", attack=_planted(), perturbation=get_perturbation("typos"))
    with pytest.raises(NLIProbeError, match="takes no expectation"):
        Probe(name="x", capability="c", attack=_planted(),
              expectation=get_expectation("same_label"))  # fmt: skip
    with pytest.raises(NLIProbeError, match="attack must be an Attack"):
        Probe(name="x", capability="c", attack="deepwordbug")  # type: ignore[arg-type]


def test_toml_attacks_by_recipe_with_arguments_or_from_parts() -> None:
    suite = parse_toml_suite(
        """
name = "adv"

[[probe]]
name = "typos"
capability = "typos"
attack = "deepwordbug"

[[probe]]
name = "typos-budget"
capability = "typos"
attack = { recipe = "deepwordbug", query_budget = 50, target = "both" }

[[probe]]
name = "mine"
capability = "synonyms"

[probe.attack]
name = "mine"
transformations = [
    { name = "word_list", words = { cat = ["kitty"] } },
    { name = "chars", edits = ["keyboard"] },
]
constraints = ["stopwords", { name = "max_words", count = 2 }]
search = { name = "beam", width = 3 }
target = "premise"
query_budget = 100
"""
    )
    typos, budget, mine = (probe.attack for probe in suite.probes)
    assert typos is not None and budget is not None and mine is not None
    assert typos.name == "deepwordbug" and typos.query_budget is None
    assert (budget.query_budget, budget.target) == (50, "both")
    assert [t.name for t in mine.transformations] == ["word_list", "chars"]
    assert [c.name for c in mine.constraints] == ["stopwords", "max_words"]
    assert (mine.search.name, mine.target, mine.query_budget) == ("beam", "premise", 100)
    assert "beam search of width 3" in mine.describe()


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        ('"deepwordbg"',
         r"<toml>:3: probe 'p': unknown attack 'deepwordbg'; did you mean 'deepwordbug'"),
        ('{ recipe = "deepwordbug", budget = 5 }',
         r"attack 'deepwordbug' has no argument 'budget'"),
        ('{ transformations = ["chars"] }', "needs `recipe`, or `transformations` and `search`"),
        ('{ transformations = ["chars"], search = "greedy", serch = 1 }',
         "unknown attack key 'serch'; did you mean 'search'"),
        ('{ transformations = ["charz"], search = "greedy" }',
         "unknown transformation 'charz'; did you mean 'chars'"),
        ('{ transformations = ["chars"], search = "greedy", constraints = ["stopword"] }',
         "unknown constraint 'stopword'; did you mean 'stopwords'"),
        ('{ transformations = "chars", search = "greedy" }', "must be a list of names or tables"),
        ('{ transformations = ["chars"], search = "greedy", target = "both sides" }',
         "target must be one of premise, hypothesis, both"),
        ('{ recipe = "deepwordbug", query_budget = 1 }', "query_budget must be an integer"),
        ("3", "attack must be a recipe name or a table"),
    ],
)  # fmt: skip
def test_toml_attack_mistakes_name_the_place(attack: str, message: str) -> None:
    text = f'name = "adv"\n\n[[probe]]\n\nname = "p"\ncapability = "c"\nattack = {attack}\n'
    with pytest.raises(NLIProbeError, match=message):
        parse_toml_suite(text)


def test_the_builtin_attacks_suite() -> None:
    suite = load_suite("attacks")
    assert [(p.name, p.kind) for p in suite.probes] == [
        ("deepwordbug", ATTACK_KIND),
        ("textfooler", ATTACK_KIND),
    ]
    assert get_attack("deepwordbug").target == "hypothesis"
    with pytest.raises(NLIProbeError, match="unknown attack 'fooler'"):
        get_attack("fooler")


def _report() -> Report:
    runs = run_suites(FakeModel(rule=cat_rule), [_suite()], EXAMPLES, dataset="toy")
    return Report(dataset="toy", examples=tuple(EXAMPLES), suites=runs)


def test_reports_show_attacks_with_the_edits_marked() -> None:
    report = _report()
    view = build_view(report, score_report(report, resamples=0), suites=report.suites)
    (row,) = view.attacks
    assert (row.key, row.attempted, row.succeeded, row.skipped) == ("adv/synonyms", 2, 1, 2)
    assert row.success_rate is not None and row.success_rate.value == 0.5
    (case,) = row.examples
    assert (case.before, case.after) == ("entailment", "contradiction")
    markdown = render_markdown(view)
    assert "## Attacks" in markdown
    assert "The black ~~cat~~ **kitty** sleeps on the old mat." in markdown
    html = render_html(view)
    assert "The black <del>cat</del><ins>kitty</ins> sleeps on the old mat." in html
    # The attack's probe row carries no failing cases: the Attacks section shows them.
    (probe_row,) = [r for r in view.probes if r.key == "adv/synonyms"]
    assert probe_row.failures == () and probe_row.kind == ATTACK_KIND


def test_html_escapes_adversarial_text() -> None:
    attack = Attack(
        name="angle",
        transformations=[get_transformation("word_list", words={"dog": ["<b>dog</b>"]})],
        search=get_search("greedy"),
    )

    def rule(premise: str, hypothesis: str) -> Prediction:
        """Contradiction, until the hypothesis holds markup."""
        return cat_rule(premise, "cat" if "<b>" in hypothesis else "")

    suite = Suite(name="s", probes=[Probe(name="a", capability="c", attack=attack)])
    runs = run_suites(FakeModel(rule=rule), [suite], EXAMPLES[1:2])
    report = Report(dataset="toy", examples=tuple(EXAMPLES[1:2]), suites=runs)
    html = render_html(build_view(report, score_report(report, resamples=0), suites=runs))
    assert "<b>dog" not in html and "<ins>&lt;b&gt;dog&lt;/b&gt;</ins>" in html
    assert "sleeps &lt;here&gt;." in html


def test_the_gate_reads_an_attacks_success_rate_as_its_failure_rate() -> None:
    report = _report()
    view = build_view(report, score_report(report, resamples=0), suites=report.suites)
    (breach,) = check(view, [parse_threshold("adv/synonyms=0.4", "max_failure_rate")])
    assert breach.value == 0.5
    assert check(view, [parse_threshold("adv/synonyms=0.5", "max_failure_rate")]) == []


def test_an_attack_the_model_cannot_run_is_one_errored_outcome() -> None:
    suite = Suite(
        name="s",
        probes=[
            Probe(name="words", capability="synonyms", attack=get_attack("textfooler")),
            Probe(name="typos", capability="typos", attack=get_attack("deepwordbug")),
        ],
    )
    (run,) = run_suites(FakeModel(rule=cat_rule), [suite], EXAMPLES)  # no input embeddings
    words, typos = run.probes
    assert (words.errored, words.tested, words.examples) == (1, 0, len(EXAMPLES))
    assert "has no input embeddings" in words.errors()[0].error
    assert typos.errored == 0 and typos.tested > 0


def test_a_study_runs_attacks_only_when_named() -> None:
    from nli_probe.probing.loader import builtin_suite_names, default_suite_names

    assert "attacks" in builtin_suite_names()
    assert default_suite_names() == [n for n in builtin_suite_names() if n != "attacks"]
