"""`nli-probe train PRESET [key=value ...]`: full fine-tuning or LoRA from a preset.

The trainers (`nli_probe.trainers`, torch, transformers, peft) are imported inside the handler,
so `nli-probe --help` stays fast. Under `torchrun` / `accelerate launch` this same command
trains on every process (`torchrun --nproc_per_node 2 -m nli_probe train quick-full`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nli_probe.commands._model_options import add_threads_option, apply_threads


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "train",
        help="fine-tune an encoder for NLI (full or LoRA) from a preset",
        description=(
            "Train a 3-way NLI classifier from a preset (a built-in name such as quick-full, "
            "quick-lora, roberta-snli-full, roberta-snli-lora, or a TOML file), with key=value "
            "overrides (epochs=2 lora.r=16 train_data='[\"my.jsonl\"]'). The run folder gets "
            "the model (full weights or the LoRA adapter), the resolved config, the data "
            "summary, the training log, the final metrics and a model card. A finished run "
            "folder is reused; an interrupted one continues with --resume."
        ),
    )
    parser.add_argument("preset", nargs="?", help="built-in preset name or path to a .toml file")
    # Options may follow the overrides (`train quick-full epochs=2 --resume`): argparse cannot
    # interleave them with a `*` positional, so the rest is re-read by `_options` in the handler.
    parser.add_argument("overrides", nargs=argparse.REMAINDER, metavar="KEY=VALUE ...")
    _add_options(parser)
    parser.set_defaults(handler=_handle)


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--out", type=Path, help="run folder (default: runs/PRESET in this directory)"
    )
    parser.add_argument("--data-dir", help="data folder for names such as snli:dev")
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="skip malformed data rows (listed in data_summary.json) instead of stopping "
        "(the config key skip_bad_rows)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue an interrupted run from its last checkpoint"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--list", action="store_true", help="list the built-in presets and exit")
    parser.add_argument(
        "--show-config", action="store_true", help="print the resolved config (TOML) and exit"
    )
    add_threads_option(parser)


def _options(args: argparse.Namespace) -> argparse.Namespace:
    """Options given after the preset, merged over those given before it."""
    from nli_probe.commands._arguments import CommandParser

    parser = CommandParser(prog="nli-probe train")
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE")
    _add_options(parser)
    later = parser.parse_intermixed_args(args.overrides)
    merged = vars(args) | {key: value for key, value in vars(later).items() if value}
    merged["overrides"] = later.overrides
    return argparse.Namespace(**merged)


def _handle(args: argparse.Namespace) -> int:
    from nli_probe.errors import NLIProbeError
    from nli_probe.trainers import dump_toml, load_preset, preset_names, train

    args = _options(args)
    if args.list:
        for name in preset_names():
            print(name)
        return 0
    if not args.preset:
        raise NLIProbeError(f"name a preset ({', '.join(preset_names())}) or a .toml file")
    overrides = list(args.overrides)
    if args.data_dir:
        overrides.append(f"data_dir={_quoted(args.data_dir)}")
    if args.skip_bad_rows:
        overrides.append("skip_bad_rows=true")
    config = load_preset(args.preset, overrides)
    if args.show_config:
        print(dump_toml(config), end="")
        return 0
    out = args.out or Path("runs") / config.name
    from nli_probe.commands._output_place import check_output_folder

    check_output_folder(out)  # before the data is read or the model built
    apply_threads(args)
    from nli_probe.trainers.arguments import resolve_precision

    print(f"precision: {resolve_precision(config.precision).describe()}")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # load-time chatter; the run folder keeps the record
    result = train(config, out, resume=args.resume, progress=not args.no_progress)
    evaluation = result.metrics["eval"]
    state = "reused finished run" if result.reused else "trained"
    print(
        f"{state}: {result.run_dir}  accuracy {evaluation['accuracy']:.4f}  "
        f"F1 (weighted) {evaluation['f1_weighted']:.4f}  on {result.metrics['eval_pairs']} pairs"
    )
    print(f"model: {result.model_dir}")
    return 0


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
