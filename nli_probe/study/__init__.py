"""`nli-probe study`: a preset (`config`, built-ins in `presets/`) run step by step into one run
folder (`run`, `steps`), through a backend that trains, loads and predicts (`backend`).

In 0.1 `nli_probe.study` was the run module; its names (`run_study`, `StudyResult`) still
resolve here until 0.3, with a `DeprecationWarning`.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    from nli_probe._moved import moved_attribute

    return moved_attribute(__name__, name)
