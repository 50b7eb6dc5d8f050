"""nli-probe: evaluation and robustness analysis for NLI classifiers.

Importing this package loads no torch and no textual: they come in only when a model is
loaded (`nli_probe.models`), with the trainers and with the TUI. The folders are the layers
(README, "Where things live"); the names below are the public API.
"""

from nli_probe import _moved
from nli_probe.core.example import Example
from nli_probe.core.labels import LABELS, Label, parse_label
from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Model, Pair
from nli_probe.core.report import ModelRun, Report, load_report, save_report
from nli_probe.core.suite_run import AttackStats, Edit, Outcome, ProbeRun, SuiteRun
from nli_probe.data import load_examples, read_dataset
from nli_probe.errors import NLIProbeError, NLIProbeWarning
from nli_probe.models.cache import PredictionCache, default_cache_path
from nli_probe.models.engine import PredictionRun, predict, run_predictions
from nli_probe.models.load import load_model
from nli_probe.models.transformers_model import TransformersModel
from nli_probe.probing.attacks.attack import Attack, get_attack, register_attack
from nli_probe.probing.attacks.constraint import Constraint, get_constraint, register_constraint
from nli_probe.probing.attacks.runner import AttackResult, attack_examples
from nli_probe.probing.attacks.search import Search, get_search, register_search
from nli_probe.probing.attacks.transformation import (
    Transformation,
    get_transformation,
    register_transformation,
    word_transformation,
)
from nli_probe.probing.expectation import Check, Expectation, get_expectation, register_expectation
from nli_probe.probing.loader import load_suite
from nli_probe.probing.perturbation import (
    Perturbation,
    Variant,
    get_perturbation,
    register_perturbation,
)
from nli_probe.probing.probe import Probe
from nli_probe.probing.runner import run_suite, run_suites
from nli_probe.probing.suite import Suite
from nli_probe.probing.template import Template, get_template, register_template
from nli_probe.scoring.metrics import MetricReport
from nli_probe.scoring.scores import (
    ModelScores,
    ReportScores,
    score_report,
    store_scores,
    stored_scores,
)
from nli_probe.version import __version__

__all__ = [
    "LABELS",
    "Attack",
    "AttackResult",
    "AttackStats",
    "Check",
    "Constraint",
    "Edit",
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
    "Search",
    "Suite",
    "SuiteRun",
    "Template",
    "Transformation",
    "TransformersModel",
    "Variant",
    "__version__",
    "attack_examples",
    "default_cache_path",
    "get_attack",
    "get_constraint",
    "get_expectation",
    "get_perturbation",
    "get_search",
    "get_template",
    "get_transformation",
    "load_examples",
    "load_model",
    "load_report",
    "load_suite",
    "parse_label",
    "predict",
    "read_dataset",
    "register_attack",
    "register_constraint",
    "register_expectation",
    "register_perturbation",
    "register_search",
    "register_template",
    "register_transformation",
    "run_predictions",
    "run_suite",
    "run_suites",
    "save_report",
    "score_report",
    "store_scores",
    "stored_scores",
    "word_transformation",
]

# Module paths of 0.1 keep importing until 0.3, with a DeprecationWarning (CHANGELOG.md).
_moved.install()
