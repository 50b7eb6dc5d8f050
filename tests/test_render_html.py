"""The HTML page: self-contained, every chart present, dataset text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from nli_probe.reports.html import render_html
from nli_probe.reports.svg import Bar, Curve, bar_chart, confusion_matrix, reliability_diagram
from tests.sample_view import SCRIPT, sample_view


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def test_script_in_dataset_text_renders_as_text() -> None:
    page = render_html(sample_view())
    assert SCRIPT not in page
    parsed = _parse(page)
    assert "script" not in parsed.tags
    # The text a browser shows still contains the premise verbatim.
    assert any(SCRIPT in chunk for chunk in parsed.text)
    assert "H &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_page_is_self_contained() -> None:
    page = render_html(sample_view())
    parsed = _parse(page)
    assert parsed.urls == []
    assert "<style>" in page
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", page)


def test_page_has_every_chart_and_table() -> None:
    page = render_html(sample_view())
    for label in (
        "Accuracy by annotator agreement",
        "Confusion matrix: full",
        "Reliability diagram",
        "Failure rate per probe",
    ):
        assert f'aria-label="{label}"' in page, label
    assert page.count('aria-label="Confusion matrix:') == 3
    assert "p (McNemar)" in page and "0.003" in page
    assert "human↔others" in page  # the agreement table under the chart
    assert "0.9000 [0.8800, 0.9200]" in page  # full's accuracy with its interval
    assert "<td>majority baseline</td>" in page


def test_every_svg_is_well_formed_xml() -> None:
    page = render_html(sample_view())
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) == 6
    for chart in svgs:
        ET.fromstring(chart)


def test_charts_escape_names_and_clamp_values() -> None:
    chart = bar_chart(
        title="t <x>",
        categories=["a<b"],
        series=["m&n"],
        bars=[[Bar(value=1.7, low=-0.2, high=2.0)]],
    )
    root = ET.fromstring(chart)
    assert root.attrib["aria-label"] == "t <x>"
    widths = [float(r.attrib["width"]) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert max(widths) <= 640
    ET.fromstring(confusion_matrix(title="c", labels=["e", "n", "c"], counts=[[0, 0, 0]] * 3))
    ET.fromstring(
        reliability_diagram(title="r", curves=[Curve(name="<m>", points=[(0.5, 0.5, 0)])])
    )
