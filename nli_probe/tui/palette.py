"""The command palette's jumps (ctrl+p): to a tab, a probe's cases, an example by id, a model's
errors, two models' disagreements, and an export of what the current tab lists.

Panes are found by what they offer, not by their class: a pane with `open_probe_named(key)`
takes probe jumps, one with `go_to_example(id)` example jumps, `show_model_errors(name)` model
jumps, `compare(a, b)` comparisons; any `PairActions` pane exports. A pane added later joins in
by defining the same method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from nli_probe.tui.app import NLIProbeApp

EXAMPLE_HITS = 20
"""Example ids listed at most for one query (a report may hold 10,000)."""


class WorkbenchCommands(Provider):
    """Commands over the open report: tabs, probes, examples, models, model pairs, export."""

    def _app(self) -> NLIProbeApp:
        return cast("NLIProbeApp", self.app)

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        """(text, help, callback) of every command but the example jumps."""
        app = self._app()
        for spec in app.specs:
            yield f"tab: {spec.title}", "open the tab", partial(app.action_show_tab, spec.id)
        yield (
            "export: what this tab lists",
            "jsonl or csv, every model's probabilities",
            (self._export),
        )
        probe_keys = sorted(
            {f"{run.suite}/{probe.probe}" for run in app.report.suites for probe in run.probes}
        )
        for key in probe_keys:
            yield f"probe: {key}", "its failing cases", partial(self._call, "open_probe_named", key)
        names = [run.name for run in app.report.models]
        for name in names:
            yield (
                f"model: {name}",
                "its wrong answers in Examples",
                partial(self._call, "show_model_errors", name),
            )
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                yield (
                    f"compare: {a} with {b}",
                    "where the two disagree",
                    partial(self._call, "compare", a, b),
                )

    async def discover(self) -> Hits:
        for text, help_text, callback in self._commands():
            if text.startswith(("tab:", "export:")):
                yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text)
        # Example ids: matched as typed (with or without `example `), at most EXAMPLE_HITS.
        wanted = query.strip().removeprefix("example").strip().lower()
        if not wanted:
            return
        found = 0
        for example in self._app().report.examples:
            if wanted in example.id.lower():
                text = f"example: {example.id}"
                yield Hit(
                    0.9 if example.id.lower() == wanted else 0.5,
                    matcher.highlight(text),
                    partial(self._call, "go_to_example", example.id),
                    text=text,
                    help=example.hypothesis[:60],
                )
                found += 1
                if found >= EXAMPLE_HITS:
                    return

    def _call(self, method: str, *args: str) -> None:
        app = self._app()
        if not app.call_pane(method, *args):
            app.notify(f"no tab offers {method.replace('_', ' ')}", severity="warning")

    def _export(self) -> None:
        app = self._app()
        from textual.widgets import TabbedContent

        active = app.query_one(TabbedContent).active
        for pane in app.panes():
            if pane.parent is not None and pane.parent.id == active:
                action = getattr(pane, "action_export", None)
                if action is not None:
                    action()
                    return
        app.notify("this tab has nothing to export", severity="warning")
