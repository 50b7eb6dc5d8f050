"""The data folder, and data set names (`snli:dev`, `chaosnli:snli`, ...) looked up in it.

The folder is the `--data-dir` option, else the `NLI_PROBE_DATA` environment variable, else
the user cache (`platformdirs`). Data sets sit in it laid out like their official archives:
`snli_1.0/snli_1.0_dev.jsonl` is exactly where unpacking Stanford's `snli_1.0.zip` puts it. The
names, and where each one's files live, are the catalog's (`nli_probe.data.catalog`).

One split also ships inside the package (`embedded/`): SNLI 1.0 dev, compressed, without its
parse trees (CC BY-SA 4.0, attributed in `embedded/README.md`). `snli:dev` resolves to the data
folder's copy when there is one, else to the embedded one, so the main job and the tests run
with no data folder at all; `describe_source` says which copy a name resolved to.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from nli_probe.core.suggest import did_you_mean
from nli_probe.data.catalog import CATALOG, Family, family
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
    """True when `spec` reads as `family:split` (or `hf:...`, or a family that has a default
    split, such as `breaking_nli`) rather than a file path."""
    if Path(spec).exists():
        return False
    family_name, sep, _ = spec.partition(":")
    if not sep:
        known = CATALOG.get(spec)
        return known is not None and bool(known.default_split)
    return family_name in CATALOG or family_name == "hf"


def split_name(spec: str) -> tuple[str, str]:
    """(`family`, `split`) from `family:split` (or a bare family name with a default split);
    raises with a did-you-mean for unknown names."""
    family_name, sep, split = spec.partition(":")
    found = family(family_name, spec=spec)
    if not sep and found.default_split:
        split = found.default_split
    return family_name, split


def canonical_name(spec: str) -> str:
    """`family:split` for a name (`breaking_nli` -> `breaking_nli:test`)."""
    family_name, split = split_name(spec)
    return f"{family_name}:{split}"


def find(spec: str, data_dir: Path) -> Path:
    """The one file a data set name stands for in `data_dir` (else the package's embedded
    copy); a split made of several files raises (see `find_files`).

    Raises `NLIProbeError` naming the missing file and how to supply it.
    """
    files = find_files(spec, data_dir)
    if len(files) != 1:
        raise NLIProbeError(
            f"{spec} is made of {len(files)} files ({', '.join(str(f) for f in files)}); "
            "read it with read_dataset"
        )
    return files[0]


def find_files(spec: str, data_dir: Path) -> list[Path]:
    """The file(s) a data set name stands for in `data_dir`, in reading order (else the
    package's embedded copy).

    Raises `NLIProbeError` naming the missing file and how to supply it.
    """
    family_name, split = split_name(spec)
    known = CATALOG[family_name]
    chosen = known.splits.get(split)
    if chosen is None and known.pattern and split:
        extra = data_dir / known.pattern.format(split=split)
        if extra.is_file():
            return [extra]
    if chosen is None:
        splits = sorted(known.splits) + _extra_splits(known, data_dir)
        raise NLIProbeError(
            f"unknown split {split!r} of {family_name!r}{did_you_mean(split, splits)} "
            f"(known: {', '.join(f'{family_name}:{name}' for name in splits)})"
        )
    found: list[Path] = []
    for pattern in chosen.files:
        if "*" in pattern:
            matched = sorted(path for path in data_dir.glob(pattern) if path.is_file())
            if matched:
                found.extend(matched)
                continue
        elif (data_dir / pattern).is_file():
            found.append(data_dir / pattern)
            continue
        if len(chosen.files) == 1:
            for alternative in chosen.alternatives:
                if (data_dir / alternative).is_file():
                    return [data_dir / alternative]
            embedded = embedded_path(f"{family_name}:{split}")
            if embedded is not None:
                return [embedded]
        raise NLIProbeError(
            f"{spec}: {data_dir / pattern} is missing (data folder: {data_dir}; choose another "
            f"with --data-dir or ${ENV_VAR}); {known.how_to_get}"
        )
    return found


def _extra_splits(known: Family, data_dir: Path) -> list[str]:
    if not known.pattern:
        return []
    prefix, _, suffix = known.pattern.partition("{split}")
    folder = (data_dir / prefix).parent
    stem_prefix = Path(prefix).name
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(stem_prefix) and name.endswith(suffix):
            split = name[len(stem_prefix) : len(name) - len(suffix)]
            if split and split not in known.splits:
                found.append(split)
    return found
