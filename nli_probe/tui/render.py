"""Rich renderables the TUI panes share: label names, probability rows, pair details.

Plain rich (no textual), so they render the same in any console and in tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nli_probe.core.example import Example
from nli_probe.core.labels import LABELS, Label
from nli_probe.core.prediction import Prediction
from nli_probe.tui.plot import horizontal_bar

SHORT = {Label.ENTAILMENT: "ent", Label.NEUTRAL: "neu", Label.CONTRADICTION: "con"}
LABEL_STYLE = {Label.ENTAILMENT: "green", Label.NEUTRAL: "yellow", Label.CONTRADICTION: "red"}


def label_text(label: int, *, short: bool = True) -> Text:
    """A label's name in its colour; `-` for none (a negative value)."""
    if label < 0:
        return Text("-", style="dim")
    value = Label(label)
    return Text(SHORT[value] if short else str(value), style=LABEL_STYLE[value])


def fmt(value: float | None, digits: int = 3) -> str:
    """A score for a table cell; `–` where there is none."""
    return "–" if value is None else f"{value:.{digits}f}"


def prob_table(
    rows: Sequence[tuple[str, tuple[float, float, float], int]],
    *,
    marks: Sequence[Text | None] | None = None,
) -> Table:
    """One row per source (human, each model): a bar per label, the label chosen marked.

    `rows` holds (name, probabilities in `Label` order, gold label or -1); a model row whose
    top label differs from gold is marked with ✗. `marks`, one per row, replace those marks
    (a probe's verdict, which is not always "top label = gold").
    """
    table = Table(box=None, pad_edge=False, show_edge=False, expand=False)
    # A named first column: a header line starting with blanks loses them in a textual Static.
    table.add_column("p(label)", style="bold", no_wrap=True)
    for label in LABELS:
        table.add_column(SHORT[label], style=LABEL_STYLE[label], no_wrap=True)
    table.add_column("")
    for index, (name, probs, gold) in enumerate(rows):
        top = max(range(3), key=lambda i: probs[i])
        cells: list[RenderableType] = [Text(name)]
        for label in LABELS:
            cell = horizontal_bar(probs[label], 8, style=LABEL_STYLE[label])
            cell.append(f" {probs[label]:.2f}", style="bold" if label == top else "")
            cells.append(cell)
        mark = Text("")
        if marks is not None:
            mark = marks[index] or Text("")
        elif gold >= 0:
            mark = Text("✓", style="green") if top == gold else Text("✗", style="bold red")
        cells.append(mark)
        table.add_row(*cells)
    return table


def example_details(
    example: Example, predictions: Sequence[tuple[str, Prediction | None]]
) -> RenderableType:
    """Everything about one pair: text, gold, annotators, and every model's probabilities."""
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    head.add_row("id", example.id)
    head.add_row("premise", example.premise)
    head.add_row("hypothesis", example.hypothesis)
    head.add_row("gold", label_text(-1 if example.gold is None else example.gold, short=False))
    letters = "".join(label.short for label in example.annotator_labels) or "–"
    agreement = example.agreement
    if agreement is not None:
        letters += f"  ({agreement[0]}/{agreement[1]} agree)"
    head.add_row("annotators", letters)
    if example.source:
        head.add_row("source", example.source)
    gold = -1 if example.gold is None else int(example.gold)
    rows: list[tuple[str, tuple[float, float, float], int]] = []
    human = example.human_distribution
    if human is not None:
        rows.append(("humans", human, -1))
    missing: list[str] = []
    for name, prediction in predictions:
        if prediction is None:
            missing.append(name)
        else:
            rows.append((name, prediction.probs, gold))
    parts: list[RenderableType] = [head, Text(""), prob_table(rows)]
    if missing:
        parts.append(Text(f"no prediction from: {', '.join(missing)}", style="dim"))
    return Group(*parts)
