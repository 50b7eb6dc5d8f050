"""One premise/hypothesis pair with its gold label and the labels its annotators gave."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError


@dataclass(frozen=True, kw_only=True, slots=True)
class Example:
    """An NLI pair.

    `annotator_labels` holds one label per annotator: 5 (sometimes 4) for SNLI dev/test, 100 for
    ChaosNLI, none where a data set does not keep them. `gold` is None where annotators reached
    no majority (SNLI's `-`) or the data carries no label. `meta` keeps source-specific fields
    (genre, caption id, ChaosNLI's original labels) as strings.
    """

    id: str
    premise: str
    hypothesis: str
    gold: Label | None = None
    annotator_labels: tuple[Label, ...] = ()
    source: str = ""
    meta: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            raise NLIProbeError("an example needs a non-empty id")

    @property
    def pair(self) -> tuple[str, str]:
        """(premise, hypothesis): what a model sees."""
        return (self.premise, self.hypothesis)

    @property
    def votes(self) -> Counter[Label]:
        """How many annotators chose each label."""
        return Counter(self.annotator_labels)

    @property
    def agreement(self) -> tuple[int, int] | None:
        """(votes for the most chosen label, number of annotators); None without annotator
        labels. SNLI's 5/5, 4/5 and 3/5 levels are (5, 5), (4, 5) and (3, 5)."""
        if not self.annotator_labels:
            return None
        top = max(self.votes.values())
        return (top, len(self.annotator_labels))

    @property
    def human_distribution(self) -> tuple[float, float, float] | None:
        """Share of annotators per label, in `Label` order; None without annotator labels."""
        if not self.annotator_labels:
            return None
        votes = self.votes
        n = len(self.annotator_labels)
        return (
            votes[Label.ENTAILMENT] / n,
            votes[Label.NEUTRAL] / n,
            votes[Label.CONTRADICTION] / n,
        )
