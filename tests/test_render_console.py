"""The terminal summary."""

from __future__ import annotations

import io

from rich.console import Console

from nli_probe.reports.console import print_summary
from tests.sample_view import sample_view


def test_summary_prints_headline_comparison_agreement_and_probes() -> None:
    out = io.StringIO()
    print_summary(sample_view(), Console(file=out, width=160, color_system=None))
    text = out.getvalue()
    assert "0.9000 [0.8800, 0.9200]" in text
    assert "full − lora <script>" in text  # markup is shown, not interpreted
    assert "Accuracy by annotator agreement" in text
    assert "robustness/typos" in text
    # Worst probe first.
    assert text.index("0.300") < text.index("0.200 [0.100")
