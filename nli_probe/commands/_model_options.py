"""What the commands that load a model share: the model and inference options, the `--threads`
option (`predict`, `evaluate`, `probe`, `train`, `study`), the precision line they print, how a
`--model` argument names a model, and (for `evaluate` and `probe`) the selection of pairs by a
trainer run's split, so both cover the same pairs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nli_probe.commands._arguments import COUNT, MAX_LENGTH

if TYPE_CHECKING:
    from nli_probe.core.example import Example


PRECISION_HELP = (
    "auto (decided by the hardware: bf16 on a CPU with AMX, else fp32; fp32 for inference on "
    "a GPU), fp32, bf16 or fp16"
)


def add_inference_options(parser: argparse.ArgumentParser, *, cache: bool = True) -> None:
    """--device, --precision, --max-length, --batch-size, --batch-tokens, --label-names,
    --trust-remote-code, and (with `cache`) --cache and --no-cache: every command that loads a
    model takes these."""
    group = parser.add_argument_group("model")
    group.add_argument("--device", help="auto (cuda, mps, else cpu), cpu, cuda, cuda:N or mps")
    group.add_argument("--precision", help=PRECISION_HELP)
    group.add_argument(
        "--max-length",
        type=MAX_LENGTH,
        default=128,
        metavar="TOKENS",
        help="tokens per pair, at least 8, at most the model's position limit (128)",
    )
    group.add_argument(
        "--batch-size",
        type=COUNT,
        metavar="N",
        help="most pairs per forward pass (default: only --batch-tokens limits a batch)",
    )
    group.add_argument(
        "--batch-tokens",
        type=COUNT,
        metavar="N",
        help="most padded tokens (pairs x longest pair) per forward pass (default: 1024 on a "
        "CPU, 16384 on a GPU)",
    )
    group.add_argument(
        "--label-names",
        metavar="A,B,C",
        help="the output columns' labels in column order, for checkpoints whose config says "
        "only LABEL_0, LABEL_1, ... (e.g. entailment,neutral,contradiction)",
    )
    group.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="run code shipped with a hub model (only for authors you trust)",
    )
    if cache:
        group.add_argument(
            "--cache", type=Path, metavar="FILE", help="prediction cache file (default: user cache)"
        )
        group.add_argument(
            "--no-cache", action="store_true", help="neither read nor write the prediction cache"
        )


def model_options(args: argparse.Namespace, *, progress: bool = True) -> dict[str, Any]:
    """The `load_model` keyword arguments the options of `add_inference_options` ask for."""
    label_names = None
    if args.label_names:
        label_names = [name.strip() for name in args.label_names.split(",")]
    return {
        "device": args.device,
        "precision": args.precision,
        "max_length": args.max_length,
        "batch_size": args.batch_size,
        "batch_tokens": args.batch_tokens,
        "label_names": label_names,
        "trust_remote_code": args.trust_remote_code,
        "progress": progress,
    }


def add_threads_option(parser: argparse.ArgumentParser) -> None:
    """--threads N (else $NLI_PROBE_THREADS, else torch's choice: one thread per core)."""
    parser.add_argument(
        "--threads",
        type=COUNT,
        metavar="N",
        help="CPU threads for torch (default: $NLI_PROBE_THREADS, else one per core); on a "
        "machine shared with other work, 1 is steadier",
    )


def apply_threads(args: argparse.Namespace) -> None:
    """Set torch's CPU threads if `--threads` or `$NLI_PROBE_THREADS` asks; torch is imported
    only then (commands that load no model stay fast)."""
    from nli_probe.models.hardware import set_threads, threads_from

    if threads_from(args.threads) is not None:
        set_threads(args.threads)


def announce_precision(model: Any, shown: set[str], say: Callable[[str], None]) -> None:
    """Say the precision a loaded model runs in and why (`precision: fp32 (auto: ...)`) and, on
    a CPU in fp32, which kernel computes its linear layers (`nli_probe.models.cpu_linear`),
    once per distinct choice in a run."""
    choice = getattr(model, "precision_choice", None)
    if choice is None:
        return
    lines = [f"precision: {choice.describe()}"]
    kernel = getattr(model, "cpu_linear", None)  # chosen here on a CPU in fp32
    if kernel is not None:
        lines.append(f"cpu linear kernel: {kernel.choice.describe()}")
    for line in lines:
        if line not in shown:
            shown.add(line)
            say(line)


def split_model_spec(spec: str) -> tuple[str | None, str]:
    """(display name or None, where to load from) of a `--model` argument.

    `NAME=PATH` is split at the first `=`: the name is everything before it (markup and all),
    the rest is the path or hub name (`a=b=c` is the model `b=c` named `a`). A path that itself
    holds `=` is read as a path when it exists, and refused when the split would name an
    existing model too (unless written with a folder part, `./a=b`).
    """
    from nli_probe.errors import NLIProbeError

    name, sep, rest = spec.partition("=")
    if not sep:
        return None, spec
    if Path(spec).expanduser().exists():
        if "/" not in name and rest and Path(rest).expanduser().exists():
            raise NLIProbeError(
                f"--model {spec!r} is ambiguous: {spec} is a model folder, and it also reads as "
                f"the model {rest} named {name!r}; write ./{spec} for the folder, or rename it"
            )
        return None, spec
    if not name.strip():
        raise NLIProbeError(f"--model {spec!r}: the name before '=' is empty (write NAME=PATH)")
    if not rest.strip():
        raise NLIProbeError(f"--model {spec!r}: nothing after '=' (write NAME=PATH)")
    return name, rest


def model_location(spec: str) -> tuple[str, str | None]:
    """(where to load from, display name): `NAME=PATH` names the model (see `split_model_spec`);
    a trainer run folder means its `model/`, named after the run; anything else is passed on
    as it is."""
    name, location = split_model_spec(spec)
    path = Path(location).expanduser()
    if (path / "model").is_dir() and (
        (path / "config.toml").is_file() or (path / "metrics.json").is_file()
    ):
        return str(path / "model"), name or path.resolve().name
    return location, name


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
    from nli_probe.data.split import prepare_data

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
    from nli_probe.data.split import evaluation_examples

    kept = examples
    for run in train_runs:
        ids = {e.id for e in evaluation_examples(_train_config(run, data_dir=data_dir))}
        kept = [example for example in kept if example.id in ids]
    names = ", ".join(str(run) for run in train_runs)
    return kept, f"kept the {len(kept)} of {len(examples)} pairs that {names} held out"


def _train_config(run: Path, *, data_dir: Path | None) -> Any:
    from nli_probe.core.presets import toml_value
    from nli_probe.errors import NLIProbeError
    from nli_probe.trainers import load_preset

    config_file = run / "config.toml"
    if not config_file.is_file():
        raise NLIProbeError(f"{run}: not a trainer run folder (no config.toml)")
    overrides = [f"data_dir={toml_value(str(data_dir))}"] if data_dir else []
    return load_preset(str(config_file), overrides)
