"""The pairs a training run evaluates on (the held-out split) and trains on (the training pool).

The study's recipe: drop pairs without a gold label (and, optionally, below an agreement level),
then sample the training pool stratified by label. With `held_out > 0` the evaluation pairs are a
seeded stratified part of `eval_data` and the rest of it joins the training pool. The trainers
prepare their data here; the study and `--held-out-of` / `--exclude-trained` call
`evaluation_examples` and `prepare_data` to use exactly the pairs a trainer run held out or
trained on. What to read and how to split it comes from any object with the data keys of a
trainer config (`SplitSettings`; `nli_probe.trainers.TrainConfig` is one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from nli_probe.core.example import Example
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

if TYPE_CHECKING:
    from nli_probe.data import Dataset


class SplitSettings(Protocol):
    """The data keys of a training run (`nli_probe.trainers.TrainConfig` says what each means)."""

    @property
    def data_dir(self) -> str: ...
    @property
    def train_data(self) -> tuple[str, ...]: ...
    @property
    def eval_data(self) -> str: ...
    @property
    def held_out(self) -> int: ...
    @property
    def split_seed(self) -> int: ...
    @property
    def skip_bad_rows(self) -> bool: ...
    @property
    def min_agreement(self) -> int: ...
    @property
    def train_fraction(self) -> float: ...
    @property
    def train_count(self) -> int: ...
    @property
    def sample_seed(self) -> int: ...


@dataclass(frozen=True, kw_only=True, slots=True)
class PreparedData:
    """The examples a run trains and evaluates on, and how they were chosen (`summary`)."""

    train: list[Example]
    eval: list[Example]
    summary: dict[str, Any]


def held_out_split(
    config: SplitSettings, *, skipped: list[RowProblem] | None = None
) -> tuple[list[Example], list[Example]]:
    """(evaluation pairs, the rest) of `config.eval_data`, gold-labelled pairs only; rows
    skipped under `skip_bad_rows` are added to `skipped`.

    With `held_out = 0` the whole (gold) evaluation set is evaluated and nothing is left over.
    The split is stratified by label and seeded by `split_seed`, so it is the same every time.
    """
    dataset = _read(config.eval_data, config, [] if skipped is None else skipped)
    return _split(dataset.examples, config)


def _split(examples: list[Example], config: SplitSettings) -> tuple[list[Example], list[Example]]:
    from nli_probe.data import filter_examples, stratified_split

    gold = filter_examples(examples, require_gold=True)
    if config.held_out <= 0:
        return list(gold), []
    if config.held_out >= len(gold):
        raise NLIProbeError(
            f"held_out = {config.held_out} but {config.eval_data} has only {len(gold)} "
            f"gold-labelled pairs"
        )
    held, rest = stratified_split(gold, count=config.held_out, seed=config.split_seed)
    return list(held), list(rest)


def evaluation_examples(config: SplitSettings) -> list[Example]:
    """Exactly the pairs a run with `config` evaluates on (see `held_out_split`)."""
    return held_out_split(config)[0]


def read_evaluation(config: SplitSettings) -> tuple[list[Example], str]:
    """`evaluation_examples`, and one line saying which file `eval_data` was read from."""
    dataset = _read(config.eval_data, config, [])
    return _split(dataset.examples, config)[0], dataset.origin


def prepare_data(config: SplitSettings) -> PreparedData:
    """Read, filter and sample the training pool, and pick the evaluation pairs.

    The summary's `read` lists, for each data set, which file it was read from (a data folder's
    copy or the package's embedded one).

    Raises:
        NLIProbeError: a missing data file or name (from `nli_probe.data`), or nothing left to
            train on after filtering.
    """
    from nli_probe.data import class_balance, filter_examples, stratified_sample

    skipped: list[RowProblem] = []
    eval_set = _read(config.eval_data, config, skipped)
    read = {config.eval_data: eval_set.origin}
    evaluation, rest = _split(eval_set.examples, config)
    pool: list[Example] = []
    for spec in config.train_data:
        dataset = _read(spec, config, skipped)
        read[spec] = dataset.origin
        pool.extend(dataset.examples)
    pool.extend(rest)
    # A pair that is evaluated must never be trained on (the same file named twice, or
    # eval_data also listed in train_data).
    evaluated = {example.pair for example in evaluation}
    unseen = [example for example in pool if example.pair not in evaluated]
    overlap = len(pool) - len(unseen)
    filtered = filter_examples(
        unseen, require_gold=True, min_agreement=config.min_agreement or None
    )
    kept = list(filtered)
    sources = list(config.train_data) + ([f"{config.eval_data} (not held out)"] if rest else [])
    if not kept:
        raise NLIProbeError(
            f"no training pairs left after filtering {', '.join(sources) or 'nothing'} "
            f"(require a gold label, min_agreement = {config.min_agreement})"
        )
    if config.train_count > 0 and config.train_count < len(kept):
        train = stratified_sample(kept, count=config.train_count, seed=config.sample_seed)
    elif config.train_fraction < 1.0:
        train = stratified_sample(kept, fraction=config.train_fraction, seed=config.sample_seed)
    else:
        train = kept
    summary = {
        "read": list(read.values()),
        "train": {
            "sources": sources,
            "loaded": len(pool),
            "dropped_as_evaluated": overlap,
            "dropped_by_filter": dict(filtered.dropped),
            "after_filter": len(kept),
            "sampled": len(train),
            "balance_before": _plain(class_balance(pool)),
            "balance_after_filter": _plain(class_balance(kept)),
            "balance_after": _plain(class_balance(train)),
        },
        "eval": {
            "source": config.eval_data,
            "held_out": config.held_out,
            "split_seed": config.split_seed,
            "pairs": len(evaluation),
            "balance": _plain(class_balance(evaluation)),
        },
        "skipped_rows": [problem.to_json() for problem in skipped],
    }
    return PreparedData(train=list(train), eval=evaluation, summary=summary)


def _read(spec: str, config: SplitSettings, skipped: list[RowProblem]) -> Dataset:
    """One data spec read; rows skipped under `skip_bad_rows` go to `skipped`."""
    from nli_probe.data import read_dataset

    data_dir = Path(config.data_dir).expanduser() if config.data_dir else None
    try:
        dataset = read_dataset(spec, data_dir=data_dir, skip_bad_rows=config.skip_bad_rows)
    except NLIProbeError as error:
        if "-column" not in str(error):
            raise
        # The plain reader's hint names `data`'s column options, which trainers do not take.
        raise NLIProbeError(
            f"{error}. Trainers read their data files by the usual column names: convert this "
            f"one with `nli-probe data prepare {spec} --premise-column ... -o FILE.jsonl` and "
            f"train on FILE.jsonl"
        ) from None
    skipped.extend(dataset.skipped)
    return dataset


def _plain(value: Any) -> Any:
    """JSON-ready form of whatever `class_balance` returns (a mapping or a dataclass)."""
    if hasattr(value, "to_json"):
        return _plain(value.to_json())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]
    return value
