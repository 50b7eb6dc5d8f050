"""Reports of a run over several data sets, with slices: Markdown and HTML sections, a chart per
slice field, the baseline labelled, markup from the data escaped, and the console summary."""

from __future__ import annotations

import io
import re

from rich.console import Console

from nli_probe.reports.build import build_view
from nli_probe.reports.console import print_summary
from nli_probe.reports.html import render_html
from nli_probe.reports.markdown import render_markdown
from nli_probe.reports.view import ReportView
from nli_probe.scoring.scores import score_report
from tests.report_fixtures import IMG, SCRIPT, multi_set_report


def _view() -> ReportView:
    report = multi_set_report()
    return build_view(report, score_report(report, resamples=50), suites=report.suites)


def test_markdown_has_a_section_per_set_and_a_table_per_slice() -> None:
    text = render_markdown(_view())
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[:4] == [
        "# nli-probe report",
        "## By data set",
        "## Data set: hans",
        "### Headline",
    ]
    assert "### By heuristic" in headings and "### By heuristic,gold" in headings
    assert headings.index("## Data set: snli") > headings.index("### By heuristic,gold")
    assert "### By genre" in headings and headings[-2:] == [
        "## Probes (failure rates)",
        "### Failing cases (a few per probe)",
    ]
    # One row per (model, data set); the two-way set says so.
    assert re.search(r"\| hans \| overlap \| [0-9.]+ \[", text)
    assert "| snli | overlap |" in text and "| two-way |" in text
    # The baseline is labelled an oracle wherever it is shown.
    assert "majority baseline (evaluation-set majority (oracle))" in text
    # Two-way confusion matrices are entailment / non-entailment.
    assert "| gold non-entailment |" in text
    assert SCRIPT not in text and IMG not in text


def test_html_has_a_chart_per_slice_and_escapes_the_data() -> None:
    page = render_html(_view())
    for title in (
        "Accuracy by heuristic on hans",
        "Accuracy by heuristic,gold on hans",
        "Accuracy by genre on snli",
    ):
        assert f'aria-label="{title}"' in page or f"<title>{title}</title>" in page, title
    assert page.count('<figure class="slice">') == 3
    assert "<h2>Data set: hans</h2>" in page and "<h3>By heuristic</h3>" in page
    assert SCRIPT not in page and IMG not in page
    assert "&lt;img src=x onerror=" in page
    assert "evaluation-set majority (oracle)" in page


def test_the_console_summary_shows_sets_and_slices() -> None:
    out = io.StringIO()
    print_summary(_view(), Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "in 2 data sets" in text
    assert "hans by heuristic: accuracy" in text and "snli by genre: accuracy" in text
    assert "lexical_overlap" in text
