"""The layer rules import-linter cannot see (see `[tool.importlinter]` in pyproject.toml).

import-linter reads the repository, where `trainers/` is a top-level package; the library
imports it as `nli_probe.trainers`, an edge the linter's graph does not hold. So the rule for
that edge is checked here, on the source.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

TRAINER_USERS = ("nli_probe.commands", "nli_probe.study")
"""The only layers that may run the trainers: the commands (`train`, and reading a trainer
run's config) and the study."""


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
    return found


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_only_the_commands_and_the_study_import_the_trainers() -> None:
    offenders = []
    for path in sorted((REPO / "nli_probe").rglob("*.py")):
        importer = _module_name(path)
        for imported, line in _imports(path):
            trainers = imported == "nli_probe.trainers" or imported.startswith(
                "nli_probe.trainers."
            )
            if trainers and not importer.startswith(TRAINER_USERS):
                offenders.append(f"{path.relative_to(REPO)}:{line}: {imported}")
    assert not offenders


def test_the_check_finds_an_import_of_the_trainers() -> None:
    """The scan above would pass on nothing: make sure it sees the imports that exist."""
    users = {
        _module_name(path)
        for path in (REPO / "nli_probe").rglob("*.py")
        for imported, _ in _imports(path)
        if imported.startswith("nli_probe.trainers")
    }
    assert any(user.startswith("nli_probe.commands") for user in users)
    assert any(user.startswith("nli_probe.study") for user in users)


def test_benchmarks_import_neither_the_tests_nor_each_others_private_helpers() -> None:
    """Benchmarks share code through public modules (`nli_probe.testing`, the library,
    `benchmarks/fine_tuned.py`, `benchmarks/training_loops.py`), never through `tests/` or a
    `bench_*.py` script's underscore names."""
    scripts = sorted((REPO / "benchmarks").glob("*.py"))
    siblings = {path.stem for path in scripts}
    offenders = []
    for path in scripts:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                module, names = node.names[0].name, []
            else:
                continue
            top = module.split(".")[0]
            if top == "tests":
                offenders.append(f"{path.name}:{node.lineno}: imports {module}")
            elif top in siblings and (top.startswith("bench_") or top == "gpu_check"):
                offenders.append(f"{path.name}:{node.lineno}: imports the script {module}")
            elif top in siblings and any(name.startswith("_") for name in names):
                offenders.append(f"{path.name}:{node.lineno}: imports private names of {module}")
    assert not offenders
    assert siblings >= {"fine_tuned", "training_loops"}
