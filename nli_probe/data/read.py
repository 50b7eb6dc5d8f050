"""Reading a data set by file path or name: `read_dataset`, `iter_examples`, `load_examples`.

A spec is a file path (.jsonl/.json/.csv/.tsv/.txt, or three parallel files; the format is
sniffed) or a name looked up in the data folder: one of the catalog's (`nli_probe.data.catalog`:
`snli:dev`, `hans:evaluation`, `anli:test`, `breaking_nli`, ...; any
`snli_1.0/snli_1.0_<split>.jsonl` there is `snli:<split>`), or `hf:NAME[:split]` for a Hugging
Face data set (hub name or local folder). A name made of several files (`anli:test`: the three
rounds) reads them one after the other.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nli_probe.core.example import Example
from nli_probe.core.suggest import did_you_mean
from nli_probe.data import folder
from nli_probe.data.catalog import CATALOG, all_names
from nli_probe.data.dataset import Dataset
from nli_probe.data.formats import SLICES, SUFFIXES, read_file
from nli_probe.data.lines import data_suffix
from nli_probe.data.plain import Columns
from nli_probe.data.problems import RowProblem, bad_row_error
from nli_probe.errors import NLIProbeError


def resolve_spec(
    spec: str | Path, *, data_dir: Path | None = None, download: bool = False
) -> tuple[str, Path]:
    """(display name, file) for a path or a data set name made of one file; downloads a
    missing named file if asked (see `resolve_files` for names made of several files)."""
    name, files, _ = resolve_files(spec, data_dir=data_dir, download=download)
    if len(files) != 1:
        raise NLIProbeError(
            f"{spec} is made of {len(files)} files ({', '.join(str(f) for f in files)}); "
            "read it with read_dataset"
        )
    return name, files[0]


def resolve_files(
    spec: str | Path, *, data_dir: Path | None = None, download: bool = False
) -> tuple[str, list[Path], str | None]:
    """(display name, files in reading order, the reader they need or None to sniff) for a
    path or a data set name; downloads what a name needs when it is missing and `download` is
    set."""
    if isinstance(spec, Path) or not folder.is_name(spec):
        path = Path(spec).expanduser()
        looks_like_name = ":" in str(spec) and data_suffix(path) not in SUFFIXES
        if isinstance(spec, str) and looks_like_name and not path.exists():
            folder.split_name(spec)  # raises: unknown data set, with a did-you-mean
        if isinstance(spec, str) and _bare_word(spec) and not path.exists():
            # `breaking_nl`: no such file, and close to a name (a file path is left alone).
            close = did_you_mean(spec, [*CATALOG, *all_names()])
            if close:
                raise NLIProbeError(f"no such data file or data set name: {spec!r}{close}")
        return str(spec), [path], None
    if spec.startswith("hf:"):
        raise NLIProbeError(f"{spec}: a Hugging Face data set has no file; use read_dataset")
    directory = folder.resolve_data_dir(data_dir)
    family_name, split = folder.split_name(spec)
    known = CATALOG[family_name]
    reader = known.reader(split)
    can_download = download and known.downloadable and split in known.splits
    try:
        found = folder.find_files(spec, directory)
    except NLIProbeError:
        if not can_download:
            raise
    else:
        # Asked to download, an embedded copy does not count as present in the data folder.
        if not (can_download and any(folder.is_embedded(path) for path in found)):
            return spec, found, reader
    from nli_probe.data.download import ensure_data

    ensure_data(f"{family_name}:{split}", directory)
    return spec, folder.find_files(spec, directory), reader


def _bare_word(spec: str) -> bool:
    """A spec with no folder and no file type, which may be a misspelt data set name."""
    return not data_suffix(Path(spec)) and "/" not in spec and "\\" not in spec


def iter_examples(
    spec: str | Path,
    *,
    data_dir: Path | None = None,
    skip_bad_rows: bool = False,
    on_skip: Callable[[RowProblem], None] | None = None,
    columns: Columns | None = None,
    format: str | None = None,
    download: bool = False,
) -> Iterator[Example]:
    """Stream the examples of a file or named data set, one at a time.

    A bad row raises `NLIProbeError` naming file, line and field, unless `skip_bad_rows` is
    set; then each skipped row goes to `on_skip` (required, so nothing is dropped unseen).
    """
    if skip_bad_rows and on_skip is None:
        raise ValueError("skip_bad_rows=True needs on_skip to receive the skipped rows")
    opened = _open(spec, data_dir=data_dir, columns=columns, format=format, download=download)
    for item in opened.stream:
        if isinstance(item, RowProblem):
            if not skip_bad_rows or on_skip is None:
                raise bad_row_error(item)
            on_skip(item)
            continue
        yield item


def read_dataset(
    spec: str | Path,
    *,
    data_dir: Path | None = None,
    skip_bad_rows: bool = False,
    columns: Columns | None = None,
    format: str | None = None,
    download: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Dataset:
    """Read a file or named data set into a `Dataset` (examples + every skipped row).

    Args:
        spec: A file path or a name (`snli:dev`, `chaosnli:snli`, `hf:snli:test`, ...).
        data_dir: The data folder for names; default `$NLI_PROBE_DATA`, else the user cache.
        skip_bad_rows: Skip malformed rows (recorded in `Dataset.skipped`) instead of raising.
        columns: Column names / label spellings for plain files (names force the plain reader).
        format: `snli`, `chaosnli` or `plain` to override sniffing.
        download: Fetch the official SNLI zip into the data folder if an SNLI split is missing.
        progress: Called with the number of rows read so far, every 10,000 rows and at the end.

    Raises:
        NLIProbeError: A missing file (saying how to get it), an unknown name, or a bad row
            (file, line, field) when `skip_bad_rows` is off.
    """
    opened = _open(spec, data_dir=data_dir, columns=columns, format=format, download=download)
    skipped: list[RowProblem] = []
    examples: list[Example] = []
    for rows, item in enumerate(opened.stream, start=1):
        if isinstance(item, RowProblem):
            if not skip_bad_rows:
                raise bad_row_error(item)
            skipped.append(item)
        else:
            examples.append(item)
        if progress is not None and rows % 10_000 == 0:
            progress(rows)
    if progress is not None:
        progress(len(examples) + len(skipped))
    return Dataset(
        name=opened.name,
        path=opened.path,
        format=opened.format,
        examples=examples,
        skipped=tuple(skipped),
        slices=opened.slices,
    )


def load_examples(
    spec: str | Path,
    *,
    data_dir: Path | None = None,
    skip_bad_rows: bool = False,
    columns: Columns | None = None,
    format: str | None = None,
    download: bool = False,
) -> list[Example]:
    """The examples of a file or named data set (see `read_dataset` for the options).

    With `skip_bad_rows=True` the skipped rows are reported as a `UserWarning` naming how many
    and the first few; call `read_dataset` to get them as data.
    """
    dataset = read_dataset(
        spec,
        data_dir=data_dir,
        skip_bad_rows=skip_bad_rows,
        columns=columns,
        format=format,
        download=download,
    )
    if dataset.skipped:
        import warnings

        warnings.warn(dataset.skipped_summary(), UserWarning, stacklevel=2)
    return dataset.examples


@dataclass(frozen=True, kw_only=True, slots=True)
class _Opened:
    name: str
    path: str
    format: str
    stream: Iterator[Example | RowProblem]
    slices: tuple[str, ...] = ()


def _open(
    spec: str | Path,
    *,
    data_dir: Path | None,
    columns: Columns | None,
    format: str | None,
    download: bool,
) -> _Opened:
    if isinstance(spec, str) and spec.startswith("hf:") and not Path(spec).exists():
        from nli_probe.data.huggingface import iter_hf

        return _Opened(name=spec, path=spec[3:], format="hf", stream=iter_hf(spec, columns=columns))
    name, paths, reader = resolve_files(spec, data_dir=data_dir, download=download)
    opened = [
        read_file(path, format=format or reader, columns=columns, source=_source(name, path))
        for path in paths
    ]
    formats = list(dict.fromkeys(chosen for chosen, _ in opened))
    slices = [*SLICES.get(formats[0], ())]
    if folder.is_name(name):
        family_name, split = folder.split_name(name)
        slices += CATALOG[family_name].slices_for(split)
    return _Opened(
        name=name,
        path=", ".join(str(path) for path in paths),
        format="+".join(formats),
        stream=itertools.chain.from_iterable(stream for _, stream in opened),
        slices=tuple(dict.fromkeys(slices)),
    )


def _source(name: str, path: Path) -> str:
    return name if folder.is_name(name) else path.name
