"""The Suites pane: every probe's failure rate per model; enter opens the probe's failing
cases (original → variant, both predictions, every model); enter on a case shows it in full."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from nli_probe.core.prediction import Prediction
from nli_probe.core.report import Report
from nli_probe.core.suite_run import Outcome
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.probes import CaseRow, ProbeRow, failing_cases, probe_models, probe_rows
from nli_probe.tui.render import label_text, prob_table

CASE_LIMIT = 2000
"""Failing cases listed per probe; the count line says when there are more."""


class SuitesPane(Vertical):
    """Probes (rows) by models (failure-rate columns), worst probe first."""

    MAIN_CONTROL = "#suites-table"
    """What gets the focus when the pane's tab opens."""

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.rows: list[ProbeRow] = []
        self.models: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="suites-hint")
        yield DataTable(id="suites-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.show(self.report)

    def show(self, report: Report) -> None:
        """List the probes of `report`'s suite runs."""
        self.report = report
        self.rows = sorted(probe_rows(report), key=lambda row: -row.worst_rate())
        self.models = probe_models(report)
        table = self.query_one("#suites-table", DataTable)
        table.clear(columns=True)
        hint = self.query_one("#suites-hint", Static)
        if not self.rows:
            hint.update(
                Text(
                    "no probe results in this report: run a suite from the Run tab "
                    "(6) or with `nli-probe probe`",
                    style="dim",
                )
            )
            return
        hint.update(
            Text(
                f"{len(self.rows)} probes · failure rate = failed / tested · enter: failing cases",
                style="dim",
            )
        )
        table.add_column("suite/probe", key="probe")
        table.add_column("kind", key="kind")
        for model in self.models:
            table.add_column(model, key=f"model:{model}")
        table.add_column("capability", key="capability")
        for row in self.rows:
            cells: list[Any] = [row.key, row.kind]
            for model in self.models:
                run = row.runs.get(model)
                if run is None or run.failure_rate is None:
                    cells.append(Text("–", style="dim"))
                else:
                    rate = run.failure_rate
                    style = "green" if rate < 0.05 else "yellow" if rate < 0.2 else "red"
                    cells.append(
                        Text(f"{rate:6.1%} {run.failed:>5,}/{run.tested:<5,}", style=style)
                    )
            cells.append(row.capability)
            table.add_row(*cells)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self.open_probe(self.rows[event.cursor_row])

    def open_probe(self, row: ProbeRow) -> None:
        """Show the failing cases of `row`'s probe."""
        self.app.push_screen(CasesScreen(row, self.models))


class CasesScreen(ModalScreen[None]):
    """The failing cases of one probe: one row per variant some model failed."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, row: ProbeRow, models: list[str]) -> None:
        super().__init__()
        self.row = row
        self.models = [model for model in models if model in row.runs]
        self.cases = failing_cases(row, self.models)

    def compose(self) -> ComposeResult:
        with Vertical(id="cases-box"):
            yield Static(self._title(), id="cases-title")
            yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)

    def _title(self) -> Text:
        row = self.row
        shown = min(len(self.cases), CASE_LIMIT)
        more = f" (first {shown:,})" if len(self.cases) > CASE_LIMIT else ""
        title = Text.assemble(
            (row.key, "bold"),
            f" · {row.kind} · {len(self.cases):,} failing variant(s){more}",
        )
        if row.description:
            title.append(f"\n{row.description}", style="dim")
        title.append("\nenter: the case in full · esc: back", style="dim")
        return title

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("variant ← original", key="text", width=32)
        table.add_column("expect", key="expect")
        for model in self.models:
            table.add_column(model, key=f"model:{model}")
        table.add_rows(self._cells(case) for case in self.cases[:CASE_LIMIT])
        table.focus()

    def _cells(self, case: CaseRow) -> list[Any]:
        cells: list[Any] = [_change(case), label_text(case.implied)]
        cells += [_verdict(case.outcomes.get(model)) for model in self.models]
        return cells

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < min(len(self.cases), CASE_LIMIT):
            case = self.cases[event.cursor_row]
            self.app.push_screen(ExampleDetail(case_view(case, self.models)))


def _short(prediction: Prediction | None) -> Text:
    if prediction is None:
        return Text("-", style="dim")
    text = label_text(int(prediction.label))
    text.append(f" {prediction.confidence:.2f}".replace("0.", ".", 1))
    return text


def _verdict(outcome: Outcome | None) -> Text:
    """`ent .91 → con .62 ✗` for one model's outcome."""
    if outcome is None:
        return Text("not run", style="dim")
    text = _short(outcome.before)
    text.append(" → ")
    text.append_text(_short(outcome.after))
    marks = {"failed": (" ✗", "bold red"), "passed": (" ✓", "green")}
    mark, style = marks.get(outcome.status, (" ·", "dim"))
    text.append(mark, style=style)
    return text


def _change(case: CaseRow) -> str:
    """The edited side of the pair, variant first so a narrow column shows the change
    (`H: variant ← original`; the hypothesis when both sides changed)."""
    if case.variant_hypothesis != case.hypothesis or case.variant_premise == case.premise:
        side = f"H: {case.variant_hypothesis} ← {case.hypothesis}"
    else:
        side = f"P: {case.variant_premise} ← {case.premise}"
    if case.variant_premise != case.premise and case.variant_hypothesis != case.hypothesis:
        side += "  (premise edited too)"
    return side


def case_view(case: CaseRow, models: list[str]) -> RenderableType:
    """One failing case in full: both pairs, and each model's probabilities before and after."""
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    head.add_row("example", case.example_id)
    head.add_row("premise", case.premise)
    head.add_row("hypothesis", case.hypothesis)
    head.add_row("gold", label_text(case.gold, short=False))
    head.add_row("variant premise", case.variant_premise)
    head.add_row("variant hypoth.", case.variant_hypothesis)
    head.add_row("variant expects", label_text(case.implied, short=False))
    if case.note:
        head.add_row("change", case.note)
    rows: list[tuple[str, tuple[float, float, float], int]] = []
    verdicts: list[str] = []
    for model in models:
        outcome = case.outcomes.get(model)
        if outcome is None:
            continue
        if outcome.before is not None:
            rows.append((f"{model} before", outcome.before.probs, case.gold))
        if outcome.after is not None:
            rows.append((f"{model} after", outcome.after.probs, case.implied))
        verdicts.append(f"{model}: {outcome.status.replace('_', ' ')}")
    return Group(head, Text(""), prob_table(rows), Text(" · ".join(verdicts), style="dim"))
