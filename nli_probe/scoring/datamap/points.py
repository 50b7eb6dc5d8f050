"""Pairs placed on maps, for plots and listings: a shared sample with every map's coordinates
(`map_points`), the pairs of one region, most typical first (`region_points`), and the pairs
counted on a grid with their mean correctness (`density`, for a terminal plot)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.core.labels import Label
from nli_probe.scoring.datamap.maps import DataMap
from nli_probe.scoring.datamap.regions import AMBIGUOUS, EASY, HARD, REGION_NAMES

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class PointPosition(JsonRecord):
    """Where one pair sits on one model's map."""

    confidence: float
    variability: float
    correctness: float
    region: str
    label: str
    """The label the model chose at most records."""


@dataclass(frozen=True, kw_only=True)
class MapPoint(JsonRecord):
    """A training pair and its place on each map (keyed by the map's name)."""

    id: str
    premise: str
    hypothesis: str
    gold: str
    votes: tuple[int, int, int]
    """Annotator labels per label, in `Label` order (zeros: none)."""
    positions: Mapping[str, PointPosition]


class JoinedMaps:
    """Several maps over (mostly) the same pairs, aligned on the first map's pairs by id."""

    def __init__(self, maps: Sequence[DataMap]) -> None:
        import numpy as np

        self.maps = tuple(maps)
        first = self.maps[0]
        self.ids = first.dynamics.pairs.ids.to_list()
        self.rows: list[NDArray[np.int64]] = [np.arange(len(self.ids), dtype=np.int64)]
        for data_map in self.maps[1:]:
            own = data_map.dynamics.pairs.ids.to_list()
            where = {pair_id: row for row, pair_id in enumerate(own)}
            self.rows.append(np.array([where.get(i, -1) for i in self.ids], dtype=np.int64))
        common = np.ones(len(self.ids), dtype=bool)
        for rows in self.rows:
            common &= rows >= 0
        self.common = common
        """Which of the first map's pairs every map holds."""

    def points(self, rows: Sequence[int] | NDArray[Any]) -> tuple[MapPoint, ...]:
        """The first map's pairs at `rows` (held by every map), placed on each map."""
        first = self.maps[0]
        pairs = first.dynamics.pairs
        points = []
        for row in (int(r) for r in rows):
            positions = {
                data_map.summary.name: _position(data_map, int(own[row]))
                for data_map, own in zip(self.maps, self.rows, strict=True)
            }
            tally = first.votes[row]
            points.append(
                MapPoint(
                    id=self.ids[row],
                    premise=pairs.premises[row],
                    hypothesis=pairs.hypotheses[row],
                    gold=str(Label(int(pairs.gold[row]))),
                    votes=(int(tally[0]), int(tally[1]), int(tally[2])),
                    positions=positions,
                )
            )
        return tuple(points)


def _position(data_map: DataMap, row: int) -> PointPosition:
    coords = data_map.coordinates
    return PointPosition(
        confidence=round(float(coords.confidence[row]), 4),
        variability=round(float(coords.variability[row]), 4),
        correctness=round(float(coords.correctness[row]), 4),
        region=data_map.region_of(row),
        label=str(Label(int(coords.model_label[row]))),
    )


def map_points(
    maps: Sequence[DataMap], *, limit: int = 1500, seed: int = 0
) -> tuple[MapPoint, ...]:
    """Up to `limit` pairs found in every map (by id), with each map's coordinates: all of
    them when there are few enough, else the first map's listed possible label errors and a
    seeded random sample of the rest, in training-set order."""
    import numpy as np

    if not maps or limit <= 0:
        return ()
    joined = JoinedMaps(maps)
    ties = maps[0].summary.annotators
    chosen = [s.index for s in (ties.suspects if ties else ()) if joined.common[s.index]]
    chosen = list(dict.fromkeys(chosen))[:limit]
    rest = np.setdiff1d(np.flatnonzero(joined.common), np.array(chosen, dtype=np.int64))
    room = limit - len(chosen)
    if len(rest) > room:
        rest = np.random.default_rng(seed).choice(rest, size=room, replace=False)
    return joined.points(sorted([*chosen, *rest.tolist()]))


def region_rows(data_map: DataMap, region: str) -> NDArray[np.int64]:
    """Positions of the pairs in `region` (a name in `REGION_NAMES`), most typical first:
    ambiguous by falling variability, hard-to-learn by rising confidence, easy-to-learn by
    falling confidence, other in training-set order."""
    import numpy as np

    code = REGION_NAMES.index(region)
    rows = np.flatnonzero(data_map.regions == code)
    coords = data_map.coordinates
    keys = {
        AMBIGUOUS: -coords.variability,
        HARD: coords.confidence,
        EASY: -coords.confidence,
    }
    key = keys.get(code)
    if key is None:
        return rows
    ordered: NDArray[np.int64] = rows[np.argsort(key[rows], kind="stable")]
    return ordered


def region_points(
    maps: Sequence[DataMap], region: str, *, limit: int | None = None
) -> tuple[MapPoint, ...]:
    """The pairs in `region` on the first map, most typical first, placed on every map."""
    joined = JoinedMaps(maps)
    rows = [row for row in region_rows(maps[0], region).tolist() if joined.common[row]]
    return joined.points(rows if limit is None else rows[:limit])


@dataclass(frozen=True, kw_only=True)
class Density(JsonRecord):
    """Pairs counted on a grid: `counts[row][column]`, row 0 at the highest confidence, column 0
    at the lowest variability; `correctness` the cell's mean correctness (None: empty)."""

    counts: tuple[tuple[int, ...], ...]
    correctness: tuple[tuple[float | None, ...], ...]
    max_variability: float
    """The right edge of the last column (the map's largest variability, at least 0.01)."""


def density(data_map: DataMap, *, columns: int = 40, rows: int = 16) -> Density:
    """Count the pairs of `data_map` on a `rows` x `columns` grid of confidence (0 to 1, top
    to bottom) by variability (0 to the largest, left to right)."""
    import numpy as np

    coords = data_map.coordinates
    top = max(float(coords.variability.max()) if len(coords) else 0.0, 0.01)
    bins = (rows, columns)
    limits = ((0.0, 1.0), (0.0, top))
    counts, _, _ = np.histogram2d(coords.confidence, coords.variability, bins=bins, range=limits)
    sums, _, _ = np.histogram2d(
        coords.confidence,
        coords.variability,
        bins=bins,
        range=limits,
        weights=coords.correctness,
    )
    means = [
        tuple(round(float(s / c), 3) if c else None for s, c in zip(srow, crow, strict=True))
        for srow, crow in zip(sums[::-1], counts[::-1], strict=True)
    ]
    return Density(
        counts=tuple(tuple(int(v) for v in row) for row in counts[::-1]),
        correctness=tuple(means),
        max_variability=top,
    )
