"""`build_view` on real scores of fake-model reports."""

from __future__ import annotations

from nli_probe.reports.build import build_view
from nli_probe.reports.html import render_html
from nli_probe.reports.markdown import render_markdown
from nli_probe.scoring.scores import score_report
from tests.report_fixtures import SCRIPT, suite_run, two_model_report


def test_view_copies_the_scores() -> None:
    report = two_model_report()
    scores = score_report(report, resamples=200, seed=1)
    view = build_view(report, scores, suites=[suite_run("overlap", 3)])
    assert [m.name for m in view.models] == ["majority baseline", "overlap", "always-neutral"]
    assert view.models[0].baseline
    overlap = scores.model("overlap").metrics
    headline = view.models[1].headline
    assert headline["accuracy"].value == overlap.accuracy
    assert headline["f1"].value == overlap.f1_weighted
    assert headline["accuracy"].low is not None  # bootstrap interval carried over
    assert view.models[1].metrics["ece"] == scores.model("overlap").calibration.ece
    assert sum(map(sum, view.models[1].confusion)) == overlap.count
    levels = [row.level for row in view.models[1].agreement]
    assert "5/5" in levels and "no consensus" in levels
    five = scores.model("overlap").agreement.level("5/5")
    row = view.models[1].agreement[levels.index("5/5")]
    assert (row.human_agreement, row.model_agreement) == (
        five.human_agreement,
        five.model_agreement,
    )
    (comparison,) = view.comparisons
    assert (comparison.a, comparison.b) == ("overlap", "always-neutral")
    (probe,) = view.probes
    assert (probe.key, probe.failed, probe.tested, probe.rate.value) == (
        "robustness/typos",
        3,
        10,
        0.3,
    )
    assert probe.rate.low is not None and probe.rate.low < 0.3 < (probe.rate.high or 0)
    assert len(probe.failures) == 3


def test_rendered_outputs_escape_fixture_text() -> None:
    report = two_model_report()
    view = build_view(report, score_report(report, resamples=0), suites=[suite_run("x", 2)])
    page = render_html(view)
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SCRIPT not in render_markdown(view)
