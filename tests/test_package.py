"""The public API (`__all__`), the layer boundaries and the built wheel."""

from __future__ import annotations

import inspect
import subprocess
import sys
import zipfile
from pathlib import Path

import nli_probe

REPO = Path(__file__).resolve().parent.parent

# Core modules whose public names must all be exported from `nli_probe`.
_CORE_MODULES = (
    "models.engine",
    "errors",
    "core.example",
    "core.labels",
    "core.prediction",
    "core.protocol",
)


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions and dunders.
    group = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return (group, name)


def test_all_is_sorted_and_complete() -> None:
    assert list(nli_probe.__all__) == sorted(nli_probe.__all__, key=_isort_key)
    for name in nli_probe.__all__:
        assert hasattr(nli_probe, name), name
    for module_name in _CORE_MODULES:
        module = __import__(f"nli_probe.{module_name}", fromlist=["_"])
        for name, value in vars(module).items():
            if name.startswith("_") or inspect.ismodule(value):
                continue
            if getattr(value, "__module__", module.__name__) != module.__name__:
                continue  # imported from elsewhere
            if inspect.isclass(value) or inspect.isfunction(value):
                assert name in nli_probe.__all__, f"nli_probe.{module_name}.{name} not exported"


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    return set(result.stdout.split())


def test_import_does_not_load_torch_or_textual() -> None:
    loaded = _modules_after("import nli_probe")
    assert "torch" not in loaded
    assert "textual" not in loaded
    assert "transformers" not in loaded
    assert "pandas" not in loaded  # only `to_pandas()` imports it


def test_cli_parser_does_not_load_torch_or_textual() -> None:
    loaded = _modules_after("from nli_probe.cli import build_parser; build_parser()")
    assert "torch" not in loaded
    assert "textual" not in loaded


def test_wheel_ships_namespaced_packages(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("nli_probe-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert top_level == {
        "nli_probe",
        f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info",
    }
    assert "nli_probe/trainers/__init__.py" in names
    # Every layer folder ships (pyproject.toml lists the packages by hand), with its data.
    for init in sorted((REPO / "nli_probe").rglob("__init__.py")):
        assert init.relative_to(REPO).as_posix() in names, init
    for preset in (
        "nli_probe/study/presets/quick.toml",
        "nli_probe/trainers/presets/quick-lora.toml",
    ):
        assert preset in names, preset
    assert "nli_probe/suites/__init__.py" in names
    assert "nli_probe/py.typed" in names
    assert not any(name.startswith(("tests/", "trainers/", "suites/")) for name in names)
    # The embedded SNLI dev copy ships with its licence text and attribution beside it.
    for name in ("snli_1.0_dev.jsonl.xz", "LICENSE-CC-BY-SA-4.0.txt", "README.md"):
        assert f"nli_probe/data/embedded/{name}" in names, name
