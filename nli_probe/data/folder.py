"""The data folder, and data set names (`snli:dev`, `chaosnli:snli`, ...) looked up in it.

The folder is the `--data-dir` option, else the `NLI_PROBE_DATA` environment variable, else
the user cache (`platformdirs`). Data sets sit in it laid out like their official archives:
`snli_1.0/snli_1.0_dev.jsonl` is exactly where unpacking Stanford's `snli_1.0.zip` puts it.

One split also ships inside the package (`embedded/`): SNLI 1.0 dev, compressed, without its
parse trees (CC BY-SA 4.0, attributed in `embedded/README.md`). `snli:dev` resolves to the data
folder's copy when there is one, else to the embedded one, so the main job and the tests run
with no data folder at all; `describe_source` says which copy a name resolved to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nli_probe.core.suggest import did_you_mean
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


EMBEDDED: dict[str, str] = {"snli:dev": "snli_1.0_dev.jsonl.xz"}
"""Data set names with a copy inside the package (file names in `nli_probe/data/embedded/`)."""


def embedded_folder() -> Path:
    """The package's folder of embedded data (with its licence and attribution)."""
    return Path(str(resources.files("nli_probe.data") / "embedded"))


def embedded_path(spec: str) -> Path | None:
    """The package's own copy of the data set `spec`, if it ships one."""
    name = EMBEDDED.get(spec)
    return embedded_folder() / name if name else None


def is_embedded(path: Path | str) -> bool:
    """True when `path` is one of the package's embedded copies."""
    return Path(path).parent == embedded_folder() and Path(path).name in EMBEDDED.values()


def describe_source(spec: str, path: Path | str) -> str:
    """One line saying which file a data set name or path was read from, for the output."""
    if is_embedded(path):
        return (
            f"{spec}: the copy embedded in nli-probe (SNLI 1.0 dev without parse trees, "
            f"CC BY-SA 4.0), as the data folder has none"
        )
    return f"{spec}: {path}" if str(spec) != str(path) else str(path)


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
            f"unknown data set {family!r}{did_you_mean(family, COLLECTIONS)} in {spec!r} "
            f"(names: {', '.join(f'{name}:SPLIT' for name in COLLECTIONS)}, hf:NAME[:SPLIT]; "
            "or give a file path)"
        )
    return family, split


def find(spec: str, data_dir: Path) -> Path:
    """The file a data set name stands for in `data_dir` (else the package's embedded copy).

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
            f"unknown split {split!r} of {family!r}{did_you_mean(split, known)} "
            f"(known: {', '.join(f'{family}:{name}' for name in known)})"
        )
    for candidate in candidates:
        path = data_dir / candidate
        if path.is_file():
            return path
    embedded = embedded_path(f"{family}:{split}")
    if embedded is not None:
        return embedded
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
