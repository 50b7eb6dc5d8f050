"""`NLIProbeApp`: the nli-probe terminal UI over one report (several merged) and live models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Footer, Header, TabbedContent, TabPane, Tabs

from nli_probe.core.protocol import Model
from nli_probe.core.report import Report
from nli_probe.tui.agreement import AgreementPane
from nli_probe.tui.examples import ExamplesPane
from nli_probe.tui.help import HelpScreen
from nli_probe.tui.live import RunPane
from nli_probe.tui.messages import ModelsLoaded, ReportChanged, ScoresReady, describe_error
from nli_probe.tui.models import ModelHub
from nli_probe.tui.overview import OverviewPane
from nli_probe.tui.playground import PlaygroundPane
from nli_probe.tui.scoring import load_or_compute_scores
from nli_probe.tui.suites import SuitesPane
from nli_probe.tui.table import build_table

if TYPE_CHECKING:
    from nli_probe.scoring.scores import ReportScores

TABS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("agreement", "Agreement"),
    ("suites", "Suites"),
    ("examples", "Examples"),
    ("playground", "Playground"),
    ("run", "Run"),
)
"""(pane id, title), in the order of the number keys."""


class NLIProbeApp(App[None]):
    """Explore a report: overview, agreement, suites, examples, a playground and live runs.

    Args:
        report: What to show (see `nli_probe.tui.sources.open_reports` for several).
        models: Models already loaded, for the playground and live runs (tests pass fakes).
        model_specs: Models to load in a worker thread when first needed (`--model`).
        device: Where those models run (None: the loader's choice).
        model_options: Further `load_model` keyword arguments for `model_specs` (precision,
            max length, label names, ...), as `nli-probe tui`'s model options give them.
        title: The header's subtitle; the report's dataset by default.
        resamples: Bootstrap resamples for scores computed here (not precomputed in the report).
    """

    CSS_PATH = "app.tcss"
    TITLE = "nli-probe"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"show_tab('{pane}')", title, show=False)
            for n, (pane, title) in enumerate(TABS, start=1)
        ),
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
        model_specs: Sequence[str] = (),
        device: str | None = None,
        model_options: Mapping[str, Any] | None = None,
        title: str | None = None,
        resamples: int = 1000,
    ) -> None:
        super().__init__()
        self.report = report
        self.table = build_table(report)
        self.hub = ModelHub(models=models, specs=model_specs, device=device, options=model_options)
        self.resamples = resamples
        self.scores: ReportScores | None = None
        self.sub_title = title or report.dataset
        self._hidden: dict[str, Widget] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        initial = "overview" if self.report.models else "examples"
        panes: dict[str, Widget] = {
            "overview": OverviewPane(self.report),
            "agreement": AgreementPane(self.report),
            "suites": SuitesPane(self.report),
            "examples": ExamplesPane(self.report, self.table),
            "playground": PlaygroundPane(self.hub),
            "run": RunPane(self.report, self.hub),
        }
        # Hidden panes mount after the first frame (`_mount_hidden_panes`): the app shows sooner.
        self._hidden = {pane_id: pane for pane_id, pane in panes.items() if pane_id != initial}
        with TabbedContent(initial=initial):
            for n, (pane_id, title) in enumerate(TABS, start=1):
                with TabPane(f"{n} {title}", id=pane_id):
                    if pane_id == initial:
                        yield panes[pane_id]
        yield Footer()

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

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
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
        for pane in self.query(OverviewPane):
            pane.show(self.report, message.scores)
        for agreement in self.query(AgreementPane):
            agreement.show(self.report, message.scores)

    def on_report_changed(self, message: ReportChanged) -> None:
        """A live run added models or probe results: show the new report everywhere."""
        self.report = message.report
        self.table = build_table(message.report)
        self.scores = None
        for suites in self.query(SuitesPane):
            if suites.is_mounted:
                suites.show(message.report)
        for examples in self.query(ExamplesPane):
            if examples.is_mounted:
                examples.report, examples.table = message.report, self.table
                examples.rebuild()
        self.compute_scores()

    def on_models_loaded(self, message: ModelsLoaded) -> None:
        for playground in self.query(PlaygroundPane):
            playground.models_changed()
        for run in self.query(RunPane):
            run.models_changed()

    def action_show_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane

    def action_leave_input(self) -> None:
        """Escape from a text box to the tab bar, where the number keys switch tabs again."""
        self.query_one(TabbedContent).query_one(Tabs).focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"
