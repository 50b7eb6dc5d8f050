"""Behavioural probes: perturbations, expectations and templates (registered by name), the
`Probe` and `Suite` values, the runner that predicts each distinct pair once (`runner`), the
suite loaders (Python modules and TOML files), the built-in perturbations and templates, and
CheckList interop (`checklist/`).

In 0.1 `nli_probe.probing` was the runner module; its names (`run_suite`, `run_suites`,
`variants_of`) still resolve here until 0.3, with a `DeprecationWarning`.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    from nli_probe._moved import moved_attribute

    return moved_attribute(__name__, name)
