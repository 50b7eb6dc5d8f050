"""The data folder, and data set names (`snli:dev`, `chaosnli:snli`, ...) looked up in it.

The folder is the `--data-dir` option, else the `NLI_PROBE_DATA` environment variable, else
the user cache (`platformdirs`). Data sets sit in it laid out like their official archives:
`snli_1.0/snli_1.0_dev.jsonl` is exactly where unpacking Stanford's `snli_1.0.zip` puts it.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nli_probe.errors import NLIProbeError

ENV_VAR = "NLI_PROBE_DATA"


def resolve_data_dir(option: Path | str | None = None) -> Path:
    """The data folder: `option` if given, else `$NLI_PROBE_DATA`, else the user cache."""
    if option is not None and str(option) != "":
        return Path(option).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("nli-probe")) / "data"


@dataclass(frozen=True, kw_only=True, slots=True)
class Collection:
    """A data set family known by name: its splits and where each lives in the data folder.

    Each split lists candidate paths, tried in order (an official layout first)."""

    name: str
    splits: dict[str, tuple[str, ...]]
    how_to_get: str
    # Extra files matching this pattern are accepted as splits (e.g. `snli:train_first1024`).
    pattern: str = ""
    downloadable: bool = False


COLLECTIONS: dict[str, Collection] = {
    "snli": Collection(
        name="snli",
        splits={split: (f"snli_1.0/snli_1.0_{split}.jsonl",) for split in ("train", "dev", "test")},
        pattern="snli_1.0/snli_1.0_{split}.jsonl",
        how_to_get=(
            "run `nli-probe data download` (the official snli_1.0.zip from Stanford), or "
            "`nli-probe data download --from PATH/snli_1.0.zip` for a copy you have, or pass "
            "the file's path instead of the name"
        ),
        downloadable=True,
    ),
    "chaosnli": Collection(
        name="chaosnli",
        splits={
            "snli": ("chaosnli_v1.0/chaosNLI_snli.jsonl",),
            "mnli": ("chaosnli_v1.0/chaosNLI_mnli_m.jsonl",),
        },
        how_to_get=(
            "unpack ChaosNLI v1.0 (https://github.com/easonnie/ChaosNLI, chaosNLI_v1.0.zip; "
            "CC BY-NC 4.0) into the data folder as chaosnli_v1.0/, or pass the file's path"
        ),
    ),
    "mnli": Collection(
        name="mnli",
        splits={
            "train": ("multinli_1.0/multinli_1.0_train.jsonl",),
            "dev_matched": (
                "multinli_1.0/multinli_1.0_dev_matched.jsonl",
                "multinli/mnli_dev_matched_stripped.jsonl",
            ),
            "dev_mismatched": ("multinli_1.0/multinli_1.0_dev_mismatched.jsonl",),
        },
        how_to_get=(
            "unpack the official multinli_1.0.zip (https://cims.nyu.edu/~sbowman/multinli/) "
            "into the data folder, or pass the file's path"
        ),
    ),
    "snli_swap": Collection(
        name="snli_swap",
        splits={
            "contradictions": ("snli_contradiction_swap/snli_1.0_contradictions_dev.jsonl",),
            "contradictions_inverse": (
                "snli_contradiction_swap/snli_1.0_contradictions_inverse_dev.jsonl",
            ),
        },
        how_to_get=(
            "place Minervini & Riedel's snli_1.0_contradictions{,_inverse}_dev.jsonl in "
            "snli_contradiction_swap/ in the data folder, or pass the file's path"
        ),
    ),
}


def is_name(spec: str) -> bool:
    """True when `spec` reads as `family:split` (or `hf:...`) rather than a file path."""
    family, sep, _ = spec.partition(":")
    return bool(sep) and (family in COLLECTIONS or family == "hf") and not Path(spec).exists()


def split_name(spec: str) -> tuple[str, str]:
    """(`family`, `split`) from `family:split`; raises with a did-you-mean for unknown names."""
    family, _, split = spec.partition(":")
    collection = COLLECTIONS.get(family)
    if collection is None:
        raise NLIProbeError(
            f"unknown data set {family!r}{_suggest(family, COLLECTIONS)} in {spec!r} "
            f"(names: {', '.join(f'{name}:SPLIT' for name in COLLECTIONS)}, hf:NAME[:SPLIT]; "
            "or give a file path)"
        )
    return family, split


def find(spec: str, data_dir: Path) -> Path:
    """The file a data set name stands for in `data_dir`.

    Raises `NLIProbeError` naming the missing file and how to supply it.
    """
    family, split = split_name(spec)
    collection = COLLECTIONS[family]
    candidates = collection.splits.get(split)
    if candidates is None and collection.pattern and split:
        extra = data_dir / collection.pattern.format(split=split)
        if extra.is_file():
            return extra
    if candidates is None:
        known = sorted(collection.splits) + _extra_splits(collection, data_dir)
        raise NLIProbeError(
            f"unknown split {split!r} of {family!r}{_suggest(split, known)} "
            f"(known: {', '.join(f'{family}:{name}' for name in known)})"
        )
    for candidate in candidates:
        path = data_dir / candidate
        if path.is_file():
            return path
    missing = data_dir / candidates[0]
    raise NLIProbeError(
        f"{spec}: {missing} is missing (data folder: {data_dir}; choose another with "
        f"--data-dir or ${ENV_VAR}); {collection.how_to_get}"
    )


def _extra_splits(collection: Collection, data_dir: Path) -> list[str]:
    if not collection.pattern:
        return []
    prefix, _, suffix = collection.pattern.partition("{split}")
    folder = (data_dir / prefix).parent
    stem_prefix = Path(prefix).name
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(stem_prefix) and name.endswith(suffix):
            split = name[len(stem_prefix) : len(name) - len(suffix)]
            if split and split not in collection.splits:
                found.append(split)
    return found


def _suggest(name: str, known: Iterable[str]) -> str:
    matches = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {matches[0]!r}?)" if matches else ""
