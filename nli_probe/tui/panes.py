"""Which panes the app shows, in which order, and what the app tells them.

A pane is a widget in a module of its own that registers a factory here; nothing else needs
editing to add one (the app imports every module of `nli_probe.tui` that registers a pane):

    from nli_probe.tui.panes import PaneHooks, Workbench, register_pane

    class SlicesPane(PaneHooks, Vertical):
        MAIN_CONTROL = "#slices-table"      # focused when the tab opens ("" = the pane itself)

        def scores_changed(self, report, scores): ...   # optional hooks, see PaneHooks

    @register_pane(id="slices", title="Slices", order=90)
    def slices_pane(app: Workbench) -> Widget:
        return SlicesPane(app.report)

Tabs are laid out by `order` (the built-in panes use 10 ... 80; add yours after them so the
number keys of the built-in tabs stay where users learned them). The first nine tabs get the
keys 1 ... 9 and the tenth 0; every tab is reachable from the command palette (ctrl+p) and with
`[` / `]`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from nli_probe.core.report import Report

if TYPE_CHECKING:
    from textual.widget import Widget

    from nli_probe.scoring.scores import ReportScores
    from nli_probe.tui.models import ModelHub
    from nli_probe.tui.table import ExampleTable

__all__ = [
    "PANE_KEYS",
    "PaneHooks",
    "PaneSpec",
    "Workbench",
    "pane_specs",
    "register_pane",
]

PANE_KEYS = "1234567890"
"""The number key of each tab, in tab order (tabs after the tenth have none)."""


class Workbench(Protocol):
    """What a pane factory (and a pane) may read from the app."""

    report: Report
    """The open report (several runs merged; replaced when a live run adds results)."""
    table: ExampleTable
    """`report` laid out in columns (`nli_probe.tui.table`)."""
    hub: ModelHub
    """The live models (`--model`), loaded on first need."""
    scores: ReportScores | None
    """`report`'s scores once the scores worker has them, else None."""


class PaneHooks:
    """Hooks the app calls on every mounted pane that inherits them (all optional).

    Put it first among the bases: `class MyPane(PaneHooks, Vertical)`.
    """

    def report_changed(self, report: Report, table: ExampleTable) -> None:
        """A live run replaced the report (new models or probe results)."""

    def scores_changed(self, report: Report, scores: ReportScores | None) -> None:
        """`report`'s scores are ready (None: scoring failed; the app shows why)."""


PaneFactory = Callable[["Workbench"], "Widget"]


@dataclass(frozen=True, kw_only=True, slots=True)
class PaneSpec:
    """One tab: its DOM id, its title, its place, and how to build its pane."""

    id: str
    title: str
    order: int
    build: PaneFactory


_PANES: dict[str, PaneSpec] = {}
_loaded = False


def register_pane(*, id: str, title: str, order: int) -> Callable[[PaneFactory], PaneFactory]:
    """Decorator registering a pane factory; a second, different factory under the same id or
    at the same order is refused (two panes silently shadowing each other is a bug)."""
    if not id.isidentifier():
        raise ValueError(f"pane id must be an identifier, got {id!r}")

    def decorate(factory: PaneFactory) -> PaneFactory:
        spec = PaneSpec(id=id, title=title, order=order, build=factory)
        old = _PANES.get(id)
        if old is not None and _qualified(old.build) != _qualified(factory):
            raise ValueError(f"pane {id!r} is already registered by {_qualified(old.build)}")
        for other in _PANES.values():
            if other.id != id and other.order == order:
                raise ValueError(f"pane {id!r}: order {order} is taken by pane {other.id!r}")
        _PANES[id] = spec
        return factory

    return decorate


def pane_specs() -> list[PaneSpec]:
    """Every registered pane, in tab order (imports the modules of `nli_probe.tui` first)."""
    global _loaded
    if not _loaded:
        import nli_probe.tui as package

        for module in pkgutil.iter_modules(package.__path__):
            if module.name not in _NOT_PANES:
                importlib.import_module(f"nli_probe.tui.{module.name}")
        _loaded = True
    return sorted(_PANES.values(), key=lambda spec: spec.order)


_NOT_PANES = frozenset({"__main__", "app"})
"""Modules not imported when looking for panes (the app imports this one)."""


def _qualified(factory: Callable[..., object]) -> str:
    return f"{factory.__module__}.{factory.__qualname__}"
