"""`ModelHub`: the live models the playground and live runs use, loaded on first need.

Models given as specs (`--model [NAME=]PATH_OR_NAME`) load through
`nli_probe.models.load.load_model`, which imports torch; that happens in a worker thread, the
first time a model is needed, so the TUI opens without torch.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nli_probe.core.protocol import Model


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelSpec:
    """A model to load: where from (a folder or a hub name) and the name to show (None: the
    loader's default, the folder's or hub name)."""

    location: str
    name: str | None = None

    @property
    def shown(self) -> str:
        return self.name or self.location


class ModelHub:
    """Loaded models plus specs still to load; safe to use from worker threads."""

    def __init__(
        self,
        *,
        models: Sequence[Model] = (),
        specs: Sequence[str | ModelSpec] = (),
        device: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        """`options` are `load_model`'s keyword arguments for the specs (`device` among them,
        or given on its own). A spec given as a string is a location, shown as it is."""
        self._models: list[Model] = list(models)
        self._pending: list[ModelSpec] = [
            spec if isinstance(spec, ModelSpec) else ModelSpec(location=spec) for spec in specs
        ]
        self._options: dict[str, Any] = {"device": device, **(options or {})}
        self._lock = threading.Lock()

    @property
    def names(self) -> list[str]:
        """Names of the loaded models, then the specs not loaded yet."""
        with self._lock:
            return [model.name for model in self._models] + [s.shown for s in self._pending]

    @property
    def pending(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._models or self._pending)

    def load(self) -> list[Model]:
        """Every model, loading the pending specs first (blocking: call from a worker thread).

        Raises:
            NLIProbeError: a spec names no loadable model.
        """
        with self._lock:
            while self._pending:
                spec = self._pending[0]
                from nli_probe.models.load import load_model  # torch comes in here, and only here

                options = dict(self._options)
                if spec.name is not None:
                    options["name"] = spec.name
                self._models.append(load_model(spec.location, **options))
                self._pending.pop(0)
            return list(self._models)
