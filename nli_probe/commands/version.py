"""`nli-probe version`: the versions that matter when reporting a problem."""

from __future__ import annotations

import argparse
import platform
from importlib import metadata
from typing import Any

from nli_probe.version import __version__

_PACKAGES = ("torch", "transformers", "peft", "datasets", "scikit-learn", "textual", "rich")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "version", help="show nli-probe's version and those of its main dependencies"
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    print(f"nli-probe {__version__} (Python {platform.python_version()})")
    for name in _PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
        print(f"  {name} {version}")
    return 0
