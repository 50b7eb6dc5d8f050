"""Finding suites: built-in ones by name, user ones from a Python or TOML file.

A built-in suite is a module of `nli_probe.suites` (the repository's `suites/` folder) that
defines `suite = Suite(...)`; its module name is the name users type (`--suite robustness`).
A Python suite file is run as a module and must define `suite` the same way. Errors name the
file and line: a syntax error, an unknown perturbation name (with a did-you-mean), an exception
raised while the file runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
import traceback
from pathlib import Path
from types import ModuleType, TracebackType

from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.probing.suite import Suite
from nli_probe.probing.toml_loader import load_toml_suite

BUILTIN_PACKAGE = "nli_probe.suites"
SUITE_SUFFIXES = (".py", ".toml")


def builtin_suite_names() -> list[str]:
    """The names of the built-in suites, sorted."""
    package = importlib.import_module(BUILTIN_PACKAGE)
    return sorted(
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    )


def default_suite_names() -> list[str]:
    """The built-in suites a study runs when it names none: all but those with attack probes,
    whose model-in-the-loop searches cost many model calls per pair (name them to run them:
    `suites=robustness,...,attacks`)."""
    return [
        name
        for name in builtin_suite_names()
        if not any(probe.attack is not None for probe in load_builtin_suite(name).probes)
    ]


def load_builtin_suite(name: str) -> Suite:
    """The built-in suite `name`; `NLIProbeError` with a did-you-mean if there is none."""
    known = builtin_suite_names()
    if name not in known:
        listing = ", ".join(known) or "none"
        raise NLIProbeError(
            f"unknown suite {name!r}{did_you_mean(name, known)} (built-in suites: {listing}; "
            "or give a .py or .toml suite file)"
        )
    module = importlib.import_module(f"{BUILTIN_PACKAGE}.{name}")
    return _suite_of(module, where=f"built-in suite {name!r}")


def load_suite(spec: str | Path) -> Suite:
    """A suite from a `.py` or `.toml` file, or a built-in suite's name."""
    path = Path(spec)
    if path.suffix in SUITE_SUFFIXES or path.exists():
        return load_suite_file(path)
    return load_builtin_suite(str(spec))


def load_suite_file(path: Path) -> Suite:
    """Read a `.py` or `.toml` suite file."""
    if path.suffix == ".toml":
        return load_toml_suite(path)
    if path.suffix != ".py":
        raise NLIProbeError(f"{path}: a suite file must end in .py or .toml")
    return load_python_suite(path)


def load_python_suite(path: Path) -> Suite:
    """Run the Python file `path` and return the `Suite` it names `suite`."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NLIProbeError(f"{path}: no such suite file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NLIProbeError(f"{path}: cannot read suite file ({error})") from None
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as error:
        raise NLIProbeError(f"{path}:{error.lineno}: syntax error: {error.msg}") from None
    # Registered under a private name so that dataclasses and pickling inside the file work,
    # without shadowing any real module.
    module_name = f"_nli_probe_suite_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None:
        raise NLIProbeError(f"{path}: cannot load as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        exec(code, module.__dict__)
    except NLIProbeError as error:
        raise NLIProbeError(f"{_place(path, error.__traceback__)}: {error}") from None
    except Exception as error:  # the user's code: report where it failed, not our traceback
        raise NLIProbeError(
            f"{_place(path, error.__traceback__)}: {type(error).__name__}: {error}"
        ) from None
    return _suite_of(module, where=str(path))


def _suite_of(module: ModuleType, *, where: str) -> Suite:
    suite = getattr(module, "suite", None)
    if suite is None:
        raise NLIProbeError(f"{where}: defines no `suite` (expected `suite = Suite(...)`)")
    if not isinstance(suite, Suite):
        raise NLIProbeError(f"{where}: `suite` is a {type(suite).__name__}, not a Suite")
    return suite


def _place(path: Path, tb: TracebackType | None) -> str:
    """`path:line` of the deepest frame of the traceback inside `path`, or just `path`."""
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if Path(frame.f_code.co_filename) == path:
            line = lineno
    return f"{path}:{line}" if line is not None else str(path)
