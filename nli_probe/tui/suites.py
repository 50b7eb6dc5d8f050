"""The Suites pane: every probe's failure rate per model; enter opens the probe's failing
cases (the edit highlighted against the original, what the verdict is judged against, each
model's before → after with flips marked), or for an attack probe its adversarial examples
(each model's own, the edit highlighted); enter on a case shows it in full."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from nli_probe.core.report import Report
from nli_probe.core.suite_run import Outcome, ProbeRun
from nli_probe.tui.diff import pair_edit
from nli_probe.tui.examples import ExampleDetail
from nli_probe.tui.export import case_records
from nli_probe.tui.pair_actions import PAIR_BINDINGS, ExportSource, PairActions, PairRef
from nli_probe.tui.panes import PaneHooks, Workbench, register_pane
from nli_probe.tui.probes import (
    AdversarialCase,
    CaseRow,
    ProbeRow,
    adversarial_cases,
    failing_cases,
    probe_models,
    probe_rows,
)
from nli_probe.tui.render import label_text, prob_table
from nli_probe.tui.table import ExampleTable
from nli_probe.tui.verdicts import Judged, judged_against

CASE_LIMIT = 2000
"""Failing cases listed per probe; the count line says when there are more (export has all)."""

FLIP_STYLE = "bold reverse"
"""How a prediction that changed from the original's is marked (`ent→con`)."""

_MARKS = {"failed": ("✗", "bold red"), "passed": ("✓", "green")}


class SuitesPane(PairActions, PaneHooks, Vertical):
    """Probes (rows) by models (failure-rate columns), worst probe first; a click on a column
    header sorts by it."""

    MAIN_CONTROL = "#suites-table"
    """What gets the focus when the pane's tab opens."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "export", "Export cases")]

    def __init__(self, report: Report, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.rows: list[ProbeRow] = []
        self.models: list[str] = []
        self.sort: tuple[str, bool] = ("worst", True)
        """(column key, descending) the probes are listed by."""

    def compose(self) -> ComposeResult:
        yield Static(id="suites-hint")
        yield DataTable(id="suites-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.show(self.report)

    def report_changed(self, report: Report, table: ExampleTable) -> None:
        self.show(report)

    def show(self, report: Report) -> None:
        """List the probes of `report`'s suite runs."""
        self.report = report
        self.models = probe_models(report)
        self.rows = self._sorted(probe_rows(report))
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
        opens = "failing cases"
        if any(row.is_attack for row in self.rows):
            opens = "failing cases (an attack's: its adversarial pairs)"
        hint.update(
            Text(
                f"{len(self.rows)} probes · failed/tested · enter: {opens} · e: export them",
                style="dim",
            )
        )
        key, descending = self.sort
        arrow = " ▼" if descending else " ▲"

        def header(name: str, column: str) -> str:
            return name + (arrow if column == key else "")

        table.add_column(header("suite/probe", "probe"), key="probe")
        table.add_column(header("kind", "kind"), key="kind")
        for model in self.models:
            table.add_column(header(model, f"model:{model}"), key=f"model:{model}")
        table.add_column(header("capability", "capability"), key="capability")
        for row in self.rows:
            cells: list[Any] = [row.key, row.kind]
            cells += [_rate_cell(row, model) for model in self.models]
            cells.append(row.capability)
            table.add_row(*cells)

    def _sorted(self, rows: list[ProbeRow]) -> list[ProbeRow]:
        key, descending = self.sort
        if key.startswith("model:"):
            model = key.removeprefix("model:")

            def rate(row: ProbeRow) -> float:
                run = row.runs.get(model)
                return -1.0 if run is None or run.failure_rate is None else run.failure_rate

            return sorted(rows, key=rate, reverse=descending)
        if key in ("probe", "kind", "capability"):
            attribute = "key" if key == "probe" else key
            return sorted(rows, key=lambda row: str(getattr(row, attribute)), reverse=descending)
        return sorted(rows, key=lambda row: row.worst_rate(), reverse=descending)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """Sort by the clicked column (rates worst first, names A to Z); again: reversed."""
        event.stop()
        key = str(event.column_key.value)
        current, descending = self.sort
        if key == current:
            self.sort = (key, not descending)
        else:
            self.sort = (key, key.startswith("model:"))
        self.show(self.report)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            self.open_probe(self.rows[event.cursor_row])

    def open_probe(self, row: ProbeRow) -> None:
        """Show the failing cases of `row`'s probe (an attack's adversarial examples)."""
        if row.is_attack:
            self.app.push_screen(AdversarialScreen(row, self.models))
        else:
            self.app.push_screen(CasesScreen(row, self.models))

    def open_probe_named(self, key: str) -> None:
        """Show the failing cases of the probe `suite/probe` (the command palette's jump)."""
        for index, row in enumerate(self.rows):
            if row.key == key:
                self.query_one("#suites-table", DataTable).move_cursor(row=index)
                self.open_probe(row)
                return
        self.notify(f"no probe {key!r} in this report", severity="warning")

    def export_source(self) -> ExportSource | None:
        table = self.query_one("#suites-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return cases_export(self.rows[table.cursor_row], self.models)


@register_pane(id="suites", title="Suites", order=30)
def suites_pane(app: Workbench) -> Widget:
    return SuitesPane(app.report)


def _rate_cell(row: ProbeRow, model: str) -> Text:
    """`12.5% 60/480`: short enough for two models and the probe name at 80 columns."""
    run = row.runs.get(model)
    if run is None or run.failure_rate is None:
        return Text("–", style="dim")
    rate = run.failure_rate
    style = "green" if rate < 0.05 else "yellow" if rate < 0.2 else "red"
    return Text(f"{rate:.1%} {run.failed:,}/{run.tested:,}", style=style)


def cases_export(row: ProbeRow, models: list[str]) -> ExportSource:
    """Every failing case of `row`'s probe (not only the first `CASE_LIMIT`), for export; an
    attack's: every adversarial pair, one per model and pair."""
    shown = [model for model in models if model in row.runs]
    if row.is_attack:
        cases = [case.as_case() for case in adversarial_cases(row, shown)]
    else:
        cases = failing_cases(row, shown)
    return ExportSource(
        what=f"cases-{row.suite}-{row.probe}",
        count=len(cases),
        records=lambda: case_records(row, cases, shown),
    )


class CasesScreen(PairActions, ModalScreen[None]):
    """The failing cases of one probe: one row per variant some model failed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close"),
        *PAIR_BINDINGS,
    ]

    def __init__(self, row: ProbeRow, models: list[str]) -> None:
        super().__init__()
        self.row = row
        self.models = [model for model in models if model in row.runs]
        self.cases = failing_cases(row, self.models)
        self.judged: Judged = judged_against(row.expectation, row.kind)

    def compose(self) -> ComposeResult:
        with Vertical(id="cases-box"):
            yield Static(self._title(), id="cases-title")
            yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)

    def _title(self) -> Text:
        row = self.row
        shown = min(len(self.cases), CASE_LIMIT)
        more = f" (first {shown:,}; e exports all)" if len(self.cases) > CASE_LIMIT else ""
        title = Text.assemble(
            (row.key, "bold"),
            f" · {row.kind} · {len(self.cases):,} failing variant(s){more}",
        )
        if row.description:
            title.append(f"\n{row.description}", style="dim")
        title.append(f"\n✓/✗: {self.judged.phrase}", style="dim")
        flips = [
            f"{model} {sum(1 for c in self.cases if _flipped(c.outcomes.get(model)))}"
            for model in self.models
        ]
        if not row.template:
            title.append("\nflipped from the original's label: " + ", ".join(flips), style="dim")
        title.append("\nenter: in full · p: to playground · e: export · esc: back", style="dim")
        return title

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The edit wraps in its column (rows grow), so it is never cut; the rest is compact:
        # the box's inside (90% of the screen, at most 110, less border and padding), less
        # `expect`, each model's `con→neu ✗`, cell padding and a scrollbar.
        inside = min(110, self.app.size.width * 9 // 10) - 4
        models = sum(max(len(model), 9) + 2 for model in self.models)
        width = max(16, inside - 10 - models - 2 - 2)
        table.add_column("edit (variant against original)", key="text", width=width)
        table.add_column("expect", key="expect")
        for model in self.models:
            table.add_column(model, key=f"model:{model}")
        for case in self.cases[:CASE_LIMIT]:
            table.add_row(*self._cells(case), height=None)
        table.focus()

    def _cells(self, case: CaseRow) -> list[Any]:
        edit = pair_edit(
            case.premise, case.hypothesis, case.variant_premise, case.variant_hypothesis
        )
        cells: list[Any] = [edit, self.judged.expect_cell(case)]
        template = bool(self.row.template)
        cells += [_verdict(case.outcomes.get(model), template=template) for model in self.models]
        return cells

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < min(len(self.cases), CASE_LIMIT):
            case = self.cases[event.cursor_row]
            self.app.push_screen(ExampleDetail(case_view(case, self.models, self.row)))

    def current_pair(self) -> PairRef | None:
        """The variant under the cursor (what failed), with the label it implies as gold."""
        table = self.query_one(DataTable)
        if not self.cases or not 0 <= table.cursor_row < len(self.cases):
            return None
        case = self.cases[table.cursor_row]
        return PairRef(
            id=case.variant_id,
            premise=case.variant_premise,
            hypothesis=case.variant_hypothesis,
            gold=case.implied if case.implied >= 0 else None,
        )

    def export_source(self) -> ExportSource | None:
        return cases_export(self.row, self.models)


class AdversarialScreen(PairActions, ModalScreen[None]):
    """An attack probe's adversarial examples: one row per pair and model the attack fooled
    (each model's search finds its own edit), the edit highlighted against the original, the
    prediction before → after, words changed and queries."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close"),
        *PAIR_BINDINGS,
    ]

    def __init__(self, row: ProbeRow, models: list[str]) -> None:
        super().__init__()
        self.row = row
        self.models = [model for model in models if model in row.runs]
        self.cases = adversarial_cases(row, self.models)

    def compose(self) -> ComposeResult:
        with Vertical(id="cases-box"):
            yield Static(self._title(), id="cases-title")
            yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)

    def _title(self) -> Text:
        row = self.row
        shown = min(len(self.cases), CASE_LIMIT)
        more = f" (first {shown:,})" if len(self.cases) > CASE_LIMIT else ""
        title = Text.assemble(
            (row.key, "bold"), f" · attack · {len(self.cases):,} adversarial example(s){more}"
        )
        first = next(iter(row.runs.values()))
        if first.attack is not None and first.attack.description:
            title.append(f"\n{first.attack.description}", style="dim")
        for model in self.models:
            title.append("\n")
            title.append_text(attack_summary(model, row.runs[model]))
        title.append("\nenter: in full · p: to playground · e: export · esc: back", style="dim")
        return title

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The edit wraps in its column (rows grow); the rest is compact (see CasesScreen).
        # The box's inside, less the other columns' widths, two cells of padding per column
        # and a scrollbar.
        inside = min(110, self.app.size.width * 9 // 10) - 4
        name = max((len(model) for model in self.models), default=5)
        width = max(16, inside - (name + len("before→after") + len("words queries")) - 10 - 2)
        table.add_column("model", key="model")
        table.add_column("edit (vs original)", key="text", width=width)
        table.add_column("before→after", key="verdict")
        table.add_column("words", key="words")
        table.add_column("queries", key="queries")
        for case in self.cases[:CASE_LIMIT]:
            table.add_row(*self._cells(case), height=None)
        table.focus()

    @staticmethod
    def _cells(case: AdversarialCase) -> list[Any]:
        outcome = case.outcome
        edit = pair_edit(
            outcome.premise, outcome.hypothesis, outcome.variant_premise, outcome.variant_hypothesis
        )
        return [case.model, edit, _verdict(outcome), str(len(outcome.edits)), str(outcome.queries)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < min(len(self.cases), CASE_LIMIT):
            self.app.push_screen(ExampleDetail(adversarial_view(self.cases[event.cursor_row])))

    def current_pair(self) -> PairRef | None:
        """The adversarial pair under the cursor, with the original's gold."""
        table = self.query_one(DataTable)
        if not self.cases or not 0 <= table.cursor_row < len(self.cases):
            return None
        outcome = self.cases[table.cursor_row].outcome
        return PairRef(
            id=self.cases[table.cursor_row].variant_id,
            premise=outcome.variant_premise,
            hypothesis=outcome.variant_hypothesis,
            gold=None if outcome.gold is None else int(outcome.gold),
        )

    def export_source(self) -> ExportSource | None:
        return cases_export(self.row, self.models)


def attack_summary(model: str, run: ProbeRun) -> Text:
    """`model: 12/20 succeeded (60.0% [38.7%-78.1%]) · accuracy 80.0% → 32.0% · 1.42 words ·
    9.3 queries`: TextAttack's summary in one line."""
    stats = run.attack_stats()
    text = Text.assemble((model, "bold"), ": ")
    if stats is None or stats.success_rate is None or stats.interval is None:
        text.append("nothing attacked", style="dim")
        return text
    low, high = stats.interval
    text.append(
        f"{stats.succeeded}/{stats.attempted} succeeded ({stats.success_rate:.1%} "
        f"[{low:.1%}-{high:.1%}])"
    )
    if stats.original_accuracy is not None and stats.accuracy_under_attack is not None:
        text.append(
            f" · accuracy {stats.original_accuracy:.1%} → {stats.accuracy_under_attack:.1%}"
        )
    if stats.mean_words_changed is not None:
        text.append(f" · {stats.mean_words_changed:.2f} words")
    if stats.mean_queries is not None:
        text.append(f" · {stats.mean_queries:.1f} queries")
    if stats.skipped:
        text.append(f" · {stats.skipped} skipped", style="dim")
    return text


def adversarial_view(case: AdversarialCase) -> RenderableType:
    """One adversarial example in full: the pair, the edit highlighted, the edits word by word,
    the cost, and the model's probabilities before and after."""
    outcome = case.outcome
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    head.add_row("example", outcome.example_id)
    head.add_row("model", case.model)
    head.add_row("premise", outcome.premise)
    head.add_row("hypothesis", outcome.hypothesis)
    head.add_row("gold", label_text(-1 if outcome.gold is None else int(outcome.gold), short=False))
    edit = pair_edit(
        outcome.premise, outcome.hypothesis, outcome.variant_premise, outcome.variant_hypothesis
    )
    head.add_row("edit", edit)
    if outcome.variant_premise != outcome.premise:
        head.add_row("adversarial premise", outcome.variant_premise)
    head.add_row("adversarial hypothesis", outcome.variant_hypothesis)
    head.add_row("words", outcome.note or "-")
    head.add_row("cost", f"{len(outcome.edits)} word(s) changed, {outcome.queries} queries")
    rows: list[tuple[str, tuple[float, float, float], int]] = []
    if outcome.before is not None:
        rows.append((f"{case.model} before", outcome.before.probs, -1))
    if outcome.after is not None:
        rows.append((f"{case.model} after", outcome.after.probs, -1))
    return Group(head, Text(""), prob_table(rows))


def _flipped(outcome: Outcome | None) -> bool:
    return (
        outcome is not None
        and outcome.before is not None
        and outcome.after is not None
        and outcome.before.label != outcome.after.label
    )


def _verdict(outcome: Outcome | None, *, template: bool = False) -> Text:
    """`ent→con ✗` for one model's outcome: the variant's label (`con ✓`), after the
    original's when it flipped (`ent→con`, marked), then the verdict. A template probe's pair
    is its own variant: one label."""
    if outcome is None:
        return Text("not run", style="dim")
    if outcome.after is None:
        return Text(outcome.status.replace("_", " "), style="dim")
    if template or outcome.before is None:
        text = label_text(int(outcome.after.label))
    elif _flipped(outcome):
        text = label_text(int(outcome.before.label))
        flip = Text("→")
        flip.append_text(label_text(int(outcome.after.label)))
        flip.stylize(FLIP_STYLE)
        text.append_text(flip)
    else:
        text = label_text(int(outcome.after.label))
    mark, style = _MARKS.get(outcome.status, ("·", "dim"))
    text.append(f" {mark}", style=style)
    return text


def case_view(case: CaseRow, models: list[str], row: ProbeRow | None = None) -> RenderableType:
    """One failing case in full: both pairs, the edit, what the verdict is judged against, and
    each model's probabilities before and after, the after row marked with its verdict."""
    judged = judged_against(row.expectation, row.kind) if row else None
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    head.add_row("example", case.example_id)
    head.add_row("premise", case.premise)
    head.add_row("hypothesis", case.hypothesis)
    head.add_row("gold", label_text(case.gold, short=False))
    edit = pair_edit(case.premise, case.hypothesis, case.variant_premise, case.variant_hypothesis)
    head.add_row("edit", edit)
    if case.variant_premise != case.premise:
        head.add_row("variant premise", case.variant_premise or Text("(empty)", style="dim"))
    head.add_row("variant hypothesis", case.variant_hypothesis)
    head.add_row("variant implies", label_text(case.implied, short=False))
    if judged is not None:
        head.add_row("✓/✗ judges", judged.phrase)
    if case.note:
        head.add_row("change", case.note)
    rows: list[tuple[str, tuple[float, float, float], int]] = []
    marks: list[Text | None] = []
    verdicts: list[str] = []
    template = bool(row and row.template)
    for model in models:
        outcome = case.outcomes.get(model)
        if outcome is None:
            continue
        if outcome.before is not None and not template:
            rows.append((f"{model} before", outcome.before.probs, -1))
            marks.append(None)  # the original is not judged: it is what INV compares with
        if outcome.after is not None:
            rows.append((f"{model} after" if not template else model, outcome.after.probs, -1))
            mark, style = _MARKS.get(outcome.status, ("·", "dim"))
            marks.append(Text(mark, style=style))
        flip = " (flipped)" if _flipped(outcome) and not template else ""
        verdicts.append(f"{model}: {outcome.status.replace('_', ' ')}{flip}")
    return Group(
        head,
        Text(""),
        prob_table(rows, marks=marks),
        Text(" · ".join(verdicts), style="dim"),
    )
