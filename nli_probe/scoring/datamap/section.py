"""A report's data-map section: every map's summary, a shared sample of pairs placed on each
map, a density grid per map, and how the pairs cross between two maps' regions (full
fine-tuning against LoRA). JSON-ready: a study keeps it in its report (`extra.datamaps`), and
the HTML and Markdown reports, the console and the TUI read it from there.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.scoring.datamap.maps import DataMap, DataMapSummary
from nli_probe.scoring.datamap.points import Density, MapPoint, density, map_points
from nli_probe.scoring.datamap.regions import REGION_NAMES

POINTS = 1500
"""Pairs drawn on each map in a report (all of them when there are fewer)."""


@dataclass(frozen=True, kw_only=True)
class RegionCrossing(JsonRecord):
    """The pairs two maps share, counted by their region on each (`REGION_NAMES` order)."""

    a: str
    b: str
    counts: tuple[tuple[int, ...], ...]
    """`counts[i][j]`: pairs in region i on map `a` and region j on map `b`."""

    @property
    def shared(self) -> int:
        return sum(sum(row) for row in self.counts)

    @property
    def same(self) -> float | None:
        """Share of the shared pairs that are in the same region on both maps."""
        total = self.shared
        return sum(self.counts[i][i] for i in range(len(self.counts))) / total if total else None


@dataclass(frozen=True, kw_only=True)
class DataMapSection(JsonRecord):
    """What a report shows of its data maps."""

    maps: tuple[DataMapSummary, ...] = ()
    points: tuple[MapPoint, ...] = ()
    """A sample of the pairs (the same pairs on every map)."""
    densities: Mapping[str, Density] = field(default_factory=dict)
    """Map name → its pairs counted on a grid (all of them, not only the sample)."""
    crossings: tuple[RegionCrossing, ...] = ()


def data_map_section(
    maps: Sequence[DataMap], *, points: int = POINTS, seed: int = 0
) -> DataMapSection:
    """The section for `maps` (each named by its summary)."""
    return DataMapSection(
        maps=tuple(m.summary for m in maps),
        points=map_points(maps, limit=points, seed=seed),
        densities={m.summary.name: density(m) for m in maps},
        crossings=tuple(region_crossing(a, b) for a, b in itertools.combinations(maps, 2)),
    )


def region_crossing(a: DataMap, b: DataMap) -> RegionCrossing:
    """How the pairs of `a` and `b` (joined by id) cross between their regions."""
    import numpy as np

    ids_b = {pair_id: row for row, pair_id in enumerate(b.dynamics.pairs.ids.to_list())}
    rows_b = np.array([ids_b.get(i, -1) for i in a.dynamics.pairs.ids.to_list()], dtype=np.int64)
    shared = rows_b >= 0
    size = len(REGION_NAMES)
    counts = np.zeros((size, size), dtype=np.int64)
    np.add.at(counts, (a.regions[shared], b.regions[rows_b[shared]]), 1)
    return RegionCrossing(
        a=a.summary.name,
        b=b.summary.name,
        counts=tuple(tuple(int(v) for v in row) for row in counts),
    )


def section_from_json(data: Mapping[str, Any] | None) -> DataMapSection | None:
    """The section a report keeps under `extra.datamaps`; None when it has none."""
    if not data:
        return None
    return DataMapSection.from_json(data)
