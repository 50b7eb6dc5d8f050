"""Module paths of nli-probe 0.1 that moved when the package was laid out by layer (0.2).

Each old path still imports, for one release, as a stand-in module that hands out the new
module's names and warns once (`DeprecationWarning`, naming the new path) when imported. The
stand-ins are made by a finder that `import nli_probe` puts first on `sys.meta_path`: it answers
only for the old paths below, and even then steps aside when a real module or package of that
name exists. It must come before the path finder because a checkout updated in place keeps the
old package folders (`nli_probe/render/` with only `__pycache__` in it), which the path finder
would import as empty namespace packages. New code imports the new paths
(README, "Where things live"); the table below is also the map from old to new.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from collections.abc import Sequence
from typing import Any

MOVED: dict[str, tuple[str, ...]] = {
    "nli_probe.labels": ("nli_probe.core.labels",),
    "nli_probe.example": ("nli_probe.core.example",),
    "nli_probe.prediction": ("nli_probe.core.prediction",),
    "nli_probe.protocol": ("nli_probe.core.protocol",),
    "nli_probe.report": ("nli_probe.core.report",),
    "nli_probe.suite_run": ("nli_probe.core.suite_run",),
    "nli_probe.jsonable": ("nli_probe.core.jsonable",),
    "nli_probe.registry": ("nli_probe.core.registry",),
    "nli_probe.frames": ("nli_probe.core.frames", "nli_probe.scoring.frames"),
    "nli_probe.model": (
        "nli_probe.models.load",
        "nli_probe.models.transformers_model",
        "nli_probe.models.device",
        "nli_probe.models.locate",
        "nli_probe.models.fingerprint",
    ),
    "nli_probe.model_files": ("nli_probe.models.files",),
    "nli_probe.label_map": ("nli_probe.models.label_map",),
    "nli_probe.precision": ("nli_probe.models.precision",),
    "nli_probe.hardware": ("nli_probe.models.hardware",),
    "nli_probe.batching": ("nli_probe.models.batching",),
    "nli_probe.engine": ("nli_probe.models.engine",),
    "nli_probe.cache": ("nli_probe.models.cache",),
    "nli_probe.metrics": ("nli_probe.scoring.metrics",),
    "nli_probe.calibration": ("nli_probe.scoring.calibration",),
    "nli_probe.comparison": ("nli_probe.scoring.comparison",),
    "nli_probe.agreement": ("nli_probe.scoring.agreement",),
    "nli_probe.divergence": ("nli_probe.scoring.divergence",),
    "nli_probe.ceiling": ("nli_probe.scoring.ceiling",),
    "nli_probe.disagreement": ("nli_probe.scoring.disagreement",),
    "nli_probe.scores": ("nli_probe.scoring.scores",),
    "nli_probe.example_arrays": ("nli_probe.scoring.example_arrays",),
    "nli_probe.perturbation": ("nli_probe.probing.perturbation",),
    "nli_probe.expectation": ("nli_probe.probing.expectation",),
    "nli_probe.template": ("nli_probe.probing.template",),
    "nli_probe.probe": ("nli_probe.probing.probe",),
    "nli_probe.suite": ("nli_probe.probing.suite",),
    "nli_probe.suite_loader": ("nli_probe.probing.loader",),
    "nli_probe.suite_toml": ("nli_probe.probing.toml_loader",),
    "nli_probe.checklist_interop": ("nli_probe.probing.checklist.interop",),
    "nli_probe.checklist_run": ("nli_probe.probing.checklist.run",),
    "nli_probe.gate": ("nli_probe.reports.gate",),
    "nli_probe.study_steps": ("nli_probe.study.steps",),
    "nli_probe.study_backend": ("nli_probe.study.backend",),
    "nli_probe.study_config": ("nli_probe.study.config",),
    "nli_probe.trainers.prepare": ("nli_probe.data.split",),
}
"""Old module → the new module(s) that hold its names, searched in order."""

MOVED_PACKAGES: dict[str, str] = {
    "nli_probe.render": "nli_probe.reports",
    "nli_probe.perturbations": "nli_probe.probing.perturbations",
    "nli_probe.templates": "nli_probe.probing.templates",
}
"""Old package → new package; their modules moved with them (`nli_probe.render.html` →
`nli_probe.reports.html`)."""

BECAME_PACKAGES: dict[str, str] = {
    "nli_probe.probing": "nli_probe.probing.runner",
    "nli_probe.study": "nli_probe.study.run",
}
"""Old modules whose name is now a package's: the package hands out the old module's names
(see `moved_attribute`)."""

RELEASE = "0.3"
"""The release in which the old paths go."""


def new_paths(old: str) -> tuple[str, ...]:
    """The module(s) that hold what `old` held; empty when `old` did not move."""
    if old in MOVED:
        return MOVED[old]
    if old in MOVED_PACKAGES:
        return (MOVED_PACKAGES[old],)
    package, _, rest = old.rpartition(".")
    if package in MOVED_PACKAGES:
        return (f"{MOVED_PACKAGES[package]}.{rest}",)
    return ()


def moved_attribute(package: str, name: str) -> Any:
    """`name` as the 0.1 module that `package` replaced held it, with a `DeprecationWarning`;
    `AttributeError` when it held no such name (for a package's `__getattr__`)."""
    target = BECAME_PACKAGES[package]
    module = importlib.import_module(target)
    if name.startswith("__") or not hasattr(module, name):
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    _warn(f"{package}.{name} moved to {target}.{name}")
    return getattr(module, name)


class _StandIn(types.ModuleType):
    """An old module: its names come from the new modules, looked up when first used."""

    def __init__(self, name: str, targets: Sequence[str], *, package: bool) -> None:
        super().__init__(name, f"moved to {', '.join(targets)} (importable until {RELEASE})")
        self.__targets = tuple(targets)
        if package:
            self.__path__: list[str] = []  # lets `import old_package.module` reach the finder

    def __getattr__(self, name: str) -> Any:
        for target in self.__targets:
            module = importlib.import_module(target)
            if hasattr(module, name):
                return getattr(module, name)
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __dir__(self) -> list[str]:
        names: set[str] = set()
        for target in self.__targets:
            names.update(dir(importlib.import_module(target)))
        return sorted(names)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not new_paths(fullname):
            return None
        real = importlib.machinery.PathFinder.find_spec(fullname, path)
        if real is not None and real.origin is not None:
            return None  # a module or package of that name exists: it wins
        return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname in MOVED_PACKAGES)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        targets = new_paths(spec.name)
        _warn(f"{spec.name} moved to {' and '.join(targets)}")
        return _StandIn(spec.name, targets, package=spec.name in MOVED_PACKAGES)

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the stand-in reads the new modules on demand."""


def install() -> None:
    """Put the finder first on `sys.meta_path` (once)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def _machinery(module: str) -> bool:
    """Frames of the import system (`importlib._bootstrap`, `importlib.import_module`) and of
    this module, which stand between an old import and the code that wrote it."""
    return module == __name__ or module == "importlib" or module.startswith("importlib.")


def _warn(what: str) -> None:
    """A `DeprecationWarning` attributed to the code that used the old path (the first frame
    outside the import machinery and this module), so Python's default filters show it to a
    script that imports an old path and to test runners."""
    frame = sys._getframe(1)
    while frame.f_back is not None and _machinery(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
    registry = frame.f_globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(
        f"{what}; the old path works until nli-probe {RELEASE} (see CHANGELOG.md)",
        DeprecationWarning,
        filename=frame.f_code.co_filename,
        lineno=frame.f_lineno,
        module=frame.f_globals.get("__name__", "__main__"),
        registry=registry,
    )
