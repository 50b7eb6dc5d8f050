"""What `evaluate` and `probe` share: the inference options, how a `--model` argument names a
model, and the selection of pairs by a trainer run's split (so both cover the same pairs)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nli_probe.example import Example


def add_inference_options(parser: argparse.ArgumentParser) -> None:
    """--device, --precision, --max-length, --batch-size, --cache and --no-cache."""
    parser.add_argument("--device", help="cpu, cuda, cuda:1, mps (default: auto)")
    parser.add_argument("--precision", help="fp32, bf16 or fp16 (default: auto)")
    parser.add_argument("--max-length", type=int, default=128, help="tokens per pair (128)")
    parser.add_argument("--batch-size", type=int, default=32, help="pairs per batch (32)")
    parser.add_argument("--cache", type=Path, help="prediction cache file (default: user cache)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")


def model_location(spec: str) -> tuple[str, str | None]:
    """(where to load from, display name): `NAME=PATH` names the model; a trainer run folder
    means its `model/`, named after the run; anything else is passed on as it is."""
    name, sep, rest = spec.partition("=")
    if sep and name and rest and "/" not in name and not Path(spec).expanduser().exists():
        return model_location(rest)[0], name
    path = Path(spec).expanduser()
    if (path / "model").is_dir() and (
        (path / "config.toml").is_file() or (path / "metrics.json").is_file()
    ):
        return str(path / "model"), path.resolve().name
    return spec, None


def select_by_training(
    examples: list[Example],
    *,
    exclude_trained: list[Path],
    held_out_of: list[Path],
    data_dir: Path | None,
) -> tuple[list[Example], list[str]]:
    """Apply `--exclude-trained` then `--held-out-of`; returns the kept pairs and one note per
    selection made."""
    notes: list[str] = []
    if exclude_trained:
        examples, note = _exclude_trained(examples, exclude_trained, data_dir=data_dir)
        notes.append(note)
    if held_out_of:
        examples, note = _held_out(examples, held_out_of, data_dir=data_dir)
        notes.append(note)
    return examples, notes


def _exclude_trained(
    examples: list[Example], train_runs: list[Path], *, data_dir: Path | None
) -> tuple[list[Example], str]:
    """Drop the pairs the trainer runs trained on (matched by id and by text)."""
    from nli_probe.trainers.prepare import prepare_data

    trained: list[Example] = []
    for run in train_runs:
        trained.extend(prepare_data(_train_config(run, data_dir=data_dir)).train)
    ids = {example.id for example in trained}
    pairs = {example.pair for example in trained}
    kept = [e for e in examples if e.id not in ids and e.pair not in pairs]
    names = ", ".join(str(run) for run in train_runs)
    return kept, (
        f"left out {len(examples) - len(kept)} of {len(examples)} pairs that {names} "
        f"trained on; {len(kept)} remain"
    )


def _held_out(
    examples: list[Example], train_runs: list[Path], *, data_dir: Path | None
) -> tuple[list[Example], str]:
    """Keep the pairs every trainer run held out for its own evaluation (matched by id)."""
    from nli_probe.trainers import evaluation_examples

    kept = examples
    for run in train_runs:
        ids = {e.id for e in evaluation_examples(_train_config(run, data_dir=data_dir))}
        kept = [example for example in kept if example.id in ids]
    names = ", ".join(str(run) for run in train_runs)
    return kept, f"kept the {len(kept)} of {len(examples)} pairs that {names} held out"


def _train_config(run: Path, *, data_dir: Path | None) -> Any:
    from nli_probe.errors import NLIProbeError
    from nli_probe.trainers import load_preset

    config_file = run / "config.toml"
    if not config_file.is_file():
        raise NLIProbeError(f"{run}: not a trainer run folder (no config.toml)")
    overrides = [f"data_dir={json.dumps(str(data_dir))}"] if data_dir else []
    return load_preset(str(config_file), overrides)
