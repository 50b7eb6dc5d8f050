"""`nli-probe datamap`: data maps (Dataset Cartography) from a run's recorded training dynamics:
regions, their ties to annotator agreement, a terminal density plot and an HTML scatter, every
pair's coordinates, and the paper's subsets for retraining."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nli_probe.commands._arguments import RESAMPLES, SEED, SHOWN, share, whole_number
from nli_probe.commands._data_options import DATA_HELP, add_data_options

POINTS = whole_number(0, 100_000)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "datamap",
        help="data maps from recorded training dynamics: regions, annotator agreement, subsets",
        description="Build the data map (Swayamdipta et al. 2020, Dataset Cartography) of each "
        "run: per training pair the mean probability of its gold label over the records "
        "(confidence), its standard deviation (variability) and how often the model chose "
        "the gold label (correctness); the easy-to-learn, ambiguous and hard-to-learn regions; "
        "how the annotators' agreement spreads over them; possible label errors. RUN is a "
        "trainer run folder trained with record_dynamics=true, its dynamics.npz, or a study "
        "folder (every model's map, side by side). Writes datamap.html (the scatter plots), "
        "datamap.json, one jsonl of every pair's coordinates per map and, with --out-subset, "
        "the paper's retraining subset.",
    )
    parser.add_argument("runs", nargs="+", type=Path, metavar="RUN")
    regions = parser.add_argument_group(
        "regions (a share of the pairs such as 33%, or a value of the measure such as 0.2)"
    )
    regions.add_argument(
        "--ambiguous", default="33%", metavar="CUTOFF", help="highest variability (33%%)"
    )
    regions.add_argument("--hard", default="33%", metavar="CUTOFF", help="lowest confidence (33%%)")
    regions.add_argument(
        "--easy", default="33%", metavar="CUTOFF", help="highest confidence (33%%)"
    )
    parser.add_argument(
        "--votes",
        metavar="DATA",
        help="annotator labels from this data set instead of the training data's, joined by "
        "pair id (else by premise and hypothesis), e.g. chaosnli:snli; " + DATA_HELP,
    )
    parser.add_argument(
        "--weak-majority",
        type=share,
        default=0.6,
        metavar="SHARE",
        help="a gold label with at most this share of the votes has a weak majority (0.6: 3/5)",
    )
    parser.add_argument(
        "--resamples",
        type=RESAMPLES,
        default=1000,
        help="bootstrap resamples of the rank correlations (default 1000)",
    )
    parser.add_argument("--seed", type=SEED, default=0, help="bootstrap and sample seed (0)")
    parser.add_argument(
        "--show", type=SHOWN, default=5, help="pairs printed per region and label errors (5)"
    )
    parser.add_argument(
        "--points",
        type=POINTS,
        default=1500,
        help="pairs drawn on each scatter plot in the HTML file (1500; all when fewer)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("datamap"), metavar="DIR", help="output folder (./datamap)"
    )
    parser.add_argument(
        "--out-subset",
        choices=("ambiguous", "hard", "easy"),
        help="also write the training pairs of the FRACTION most ambiguous (highest "
        "variability), hardest (lowest confidence) or easiest (highest confidence) as SNLI "
        "jsonl, to train on (the paper's experiment)",
    )
    parser.add_argument(
        "--fraction",
        type=share,
        default=0.33,
        help="the share of the training pairs --out-subset keeps (0.33)",
    )
    add_data_options(parser)  # how --votes is read
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from rich.console import Console

    from nli_probe.commands._data_options import read_data
    from nli_probe.commands._output_place import check_output_folder
    from nli_probe.scoring.datamap import (
        Cutoff,
        RegionThresholds,
        build_data_map,
        data_map_section,
        read_dynamics,
    )
    from nli_probe.scoring.datamap.dynamics import locate_dynamics
    from nli_probe.scoring.datamap.maps import join_votes

    thresholds = RegionThresholds(
        ambiguous=Cutoff.parse(args.ambiguous, what="--ambiguous"),
        hard=Cutoff.parse(args.hard, what="--hard"),
        easy=Cutoff.parse(args.easy, what="--easy"),
    )
    check_output_folder(args.out)
    found = [item for run in args.runs for item in locate_dynamics(run)]
    names = _unique_names([name for name, _ in found])
    examples = read_data(args, args.votes, gold_optional=True).examples if args.votes else None
    console = Console()
    maps = []
    for name, (_, path) in zip(names, found, strict=True):
        dynamics = read_dynamics(path)
        votes, votes_from = None, ""
        if examples is not None:
            votes, matched = join_votes(dynamics.pairs, examples)
            votes_from = f"{args.votes} ({matched:,} of {len(dynamics.pairs):,} pairs found)"
        maps.append(
            build_data_map(
                dynamics,
                name=name,
                thresholds=thresholds,
                votes=votes,
                votes_from=votes_from,
                weak_majority=args.weak_majority,
                resamples=args.resamples,
                seed=args.seed,
                suspects=max(args.show, 20),
            )
        )
    section = data_map_section(maps, points=args.points, seed=args.seed)
    _print(console, maps, section, show=args.show)
    written = _write(args, maps, section)
    for path in written:
        console.print(f"wrote {path}", highlight=False, markup=False)
    return 0


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _print(console: Any, maps: list[Any], section: Any, *, show: int) -> None:
    from nli_probe.reports.datamap_console import (
        crossing_table,
        density_plot,
        points_table,
        summary_tables,
    )
    from nli_probe.scoring.datamap import REGION_NAMES
    from nli_probe.scoring.datamap.points import region_points

    for data_map in maps:
        summary = data_map.summary
        console.rule(f"[bold]{summary.name}")
        console.print(summary_tables(summary, suspects=show))
        console.print(
            density_plot(
                section.densities[summary.name],
                cutoffs=summary.cutoffs,
                title=f"{summary.name}: {summary.pairs:,} pairs",
            )
        )
        if show:
            for region in REGION_NAMES[:3]:
                others = [m for m in maps if m is not data_map]
                points = region_points([data_map, *others], region, limit=show)
                if points:
                    title = f"{summary.name}: {region} (most typical first)"
                    console.print(points_table(points, title=title))
    for crossing in section.crossings:
        console.print(crossing_table(crossing))


def _write(args: argparse.Namespace, maps: list[Any], section: Any) -> list[Path]:
    import json

    from nli_probe.reports.datamap_files import write_coordinates, write_subset, write_text
    from nli_probe.reports.datamap_html import render_datamap_page

    out: Path = args.out.expanduser()
    out.mkdir(parents=True, exist_ok=True)
    page = render_datamap_page(
        section,
        title="nli-probe data maps: " + ", ".join(data_map.summary.name for data_map in maps),
    )
    written = [
        write_text(out / "datamap.json", json.dumps(section.to_json(), ensure_ascii=False)),
        write_text(out / "datamap.html", page),
    ]
    for data_map in maps:
        name = f"pairs-{_slug(data_map.summary.name)}.jsonl"
        written.append(write_coordinates(out / name, data_map))
    if args.out_subset:
        for data_map in maps:
            name = f"{_slug(data_map.summary.name)}-{args.out_subset}-{args.fraction:g}.jsonl"
            written.append(write_subset(out / name, data_map, args.out_subset, args.fraction))
    return written


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "map"
