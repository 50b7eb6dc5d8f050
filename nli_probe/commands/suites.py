"""`nli-probe suites ls` and `nli-probe suites validate FILE...`: no model, no torch."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "suites",
        help="list built-in probe suites, check suite files",
        description="List the built-in probe suites and the perturbations, expectations, "
        "templates and attack parts a suite file may name, or check suite files without running "
        "a model.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    ls = verbs.add_parser(
        "ls",
        help="list suites and their probes",
        description="List the built-in suites (or the named suites/files) and their probes.",
    )
    ls.add_argument("suites", nargs="*", metavar="SUITE", help="suite names or files to list")
    ls.add_argument(
        "--all",
        action="store_true",
        help="also list the registered perturbations, expectations, templates, attack recipes, "
        "transformations, constraints and searches with their arguments (what a TOML suite may "
        "name)",
    )
    ls.set_defaults(handler=_ls)
    validate = verbs.add_parser(
        "validate",
        help="check suite files (.py or .toml) without a model",
        description="Load each suite file and report its probes or its first error "
        "(file:line, probe, did-you-mean). Exit status 2 if any file is invalid.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="suite files or names")
    validate.set_defaults(handler=_validate)
    parser.set_defaults(handler=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _ls(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from nli_probe.probing.attacks.attack import ATTACKS
    from nli_probe.probing.attacks.constraint import CONSTRAINTS
    from nli_probe.probing.attacks.search import SEARCHES
    from nli_probe.probing.attacks.transformation import TRANSFORMATIONS
    from nli_probe.probing.expectation import EXPECTATIONS
    from nli_probe.probing.loader import builtin_suite_names, load_suite
    from nli_probe.probing.perturbation import PERTURBATIONS
    from nli_probe.probing.template import TEMPLATES

    console = _console(Console)
    specs = args.suites or builtin_suite_names()
    for spec in specs:
        suite = load_suite(spec)
        table = Table(title=f"{suite.name}: {suite.description}", title_justify="left")
        for column in ("probe", "capability", "kind", "perturbation", "expectation", "about"):
            table.add_column(column)
        for probe in suite.probes:
            source = probe.perturbation.name
            expectation = probe.expectation.name
            if probe.template is not None:
                source = f"template {probe.template.name}"
            if probe.attack is not None:
                source = f"attack {probe.attack.name}"
                expectation = "changes the prediction"
            table.add_row(
                probe.name,
                probe.capability,
                probe.kind,
                source,
                expectation,
                probe.description,
            )
        console.print(table)
    if args.all:
        registries = (
            PERTURBATIONS,
            EXPECTATIONS,
            TEMPLATES,
            ATTACKS,
            TRANSFORMATIONS,
            CONSTRAINTS,
            SEARCHES,
        )
        for registry in registries:
            plural = registry.kind + ("es" if registry.kind.endswith(("s", "h")) else "s")
            table = Table(title=plural, title_justify="left")
            for column in ("name", "arguments", "about"):
                table.add_column(column)
            for name in registry.names():
                table.add_row(name, registry.signature(name), registry.describe(name))
            console.print(table)
    return 0


def _validate(args: argparse.Namespace) -> int:
    import sys

    from nli_probe.errors import NLIProbeError
    from nli_probe.probing.loader import load_suite

    status = 0
    for spec in args.files:
        try:
            suite = load_suite(spec)
        except NLIProbeError as error:
            print(f"invalid {' '.join(str(error).split())}", file=sys.stderr)
            status = 2
            continue
        kinds = sorted({probe.kind for probe in suite.probes})
        print(f"ok {spec}: suite {suite.name!r}, {len(suite.probes)} probes ({', '.join(kinds)})")
    return status


def _console(console_type: Any) -> Any:
    console = console_type()
    if not console.is_terminal:
        # Piped output: wide enough that tables do not wrap their cells.
        console = console_type(width=max(console.width, 160))
    return console
