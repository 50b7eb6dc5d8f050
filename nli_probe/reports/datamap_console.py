"""Data maps for the terminal, as rich renderables (the `datamap` command and the TUI's data-map
pane show the same): a density plot coloured by correctness, the region and annotator tables,
the possible label errors, a region's pairs, and how two maps' regions cross."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from nli_probe.reports.datamap_html import votes_text
from nli_probe.scoring.datamap import (
    REGION_NAMES,
    DataMapSummary,
    Density,
    MapPoint,
    RegionCrossing,
    ResolvedCutoffs,
)

SHADES = " ·∙•●█"
"""Cell glyphs from empty to the fullest cell (by the square root of the count)."""


def correctness_colour(share: float) -> str:
    """Red (never correct) through yellow to green (always correct)."""
    share = min(1.0, max(0.0, share))
    red = 220 if share < 0.5 else round(220 - (share - 0.5) * 2 * 180)
    green = round(60 + share * 2 * 140) if share < 0.5 else 200
    return f"rgb({red},{green},60)"


def density_plot(
    density: Density, *, cutoffs: ResolvedCutoffs | None = None, title: str = ""
) -> Text:
    """The map as text: confidence up, variability right, one glyph per cell (denser cells
    fuller), coloured by the cell's mean correctness; dim lines mark the region cutoffs."""
    counts = density.counts
    rows, columns = len(counts), len(counts[0]) if counts else 0
    fullest = max((max(row) for row in counts), default=0) or 1
    line_column = hard_row = easy_row = None
    if cutoffs is not None and rows and columns:
        if 0 < cutoffs.variability <= density.max_variability:
            line_column = min(
                columns - 1, int(cutoffs.variability / density.max_variability * columns)
            )
        hard_row = _row_of(cutoffs.hard_confidence, rows)
        easy_row = _row_of(cutoffs.easy_confidence, rows)
    text = Text()
    if title:
        text.append(title + "\n", style="bold")
    for r, row in enumerate(counts):
        label = 1.0 - r / rows
        text.append(f"{label:4.2f} │" if r % 4 == 0 else "     │", style="dim")
        for c, count in enumerate(row):
            if count:
                level = 1 + int((len(SHADES) - 2) * (count / fullest) ** 0.5)
                share = density.correctness[r][c]
                text.append(SHADES[level], style=correctness_colour(share or 0.0))
            elif c == line_column:
                text.append("│", style="dim cyan")
            elif r in (hard_row, easy_row):
                text.append("─", style="dim cyan")
            else:
                text.append(" ")
        text.append("\n")
    axis = "     └" + "─" * columns + "\n"
    text.append(axis, style="dim")
    right = f"{density.max_variability:.2f}"
    text.append(f"      0{right.rjust(columns - 1)}\n", style="dim")
    text.append("      variability →   (confidence ↑; colour: correctness ", style="dim")
    text.append("0", style=correctness_colour(0.0))
    text.append(" → ", style="dim")
    text.append("1", style=correctness_colour(1.0))
    text.append(")", style="dim")
    if cutoffs is not None:
        text.append(
            f"\n      cutoffs: ambiguous from variability {cutoffs.variability:.3f} (│), "
            f"hard-to-learn to confidence {cutoffs.hard_confidence:.3f}, easy-to-learn from "
            f"{cutoffs.easy_confidence:.3f} (─)",
            style="dim",
        )
    return text


def _row_of(confidence: float, rows: int) -> int | None:
    if not 0.0 <= confidence <= 1.0:
        return None
    return min(rows - 1, int((1.0 - confidence) * rows))


def summary_tables(summary: DataMapSummary, *, suspects: int = 10) -> Group:
    """A map's header, its regions, the annotator ties and the first possible label errors."""
    parts: list[Table | Text] = []
    first, last = (summary.epochs[0], summary.epochs[-1]) if summary.epochs else (0.0, 0.0)
    header = Text()
    header.append(f"Data map: {summary.name}", style="bold")
    header.append(
        f" · {summary.pairs:,} training pairs · {summary.records} records (epochs "
        f"{first:g} to {last:g}, steps {', '.join(str(s) for s in summary.steps[:8])}"
        f"{', ...' if len(summary.steps) > 8 else ''}) · recorded by "
        f"{summary.recorded_by or '?'} pass"
    )
    parts.append(header)
    if summary.records < 2:
        parts.append(
            Text(
                "only one record: every variability is 0, so no pair is ambiguous (record "
                "every N steps with dynamics_steps=N, or train more epochs)",
                style="yellow",
            )
        )
    regions = Table(
        title=f"Regions ({escape(summary.thresholds.describe())})", title_justify="left"
    )
    for column in ("region", "pairs", "share", "confidence", "variability", "correctness"):
        regions.add_column(column, justify="left" if column == "region" else "right")
    for size in summary.regions:
        regions.add_row(
            size.region,
            f"{size.pairs:,}",
            f"{size.share:.1%}",
            _number(size.confidence),
            _number(size.variability),
            _number(size.correctness),
        )
    parts.append(regions)
    ties = summary.annotators
    if ties is None:
        parts.append(
            Text(
                f"no training pair has annotator labels in {summary.votes_from} (at least 2 "
                "per pair); --votes DATA joins them from another data set",
                style="dim",
            )
        )
        return Group(*parts)
    agreement = Table(
        title=f"Annotators ({ties.annotated:,} pairs with labels, from "
        f"{escape(summary.votes_from)})",
        title_justify="left",
    )
    for column in ("region", "annotated", "agreement levels", "entropy (bits)", "weak gold"):
        agreement.add_column(
            column, justify="left" if column in ("region", "agreement levels") else "right"
        )
    for row in ties.regions:
        levels = " · ".join(f"{escape(level)} {count:,}" for level, count in row.levels.items())
        agreement.add_row(
            row.region,
            f"{row.annotated:,}",
            levels or "–",
            _number(row.mean_entropy),
            "–" if row.weak_share is None else f"{row.weak_share:.1%}",
        )
    parts.append(agreement)
    correlations = Text()
    for name, value in (
        ("variability", ties.variability_entropy),
        ("confidence", ties.confidence_entropy),
    ):
        shown = "undefined" if value is None else value.format()
        correlations.append(f"Spearman rho ({name}, human entropy): {shown}\n")
    correlations.append(
        f"weak gold: the gold label got at most {ties.weak_majority:.0%} of the votes; "
        f"intervals: 95% bootstrap",
        style="dim",
    )
    parts.append(correlations)
    if ties.label_errors:
        errors = Table(
            title=f"Possible label errors: {ties.label_errors:,} hard-to-learn pairs with a weak "
            "gold majority or votes favouring the model's label (least confident first)",
            title_justify="left",
        )
        for column in ("id", "premise", "hypothesis", "gold", "model", "votes", "conf.", "why"):
            errors.add_column(column, justify="right" if column == "conf." else "left")
        for suspect in ties.suspects[:suspects]:
            errors.add_row(
                escape(suspect.id),
                escape(suspect.premise),
                escape(suspect.hypothesis),
                suspect.gold,
                suspect.model_label,
                votes_text(suspect.votes),
                f"{suspect.confidence:.2f}",
                escape("; ".join(suspect.reasons)),
            )
        parts.append(errors)
    else:
        parts.append(Text("no possible label errors among the hard-to-learn pairs", style="dim"))
    return Group(*parts)


def points_table(points: Sequence[MapPoint], *, title: str) -> Table:
    """Pairs with their votes and, per map, the label the model chose and its coordinates."""
    names = list(dict.fromkeys(name for point in points for name in point.positions))
    table = Table(title=escape(title), title_justify="left")
    for column in ("id", "premise", "hypothesis", "gold", "votes"):
        table.add_column(column)
    for name in names:
        table.add_column(f"{escape(name)}: label · conf · var · corr")
    for point in points:
        cells = [
            escape(point.id),
            escape(point.premise),
            escape(point.hypothesis),
            point.gold,
            votes_text(point.votes),
        ]
        for name in names:
            where = point.positions.get(name)
            cells.append(
                "–"
                if where is None
                else f"{where.label} · {where.confidence:.2f} · {where.variability:.2f} · "
                f"{where.correctness:.2f}"
            )
        table.add_row(*cells)
    return table


def crossing_table(crossing: RegionCrossing) -> Table:
    """Pairs by their region on map `a` (rows) and map `b` (columns)."""
    same = crossing.same
    table = Table(
        title=f"Regions: {escape(crossing.a)} (rows) × {escape(crossing.b)} (columns) · "
        f"{crossing.shared:,} shared pairs"
        + ("" if same is None else f", {same:.1%} in the same region"),
        title_justify="left",
    )
    table.add_column(f"{escape(crossing.a)} \\ {escape(crossing.b)}")
    for name in REGION_NAMES:
        table.add_column(name, justify="right")
    for name, row in zip(REGION_NAMES, crossing.counts, strict=True):
        table.add_row(name, *(f"{count:,}" for count in row))
    return table


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
