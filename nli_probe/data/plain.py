"""Reader for plain files: jsonl, a JSON array, CSV, TSV (HANS's `.txt` is TSV), with
configurable column names and label spellings. CSV fields may be quoted; TSV fields are taken
as they are (no quoting, as GLUE, SNLI and HANS write them).

Ids come from the id column when there is one, else `<file stem>:<line>`, stable as long as
the file is. Columns not used for the pair are kept in `Example.meta` (parse trees excepted),
so HANS's `heuristic`/`subcase`/`template` travel with each example.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nli_probe.core.example import Example
from nli_probe.core.labels import Label, parse_label
from nli_probe.core.suggest import did_you_mean
from nli_probe.data import fields
from nli_probe.data.fields import RowError
from nli_probe.data.lines import check_utf8_start, data_stem, data_suffix, iter_json_lines
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError

# Tried in order when a column is not named.
PREMISE_ALIASES = ("premise", "sentence1", "text_a", "sentence_a")
HYPOTHESIS_ALIASES = ("hypothesis", "sentence2", "text_b", "sentence_b")
LABEL_ALIASES = ("label", "gold_label", "gold")
ID_ALIASES = ("id", "uid", "pairID", "pair_id", "idx", "guid")
VOTES_ALIASES = ("annotator_labels",)

# HANS and RTE-style data sets have two classes. Non-entailment is stored as NEUTRAL (the
# three-way label that a two-way scorer folds with CONTRADICTION), and such examples carry
# meta["label_scheme"] = "two-way" so metrics can fold predictions the same way.
TWO_WAY_SPELLINGS: dict[str, Label] = {
    "non-entailment": Label.NEUTRAL,
    "non_entailment": Label.NEUTRAL,
    "nonentailment": Label.NEUTRAL,
    "not_entailment": Label.NEUTRAL,
    "not-entailment": Label.NEUTRAL,
    "not entailment": Label.NEUTRAL,
}

_SURROGATE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True, kw_only=True, slots=True)
class Columns:
    """How a plain file names its fields and writes its labels.

    Leave a column None to look for the usual names (`premise`/`sentence1`, ...). Set
    `label=""` for unlabeled data, or `label_required=False` to read a file without any of the
    usual label columns as unlabeled (`nli-probe predict --file`). `labels` adds spellings
    (`{"yes": "entailment"}`), matched case-insensitively; `two_way` reads entailment /
    non-entailment data (HANS). `votes_separator` splits an annotator-labels column that CSV/TSV
    hold as text.
    """

    premise: str | None = None
    hypothesis: str | None = None
    label: str | None = None
    id: str | None = None
    annotator_labels: str | None = None
    labels: Mapping[str, Label | str] = field(default_factory=dict)
    two_way: bool = False
    votes_separator: str = "|"
    label_required: bool = True

    @property
    def names_given(self) -> bool:
        """True when a column name, a label spelling or the two-way scheme was given: such a
        file is read as a plain file, without sniffing its format."""
        names = (self.premise, self.hypothesis, self.label, self.id, self.annotator_labels)
        return any(name is not None for name in names) or bool(self.labels) or self.two_way

    def spellings(self) -> dict[str, Label]:
        """The extra label spellings, with their targets parsed."""
        table: dict[str, Label] = dict(TWO_WAY_SPELLINGS) if self.two_way else {}
        for key, value in self.labels.items():
            table[str(key).strip().lower()] = parse_label(value)
        return table


@dataclass(frozen=True, kw_only=True, slots=True)
class ResolvedColumns:
    premise: str
    hypothesis: str
    label: str | None
    id: str | None
    votes: str | None
    spellings: dict[str, Label]
    separator: str


def read(
    path: Path, columns: Columns | None = None, *, source: str | None = None
) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per row (or a `RowProblem` for a bad one)."""
    columns = columns or Columns()
    source = source or data_stem(path)
    suffix = data_suffix(path)
    if suffix in (".csv", ".tsv", ".txt"):
        yield from _read_delimited(path, columns, source, "," if suffix == ".csv" else "\t")
    elif suffix == ".json" and _starts_with_bracket(path):
        yield from _read_rows(path, columns, source, _json_array(path))
    else:
        yield from _read_rows(path, columns, source, iter_json_lines(path))


def _read_rows(
    path: Path,
    columns: Columns,
    source: str,
    rows: Iterator[tuple[int, dict[str, Any] | RowProblem]],
) -> Iterator[Example | RowProblem]:
    resolved: ResolvedColumns | None = None
    for number, row in rows:
        if isinstance(row, RowProblem):
            yield row
            continue
        if resolved is None:
            resolved = resolve_columns(path, columns, row.keys())
        try:
            row_id = f"{data_stem(path)}:{number}"
            yield row_to_example(row, resolved, row_id, source, columns.two_way)
        except RowError as error:
            yield error.problem(str(path), number)


def _read_delimited(
    path: Path, columns: Columns, source: str, delimiter: str
) -> Iterator[Example | RowProblem]:
    with path.open("rb") as raw:
        check_utf8_start(path, raw.read(4))
    # surrogateescape keeps going past bad bytes; the fields holding them are reported per row.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        lines = _Lines(handle)
        # TSV has no quoting (GLUE's MNLI .tsv and SNLI/HANS .txt hold bare `"` in sentences);
        # a quote-aware reader would merge rows there. CSV uses standard quoting.
        if delimiter == ",":
            reader = csv.reader(lines, delimiter=delimiter)
        else:
            reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise NLIProbeError(f"{path}:1: unreadable header row ({error})") from None
        lines.take()
        if not header:
            raise NLIProbeError(f"{path}:1: empty file (expected a header row)")
        resolved = resolve_columns(path, columns, header)
        used = set(_used(resolved))
        while True:
            try:
                cells = next(reader, None)
                failure = None
            except csv.Error as error:  # e.g. a field past csv's size limit: a runaway quote
                cells, failure = [], str(error)
            # A record may span lines (a quoted newline); `record` holds (number, text) of each.
            record = lines.take()
            if cells is None:
                break
            number = record[0][0] if record else lines.number
            if failure is not None or (len(record) > 1 and len(cells) != len(header)):
                # A quote opened and never closed swallows the lines after it into one field.
                # Report it where it starts, and read the lines it swallowed again as rows.
                lines.push_back(record[1:])
                reason = failure or f"the record runs on to line {record[-1][0]}"
                yield RowProblem(
                    path=str(path),
                    line=number,
                    field="",
                    message=f"a quote is opened and never closed ({reason}); close it, or "
                    f'double a quote inside a quoted field ("")',
                )
                continue
            if not cells:
                continue  # a blank line
            try:
                if len(cells) > len(header):
                    raise RowError(
                        "",
                        f"{len(cells)} fields, the header has {len(header)} "
                        "(a stray delimiter or quote?)",
                    )
                row = dict(zip(header, cells, strict=False))
                for key in used:
                    if key not in row:
                        raise RowError(
                            key, f"missing field (the row has {len(cells)} of {len(header)})"
                        )
                for key, value in row.items():
                    if _SURROGATE.search(value):
                        raise RowError(key, "not valid UTF-8; re-save the file as UTF-8")
                yield row_to_example(
                    row, resolved, f"{path.stem}:{number}", source, columns.two_way
                )
            except RowError as error:
                yield error.problem(str(path), number)


class _Lines:
    """The lines of a text file for `csv.reader`, numbered, with the lines of the record just
    read kept (`take`) so that a record an unclosed quote ran away with can be read again
    (`push_back`)."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self._again: list[tuple[int, str]] = []
        self._taken: list[tuple[int, str]] = []
        self.number = 0
        """The number of the last line read from the file."""

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            item = self._again.pop()
        else:
            text = self._handle.readline()
            if not text:
                raise StopIteration
            self.number += 1
            item = (self.number, text)
        self._taken.append(item)
        return item[1]

    def take(self) -> list[tuple[int, str]]:
        """The lines read since the last `take`."""
        taken, self._taken = self._taken, []
        return taken

    def push_back(self, items: list[tuple[int, str]]) -> None:
        """Read these lines again, in order, before the rest of the file."""
        self._again.extend(reversed(items))


def _used(resolved: ResolvedColumns) -> tuple[str, ...]:
    names = (resolved.premise, resolved.hypothesis, resolved.label, resolved.id, resolved.votes)
    return tuple(name for name in names if name)


def resolve_columns(path: Path, columns: Columns, present: Any) -> ResolvedColumns:
    available = list(present)

    def pick(given: str | None, aliases: tuple[str, ...], what: str, required: bool) -> str | None:
        if given is not None:
            if given == "":
                return None
            if given not in available:
                raise NLIProbeError(
                    f"{path}: no {what} column {given!r}{did_you_mean(given, available)} "
                    f"(columns: {', '.join(available)})"
                )
            return given
        for alias in aliases:
            if alias in available:
                return alias
        if required:
            unlabeled = "; for unlabeled data pass --label-column ''" if what == "label" else ""
            raise NLIProbeError(
                f"{path}: no {what} column (looked for {', '.join(aliases)}; columns: "
                f"{', '.join(available)}); name it with --{what}-column / "
                f"Columns({what}=...){unlabeled}"
            )
        return None

    return ResolvedColumns(
        premise=pick(columns.premise, PREMISE_ALIASES, "premise", True) or "",
        hypothesis=pick(columns.hypothesis, HYPOTHESIS_ALIASES, "hypothesis", True) or "",
        label=pick(columns.label, LABEL_ALIASES, "label", columns.label_required),
        id=pick(columns.id, ID_ALIASES, "id", False),
        votes=pick(columns.annotator_labels, VOTES_ALIASES, "annotator-labels", False),
        spellings=columns.spellings(),
        separator=columns.votes_separator,
    )


def row_to_example(
    row: Mapping[str, Any], resolved: ResolvedColumns, fallback_id: str, source: str, two_way: bool
) -> Example:
    premise = fields.text(row, resolved.premise)
    hypothesis = fields.text(row, resolved.hypothesis)
    gold: Label | None = None
    if resolved.label is not None:
        if resolved.label not in row:
            raise RowError(resolved.label, "missing field")
        gold = fields.label(row[resolved.label], resolved.label, resolved.spellings)
        if two_way and gold is Label.CONTRADICTION:
            raise RowError(
                resolved.label, "contradiction in two-way (entailment / non-entailment) data"
            )
    votes: tuple[Label, ...] = ()
    if resolved.votes is not None and row.get(resolved.votes) not in (None, ""):
        value = row[resolved.votes]
        if isinstance(value, str):
            value = [item for item in value.split(resolved.separator) if item.strip()]
        votes = fields.label_list(value, resolved.votes, resolved.spellings)
    example_id = fallback_id
    if resolved.id is not None:
        raw_id = row.get(resolved.id)
        if raw_id is None or not str(raw_id).strip():
            raise RowError(resolved.id, "missing id" if raw_id is None else "empty id")
        example_id = str(raw_id)
    used = set(_used(resolved))
    meta = {
        key: str(value)
        for key, value in row.items()
        if key not in used
        and key is not None
        and "parse" not in key
        and isinstance(value, str | int | float | bool)
    }
    if two_way:
        meta["label_scheme"] = "two-way"
    return Example(
        id=example_id,
        premise=premise,
        hypothesis=hypothesis,
        gold=gold,
        annotator_labels=votes,
        source=source,
        meta=meta,
    )


def header_of(path: Path) -> list[str]:
    """The first line of a CSV/TSV file, split into its column names (empty for an empty or
    unreadable file; the readers report why)."""
    delimiter = "," if data_suffix(path) == ".csv" else "\t"
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            first = handle.readline()
    except OSError:
        return []
    return [cell.strip() for cell in first.rstrip("\r\n").split(delimiter)] if first else []


def _starts_with_bracket(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


def _json_array(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    """A JSON array of objects (small files; not streamed). "Line" is the item's index + 1."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise NLIProbeError(f"{path}: not valid UTF-8 (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise NLIProbeError(
            f"{path}:{error.lineno}: malformed JSON: {error.msg} at column {error.colno}"
        ) from None
    if not isinstance(data, list):
        raise NLIProbeError(f"{path}: expected a JSON array of objects or JSON lines")
    for index, item in enumerate(data, start=1):
        if isinstance(item, dict):
            yield index, item
        else:
            yield (
                index,
                RowProblem(path=str(path), line=index, field="", message="expected a JSON object"),
            )
