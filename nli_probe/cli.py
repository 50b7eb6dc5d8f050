"""The `nli-probe` command line.

Each subcommand lives in its own module under `nli_probe.commands` and exposes
`register(subparsers)`; this module finds them, so adding a command touches no shared file.
Command modules import heavy libraries (torch, transformers, textual) inside their handlers,
never at module level: `nli-probe --help`, `report`, `view`, `ls` and `validate` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nli_probe import commands
from nli_probe.commands._arguments import CommandParser
from nli_probe.errors import NLIProbeError, NLIProbeWarning
from nli_probe.version import __version__

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="nli-probe",
        description="Evaluate NLI classifiers: metrics, annotator agreement, robustness probes.",
    )
    parser.add_argument("--version", action="version", version=f"nli-probe {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (2 for errors the user can fix)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return EXIT_USER_ERROR
        with _one_line_warnings(), _quiet_unless_main():
            status = handler(args)
    except NLIProbeError as error:
        print(f"nli-probe: error{_rank_tag()}: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("nli-probe: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return int(status or 0)


def _one_line(message: str) -> str:
    return " ".join(message.split())


@contextmanager
def _one_line_warnings() -> Iterator[None]:
    """Print the library's `NLIProbeWarning`s as `nli-probe: warning: ...` lines on stderr (each
    time: they concern this run), and leave every other warning to Python's own handling."""
    with warnings.catch_warnings():
        shown = warnings.showwarning
        warnings.simplefilter("always", NLIProbeWarning)

        def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
            if issubclass(category, NLIProbeWarning):
                print(f"nli-probe: warning: {_one_line(str(message))}", file=sys.stderr)
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


@contextmanager
def _quiet_unless_main() -> Iterator[None]:
    """Under torchrun, ranks other than 0 run the same command without a word: no progress
    bars, tables or warnings (rank 0 says it all); their errors are still printed, after."""
    from nli_probe.models.distributed import is_main_process

    if is_main_process():
        yield
        return
    saved = sys.stdout, sys.stderr
    with Path(os.devnull).open("w", encoding="utf-8") as sink:
        sys.stdout = sys.stderr = sink
        try:
            yield
        finally:
            sys.stdout, sys.stderr = saved


def _rank_tag() -> str:
    """` (rank N of M)` on ranks other than 0 of a torchrun job, else nothing."""
    from nli_probe.models import distributed

    try:
        if distributed.is_main_process():
            return ""
        return f" (rank {distributed.rank()} of {distributed.launched_size()})"
    except NLIProbeError:
        return ""


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
