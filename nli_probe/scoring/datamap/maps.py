"""`build_data_map`: a run's dynamics as a data map (coordinates, regions, the summary)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nli_probe.core.jsonable import JsonRecord
from nli_probe.scoring.datamap.annotators import WEAK_MAJORITY, AnnotatorTies, annotator_ties
from nli_probe.scoring.datamap.coordinates import Coordinates, coordinates
from nli_probe.scoring.datamap.dynamics import Dynamics
from nli_probe.scoring.datamap.regions import (
    REGION_NAMES,
    RegionThresholds,
    ResolvedCutoffs,
    assign_regions,
    select,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, kw_only=True)
class RegionSize(JsonRecord):
    """One region: how many pairs, and their mean coordinates."""

    region: str
    pairs: int
    share: float
    confidence: float | None = None
    variability: float | None = None
    correctness: float | None = None


@dataclass(frozen=True, kw_only=True)
class DataMapSummary(JsonRecord):
    """What a data map says, JSON-ready (kept in a study's report under `extra.datamaps`)."""

    name: str
    pairs: int
    records: int
    steps: tuple[int, ...] = ()
    epochs: tuple[float, ...] = ()
    recorded_by: str = ""
    """How the records were made (`inference`: a pass over the training pairs)."""
    thresholds: RegionThresholds = field(default_factory=RegionThresholds)
    cutoffs: ResolvedCutoffs | None = None
    regions: tuple[RegionSize, ...] = ()
    votes_from: str = ""
    """Where the annotator labels came from (the training data, or a `--votes` data set)."""
    annotators: AnnotatorTies | None = None

    def region(self, name: str) -> RegionSize:
        for region in self.regions:
            if region.region == name:
                return region
        raise KeyError(f"no region {name!r} (regions: {', '.join(REGION_NAMES)})")


@dataclass(frozen=True, kw_only=True, eq=False)
class DataMap:
    """A run's data map: per-pair arrays (training-set order) and the summary."""

    dynamics: Dynamics
    coordinates: Coordinates
    regions: NDArray[np.int8]
    """Region codes, indexes into `REGION_NAMES`."""
    votes: NDArray[np.int64]
    """(pairs, 3): the annotator labels the ties used."""
    summary: DataMapSummary

    def __len__(self) -> int:
        return len(self.regions)

    def region_of(self, index: int) -> str:
        return REGION_NAMES[int(self.regions[index])]


def build_data_map(
    dynamics: Dynamics,
    *,
    name: str = "",
    thresholds: RegionThresholds | None = None,
    votes: NDArray[Any] | None = None,
    votes_from: str = "",
    weak_majority: float = WEAK_MAJORITY,
    resamples: int = 1000,
    seed: int = 0,
    suspects: int = 20,
) -> DataMap:
    """The data map of `dynamics`.

    Args:
        dynamics: a run's records (`read_dynamics`).
        name: what to call the map (the model or run).
        thresholds: the region cutoffs (the paper's 33% each by default).
        votes: (pairs, 3) annotator labels per label to use instead of the training data's
            own (e.g. ChaosNLI's 100 per pair, joined by id); rows of zeros are unannotated.
        votes_from: where `votes` came from, for the summary.
        weak_majority: see `nli_probe.scoring.datamap.annotators`.
        resamples: bootstrap resamples of the rank correlations.
        seed: their seed.
        suspects: how many possible label errors to list.

    Raises:
        NLIProbeError: cutoffs that overlap (see `regions.assign_regions`).
    """
    import numpy as np

    chosen = thresholds or RegionThresholds()
    pairs = dynamics.pairs
    coords = coordinates(dynamics.gold_prob, dynamics.predicted, pairs.gold)
    regions, cutoffs = assign_regions(coords, chosen)
    used = np.asarray(pairs.votes if votes is None else votes, dtype=np.int64)
    ties = annotator_ties(
        coords,
        regions,
        used,
        pairs.gold,
        texts=pairs,
        weak_majority=weak_majority,
        resamples=resamples,
        seed=seed,
        suspects=suspects,
    )
    total = len(regions)
    sizes = []
    for code, region in enumerate(REGION_NAMES):
        inside = regions == code
        count = int(inside.sum())
        sizes.append(
            RegionSize(
                region=region,
                pairs=count,
                share=count / total if total else 0.0,
                confidence=float(coords.confidence[inside].mean()) if count else None,
                variability=float(coords.variability[inside].mean()) if count else None,
                correctness=float(coords.correctness[inside].mean()) if count else None,
            )
        )
    summary = DataMapSummary(
        name=name or str(dynamics.meta.get("name", "")),
        pairs=total,
        records=dynamics.records,
        steps=tuple(int(step) for step in dynamics.steps),
        epochs=tuple(round(float(epoch), 4) for epoch in dynamics.epochs),
        recorded_by=str(dynamics.meta.get("pass", "")),
        thresholds=chosen,
        cutoffs=cutoffs,
        regions=tuple(sizes),
        votes_from=votes_from or "the training data",
        annotators=ties,
    )
    return DataMap(
        dynamics=dynamics, coordinates=coords, regions=regions, votes=used, summary=summary
    )


def subset_rows(data_map: DataMap, subset: str, fraction: float) -> NDArray[np.int64]:
    """The paper's retraining subset: positions of the `fraction` most ambiguous, hardest or
    easiest pairs (see `regions.select`)."""
    return select(data_map.coordinates, subset, fraction)


def join_votes(pairs: Any, examples: Sequence[Any]) -> tuple[NDArray[np.int64], int]:
    """Annotator labels for the training pairs from other data (e.g. ChaosNLI's 100 per SNLI
    pair): (pairs, 3) counts per label and how many pairs were found. A pair is found by its
    id, else by its premise and hypothesis; pairs not found get no labels (rows of zeros)."""
    import numpy as np

    by_id: dict[str, Any] = {}
    by_text: dict[tuple[str, str], Any] = {}
    for example in examples:
        if example.annotator_labels:
            by_id.setdefault(example.id, example)
            by_text.setdefault(example.pair, example)
    votes = np.zeros((len(pairs), 3), dtype=np.int64)
    found = 0
    ids = pairs.ids.to_list()
    premises = pairs.premises.to_list()
    hypotheses = pairs.hypotheses.to_list()
    for row, pair_id in enumerate(ids):
        example = by_id.get(pair_id) or by_text.get((premises[row], hypotheses[row]))
        if example is None:
            continue
        for label in example.annotator_labels:
            votes[row, int(label)] += 1
        found += 1
    return votes, found
