"""nli-probe: evaluation and robustness analysis for NLI classifiers.

Importing this package loads no torch and no textual: they come in only with the
model loader (`nli_probe.model`), the trainers and the TUI.
"""

from nli_probe.engine import predict
from nli_probe.errors import NLIProbeError
from nli_probe.example import Example
from nli_probe.labels import LABELS, Label, parse_label
from nli_probe.prediction import Prediction
from nli_probe.protocol import Model, Pair
from nli_probe.report import ModelRun, Report, load_report, save_report
from nli_probe.version import __version__

__all__ = [
    "LABELS",
    "Example",
    "Label",
    "Model",
    "ModelRun",
    "NLIProbeError",
    "Pair",
    "Prediction",
    "Report",
    "__version__",
    "load_report",
    "parse_label",
    "predict",
    "save_report",
]
