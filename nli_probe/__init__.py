"""nli-probe: evaluation and robustness analysis for NLI classifiers.

Importing this package loads no torch and no textual: they come in only with the
model loader (`nli_probe.model`), the trainers and the TUI.
"""

from nli_probe.cache import PredictionCache, default_cache_path
from nli_probe.data import load_examples, read_dataset
from nli_probe.engine import PredictionRun, predict, run_predictions
from nli_probe.errors import NLIProbeError, NLIProbeWarning
from nli_probe.example import Example
from nli_probe.expectation import Check, Expectation, get_expectation, register_expectation
from nli_probe.labels import LABELS, Label, parse_label
from nli_probe.metrics import MetricReport
from nli_probe.model import TransformersModel, load_model
from nli_probe.perturbation import (
    Perturbation,
    Variant,
    get_perturbation,
    register_perturbation,
)
from nli_probe.prediction import Prediction
from nli_probe.probe import Probe
from nli_probe.probing import run_suite, run_suites
from nli_probe.protocol import Model, Pair
from nli_probe.report import ModelRun, Report, load_report, save_report
from nli_probe.scores import ModelScores, ReportScores, score_report, store_scores, stored_scores
from nli_probe.suite import Suite
from nli_probe.suite_loader import load_suite
from nli_probe.suite_run import Outcome, ProbeRun, SuiteRun
from nli_probe.template import Template, get_template, register_template
from nli_probe.version import __version__

__all__ = [
    "LABELS",
    "Check",
    "Example",
    "Expectation",
    "Label",
    "MetricReport",
    "Model",
    "ModelRun",
    "ModelScores",
    "NLIProbeError",
    "NLIProbeWarning",
    "Outcome",
    "Pair",
    "Perturbation",
    "Prediction",
    "PredictionCache",
    "PredictionRun",
    "Probe",
    "ProbeRun",
    "Report",
    "ReportScores",
    "Suite",
    "SuiteRun",
    "Template",
    "TransformersModel",
    "Variant",
    "__version__",
    "default_cache_path",
    "get_expectation",
    "get_perturbation",
    "get_template",
    "load_examples",
    "load_model",
    "load_report",
    "load_suite",
    "parse_label",
    "predict",
    "read_dataset",
    "register_expectation",
    "register_perturbation",
    "register_template",
    "run_predictions",
    "run_suite",
    "run_suites",
    "save_report",
    "score_report",
    "store_scores",
    "stored_scores",
]
