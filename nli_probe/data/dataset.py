"""`Dataset`: the examples read from one file or name, with every row that was skipped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nli_probe.core.example import Example
from nli_probe.data.problems import RowProblem


@dataclass(frozen=True, kw_only=True, slots=True)
class Dataset:
    """What `read_dataset` returns.

    `name` is what the user asked for (`snli:dev`, a path, `hf:snli:test`), `path` the file read
    (or the Hugging Face name), `format` the reader used. `skipped` lists every bad row left out
    under `skip_bad_rows=True`: nothing is dropped without a trace.
    """

    name: str
    path: str
    format: str
    examples: list[Example]
    skipped: tuple[RowProblem, ...] = ()
    slices: tuple[str, ...] = ()
    """The fields its scores are broken down by unless asked otherwise: its format's (HANS:
    `heuristic`, `heuristic,gold` and `subcase`; ANLI: `round`; ...) and its named family's
    (MultiNLI: `genre`; Breaking NLI: `category`)."""

    def __len__(self) -> int:
        return len(self.examples)

    def __iter__(self) -> Iterator[Example]:
        return iter(self.examples)

    @property
    def origin(self) -> str:
        """One line for the output saying what was read: the file a name resolved to, or that
        it is the copy embedded in the package (see `nli_probe.data.folder`)."""
        from nli_probe.data.folder import describe_source

        return describe_source(self.name, self.path)

    @property
    def label_scheme(self) -> str:
        """`two-way` when every pair is entailment / non-entailment data (HANS), else
        `three-way`."""
        from nli_probe.core.parts import THREE_WAY, TWO_WAY

        two_way = bool(self.examples) and all(
            example.meta.get("label_scheme") == TWO_WAY for example in self.examples
        )
        return TWO_WAY if two_way else THREE_WAY

    @property
    def has_annotator_labels(self) -> bool:
        """True when any example carries annotator labels (agreement can be measured)."""
        return any(example.annotator_labels for example in self.examples)

    def skipped_summary(self, limit: int = 5) -> str:
        """One line for users: how many rows were skipped, and the first few reasons."""
        if not self.skipped:
            return ""
        shown = "; ".join(str(problem) for problem in self.skipped[:limit])
        more = f"; and {len(self.skipped) - limit} more" if len(self.skipped) > limit else ""
        return f"skipped {len(self.skipped)} bad row(s) of {self.path}: {shown}{more}"
