"""The label balance of a model's training data, which the majority baseline predicts.

A trainer run folder (and a study's) records it in `data_summary.json` (`train.balance_after`:
the pairs actually trained on, after filtering and sampling). A data file or name stands for
itself: its gold labels are counted. Without either, the baseline can only be the evaluated
pairs' own majority, an oracle (see `nli_probe.core.parts`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from nli_probe.core.labels import Label
from nli_probe.core.parts import BaselinePrior
from nli_probe.errors import NLIProbeError

SUMMARY_FILE = "data_summary.json"


def recorded_balance(run: Path) -> BaselinePrior | None:
    """The training balance a trainer or study run folder records; None when `run` is not such
    a folder (no `data_summary.json` there, or one without a training balance)."""
    summary = run / SUMMARY_FILE
    if not summary.is_file():
        return None
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NLIProbeError(f"{summary}: unreadable data summary ({error})") from None
    train = data.get("train") if isinstance(data, Mapping) else None
    balance = train.get("balance_after") if isinstance(train, Mapping) else None
    counts = balance.get("counts") if isinstance(balance, Mapping) else None
    if not isinstance(counts, Mapping):
        return None
    labels = {str(label) for label in Label}
    try:
        kept = {str(k): int(v) for k, v in counts.items() if str(k) in labels}
    except (TypeError, ValueError):
        message = f"{summary}: train.balance_after.counts are not whole numbers"
        raise NLIProbeError(message) from None
    return BaselinePrior(source=f"training data of {run}", counts=kept)


def training_balance(spec: str | Path, *, data_dir: Path | None = None) -> BaselinePrior:
    """The balance `--baseline-from` names: a trainer or study run folder (its recorded
    training balance), or a data file or name (its gold labels counted).

    Raises:
        NLIProbeError: a folder that records no training balance, an unreadable file, or data
            without a gold label.
    """
    path = Path(spec).expanduser()
    if path.is_dir():
        found = recorded_balance(path)
        if found is None:
            raise NLIProbeError(
                f"--baseline-from {spec}: a run folder needs a {SUMMARY_FILE} with the training "
                "balance (train.balance_after), as `nli-probe train` and `study` write; or give "
                "the training data itself (a file or a name)"
            )
        return found
    from nli_probe.data.balance import class_balance
    from nli_probe.data.read import read_dataset

    try:
        dataset = read_dataset(spec, data_dir=data_dir)
    except NLIProbeError as error:
        raise NLIProbeError(f"--baseline-from: {error}") from None
    counts = class_balance(dataset.examples).counts
    names = {str(label) for label in Label}
    labelled = {key: value for key, value in counts.items() if key in names}
    if not sum(labelled.values()):
        raise NLIProbeError(f"--baseline-from {spec}: no pair there has a gold label")
    return BaselinePrior(source=f"gold labels of {dataset.name}", counts=labelled)
