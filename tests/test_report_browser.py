"""The HTML report in a real browser (headless Chromium, see `tests/browser.py`): a report over
several data sets with slices opens with no console error or warning, every chart is drawn with
a size, and markup from the data stays text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nli_probe.reports.build import build_view
from nli_probe.reports.html import render_html
from nli_probe.scoring.scores import score_report
from tests.browser import Browser, file_url, find_chromium
from tests.report_fixtures import IMG, SCRIPT, multi_set_report

REQUIRED = "NLI_PROBE_REQUIRE_CHROMIUM"
"""Set by `.ci/run`: there a missing chromium fails this test instead of skipping it."""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get(REQUIRED):
            pytest.fail(f"chromium is not installed, and ${REQUIRED} says it must be")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return found


def test_a_multi_set_sliced_report_in_chromium(chromium: str, tmp_path: Path) -> None:
    report = multi_set_report()
    view = build_view(report, score_report(report, resamples=100), suites=report.suites)
    page = tmp_path / "report.html"
    page.write_text(render_html(view), encoding="utf-8")
    with Browser(chromium) as browser:
        tab = browser.open(file_url(page))
        charts = browser.evaluate(
            "Array.from(document.querySelectorAll('svg')).map(svg => {"
            " const box = svg.getBoundingClientRect();"
            " return [svg.getAttribute('aria-label'), box.width, box.height]; })",
            session=tab,
        )
        state = browser.evaluate(
            "({title: document.title, scripts: document.scripts.length,"
            " images: document.images.length, pwned: typeof window.pwned,"
            " text: document.body.innerText})",
            session=tab,
        )
        problems = browser.problems(tab)
    assert problems == []
    labels = [label for label, _, _ in charts]
    for expected in (
        "Accuracy by heuristic on hans",
        "Accuracy by heuristic,gold on hans",
        "Accuracy by genre on snli",
        "Accuracy by annotator agreement",
        "Failure rate per probe",
    ):
        assert expected in labels, expected
    assert len(charts) >= 10
    assert all(width > 0 and height > 0 for _, width, height in charts), charts
    # The payloads are on the page as text, and none ran or became an element.
    assert state["title"] == "nli-probe report"
    assert (state["scripts"], state["images"], state["pwned"]) == (0, 0, "undefined")
    assert SCRIPT in state["text"] and IMG in state["text"]


def test_the_harness_sees_what_it_checks(chromium: str, tmp_path: Path) -> None:
    """The checks above can fail: a page with a console error, a script error and a chart
    drawn with no size is reported as such."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        '<svg role="img" aria-label="empty" width="0" height="0"></svg>'
        '<script>console.error("drawn badly"); undefined_function();</script>'
        "</body></html>",
        encoding="utf-8",
    )
    with Browser(chromium) as browser:
        tab = browser.open(file_url(page))
        sizes = browser.evaluate(
            "Array.from(document.querySelectorAll('svg'))"
            ".map(s => s.getBoundingClientRect().width)",
            session=tab,
        )
        problems = browser.problems(tab)
    assert sizes == [0]
    assert any("drawn badly" in problem for problem in problems)
    assert any("undefined_function" in problem for problem in problems)
