"""Plots in the terminal: column charts (histograms, reliability diagrams) and horizontal bar
charts, as rich renderables that fit the width they are given.

Shared by every pane that plots (the Plots pane, and panes added later: slices, data maps).
Plain rich on Textual's own primitives (block characters in eighths of a cell, the theme's
label colours), no plotting dependency: our plots are all bars over a few categories, the same
renderables print in any console and in tests, and snapshots do not depend on another library's
drawing. The numbers come from the caller (the scores): nothing here computes a score.

    from nli_probe.tui.plot import BarChart, ColumnChart, Series

    ColumnChart(["0.0", "0.1", ...], [Series(name="full", values=accuracies,
                markers=confidences)], height=8, title="reliability")
    BarChart(["5/5", "4/5", "3/5"], [Series(name="full", values=[0.95, 0.88, 0.61])])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

__all__ = ["SERIES_STYLES", "BarChart", "ColumnChart", "Series"]

SERIES_STYLES = ("cyan", "magenta", "yellow", "green", "blue", "red")
"""Colours of the series in order (a series may name its own)."""

_VERTICAL = " ▁▂▃▄▅▆▇█"
_HORIZONTAL = " ▏▎▍▌▋▊▉█"
MARKER = "━"
"""Drawn where a series' marker value falls (the diagonal of a reliability diagram)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Series:
    """One series: a value per category (None: nothing to draw), optional markers."""

    name: str
    values: Sequence[float | None]
    style: str = ""
    """Its colour (default: the next of `SERIES_STYLES`)."""
    markers: Sequence[float | None] = field(default_factory=tuple)
    """A reference value per category, drawn as a line across the column (a reliability
    diagram's mean confidence: where the bar would end for a calibrated model)."""


def _styles(series: Sequence[Series]) -> list[str]:
    return [s.style or SERIES_STYLES[i % len(SERIES_STYLES)] for i, s in enumerate(series)]


def _legend(series: Sequence[Series], styles: Sequence[str], marker: str | None) -> Text:
    legend = Text()
    for s, style in zip(series, styles, strict=True):
        legend.append("█ ", style=style)
        legend.append(f"{s.name}  ")
    if marker:
        legend.append(f"{MARKER} {marker}", style="bold")
    legend.rstrip()
    return legend


class ColumnChart:
    """Vertical columns: one group per category, one column per series, a y axis on the left.

    Args:
        categories: the x axis labels (shown where they fit, else every other one ...).
        series: the values to draw; each the same length as `categories`.
        height: rows of the plot area.
        y_max: the top of the y axis (default: the largest value, at least 1e-9).
        y_format: how the axis' top and middle are written.
        title: a line above the plot.
        marker: what the markers mean, for the legend (None: no markers drawn).
    """

    def __init__(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        height: int = 8,
        y_max: float | None = None,
        y_format: str = "{:.1f}",
        title: str = "",
        marker: str | None = None,
    ) -> None:
        self.categories = list(categories)
        self.series = list(series)
        self.height = max(2, height)
        known = [v for s in self.series for v in (*s.values, *s.markers) if v is not None]
        self.y_max = y_max if y_max is not None else max([*known, 1e-9])
        self.y_format = y_format
        self.title = title
        self.marker = marker

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        styles = _styles(self.series)
        axis_labels = [self.y_format.format(self.y_max), self.y_format.format(self.y_max / 2)]
        axis = max(len(label) for label in axis_labels) + 1
        groups = max(len(self.categories), 1)
        per_series = max(1, len(self.series))
        # Each group: one column per series, `column` cells wide, then one blank.
        room = options.max_width - axis - 1
        column = max(1, min(4, (room // groups - 1) // per_series))
        group_width = column * per_series + 1
        if self.title:
            yield Text(self.title, style="bold")
        for row in range(self.height - 1, -1, -1):
            line = Text()
            if row == self.height - 1:
                label = axis_labels[0]
            elif row == (self.height - 1) // 2:
                label = axis_labels[1]
            else:
                label = ""
            line.append(f"{label:>{axis - 1}} ", style="dim")
            line.append("│", style="dim")
            for index in range(len(self.categories)):
                for s, style in zip(self.series, styles, strict=True):
                    char, char_style = self._cell(s, index, row, style)
                    line.append(char * column, style=char_style)
                line.append(" ")
            line.rstrip()
            yield line
        base = Text(" " * axis + "└" + "─" * (group_width * groups), style="dim")
        yield base
        yield self._x_labels(axis + 1, group_width)
        if len(self.series) > 1 or self.marker:
            yield _legend(self.series, styles, self.marker)

    def _cell(self, s: Series, index: int, row: int, style: str) -> tuple[str, str]:
        """(character, style) of one cell of series `s`'s column `index` at plot row `row`."""
        value = s.values[index] if index < len(s.values) else None
        marker = s.markers[index] if self.marker and index < len(s.markers) else None
        if marker is not None and _row_of(marker, self.y_max, self.height) == row:
            return MARKER, "bold"
        if value is None:
            return " ", ""
        eighths = round(min(max(value / self.y_max, 0.0), 1.0) * self.height * 8)
        filled = eighths - row * 8
        if filled >= 8:
            return "█", style
        if filled > 0:
            return _VERTICAL[filled], style
        return " ", ""

    def _x_labels(self, indent: int, group_width: int) -> Text:
        widest = max((len(c) for c in self.categories), default=0)
        stride = 1
        while stride * group_width < widest + 1 and stride < len(self.categories):
            stride += 1
        line = Text(" " * indent, style="dim")
        for index, category in enumerate(self.categories):
            if index % stride == 0:
                cell = category[: stride * group_width - 1]
                line.append(f"{cell:<{stride * group_width}}", style="dim")
        line.rstrip()
        return line


def _row_of(value: float, top: float, height: int) -> int:
    """The plot row (0 = bottom) whose span holds `value`."""
    return min(height - 1, max(0, int(value / top * height - 1e-9)))


class BarChart:
    """Horizontal bars: a block of rows per category, a bar per series, the value after it.

    Args:
        categories: row labels.
        series: the values (each the same length as `categories`); None draws `–`.
        x_max: the value of a full bar.
        value_format: how values are written after their bar.
        title: a line above the chart.
        bar_width: cells of a full bar (default: what the width leaves, at most 30).
    """

    def __init__(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        x_max: float = 1.0,
        value_format: str = "{:.3f}",
        title: str = "",
        bar_width: int | None = None,
    ) -> None:
        self.categories = list(categories)
        self.series = list(series)
        self.x_max = x_max if x_max > 0 else 1.0
        self.value_format = value_format
        self.title = title
        self.bar_width = bar_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        styles = _styles(self.series)
        several = len(self.series) > 1
        label_width = max((len(c) for c in self.categories), default=0)
        name_width = max((len(s.name) for s in self.series), default=0) if several else 0
        value_width = len(self.value_format.format(self.x_max)) + 1
        room = options.max_width - label_width - name_width - value_width - 3
        width = self.bar_width or max(4, min(30, room))
        if self.title:
            yield Text(self.title, style="bold")
        for index, category in enumerate(self.categories):
            for number, (s, style) in enumerate(zip(self.series, styles, strict=True)):
                line = Text(f"{category if number == 0 else '':<{label_width}} ", style="bold")
                if several:
                    line.append(f"{s.name:<{name_width}} ", style=style)
                value = s.values[index] if index < len(s.values) else None
                if value is None:
                    line.append("–", style="dim")
                else:
                    line.append_text(horizontal_bar(value / self.x_max, width, style=style))
                    line.append(" " + self.value_format.format(value))
                yield line


def horizontal_bar(share: float, width: int, *, style: str = "cyan") -> Text:
    """`share` in [0, 1] as a bar `width` cells wide, in eighths of a cell, on a faint track."""
    share = min(max(share, 0.0), 1.0)
    full, part = divmod(round(share * width * 8), 8)
    body = "█" * full + (_HORIZONTAL[part] if part else "")
    text = Text(body, style=style)
    # A faint track keeps the bar's width visible (rich would otherwise trim trailing blanks).
    text.append("·" * (width - len(body)), style="dim")
    return text
