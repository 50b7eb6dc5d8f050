"""Inline SVG charts, drawn by hand so an HTML report needs no script and no network.

Every function returns one `<svg>` element as a string. All text that reaches the markup goes
through `esc`, so a model or probe name holding markup renders as text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

PALETTE = ("#3b6ea5", "#d9822b", "#4c9a5b", "#b04a5a", "#7a5ba6", "#8c6d3f", "#2e8f95")
"""Series colours, in model order: distinguishable for the common colour-vision deficiencies."""

_FONT = "font-family:system-ui,sans-serif;font-size:11px"


def esc(text: object) -> str:
    """Escape text for use in element content and attribute values."""
    return html.escape(str(text), quote=True)


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True, kw_only=True)
class Bar:
    """One bar: a share in [0, 1] with an optional interval drawn as a whisker."""

    value: float | None
    low: float | None = None
    high: float | None = None
    label: str = ""
    """Text shown after the bar (defaults to the value as a percentage)."""


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[str],
    bars: Sequence[Sequence[Bar]],
    width: int = 640,
) -> str:
    """Horizontal grouped bars on a 0-100% axis.

    Args:
        title: Accessible name of the chart.
        categories: One row group each (agreement levels, probes).
        series: One bar per category each (models), coloured from `PALETTE`.
        bars: `bars[c][s]` is the bar of series `s` in category `c`; a None value is drawn as
            "n/a" (e.g. a level with no examples).
        width: Pixel width of the drawing.
    """
    label_w, right_pad, bar_h, gap, top = 190, 60, 12, 10, 24
    plot_w = width - label_w - right_pad
    group_h = max(len(series), 1) * bar_h + gap
    legend_h = 18
    height = top + len(categories) * group_h + legend_h + 8
    parts = [_open(width, height, title)]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + tick * plot_w
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
            f'y2="{top + len(categories) * group_h}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle" fill="#666">'
            f"{tick:.0%}</text>"
        )
    for c, category in enumerate(categories):
        y0 = top + c * group_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + group_h / 2:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{esc(_clip(category, 30))}</text>'
        )
        for s in range(len(series)):
            bar = bars[c][s]
            y = y0 + s * bar_h
            parts.append(_bar(bar, x0=label_w, y=y, h=bar_h - 2, plot_w=plot_w, fill=colour(s)))
    parts.append(_legend(series, x=label_w, y=height - legend_h + 4))
    parts.append("</svg>")
    return "".join(parts)


def _bar(bar: Bar, *, x0: int, y: float, h: int, plot_w: int, fill: str) -> str:
    if bar.value is None:
        return f'<text x="{x0 + 4}" y="{y + h - 2}" fill="#999">n/a</text>'
    v = _unit(bar.value)
    out = [
        f'<rect x="{x0}" y="{y:.1f}" width="{v * plot_w:.1f}" height="{h}" fill="{fill}">'
        f"<title>{esc(bar.label or f'{bar.value:.1%}')}</title></rect>"
    ]
    end = v
    if bar.low is not None and bar.high is not None:
        lo, hi = _unit(bar.low) * plot_w + x0, _unit(bar.high) * plot_w + x0
        mid = y + h / 2
        out.append(
            f'<path d="M{lo:.1f} {mid:.1f}H{hi:.1f}M{lo:.1f} {y + 1:.1f}V{y + h - 1:.1f}'
            f'M{hi:.1f} {y + 1:.1f}V{y + h - 1:.1f}" stroke="#222" fill="none"/>'
        )
        end = max(end, _unit(bar.high))
    text = bar.label or f"{bar.value:.1%}"
    out.append(f'<text x="{x0 + end * plot_w + 4:.1f}" y="{y + h - 2}">{esc(text)}</text>')
    return "".join(out)


def confusion_matrix(
    *, title: str, labels: Sequence[str], counts: Sequence[Sequence[int]], cell: int = 78
) -> str:
    """A heat map of gold (rows) against predicted (columns) counts, shaded by row share."""
    n = len(labels)
    left, top = 112, 40
    width, height = left + n * cell + 8, top + n * cell + 8
    parts = [_open(width, height, title)]
    parts.append(
        f'<text x="{left + n * cell / 2:.1f}" y="12" text-anchor="middle" fill="#666">'
        "predicted</text>"
    )
    for j, label in enumerate(labels):
        parts.append(
            f'<text x="{left + (j + 0.5) * cell:.1f}" y="{top - 8}" text-anchor="middle">'
            f"{esc(_clip(label, 13))}</text>"
        )
    for i, row in enumerate(counts):
        total = sum(row)
        y = top + i * cell
        parts.append(
            f'<text x="{left - 6}" y="{y + cell / 2:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{esc(_clip(labels[i], 14))}</text>'
        )
        for j, count in enumerate(row):
            share = count / total if total else 0.0
            x = left + j * cell
            ink = "#fff" if share > 0.55 else "#222"
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell}" height="{cell}" '
                f'fill="{_shade(share)}" stroke="#fff"><title>gold {esc(labels[i])}, predicted '
                f"{esc(labels[j])}: {count} ({share:.1%} of the row)</title></rect>"
                f'<text x="{x + cell / 2:.1f}" y="{y + cell / 2:.1f}" text-anchor="middle" '
                f'dominant-baseline="middle" fill="{ink}">{count}</text>'
            )
    mid = top + n * cell / 2
    parts.append(
        f'<text x="12" y="{mid:.1f}" fill="#666" transform="rotate(-90 12 {mid:.1f})" '
        'text-anchor="middle">gold</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, kw_only=True)
class Curve:
    """One model's reliability diagram: (mean confidence, accuracy, count) per bin."""

    name: str
    points: Sequence[tuple[float, float, int]]


def reliability_diagram(*, title: str, curves: Sequence[Curve], size: int = 300) -> str:
    """Accuracy against confidence per bin, one line per model, with the diagonal of a
    perfectly calibrated model. Point areas follow the bin's share of examples."""
    pad = 36
    plot = size - 2 * pad
    height = size + 18 * max(1, (len(curves) + 2) // 3)
    parts = [_open(size, height, title)]
    parts.append(
        f'<rect x="{pad}" y="{pad}" width="{plot}" height="{plot}" fill="none" stroke="#bbb"/>'
        f'<line x1="{pad}" y1="{pad + plot}" x2="{pad + plot}" y2="{pad}" stroke="#bbb" '
        'stroke-dasharray="4 3"/>'
    )
    for tick in (0.0, 0.5, 1.0):
        parts.append(
            f'<text x="{pad + tick * plot:.1f}" y="{pad + plot + 14}" text-anchor="middle" '
            f'fill="#666">{tick:.1f}</text><text x="{pad - 4}" y="{pad + (1 - tick) * plot:.1f}" '
            f'text-anchor="end" dominant-baseline="middle" fill="#666">{tick:.1f}</text>'
        )
    parts.append(
        f'<text x="{pad + plot / 2}" y="{pad + plot + 28}" text-anchor="middle" fill="#666">'
        f'confidence</text><text x="10" y="{pad + plot / 2}" fill="#666" text-anchor="middle" '
        f'transform="rotate(-90 10 {pad + plot / 2})">accuracy</text>'
    )
    for index, curve in enumerate(curves):
        total = sum(count for _, _, count in curve.points) or 1
        coords = [
            (pad + _unit(conf) * plot, pad + (1 - _unit(acc)) * plot, count)
            for conf, acc, count in curve.points
            if count > 0
        ]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour(index)}" '
                'stroke-width="1.5"/>'
            )
        for x, y, count in coords:
            r = 2 + 6 * (count / total) ** 0.5
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour(index)}" '
                f'fill-opacity="0.8"><title>{esc(curve.name)}: {count} examples</title></circle>'
            )
    parts.append(_legend([c.name for c in curves], x=pad, y=size + 4, per_row=3))
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" style="{_FONT}">'
        f"<title>{esc(title)}</title>"
    )


def _legend(names: Sequence[str], *, x: float, y: float, per_row: int = 4) -> str:
    parts = []
    for index, name in enumerate(names):
        col, row = index % per_row, index // per_row
        lx, ly = x + col * 130, y + row * 18
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="10" height="10" fill="{colour(index)}"/>'
            f'<text x="{lx + 14:.1f}" y="{ly + 9:.1f}">{esc(_clip(name, 18))}</text>'
        )
    return "".join(parts)


def _shade(share: float) -> str:
    # White to the first palette blue, linear in the share.
    r, g, b = 0x3B, 0x6E, 0xA5
    s = _unit(share)
    mix = [round(255 - (255 - channel) * s) for channel in (r, g, b)]
    return "#" + "".join(f"{channel:02x}" for channel in mix)


def _unit(value: float) -> float:
    return min(1.0, max(0.0, value))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
