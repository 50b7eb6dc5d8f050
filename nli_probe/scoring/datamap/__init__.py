"""Data maps (Swayamdipta et al., 2020, "Dataset Cartography") from recorded training dynamics.

`build_data_map` takes a run's `Dynamics` (`read_dynamics`) and returns a `DataMap`: each
pair's confidence, variability and correctness (`coordinates`), its region (`regions`), and a
JSON-ready `DataMapSummary` (region sizes, the cutoffs, and the ties to annotator agreement:
`annotators`). `data_map_section` gathers several maps for a report: their summaries, a shared
sample of pairs placed on each (`map_points`: full fine-tuning and LoRA side by side), a
density grid per map (`density`, for a terminal plot) and how the pairs cross between the maps'
regions.

Front-ends (the `datamap` command, the study, the reports, the TUI) call these and read what
they return; they compute nothing themselves.
"""

from __future__ import annotations

from nli_probe.scoring.datamap.annotators import AnnotatorTies, LabelSuspect, RegionAgreement
from nli_probe.scoring.datamap.coordinates import Coordinates
from nli_probe.scoring.datamap.dynamics import Dynamics, read_dynamics
from nli_probe.scoring.datamap.maps import (
    DataMap,
    DataMapSummary,
    RegionSize,
    build_data_map,
    subset_rows,
)
from nli_probe.scoring.datamap.points import Density, MapPoint, PointPosition, density, map_points
from nli_probe.scoring.datamap.rank_correlation import Correlation
from nli_probe.scoring.datamap.regions import (
    REGION_NAMES,
    SUBSETS,
    Cutoff,
    RegionThresholds,
    ResolvedCutoffs,
)
from nli_probe.scoring.datamap.section import (
    DataMapSection,
    RegionCrossing,
    data_map_section,
    section_from_json,
)

__all__ = [
    "REGION_NAMES",
    "SUBSETS",
    "AnnotatorTies",
    "Coordinates",
    "Correlation",
    "Cutoff",
    "DataMap",
    "DataMapSection",
    "DataMapSummary",
    "Density",
    "Dynamics",
    "LabelSuspect",
    "MapPoint",
    "PointPosition",
    "RegionAgreement",
    "RegionCrossing",
    "RegionSize",
    "RegionThresholds",
    "ResolvedCutoffs",
    "build_data_map",
    "data_map_section",
    "density",
    "map_points",
    "read_dynamics",
    "section_from_json",
    "subset_rows",
]
