"""The Markdown report: sections, tables and escaping."""

from __future__ import annotations

from nli_probe.reports.markdown import md_text, render_markdown
from tests.sample_view import SCRIPT, sample_view


def test_sections_in_order() -> None:
    text = render_markdown(sample_view())
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Robustness report",
        "## Headline",
        "## Model comparison",
        "## All metrics",
        "## Accuracy by annotator agreement",
        "## Confusion matrices",
        "## Probes (failure rates)",
        "### Failing cases (a few per probe)",
        "## Low-agreement examples",
    ]


def test_headline_table_rows() -> None:
    text = render_markdown(sample_view())
    assert "| model | accuracy | precision | recall | f1 |" in text
    assert "| full | 0.9000 [0.8800, 0.9200] | 0.8900 [0.8700, 0.9200] |" in text
    assert "| majority baseline | 0.3400 [0.3200, 0.3600] |" in text
    assert "(majority baseline)" not in text  # the name says it already


def test_dataset_text_cannot_break_out() -> None:
    text = render_markdown(sample_view())
    assert SCRIPT not in text
    assert "<b>" not in text
    # A pipe in a hypothesis stays inside its cell.
    row = next(line for line in text.splitlines() if "sings" in line and "A man" in line)
    assert row.count(" | ") == 2  # three cells


def test_md_text() -> None:
    assert md_text("a|b\nc") == "a\\|b c"
    assert md_text("<i>*x*</i>") == "&lt;i&gt;\\*x\\*&lt;/i&gt;"


def test_probe_table_marks_missing_and_counts() -> None:
    text = render_markdown(sample_view())
    assert "| robustness/typos | INV | 0.200 [0.100, 0.350] (8/40) |" in text
    assert "| logic/negation | DIR | 0.000 (0/0) | – |" in text
