"""NLI data: readers (SNLI/MultiNLI, ChaosNLI, plain files, Hugging Face), the data folder and
its names, the SNLI download, and the study's preparation (filter, map, stratified sampling,
class balance).

Everything here is torch-free; `datasets` is imported only when an `hf:` name is read.
"""

from nli_probe.data.balance import NO_GOLD, ClassBalance, balance_table, class_balance
from nli_probe.data.dataset import Dataset
from nli_probe.data.folder import ENV_VAR, resolve_data_dir
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

__all__ = [
    "ENV_VAR",
    "NO_GOLD",
    "TWO_WAY",
    "ClassBalance",
    "Columns",
    "Dataset",
    "FilterResult",
    "RowProblem",
    "balance_table",
    "class_balance",
    "filter_examples",
    "iter_examples",
    "load_examples",
    "map_labels",
    "parse_label_mapping",
    "read_dataset",
    "resolve_data_dir",
    "resolve_spec",
    "stratified_sample",
    "stratified_split",
]
