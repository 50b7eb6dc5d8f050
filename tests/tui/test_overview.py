"""The Overview pane: models side by side, probe failure rates, significance."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from nli_probe.scoring.scores import score_report
from nli_probe.tui.app import NLIProbeApp
from nli_probe.tui.overview import OverviewPane
from tests.tui.fixtures import fixed_report, settle, static_text


async def test_overview_scores_the_report_in_a_worker_and_shows_every_model() -> None:
    report = fixed_report()  # no stored scores: the app computes them
    app = NLIProbeApp(report, resamples=100)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        text = static_text(app.query_one("#overview-body", Static), width=140)
        table = app.query_one("#comparisons-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    expected = score_report(report, resamples=100, seed=0)
    for row in expected.table():
        assert f"{row.accuracy:.3f}" in text
    assert "baseline" in text and "overlap" in text and "neutral" in text
    assert "95% CI" in text and "ECE (calibration)" in text and "JSD to humans" in text
    # probe failure rates per suite, and the comparison with McNemar's verdict
    assert "probe failure rates" in text and "fixture" in text and "all probes" in text
    (comparison,) = expected.comparisons
    assert comparison.mcnemar_p is not None
    (row,) = rows
    verdict = "not significant" if comparison.mcnemar_p >= 0.05 else "significant"
    assert row[0] == f"{comparison.model_a} vs {comparison.model_b}"
    assert row[1] == f"{comparison.count:,}"
    assert row[4:] == [f"{comparison.mcnemar_p:.3g}", verdict]


def test_comparison_verdicts_tell_significant_from_not() -> None:
    from dataclasses import replace

    from nli_probe.scoring.comparison import PairedComparison
    from nli_probe.tui.overview import comparisons_table

    scores = score_report(fixed_report(), resamples=10, seed=0)
    base = PairedComparison(model_a="a", model_b="b", count=100, difference=0.1)
    scores = replace(
        scores,
        comparisons=(
            replace(base, model_b="sig", mcnemar_p=0.001),
            replace(base, model_b="edge", mcnemar_p=0.05),  # not below 0.05
            replace(base, model_b="not", mcnemar_p=0.3),
        ),
    )
    lines = static_text(_Shown(comparisons_table(scores)), width=100).splitlines()
    verdicts = {}
    for name in ("sig", "edge", "not"):
        (line,) = [line for line in lines if f"a vs {name}" in line]
        verdicts[name] = line.rstrip().split("  ")[-1].strip()
    assert verdicts == {"sig": "significant", "edge": "not significant", "not": "not significant"}


class _Shown:
    """Something with a `content` to render, as a `Static` has."""

    def __init__(self, content: object) -> None:
        self.content = content


async def test_overview_without_models_says_so() -> None:
    from dataclasses import replace

    report = replace(fixed_report(), models=(), suites=())
    app = NLIProbeApp(report, resamples=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.query_one("TabbedContent").active == "examples"  # type: ignore[attr-defined]
        text = static_text(app.query_one(OverviewPane).query_one(Static))
        assert "0 model(s)" in text
