"""The Overview pane: models side by side, probe failure rates, significance."""

from __future__ import annotations

from textual.widgets import Static

from nli_probe.scores import score_report
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.overview import OverviewPane
from tests.tui.fixtures import fixed_report, settle, static_text


async def test_overview_scores_the_report_in_a_worker_and_shows_every_model() -> None:
    report = fixed_report()  # no stored scores: the app computes them
    app = NLIProbeApp(report, resamples=100)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        text = static_text(app.query_one("#overview-body", Static), width=140)
    expected = score_report(report, resamples=100, seed=0)
    for row in expected.table():
        assert f"{row.accuracy:.3f}" in text
    assert "baseline" in text and "overlap" in text and "neutral" in text
    assert "95% CI" in text and "ECE (calibration)" in text and "JSD to humans" in text
    # probe failure rates per suite, and the comparison with McNemar's verdict
    assert "probe failure rates" in text and "fixture" in text and "all probes" in text
    (comparison,) = expected.comparisons
    assert comparison.mcnemar_p is not None
    verdict = "not significant" if comparison.mcnemar_p >= 0.05 else "significant"
    assert f"{comparison.model_a} vs {comparison.model_b}" in text
    assert verdict in text


async def test_overview_without_models_says_so() -> None:
    from dataclasses import replace

    report = replace(fixed_report(), models=(), suites=())
    app = NLIProbeApp(report, resamples=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.query_one("TabbedContent").active == "examples"  # type: ignore[attr-defined]
        text = static_text(app.query_one(OverviewPane).query_one(Static))
        assert "0 model(s)" in text
