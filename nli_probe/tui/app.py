"""`NLIProbeApp`: the nli-probe terminal UI over one report (several merged) and live models.

The tabs are the registered panes (`nli_probe.tui.panes`), in their order; the app tells every
mounted pane when the report or its scores change (`PaneHooks`), opens a pair any pane sends to
the playground, and offers the command palette's jumps (`nli_probe.tui.palette`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Footer, Header, TabbedContent, TabPane, Tabs

from nli_probe.core.protocol import Model
from nli_probe.core.report import Report
from nli_probe.tui.help import HelpScreen
from nli_probe.tui.messages import ModelsLoaded, ReportChanged, ScoresReady, describe_error
from nli_probe.tui.models import ModelHub, ModelSpec
from nli_probe.tui.pair_actions import SendToPlayground
from nli_probe.tui.palette import WorkbenchCommands
from nli_probe.tui.panes import PANE_KEYS, PaneHooks, PaneSpec, pane_specs
from nli_probe.tui.playground import PlaygroundPane
from nli_probe.tui.scoring import load_or_compute_scores
from nli_probe.tui.table import ExampleTable, build_table

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ReportScores


def _tabs() -> list[tuple[str, str]]:
    return [(spec.id, spec.title) for spec in pane_specs()]


class NLIProbeApp(App[None]):
    """Explore a report: overview, agreement, suites, examples, a playground, live runs, the
    disagreement between two models, plots (and any pane registered in `nli_probe.tui.panes`).

    Args:
        report: What to show (see `nli_probe.tui.sources.open_reports` for several).
        models: Models already loaded, for the playground and live runs (tests pass fakes).
        model_specs: Models to load in a worker thread when first needed (`--model`): a path or
            hub name, or a `ModelSpec` (where to load from, and the name to show).
        device: Where those models run (None: the loader's choice).
        model_options: Further `load_model` keyword arguments for `model_specs` (precision,
            max length, label names, ...), as `nli-probe tui`'s model options give them.
        title: The header's subtitle; the report's dataset by default.
        resamples: Bootstrap resamples for scores computed here (not precomputed in the report).
        data_options: `nli_probe.data.read_dataset` keyword arguments (data folder, columns,
            skip bad rows, ...) for a data file or name typed in the Run tab.
    """

    CSS_PATH = "app.tcss"
    TITLE = "nli-probe"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"show_tab_number({n})", f"tab {n + 1}", show=False)
            for n, key in enumerate(PANE_KEYS)
        ),
        Binding("left_square_bracket", "next_tab(-1)", "Previous tab", show=False),
        Binding("right_square_bracket", "next_tab(1)", "Next tab", show=False),
        Binding("escape", "leave_input", "Leave text box", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("t", "toggle_theme", "Theme"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        report: Report,
        *,
        models: Sequence[Model] = (),
        model_specs: Sequence[str | ModelSpec] = (),
        device: str | None = None,
        model_options: Mapping[str, Any] | None = None,
        title: str | None = None,
        resamples: int = 1000,
        data_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.data_options: dict[str, Any] = dict(data_options or {})
        """`read_dataset` keyword arguments for data files or names typed in the Run tab."""
        self.report = report
        self.table: ExampleTable = build_table(report)
        self.hub = ModelHub(models=models, specs=model_specs, device=device, options=model_options)
        self.resamples = resamples
        self.scores: ReportScores | None = None
        self.sub_title = title or report.dataset
        self.specs: list[PaneSpec] = pane_specs()
        self._hidden: dict[str, Widget] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        initial = "overview" if self.report.models else "examples"
        panes = {spec.id: spec.build(self) for spec in self.specs}
        # Hidden panes mount after the first frame (`_mount_hidden_panes`): the app shows sooner.
        self._hidden = {pane_id: pane for pane_id, pane in panes.items() if pane_id != initial}
        with TabbedContent(initial=initial):
            for n, spec in enumerate(self.specs):
                with TabPane(self._tab_label(n), id=spec.id):
                    if spec.id == initial:
                        yield panes[spec.id]
        yield Footer()

    def _tab_label(self, index: int, *, compact: bool = False) -> str:
        """`3 Suites`; compact: the number alone (the first letters where there is none)."""
        spec = self.specs[index]
        key = PANE_KEYS[index] if index < len(PANE_KEYS) else ""
        if compact:
            return key or spec.title[:3]
        return f"{key} {spec.title}".strip()

    def _fit_tab_labels(self) -> None:
        """Every tab in the bar at once: when the full labels overflow the width (8 and more
        tabs at 80 columns), the tabs but the active one show their number only, rather than
        the bar scrolling its first tabs out of sight."""
        tabbed = self.query_one(TabbedContent)
        full = [self._tab_label(n) for n in range(len(self.specs))]
        compact = sum(len(label) + 2 for label in full) > self.size.width  # padding 1 each side
        for n, spec in enumerate(self.specs):
            label = full[n] if spec.id == tabbed.active or not compact else None
            tab = tabbed.get_tab(spec.id)
            wanted = label or self._tab_label(n, compact=True)
            if tab.label_text != wanted:
                tab.label = wanted

    def on_resize(self) -> None:
        self._fit_tab_labels()

    async def _mount_hidden_panes(self) -> None:
        for pane_id, pane in self._hidden.items():
            tab = self.query_one(f"#{pane_id}", TabPane)
            if not tab.is_attached:
                return  # the app is closing (quit during the first frame)
            await tab.mount(pane)
            if self.query_one(TabbedContent).active == pane_id:
                self._focus_pane(tab)  # its tab was opened before it mounted
        self._hidden = {}

    def on_mount(self) -> None:
        self._fit_tab_labels()
        self.compute_scores()
        self.call_after_refresh(self._mount_hidden_panes)

    def compute_scores(self) -> None:
        """Score the report in a worker thread (bootstrap CIs take a while on 10,000 pairs)."""
        report, resamples = self.report, self.resamples

        def work() -> None:
            try:
                scores = load_or_compute_scores(report, resamples=resamples)
            except Exception as error:  # shown in the panes: a failed score must not end the UI
                self.post_message(
                    ScoresReady(report=report, scores=None, error=describe_error(error))
                )
                return
            self.post_message(ScoresReady(report=report, scores=scores))

        self.run_worker(work, thread=True, group="scores", exclusive=True, name="scores")

    def panes(self) -> list[Widget]:
        """The mounted panes, in tab order."""
        found: list[Widget] = []
        for spec in self.specs:
            tab = self.query_one(f"#{spec.id}", TabPane)
            found.extend(child for child in tab.children if child.is_mounted)
        return found

    def call_pane(self, method: str, *args: Any) -> bool:
        """Open the tab of the first pane that offers `method` and call it there (how panes and
        the command palette reach each other without importing each other); False if no pane
        offers it."""
        for pane in self.panes():
            handler = getattr(pane, method, None)
            if handler is not None:
                tab = pane.parent
                if tab is not None and tab.id:
                    self.action_show_tab(tab.id)
                handler(*args)
                return True
        return False

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._fit_tab_labels()
        self._focus_pane(event.pane)

    def _focus_pane(self, tab: Widget) -> None:
        """Put the focus on the pane's main control, so its keys work (and show) at once.

        A pane not mounted yet (the first moments after start) is focused by
        `_mount_hidden_panes` when it mounts."""
        for child in tab.children:
            selector = getattr(child, "MAIN_CONTROL", None)
            if selector is not None and child.is_attached:  # "" names the pane itself
                found = child.query(selector) if selector else None
                if found is None:
                    child.focus()
                elif found:
                    found.first().focus()

    def on_scores_ready(self, message: ScoresReady) -> None:
        if message.report is not self.report:
            return  # a newer report replaced this one while it was scored
        self.scores = message.scores
        if message.error:
            self.notify(f"scores unavailable: {message.error}", severity="error", timeout=10)
        # A pane still waiting to mount reads `self.scores` when it mounts.
        for pane in self.panes():
            if isinstance(pane, PaneHooks):
                pane.scores_changed(self.report, message.scores)

    def on_report_changed(self, message: ReportChanged) -> None:
        """A live run added models or probe results: show the new report everywhere."""
        self.report = message.report
        self.table = build_table(message.report)
        self.scores = None
        for pane in self.panes():
            if isinstance(pane, PaneHooks):
                pane.report_changed(message.report, self.table)
        self.compute_scores()

    def on_models_loaded(self, message: ModelsLoaded) -> None:
        for pane in self.panes():
            changed = getattr(pane, "models_changed", None)
            if changed is not None:
                changed()

    def on_send_to_playground(self, message: SendToPlayground) -> None:
        """Open the pair a pane sent in the playground (closing any dialog) and predict it."""
        message.stop()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.action_show_tab("playground")
        for playground in self.query(PlaygroundPane):
            playground.load_pair(message.pair)

    def action_show_tab(self, pane: str) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()  # a jump from the palette leaves any dialog
        self.query_one(TabbedContent).active = pane

    def action_show_tab_number(self, index: int) -> None:
        if index < len(self.specs):
            self.action_show_tab(self.specs[index].id)

    def action_next_tab(self, step: int) -> None:
        ids = [spec.id for spec in self.specs]
        active = self.query_one(TabbedContent).active
        at = ids.index(active) if active in ids else 0
        self.action_show_tab(ids[(at + step) % len(ids)])

    def action_leave_input(self) -> None:
        """Escape from a text box to the tab bar, where the number keys switch tabs again."""
        self.query_one(TabbedContent).query_one(Tabs).focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"
