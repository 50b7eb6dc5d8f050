"""The module paths of 0.1 keep working for one release (`nli_probe._moved`), with a warning."""

from __future__ import annotations

import importlib
import importlib.machinery
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import nli_probe
from nli_probe._moved import BECAME_PACKAGES, MOVED, MOVED_PACKAGES

REPO = Path(__file__).resolve().parent.parent

# Every module of nli_probe 0.1 that is not at the same path any more (0.1's flat modules and
# packages, from `git ls-tree c186055 nli_probe/`).
MODULES_OF_0_1 = [
    "agreement",
    "batching",
    "cache",
    "calibration",
    "ceiling",
    "checklist_interop",
    "checklist_run",
    "comparison",
    "disagreement",
    "divergence",
    "engine",
    "example",
    "example_arrays",
    "expectation",
    "frames",
    "gate",
    "hardware",
    "jsonable",
    "label_map",
    "labels",
    "metrics",
    "model",
    "model_files",
    "perturbation",
    "precision",
    "prediction",
    "probe",
    "probing",
    "protocol",
    "registry",
    "render",
    "report",
    "scores",
    "study",
    "study_backend",
    "study_config",
    "study_steps",
    "suite",
    "suite_loader",
    "suite_run",
    "suite_toml",
    "template",
    "templates",
    "perturbations",
]


def _import_old(name: str) -> tuple[object, list[warnings.WarningMessage]]:
    sys.modules.pop(name, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(name)
    return module, list(caught)


def test_every_module_of_0_1_is_covered() -> None:
    covered = {*MOVED, *MOVED_PACKAGES, *BECAME_PACKAGES}
    moved_out_of_trainers = {"nli_probe.trainers.prepare"}  # the held-out split, now data's
    assert {f"nli_probe.{name}" for name in MODULES_OF_0_1} | moved_out_of_trainers == covered


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_warns_and_hands_out_the_new_names(old: str) -> None:
    module, caught = _import_old(old)
    targets = MOVED[old]
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{old} moved to {targets[0]}")
    assert caught[0].filename == __file__  # attributed to the importer, not to importlib
    for index, target in enumerate(targets):
        new = importlib.import_module(target)
        for name, value in vars(new).items():
            if name.startswith("__"):
                continue
            if index == 0:  # the first target wins where two define a name (`Any`, ...)
                assert getattr(module, name) is value, (old, name)
            else:
                assert hasattr(module, name), (old, name)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def test_the_0_1_readme_imports_still_work() -> None:
    """What the README of 0.1 showed, verbatim, gives the same objects as the new paths."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = {
            name: getattr(importlib.import_module(module), name)
            for module, names in (
                ("nli_probe.checklist_interop", ["checklist_perturbation"]),
                ("nli_probe.checklist_run", ["run_checklist"]),
                ("nli_probe.disagreement", ["sort_pairs"]),
                ("nli_probe.frames", ["outcomes_frame", "scores_frame"]),
                ("nli_probe.model", ["load_model", "resolve_device"]),
                ("nli_probe.probing", ["run_suites"]),
                ("nli_probe.render.html", ["render_html"]),
                ("nli_probe.scores", ["score_report"]),
                ("nli_probe.study", ["run_study"]),
            )
            for name in names
        }
    from nli_probe.core.frames import outcomes_frame
    from nli_probe.models.device import resolve_device
    from nli_probe.probing.checklist.interop import checklist_perturbation
    from nli_probe.probing.checklist.run import run_checklist
    from nli_probe.reports.html import render_html
    from nli_probe.scoring.disagreement import sort_pairs
    from nli_probe.scoring.frames import scores_frame
    from nli_probe.study.run import run_study

    new = {
        "checklist_perturbation": checklist_perturbation,
        "run_checklist": run_checklist,
        "sort_pairs": sort_pairs,
        "outcomes_frame": outcomes_frame,
        "scores_frame": scores_frame,
        "load_model": nli_probe.load_model,
        "resolve_device": resolve_device,
        "run_suites": nli_probe.run_suites,
        "render_html": render_html,
        "score_report": nli_probe.score_report,
        "run_study": run_study,
    }
    assert old.keys() == new.keys()
    for name, value in old.items():
        assert value is new[name], name


@pytest.mark.parametrize(("package", "name"), [("nli_probe.probing", "run_suite")])
def test_a_module_that_became_a_package_forwards_its_names(package: str, name: str) -> None:
    module = importlib.import_module(package)
    with pytest.warns(DeprecationWarning, match=f"{package}.{name} moved to"):
        value = getattr(module, name)
    assert value is getattr(nli_probe, name)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def test_a_script_importing_an_old_path_is_shown_the_warning(tmp_path: Path) -> None:
    """Python's default filters show a DeprecationWarning raised in `__main__` only: the
    warning must be attributed to the script's line, not to the import machinery."""
    script = tmp_path / "old.py"
    script.write_text("from nli_probe.scores import score_report\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert f"{script}:1: DeprecationWarning: nli_probe.scores moved to" in result.stderr


def test_a_real_module_wins_over_its_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The finder answers for old paths only, and steps aside where a module of that name
    exists; a folder left without `__init__.py` (an old package folder in a checkout updated in
    place) does not count: it would otherwise import as an empty namespace package."""
    finder = next(f for f in sys.meta_path if type(f).__name__ == "_Finder")
    assert sys.meta_path.index(finder) < sys.meta_path.index(importlib.machinery.PathFinder)
    assert finder.find_spec("nli_probe.data", None) is None  # not an old path
    real = importlib.machinery.ModuleSpec("nli_probe.render", None, origin="/x/render/__init__.py")
    monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", lambda *a: real)
    assert finder.find_spec("nli_probe.render", None) is None  # a real package wins
    stale = importlib.machinery.ModuleSpec("nli_probe.render", None, is_package=True)
    monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", lambda *a: stale)
    spec = finder.find_spec("nli_probe.render", None)
    assert spec is not None and spec.loader is finder


def test_an_old_package_folder_left_behind_does_not_hide_the_stand_in(tmp_path: Path) -> None:
    """A checkout updated in place keeps `nli_probe/render/__pycache__/`: the old path still
    gives the stand-in (checked in a copy of the package, so the source tree is not touched)."""
    import shutil

    copy = tmp_path / "nli_probe"
    shutil.copytree(REPO / "nli_probe", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "render" / "__pycache__").mkdir(parents=True)
    script = (
        "import warnings; warnings.simplefilter('ignore')\n"
        "import nli_probe.render as r\n"
        "from nli_probe.reports import ReportView\n"
        "print(r.ReportView is ReportView)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert result.stdout.strip() == "True"
