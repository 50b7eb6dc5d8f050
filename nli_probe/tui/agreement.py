"""The Agreement pane: scores per annotator-agreement level with bars, and the least-agreed pairs
with every model's prediction beside the human distribution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.box import SIMPLE_HEAD
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import DataTable, Static

from nli_probe.core.labels import parse_label
from nli_probe.core.report import Report
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.export import example_records
from nli_probe.tui.paged_table import PagedTable
from nli_probe.tui.pair_actions import PAIR_BINDINGS, ExportSource, PairActions, PairRef
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.plot import horizontal_bar as bar
from nli_probe.tui.render import fmt, label_text, prob_table
from nli_probe.tui.table import ExampleTable

if TYPE_CHECKING:
    from nli_probe.scoring.scores import LowAgreementPair, ModelScores, ReportScores

BAR = 10
"""Cells per accuracy bar, at most (fewer with many models in a narrow terminal)."""
LEAST_AGREED = 1000
"""Least-agreed pairs listed (the scores keep 50; this list is scored when the pane shows)."""


class AgreementPane(PairActions, PaneHooks, Vertical):
    """Per-level table on top, the least-agreed pairs below (enter: the pair in full)."""

    MAIN_CONTROL = "#low-table"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [*PAIR_BINDINGS]

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.pairs: tuple[LowAgreementPair, ...] = ()
        self.models: list[str] = []
        self.scores: ReportScores | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="levels-box"):
            yield Static(Text("computing scores…", style="dim"), id="agreement-body")
        yield Static(id="agreement-hint")
        yield PagedTable(id="low-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        # Scores that arrived while this pane was mounting (it mounts after the first frame).
        self.call_after_refresh(self._catch_up)

    def _catch_up(self) -> None:
        scores = getattr(self.app, "scores", None)
        if scores is None:
            return
        try:
            self.show(getattr(self.app, "report", self.report), scores)
        except NoMatches:
            # The app quit while this pane was mounting (`q` on the first frame): its children
            # were removed before this callback ran, so there is nothing left to show them in.
            return

    def scores_changed(self, report: Report, scores: ReportScores | None) -> None:
        self.show(report, scores)

    def on_resize(self) -> None:
        # The bars fit the width: redraw them at the new one (the pane is 0 wide while hidden).
        if self.scores is not None and self.scores.models and self.size.width:
            body = self.query_one("#agreement-body", Static)
            if self.query_one("#low-table").display:
                body.update(levels_view(self.scores, width=self.size.width))

    def report_changed(self, report: Report, table: ExampleTable) -> None:
        self.report = report

    def show(self, report: Report, scores: ReportScores | None) -> None:
        """Show the per-level scores of `scores`, then list `report`'s least-agreed pairs."""
        if not self.is_mounted:
            return  # `_catch_up` shows them once mounted
        self.report = report
        body = self.query_one("#agreement-body", Static)
        hint = self.query_one("#agreement-hint", Static)
        table = self.query_one("#low-table", PagedTable)
        table.clear(columns=True)
        self.pairs = ()
        if scores is None or not scores.models:
            body.update(Text("no model scores to break down", style="dim"))
            hint.update("")
            return
        unannotated = scores.models[0].agreement.unannotated
        if not any(model.agreement.overall.count for model in scores.models):
            body.update(no_votes_view(scores.count, unannotated))
            hint.update("")
            table.display = False
            return
        table.display = True
        self.scores = scores
        body.update(levels_view(scores, width=self.size.width or 100))
        hint.update(Text("finding the least-agreed pairs…", style="dim"))
        self.list_pairs(report)

    # A description: without one, textual writes repr() of every argument, here the whole report
    # (0.26 s on the UI thread for 10,000 pairs; benchmarks/bench_tui.py).
    @work(thread=True, exclusive=True, group="least-agreed", description="least-agreed pairs")
    def list_pairs(self, report: Report) -> None:
        """Score the least-agreed pairs of `report` (a worker thread) and list them."""
        from nli_probe.scoring.scores import least_agreed

        pairs = least_agreed(report, limit=LEAST_AGREED)
        self.app.call_from_thread(self._fill, report, pairs)

    def _fill(self, report: Report, pairs: tuple[LowAgreementPair, ...]) -> None:
        if report is not self.report:
            return  # a newer report is on its way
        self.pairs = pairs
        self.models = [run.name for run in report.models]
        table = self.query_one("#low-table", PagedTable)
        table.clear(columns=True)
        for name in ("level", "entropy", "gold", "humans e/n/c", *self.models):
            table.add_column(name)
        table.add_column("hypothesis", width=36)
        table.add_column("premise", width=48)
        table.show_rows(len(pairs), lambda n: self._cells(pairs[n]))
        self.query_one("#agreement-hint", Static).update(
            Text(
                f"{len(pairs):,} least-agreed pairs, most disputed first · ✓/✗ vs gold · "
                "enter: in full",
                style="dim",
            )
        )

    def _cells(self, pair: LowAgreementPair) -> list[Any]:
        human = "/".join(f"{share:.1f}" for share in pair.human)
        gold = _label_value(pair.gold)
        cells: list[Any] = [pair.level, f"{pair.entropy:.2f}", label_text(gold), human]
        for name in self.models:
            view = pair.view(name)
            if view is None:
                cells.append(Text("-", style="dim"))
                continue
            label = _label_value(view.label)
            cell = label_text(label)
            cell.append(f" {max(view.probs):.2f}")
            if gold >= 0:
                cell.append(
                    " ✓" if label == gold else " ✗", style="green" if label == gold else "bold red"
                )
            cells.append(cell)
        return [*cells, pair.hypothesis, pair.premise]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = self.query_one("#low-table", PagedTable).start + event.cursor_row
        if 0 <= index < len(self.pairs):
            self.app.push_screen(ExampleDetail(pair_view(self.pairs[index])))

    # -- PairActions ------------------------------------------------------------------------

    def current_pair(self) -> PairRef | None:
        index = self.query_one("#low-table", PagedTable).cursor_index
        if index is None or index >= len(self.pairs):
            return None
        pair = self.pairs[index]
        gold = _label_value(pair.gold)
        return PairRef(
            id=pair.id,
            premise=pair.premise,
            hypothesis=pair.hypothesis,
            gold=None if gold < 0 else gold,
        )

    def export_source(self) -> ExportSource | None:
        report, ids = self.report, [pair.id for pair in self.pairs]
        return ExportSource(
            what="least-agreed-pairs",
            count=len(ids),
            records=lambda: example_records(report, ids),
        )


@register_pane(id="agreement", title="Agreement", order=20)
def agreement_pane(app: Workbench) -> Widget:
    return AgreementPane(app.report)


def _label_value(name: str | None) -> int:
    return -1 if name is None else int(parse_label(name))


def no_votes_view(pairs: int, unannotated: int) -> RenderableType:
    """What the pane says for data without annotator votes (HANS, MultiNLI, most test sets)."""
    return Group(
        Text("no annotator votes in this data", style="bold"),
        Text(
            f"{unannotated:,} of {pairs:,} pairs carry no annotator labels, so there is no "
            "agreement level to break the scores down by and no human distribution to compare "
            "with. SNLI dev/test (5 votes per pair) and ChaosNLI (100) have them.",
            style="dim",
        ),
    )


def levels_view(scores: ReportScores, *, width: int = 100) -> RenderableType:
    """Accuracy per agreement level, a bar per model, with the human ceiling, and each model's
    fit to the human distribution (Jensen-Shannon distance, lower is closer) in the same cell,
    so the whole view fits a small terminal.

    Bars shrink with the number of models so that the table fits in `width` cells. When the
    models were scored on different pairs (runs merged from different data), `pairs` and
    `humans` show each model's own value, in model order."""
    models = scores.models
    # ~30 cells for level, pairs and humans with padding; each model: bar, " 0.875  0.214", padding.
    bar_width = max(3, min(BAR, (width - 36) // max(len(models), 1) - 15))
    levels = list(dict.fromkeys(lv.level for m in models for lv in m.agreement.levels))
    table = Table(
        title="accuracy (bars) and JSD by annotator agreement",
        title_justify="left",
        expand=False,
        box=SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1),
    )
    table.add_column("level", style="bold", no_wrap=True)
    table.add_column("pairs", justify="right", no_wrap=True)
    table.add_column("humans", justify="right", style="dim", no_wrap=True)
    for model in models:
        table.add_column(f"{model.name}: acc, JSD", no_wrap=True)
    for name in [*levels, "all"]:
        found = [
            model.agreement.overall if name == "all" else _level(model, name) for model in models
        ]
        if all(level is None for level in found):
            continue
        cells: list[RenderableType] = []
        for level in found:
            if level is None:
                cells.append(Text("–", style="dim"))
                continue
            cell = (
                bar(level.accuracy or 0.0, bar_width)
                if level.accuracy is not None
                else Text("–".ljust(bar_width), style="dim")
            )
            cell.append(f" {fmt(level.accuracy)}")
            cell.append(f"  {fmt(level.fit.jsd)}", style="dim")
            cells.append(cell)
        table.add_row(name, _per_model(found, "count"), _per_model(found, "human"), *cells)
    note = Text(
        "humans: one annotator against the others' majority (a ceiling) · JSD: "
        "Jensen-Shannon distance to the human labels (lower is closer)",
        style="dim",
    )
    if _differ(models):
        note.append(
            "\npairs and humans per model (" + " / ".join(m.name for m in models) + "): "
            "the models were scored on different pairs",
            style="yellow",
        )
    return Group(table, note)


def _differ(models: tuple[ModelScores, ...]) -> bool:
    counts = {m.agreement.overall.count for m in models}
    return len(counts) > 1


def _per_model(found: list[Any], what: str) -> str:
    """One value when every model has the same, else each model's, `/`-separated."""
    values = []
    for level in found:
        if level is None:
            values.append("–")
        elif what == "count":
            values.append(f"{level.count:,}")
        else:
            values.append(fmt(level.human_agreement))
    return values[0] if len(set(values)) == 1 else " / ".join(values)


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
    gold = _label_value(pair.gold)
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
