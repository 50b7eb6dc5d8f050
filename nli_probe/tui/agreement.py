"""The Agreement pane: scores per annotator-agreement level with bars, and the low-agreement
pairs with the human distribution next to each model's probabilities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.box import SIMPLE_HEAD
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from nli_probe.core.report import Report
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.render import bar, fmt, label_text, prob_table

if TYPE_CHECKING:
    from nli_probe.scoring.scores import LowAgreementPair, ReportScores

BAR = 10
"""Cells per accuracy bar, at most (fewer with many models in a narrow terminal)."""


class AgreementPane(Vertical):
    """Per-level table on top, the low-agreement pairs below (enter: the pair in full)."""

    MAIN_CONTROL = "#low-table"
    """What gets the focus when the pane's tab opens."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.pairs: tuple[LowAgreementPair, ...] = ()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="levels-box"):
            yield Static(Text("computing scores…", style="dim"), id="agreement-body")
        yield Static(id="agreement-hint")
        yield DataTable(id="low-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#low-table", DataTable)
        for name in ("level", "entropy", "gold", "humans e/n/c", "hypothesis", "premise"):
            table.add_column(name, key=name)
        # Scores that arrived while this pane was mounting (it mounts after the first frame).
        self.call_after_refresh(self._catch_up)

    def _catch_up(self) -> None:
        scores = getattr(self.app, "scores", None)
        if scores is not None:
            self.show(getattr(self.app, "report", self.report), scores)

    def show(self, report: Report, scores: ReportScores | None) -> None:
        """Show the per-level scores and low-agreement pairs of `scores`."""
        if not self.is_mounted:
            return  # `_catch_up` shows them once mounted
        self.report = report
        body = self.query_one("#agreement-body", Static)
        table = self.query_one("#low-table", DataTable)
        table.clear()
        if scores is None or not scores.models:
            body.update(Text("no model scores to break down", style="dim"))
            self.pairs = ()
            return
        body.update(levels_view(scores, width=self.size.width or 100))
        self.pairs = scores.low_agreement
        for pair in self.pairs:
            human = "/".join(f"{share:.1f}" for share in pair.human)
            gold = -1 if pair.gold is None else _label_value(pair.gold)
            table.add_row(
                pair.level,
                f"{pair.entropy:.2f}",
                label_text(gold),
                human,
                pair.hypothesis,
                pair.premise,
            )
        self.query_one("#agreement-hint", Static).update(
            Text(
                f"{len(self.pairs)} least-agreed pairs (highest human entropy) · "
                "enter: humans vs each model",
                style="dim",
            )
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.pairs):
            self.app.push_screen(ExampleDetail(pair_view(self.pairs[event.cursor_row])))


def _label_value(name: str) -> int:
    from nli_probe.core.labels import parse_label

    return int(parse_label(name))


def levels_view(scores: ReportScores, *, width: int = 100) -> RenderableType:
    """Accuracy per agreement level, one bar per model, with the human ceiling; then each
    model's fit to the human distribution (Jensen-Shannon distance, lower is closer).

    Bars shrink with the number of models so that the table fits in `width` cells."""
    models = scores.models
    # ~40 cells for level, pairs and humans; each model needs its bar plus " 0.000" and padding.
    bar_width = max(3, min(BAR, (width - 40) // max(len(models), 1) - 8))
    levels = [level.level for level in models[0].agreement.levels]
    accuracy = Table(
        title="accuracy by annotator agreement", title_justify="left", expand=False, box=SIMPLE_HEAD
    )
    accuracy.add_column("level", style="bold", no_wrap=True)
    accuracy.add_column("pairs", justify="right")
    accuracy.add_column("humans", justify="right", style="dim")
    for model in models:
        accuracy.add_column(model.name, no_wrap=True)
    fit = Table(
        title="fit to the human distribution (JSD, lower is closer)",
        title_justify="left",
        box=SIMPLE_HEAD,
    )
    fit.add_column("level", style="bold", no_wrap=True)
    for model in models:
        fit.add_column(model.name, justify="right")
    for name in [*levels, "all"]:
        found = [
            model.agreement.overall if name == "all" else _level(model, name) for model in models
        ]
        first = next((level for level in found if level is not None), None)
        if first is None:
            continue
        cells: list[RenderableType] = []
        for level in found:
            if level is None or level.accuracy is None:
                cells.append(Text("–", style="dim"))
                continue
            cell = bar(level.accuracy, bar_width)
            cell.append(f" {level.accuracy:.3f}")
            cells.append(cell)
        accuracy.add_row(name, f"{first.count:,}", fmt(first.human_agreement), *cells)
        fit.add_row(name, *(fmt(None if lv is None else lv.fit.jsd) for lv in found))
    note = Text(
        "humans: how often one annotator agrees with the others' majority (a ceiling)",
        style="dim",
    )
    return Group(accuracy, note, Text(""), fit)


def _level(model: Any, name: str) -> Any:
    for level in model.agreement.levels:
        if level.level == name:
            return level
    return None


def pair_view(pair: LowAgreementPair) -> RenderableType:
    """A low-agreement pair: its text, and humans vs every model as probability bars."""
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    head.add_row("id", pair.id)
    head.add_row("premise", pair.premise)
    head.add_row("hypothesis", pair.hypothesis)
    gold = -1 if pair.gold is None else _label_value(pair.gold)
    head.add_row("gold", label_text(gold, short=False))
    head.add_row(
        "agreement", f"{pair.level} of {pair.annotators} · entropy {pair.entropy:.2f} bits"
    )
    rows = [("humans", pair.human, -1)]
    rows += [(view.name, view.probs, -1) for view in pair.models]
    jsd = Text(
        "JSD to humans: " + ", ".join(f"{view.name} {view.jsd:.3f}" for view in pair.models),
        style="dim",
    )
    return Group(head, Text(""), prob_table(rows), jsd)
