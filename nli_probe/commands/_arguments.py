"""How the command line reads its arguments: one parser class for every command, whose misuse
errors are `NLIProbeError`s (printed on one line, exit status 2, like every error a user can
fix), and argument types that check a number's range as it is parsed, so a negative seed or a
zero batch size is refused before anything is read or loaded."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import NoReturn

from nli_probe.errors import NLIProbeError


class CommandParser(argparse.ArgumentParser):
    """`argparse.ArgumentParser` whose errors raise `NLIProbeError` instead of printing the
    usage and exiting: the CLI prints them on one line with exit status 2. Sub-command parsers
    made with `add_subparsers().add_parser` are of this class too."""

    def error(self, message: str) -> NoReturn:
        raise NLIProbeError(f"{message} (see `{self.prog} --help`)")


def whole_number(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argument type: an integer in [minimum, maximum]."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"must be {_range(minimum, maximum)}, got {value}")
        return value

    return parse


def share(text: str) -> float:
    """An argument type: a share of a whole, in (0, 1]."""
    value = _number(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1, got {text}")
    return value


def _number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _range(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return f"{minimum} or more"
    return f"from {minimum} to {maximum:,}"


SEED = whole_number(0)
"""Seeds are 0 or more (numpy's generators refuse negative seeds)."""
COUNT = whole_number(1)
"""A number of pairs, items or tokens: at least 1."""
MAX_LENGTH = whole_number(8)
"""Tokens per pair: a pair needs room for its special tokens and some words."""
SHOWN = whole_number(0)
"""How many things to print: 0 or more."""
RESAMPLES = whole_number(0, 1_000_000)
"""Bootstrap resamples: 0 (no intervals) to a million (the draws are held in memory)."""
