"""Data maps in HTML: one SVG scatter per map, side by side (variability across, confidence up,
each point coloured by correctness; hovering a point shows its pair, its votes and where it
sits on every map), the region cutoffs, and the tables. No script: the hover text is each
point's SVG `<title>`. Every piece of text from the data goes through `esc`."""

from __future__ import annotations

from collections.abc import Sequence

from nli_probe.reports.svg import esc
from nli_probe.scoring.datamap import (
    REGION_NAMES,
    DataMapSection,
    DataMapSummary,
    MapPoint,
    RegionCrossing,
)

_SIZE = (420, 380)
_PAD = (46, 16, 18, 44)  # left, right, top, bottom


def votes_text(votes: Sequence[int]) -> str:
    """`e3 n2 c0`, or `–` without annotator labels."""
    if not any(votes):
        return "–"
    return " ".join(f"{letter}{count}" for letter, count in zip("enc", votes, strict=True))


def correctness_fill(share: float) -> str:
    """Red (never correct) through yellow to green (always correct)."""
    share = min(1.0, max(0.0, share))
    red = 215 if share < 0.5 else round(215 - (share - 0.5) * 2 * 170)
    green = round(48 + share * 2 * 140) if share < 0.5 else 188
    return f"#{red:02x}{green:02x}3c"


def datamap_section_html(section: DataMapSection) -> str:
    """The data-map section of a report: scatters side by side, then the tables."""
    if not section.maps:
        return ""
    top = max(
        [p.variability for point in section.points for p in point.positions.values()]
        + [m.cutoffs.variability for m in section.maps if m.cutoffs is not None]
        + [0.01]
    )
    top = min(0.5, top * 1.05)
    figures = "".join(
        f"<figure>{scatter(summary, section.points, max_variability=top)}"
        f"<figcaption>{esc(summary.name)}: {_drawn(section, summary)}</figcaption></figure>"
        for summary in section.maps
    )
    parts = [
        '<p class="muted">Each training pair on each model\'s map: variability (the standard '
        "deviation of the gold label's probability over the records) across, confidence (its "
        "mean) up, coloured by correctness (the share of records at which the model chose the "
        "gold label). Hover a point for its pair. Dashed lines: the region cutoffs.</p>",
        f'<div class="charts">{figures}</div>',
        _legend(),
        "<h3>Regions</h3>",
        _regions(section.maps),
    ]
    annotated = [m for m in section.maps if m.annotators is not None]
    if annotated:
        parts += ["<h3>Annotator agreement by region</h3>", _agreement(annotated)]
        parts += ["<h3>Possible label errors</h3>", _suspects(annotated)]
    for crossing in section.crossings:
        parts += [f"<h3>{esc(crossing.a)} against {esc(crossing.b)}</h3>", _crossing(crossing)]
    return "\n".join(parts)


def render_datamap_page(section: DataMapSection, *, title: str = "nli-probe data maps") -> str:
    """A whole HTML document holding only the data-map section."""
    from nli_probe.reports.html import html_page  # html imports this module: imported here

    return html_page(title, [f"<h1>{esc(title)}</h1>", datamap_section_html(section)])


def _drawn(section: DataMapSection, summary: DataMapSummary) -> str:
    drawn = sum(1 for point in section.points if summary.name in point.positions)
    of = (
        f"{drawn:,} of {summary.pairs:,} pairs drawn"
        if drawn < summary.pairs
        else (f"all {summary.pairs:,} pairs")
    )
    return f"{of}, {summary.records} records"


def scatter(summary: DataMapSummary, points: Sequence[MapPoint], *, max_variability: float) -> str:
    """One map as an SVG scatter plot."""
    width, height = _SIZE
    left, right, top, bottom = _PAD
    plot_w, plot_h = width - left - right, height - top - bottom
    top_v = max(max_variability, 1e-6)

    def x(value: float) -> float:
        return left + min(1.0, max(0.0, value / top_v)) * plot_w

    def y(value: float) -> float:
        return top + (1.0 - min(1.0, max(0.0, value))) * plot_h

    title = f"Data map: {summary.name}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" '
        'style="font-family:system-ui,sans-serif;font-size:11px">'
        f"<title>{esc(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#bbb"/>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<text x="{left - 4}" y="{y(tick):.1f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#666">{tick:.2f}</text>'
        )
        value = tick * top_v
        parts.append(
            f'<text x="{x(value):.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
            f'fill="#666">{value:.3g}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" '
        'fill="#444">variability</text>'
        f'<text x="12" y="{top + plot_h / 2:.1f}" fill="#444" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">confidence</text>'
    )
    cut = summary.cutoffs
    if cut is not None:
        if 0 < cut.variability <= top_v:
            parts.append(
                f'<line x1="{x(cut.variability):.1f}" y1="{top}" x2="{x(cut.variability):.1f}" '
                f'y2="{top + plot_h}" stroke="#555" stroke-dasharray="4 3"/>'
                f'<text x="{x(cut.variability) + 3:.1f}" y="{top + 10}" fill="#555">'
                "ambiguous →</text>"
            )
        for value, label in (
            (cut.easy_confidence, "easy-to-learn ↑"),
            (cut.hard_confidence, "hard-to-learn ↓"),
        ):
            if 0.0 <= value <= 1.0:
                end = x(cut.variability) if 0 < cut.variability <= top_v else left + plot_w
                parts.append(
                    f'<line x1="{left}" y1="{y(value):.1f}" x2="{end:.1f}" y2="{y(value):.1f}" '
                    f'stroke="#555" stroke-dasharray="4 3"/>'
                    f'<text x="{left + 4}" y="{y(value) - 3:.1f}" fill="#555">{label}</text>'
                )
    for point in points:
        where = point.positions.get(summary.name)
        if where is None:
            continue
        parts.append(
            f'<circle cx="{x(where.variability):.1f}" cy="{y(where.confidence):.1f}" r="2.6" '
            f'fill="{correctness_fill(where.correctness)}" fill-opacity="0.75">'
            f"<title>{esc(_hover(point))}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _hover(point: MapPoint) -> str:
    votes = votes_text(point.votes)
    lines = [
        f"{point.id}",
        f"premise: {point.premise}",
        f"hypothesis: {point.hypothesis}",
        f"gold: {point.gold}" + (f" · votes {votes}" if any(point.votes) else ""),
    ]
    for name, where in point.positions.items():
        lines.append(
            f"{name}: {where.region}, chose {where.label}; confidence {where.confidence:.3f}, "
            f"variability {where.variability:.3f}, correctness {where.correctness:.2f}"
        )
    return "\n".join(lines)


def _legend() -> str:
    stops = "".join(
        f'<span style="display:inline-block;width:14px;height:10px;background:'
        f'{correctness_fill(share)}"></span>'
        for share in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    )
    return f'<p class="muted">correctness: 0 {stops} 1</p>'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _number(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _regions(maps: Sequence[DataMapSummary]) -> str:
    rows = []
    for region in REGION_NAMES:
        cells = [esc(region)]
        for summary in maps:
            size = summary.region(region)
            cells.append(
                f"{size.pairs:,} ({size.share:.1%}) · {_number(size.confidence)} · "
                f"{_number(size.variability)} · {_number(size.correctness)}"
            )
        rows.append(cells)
    header = [
        "region",
        *(f"{esc(m.name)}: pairs · confidence · variability · correctness" for m in maps),
    ]
    notes = "".join(
        f"<li>{esc(m.name)}: {esc(m.thresholds.describe())}"
        + (
            f" (variability ≥ {m.cutoffs.variability:.3f}; confidence ≤ "
            f"{m.cutoffs.hard_confidence:.3f}; confidence ≥ {m.cutoffs.easy_confidence:.3f})"
            if m.cutoffs is not None
            else ""
        )
        + f"; {m.records} records at steps {esc(', '.join(str(s) for s in m.steps))}</li>"
        for m in maps
    )
    return _table(header, rows) + f'<ul class="muted">{notes}</ul>'


def _agreement(maps: Sequence[DataMapSummary]) -> str:
    rows = []
    for region in REGION_NAMES:
        cells = [esc(region)]
        for summary in maps:
            ties = summary.annotators
            row = next((r for r in ties.regions if r.region == region), None) if ties else None
            if row is None or not row.annotated:
                cells.append("–")
                continue
            levels = ", ".join(f"{esc(level)} {count:,}" for level, count in row.levels.items())
            cells.append(
                f"{row.annotated:,}: {levels} · entropy {_number(row.mean_entropy)} · weak "
                f"gold {_number(row.weak_share, 3)}"
            )
        rows.append(cells)
    for what in ("variability", "confidence"):
        cells = [f"Spearman ρ ({what}, human entropy)"]
        for summary in maps:
            ties = summary.annotators
            value = getattr(ties, f"{what}_entropy") if ties else None
            cells.append("–" if value is None else esc(value.format()))
        rows.append(cells)
    header = ["region", *(f"{esc(m.name)}: annotated pairs by level" for m in maps)]
    sources = "".join(
        f"<li>{esc(m.name)}: annotator labels from {esc(m.votes_from)}</li>" for m in maps
    )
    return _table(header, rows) + (
        '<p class="muted">Entropy of the human label distribution in bits; weak gold: share of '
        "pairs whose gold label got at most the weak-majority share of the votes; intervals: "
        f'95% bootstrap.</p><ul class="muted">{sources}</ul>'
    )


def _suspects(maps: Sequence[DataMapSummary]) -> str:
    blocks = []
    for summary in maps:
        ties = summary.annotators
        if ties is None:
            continue
        rows = [
            [
                esc(s.id),
                f'<span class="text">{esc(s.premise)}</span>',
                f'<span class="text">{esc(s.hypothesis)}</span>',
                esc(s.gold),
                esc(s.model_label),
                esc(votes_text(s.votes)),
                f"{s.confidence:.3f}",
                esc("; ".join(s.reasons)),
            ]
            for s in ties.suspects
        ]
        table = _table(
            ["id", "premise", "hypothesis", "gold", "model", "votes", "confidence", "why"], rows
        )
        blocks.append(
            f"<details><summary>{esc(summary.name)}: {ties.label_errors:,} hard-to-learn pairs "
            f"with a weak gold majority or votes favouring the model's label</summary>"
            f"{table}</details>"
        )
    return "".join(blocks)


def _crossing(crossing: RegionCrossing) -> str:
    rows = [
        [esc(name), *(f"{count:,}" for count in row)]
        for name, row in zip(REGION_NAMES, crossing.counts, strict=True)
    ]
    same = crossing.same
    note = "" if same is None else f" · {same:.1%} of the shared pairs in the same region"
    return (
        _table([f"{esc(crossing.a)} \\ {esc(crossing.b)}", *(esc(n) for n in REGION_NAMES)], rows)
        + f'<p class="muted">{crossing.shared:,} shared pairs{note}</p>'
    )
