"""`DataSetPart`: one data set of a run that evaluated several (`evaluate -d A -d B`), and
`BaselinePrior`: the label balance the majority baseline predicts.

A report keeps all its pairs in one list (`Report.examples`) and every model's predictions by
pair id; a part names the ids that came from one data set, how that set is scored (three-way, or
two-way for entailment / non-entailment data such as HANS) and which fields its scores are
sliced by. A report without parts (every report written before several data sets per run) is one
part over all its pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError

THREE_WAY = "three-way"
TWO_WAY = "two-way"
"""Label schemes: entailment / neutral / contradiction, or entailment / non-entailment (stored as
NEUTRAL, with `meta["label_scheme"] = "two-way"` on each example)."""
LABEL_SCHEMES = (THREE_WAY, TWO_WAY)


@dataclass(frozen=True, kw_only=True)
class DataSetPart:
    """The pairs of one data set in a report."""

    name: str
    """What the user asked for: `hans:evaluation`, `anli:test`, a file path."""
    ids: tuple[str, ...]
    """The report ids of its pairs, in order (in a run over several data sets each id is
    prefixed with the set's name, as two sets may use the same ids)."""
    origin: str = ""
    """The file(s) read, for provenance."""
    label_scheme: str = THREE_WAY
    slices: tuple[str, ...] = ()
    """Fields its scores are broken down by (`heuristic,gold` crosses two fields)."""

    def __post_init__(self) -> None:
        if self.label_scheme not in LABEL_SCHEMES:
            raise NLIProbeError(
                f"data set {self.name!r}: unknown label scheme {self.label_scheme!r} "
                f"(known: {', '.join(LABEL_SCHEMES)})"
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ids": list(self.ids),
            "origin": self.origin,
            "label_scheme": self.label_scheme,
            "slices": list(self.slices),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DataSetPart:
        return cls(
            name=str(data["name"]),
            ids=tuple(str(item) for item in data["ids"]),
            origin=str(data.get("origin", "")),
            label_scheme=str(data.get("label_scheme", THREE_WAY)),
            slices=tuple(str(item) for item in data.get("slices", ())),
        )


@dataclass(frozen=True, kw_only=True)
class BaselinePrior:
    """The label balance of a model's training data: the majority baseline predicts it (its
    label is the training majority), rather than the balance of the evaluated pairs, which
    would make the baseline an oracle on a skewed challenge set."""

    source: str
    """Where the balance comes from, e.g. `training data of runs/quick-full`."""
    counts: Mapping[str, int] = field(default_factory=dict)
    """Pairs per label name (`entailment`, `neutral`, `contradiction`)."""

    def __post_init__(self) -> None:
        known = {str(label) for label in Label}
        unknown = sorted(set(self.counts) - known)
        if unknown:
            raise NLIProbeError(
                f"baseline from {self.source}: unknown label(s) {', '.join(unknown)} "
                f"(labels: {', '.join(sorted(known))})"
            )
        if sum(self.counts.values()) <= 0 or any(count < 0 for count in self.counts.values()):
            raise NLIProbeError(f"baseline from {self.source}: no labelled pairs to count")

    @property
    def shares(self) -> tuple[float, float, float]:
        """Share of each label, in `Label` order."""
        total = sum(self.counts.values())
        e, n, c = (self.counts.get(str(label), 0) / total for label in Label)
        return (e, n, c)

    @property
    def label(self) -> Label:
        """The majority label (the first in `Label` order on a tie)."""
        shares = self.shares
        return Label(shares.index(max(shares)))

    def describe(self, *, two_way: bool = False) -> str:
        """`training-set majority (entailment, 35.2% of 4,000 pairs; training data of ...)`.

        With `two_way`, the balance read two-way, as the baseline then predicts: entailment
        against neutral + contradiction (`non-entailment`)."""
        total = sum(self.counts.values())
        if two_way:
            entailed = self.shares[Label.ENTAILMENT]
            name, share = (
                ("entailment", entailed)
                if entailed >= 1 - entailed
                else ("non-entailment", 1 - entailed)
            )
            return (
                f"training-set majority read two-way ({name}, {share:.1%} of {total:,} pairs; "
                f"{self.source})"
            )
        share = self.shares[self.label]
        return (
            f"training-set majority ({self.label}, {share:.1%} of {total:,} pairs; {self.source})"
        )

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "counts": dict(self.counts)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BaselinePrior:
        counts = data.get("counts")
        if not isinstance(counts, Mapping):
            raise NLIProbeError(f"baseline: expected label counts, got {counts!r:.100}")
        return cls(
            source=str(data.get("source", "")),
            counts={str(k): int(v) for k, v in counts.items()},
        )


ORACLE_BASELINE = "evaluation-set majority (oracle)"
"""How the majority baseline is labelled when no training balance is known: it predicts the
majority label of the very pairs it is scored on, which no real model could know."""
