"""Replacements from a word list of the user's own."""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from nli_probe.core.words import Word
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.transformation import (
    Transformation,
    register_transformation,
    word_transformation,
)


@register_transformation("word_list")
def word_list(
    *, words: Mapping[str, Sequence[str]] | None = None, file: str | None = None
) -> Transformation:
    """Replacements from your own list: `words = { big = ["large", "huge"] }`, or a `file`:
    JSON or TOML (a table of lists), else one word a line followed by its replacements,
    separated by tabs (`.tsv`, `.txt`) or commas (`.csv`).

    Words are matched ignoring case; a capitalised word gets capitalised replacements.
    """
    if (words is None) == (file is None):
        raise NLIProbeError("give exactly one of `words` (a table of lists) or `file`")
    table = _check(words, where="words") if words is not None else _read(Path(str(file)))
    lookup = {key.lower(): tuple(values) for key, values in table.items()}

    def replace(word: Word, rng: random.Random) -> list[str]:
        found = lookup.get(word.text.lower(), ())
        if word.text[:1].isupper():
            return [value[:1].upper() + value[1:] for value in found]
        return list(found)

    count = f"{len(lookup)} word{'' if len(lookup) == 1 else 's'}"
    source = f"file {file}" if file is not None else count
    return word_transformation("word_list", replace, description=f"word list ({source})")


def _check(table: object, *, where: str) -> dict[str, list[str]]:
    if not isinstance(table, Mapping):
        raise NLIProbeError(f"{where}: expected a table of word = [replacements]")
    checked: dict[str, list[str]] = {}
    for key, values in table.items():
        if isinstance(values, str) or not isinstance(values, Sequence):
            raise NLIProbeError(f"{where}: {key!r} must map to a list of words, got {values!r}")
        if not all(isinstance(value, str) and value.strip() for value in values):
            raise NLIProbeError(f"{where}: {key!r}: every replacement must be a non-empty word")
        checked[str(key)] = [value.strip() for value in values]
    return checked


def _read(path: Path) -> dict[str, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NLIProbeError(f"{path}: no such word list") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NLIProbeError(f"{path}: cannot read word list ({error})") from None
    if path.suffix == ".json":
        try:
            return _check(json.loads(text), where=str(path))
        except json.JSONDecodeError as error:
            raise NLIProbeError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    if path.suffix == ".toml":
        try:
            return _check(tomllib.loads(text), where=str(path))
        except tomllib.TOMLDecodeError as error:
            raise NLIProbeError(f"{path}: invalid TOML: {error}") from None
    separator = "," if path.suffix == ".csv" else "\t"
    table: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split(separator)]
        if len(cells) < 2 or not all(cells):
            name = "commas" if separator == "," else "tabs"
            raise NLIProbeError(
                f"{path}:{number}: expected a word and its replacements separated by {name}"
            )
        table.setdefault(cells[0], []).extend(cells[1:])
    return table
