"""Reports: a report and its scores rendered as JSON, Markdown, HTML and terminal tables, and the
CI gate (`gate`) that checks thresholds against them.

They read a `Report` and its computed scores and never call a model. `build_view` turns both
into a `ReportView`, the render-ready values every format (and the CI gate) reads.
"""

from nli_probe.reports.console import print_summary, summary_tables
from nli_probe.reports.html import render_html
from nli_probe.reports.markdown import render_markdown
from nli_probe.reports.view import ReportView

__all__ = ["ReportView", "print_summary", "render_html", "render_markdown", "summary_tables"]
