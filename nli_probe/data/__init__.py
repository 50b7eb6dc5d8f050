"""NLI data: readers (SNLI/MultiNLI, ChaosNLI, plain files, Hugging Face), the data folder and
its names, the SNLI download, and the study's preparation (filter, map, stratified sampling,
class balance).

Everything here is torch-free; `datasets` is imported only when an `hf:` name is read.
"""

from nli_probe.data.balance import NO_GOLD, ClassBalance, balance_table, class_balance
from nli_probe.data.dataset import Dataset
from nli_probe.data.download import SNLI_SHA256, SNLI_URL, ensure_snli
from nli_probe.data.folder import ENV_VAR, resolve_data_dir
from nli_probe.data.info import DataInfo, describe
from nli_probe.data.plain import Columns
from nli_probe.data.prepare import (
    TWO_WAY,
    FilterResult,
    filter_examples,
    map_labels,
    parse_label_mapping,
    stratified_sample,
    stratified_split,
)
from nli_probe.data.problems import RowProblem
from nli_probe.data.read import iter_examples, load_examples, read_dataset, resolve_spec
from nli_probe.data.recipe import Prepared, PrepSummary, Recipe, prepare
from nli_probe.data.write import example_to_json, write_jsonl

__all__ = [
    "ENV_VAR",
    "NO_GOLD",
    "SNLI_SHA256",
    "SNLI_URL",
    "TWO_WAY",
    "ClassBalance",
    "Columns",
    "DataInfo",
    "Dataset",
    "FilterResult",
    "PrepSummary",
    "Prepared",
    "Recipe",
    "RowProblem",
    "balance_table",
    "class_balance",
    "describe",
    "ensure_snli",
    "example_to_json",
    "filter_examples",
    "iter_examples",
    "load_examples",
    "map_labels",
    "parse_label_mapping",
    "prepare",
    "read_dataset",
    "resolve_data_dir",
    "resolve_spec",
    "stratified_sample",
    "stratified_split",
    "write_jsonl",
]
