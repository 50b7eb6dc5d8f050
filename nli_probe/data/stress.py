"""Reader for the NLI stress tests (Naik et al. 2018), `multinli_0.9_<test>[_<subset>].jsonl`.

The rows are MultiNLI 0.9 dev rows in the official jsonl layout with one side rewritten, so they
are read as MultiNLI's (`nli_probe.data.snli_format`). The test is in the file name, not the
rows: `meta["category"]` is `antonym`, `numerical_reasoning` (`quant_hard`), `word_overlap`
(`taut2`), `negation`, `length_mismatch` or `spelling_error` (`dev_gram_<perturbation>`, with
`meta["perturbation"]`), and `meta["subset"]` is `matched` or `mismatched` where the name says.
Several tests rewrite the same dev rows, so a pair's id is `<test>:<pairID>`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.data.catalog import STRESS_CATEGORIES, STRESS_FILE
from nli_probe.data.fields import RowError
from nli_probe.data.lines import data_stem, iter_json_lines
from nli_probe.data.problems import RowProblem
from nli_probe.data.snli_format import row_to_example
from nli_probe.errors import NLIProbeError

SUBSETS = ("matched", "mismatched")


def file_fields(path: Path) -> dict[str, str] | None:
    """`category`, `subset` and `perturbation` from a stress test's file name; None for a name
    that is not one."""
    test = test_name(path)
    if test is None:
        return None
    rest = test
    found: dict[str, str] = {}
    for subset in SUBSETS:
        # `length_mismatch_matched` is the length test's matched subset: look at the suffix.
        if rest.endswith(f"_{subset}"):
            found["subset"] = subset
            rest = rest[: -len(subset) - 1]
            break
    if rest.startswith("dev_gram_") and len(rest) > len("dev_gram_"):
        found["category"] = STRESS_CATEGORIES["dev_gram"]
        found["perturbation"] = rest[len("dev_gram_") :]
    elif rest in STRESS_CATEGORIES and rest != "dev_gram":
        found["category"] = STRESS_CATEGORIES[rest]
    else:
        return None
    return found


def test_name(path: Path) -> str | None:
    """`negation_matched` for `multinli_0.9_negation_matched.jsonl`."""
    match = STRESS_FILE.match(path.name)
    return None if match is None else match.group("name")


def looks_like(path: Path) -> bool:
    return file_fields(path) is not None


def read(path: Path, *, source: str | None = None) -> Iterator[Example | RowProblem]:
    """Yield one `Example` per row (or a `RowProblem` for a bad one), streaming the file."""
    extra = file_fields(path)
    if extra is None:
        known = ", ".join(name for name in STRESS_CATEGORIES if name != "dev_gram")
        raise NLIProbeError(
            f"{path}: not a stress test file name (expected multinli_0.9_<test>[_matched|"
            f"_mismatched].jsonl, <test> one of {known}, dev_gram_<perturbation>)"
        )
    shown = str(path)
    source = source or data_stem(path)
    test = test_name(path) or path.name
    votes: dict[tuple[str, ...], tuple[Label, ...]] = {}
    for number, row in iter_json_lines(path):
        if isinstance(row, RowProblem):
            yield row
            continue
        try:
            yield _example(row, source, votes, extra, test, f"{data_stem(path)}:{number}")
        except RowError as error:
            yield error.problem(shown, number)


def _example(
    row: dict[str, Any],
    source: str,
    votes: dict[tuple[str, ...], tuple[Label, ...]],
    extra: dict[str, str],
    test: str,
    fallback_id: str,
) -> Example:
    # The numerical reasoning rows are built from word problems and may lack MultiNLI's ids.
    pair_id = row.get("pairID")
    row = {**row, "pairID": f"{test}:{pair_id if pair_id not in (None, '') else fallback_id}"}
    example = row_to_example(row, source, votes)
    return dataclasses.replace(example, meta={**example.meta, **extra})
