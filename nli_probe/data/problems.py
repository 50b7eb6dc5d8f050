"""Bad rows: what was wrong, where, and the error raised when rows may not be skipped."""

from __future__ import annotations

from dataclasses import dataclass

from nli_probe.errors import NLIProbeError

SKIP_HINT = "use --skip-bad-rows, skip_bad_rows=True in Python, to skip such rows and count them"


@dataclass(frozen=True, kw_only=True, slots=True)
class RowProblem:
    """One row a reader could not turn into an `Example`.

    `line` is 1-based (for CSV/TSV: the physical line where the record starts; for Hugging Face
    data sets: the row index + 1). `field` is the column or key at fault, or "" when the whole
    row is (malformed JSON, a wrong encoding).
    """

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.field:
            return f"{where}: field {self.field!r}: {self.message}"
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        """The problem as a JSON-able dict (for run folders and `--json` output)."""
        return {"path": self.path, "line": self.line, "field": self.field, "message": self.message}


def bad_row_error(problem: RowProblem) -> NLIProbeError:
    """The error raised for a bad row when skipping is off."""
    return NLIProbeError(f"{problem} ({SKIP_HINT})")
