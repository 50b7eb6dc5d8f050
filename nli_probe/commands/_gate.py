"""Gate options shared by `nli-probe report` and `nli-probe study`."""

from __future__ import annotations

import argparse
from pathlib import Path

from nli_probe.reports.gate import Threshold, load_gate_file, parse_threshold


def add_gate_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "CI gate",
        "thresholds checked after the report is written; when one is crossed the command exits "
        "with status 1 and names it. A threshold applies to every model but the majority "
        "baseline unless written MODEL:NAME=LIMIT.",
    )
    group.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="[MODEL:]METRIC=MIN",
        help="a metric must be at least MIN (e.g. accuracy=0.85, f1_macro=0.8); of one data set: "
        "SET/METRIC=MIN (anli:test/accuracy=0.4); of one slice: SET/FIELD=VALUE:METRIC=MIN "
        "(hans/heuristic=lexical_overlap:accuracy=0.6)",
    )
    group.add_argument(
        "--fail-over",
        action="append",
        default=[],
        metavar="[MODEL:]METRIC=MAX",
        help="a lower-is-better metric must be at most MAX (e.g. ece=0.1; SET/ and slice forms "
        "as for --fail-under)",
    )
    group.add_argument(
        "--max-failure-rate",
        action="append",
        default=[],
        metavar="[MODEL:]PROBE=MAX",
        help="a probe (robustness/typos) or suite (robustness) must fail at most MAX of its tests",
    )
    group.add_argument(
        "--gate",
        type=Path,
        metavar="FILE",
        help="a TOML file of thresholds ([fail_under], [fail_over], [max_failure_rate], "
        "[model.NAME.fail_under], ...)",
    )


def gate_thresholds(args: argparse.Namespace) -> list[Threshold]:
    thresholds = [parse_threshold(t, "fail_under", source="--fail-under") for t in args.fail_under]
    thresholds += [parse_threshold(t, "fail_over", source="--fail-over") for t in args.fail_over]
    thresholds += [
        parse_threshold(t, "max_failure_rate", source="--max-failure-rate")
        for t in args.max_failure_rate
    ]
    if args.gate is not None:
        thresholds += load_gate_file(args.gate)
    return thresholds
