"""Downloading a named data set's files into the data folder, checksum verified.

One downloader for every family of the catalog (`nli_probe.data.catalog`): each artefact (a
plain file or a zip) is fetched into `<data>/.downloads/<name>.part`, which a later run resumes
(HTTP Range) or restarts; only a file whose checksum matches is placed, and a zip is unpacked
into a temporary folder first, each member then moved into place whole (a rename). So the data
folder never holds a partial or unverified file where a reader looks.

Checksums: an artefact's pinned checksum (SHA-256, or the git blob id of a file served from its
authors' repository) when the catalog has one; otherwise the SHA-256 of the first download is
recorded in `<data>/.checksums.json` and every later download or `--from` copy of that artefact
must match it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from nli_probe.data.catalog import (
    CATALOG,
    GIT_BLOB_SHA1,
    SHA256,
    SNLI_FOLDER,
    SNLI_SHA256,
    SNLI_URL,
    Artefact,
    Checksum,
)
from nli_probe.errors import NLIProbeError

__all__ = [
    "CHECKSUM_RECORDS",
    "SNLI_SHA256",
    "SNLI_URL",
    "Fetched",
    "ensure_data",
    "ensure_snli",
    "sha256_of",
    "snli_complete",
    "snli_files",
]

SNLI_SPLITS = ("train", "dev", "test")
CHUNK = 1 << 16
CHECKSUM_RECORDS = ".checksums.json"
"""The data folder's record of the SHA-256 of artefacts that have no pinned checksum."""

Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)


@dataclass(frozen=True, kw_only=True, slots=True)
class Fetched:
    """What `ensure_data` did for one artefact."""

    artefact: Artefact
    action: str
    """`present` (nothing to do), `downloaded` or `copied` (from a local file)."""
    check: str = ""
    """How it was verified: `pinned sha256`, `pinned git blob id`, `matched the recorded
    sha256`, `sha256 recorded now`, `not verified`; empty when nothing was fetched."""
    files: tuple[Path, ...] = ()
    """What it put in the data folder."""


def snli_files(data_dir: Path) -> dict[str, Path]:
    """Where each official split lives in the data folder."""
    return {split: data_dir / SNLI_FOLDER / f"snli_1.0_{split}.jsonl" for split in SNLI_SPLITS}


def snli_complete(data_dir: Path) -> bool:
    return all(path.is_file() for path in snli_files(data_dir).values())


def ensure_snli(
    data_dir: Path,
    *,
    url: str | None = None,
    sha256: str | None = None,
    verify: bool = True,
    from_zip: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    keep_zip: bool = False,
    timeout: float = 60.0,
) -> Path:
    """Make sure `data_dir/snli_1.0/` holds the official splits; returns that folder.

    Args:
        data_dir: The data folder.
        url: Where to download from; default `SNLI_URL` (a mirror, or a loopback server in
            tests). A mirror must serve the same zip: the checksum is still checked.
        sha256: The expected SHA-256 of the zip; default `SNLI_SHA256`, the official one.
        verify: Check the SHA-256 (turn off only for a zip you trust that differs).
        from_zip: Unpack this local copy of snli_1.0.zip instead of downloading.
        force: Fetch and unpack even if every split is already there.
        progress: Called with (bytes done, total bytes or None) as the download proceeds.
        keep_zip: Keep the verified zip in `data_dir/.downloads/` after unpacking.
        timeout: Seconds to wait on the network before giving up.
    """
    if snli_complete(data_dir) and not force:
        return data_dir / SNLI_FOLDER
    ensure_data(
        "snli:dev",
        data_dir,
        url=url or SNLI_URL,
        sha256=sha256 or SNLI_SHA256,
        verify=verify,
        from_file=from_zip,
        force=True,
        progress=None if progress is None else (lambda _, done, total: progress(done, total)),
        keep=keep_zip,
        timeout=timeout,
    )
    return data_dir / SNLI_FOLDER


def ensure_data(
    name: str,
    data_dir: Path,
    *,
    url: str | None = None,
    sha256: str | None = None,
    verify: bool = True,
    from_file: Path | None = None,
    force: bool = False,
    progress: Callable[[str, int, int | None], None] | None = None,
    keep: bool = False,
    timeout: float = 60.0,
) -> list[Fetched]:
    """Download (or copy from `from_file`) what the named data set needs into `data_dir`.

    Args:
        name: A family (`anli`: every artefact it has) or a name (`hans:evaluation`: the
            artefacts that split needs).
        data_dir: The data folder.
        url: Another address for the one artefact needed (a mirror; checksums still apply).
        sha256: The expected SHA-256 of the one artefact needed, instead of the catalog's.
        verify: Check checksums (off only for a file you trust that differs).
        from_file: A local copy of the one artefact needed, instead of downloading.
        force: Fetch even what is already in place.
        progress: Called with (artefact name, bytes done, total bytes or None).
        keep: Keep a downloaded zip in `data_dir/.downloads/` after unpacking.
        timeout: Seconds to wait on the network before giving up.

    Raises:
        NLIProbeError: an unknown name, a family that cannot be downloaded, a network failure
            (run again to resume), a checksum mismatch (the bad file is deleted), a file that
            is not the expected archive.
    """
    from nli_probe.data.folder import split_name

    family_name, split = split_name(name) if ":" in name else (name, None)
    if family_name not in CATALOG:
        split_name(name)  # raises: unknown, with a did-you-mean
    known = CATALOG[family_name]
    if not known.downloadable:
        raise NLIProbeError(f"{name} cannot be downloaded by nli-probe: {known.how_to_get}")
    artefacts = known.artefacts_for(split)
    single = len(artefacts) == 1
    for option, value in (("--url", url), ("--sha256", sha256), ("--from", from_file)):
        if value is not None and not single:
            names = ", ".join(f"{known.name}:{s}" for s in known.splits)
            raise NLIProbeError(
                f"{option} applies to one file, and {name} needs {len(artefacts)} "
                f"({', '.join(a.name for a in artefacts)}); name one split ({names})"
            )
    results = []
    for artefact in artefacts:
        try:
            results.append(
                _ensure_artefact(
                    artefact,
                    data_dir,
                    url=url or artefact.url,
                    sha256=sha256,
                    verify=verify,
                    from_file=from_file,
                    force=force,
                    progress=None if progress is None else _for(progress, artefact.name),
                    keep=keep,
                    timeout=timeout,
                )
            )
        except OSError as error:  # a read-only or full data folder
            raise NLIProbeError(
                f"cannot put {artefact.name} into the data folder {data_dir}: "
                f"{error.strerror or error} (choose another with --data-dir or $NLI_PROBE_DATA)"
            ) from None
    return results


def _for(progress: Callable[[str, int, int | None], None], name: str) -> Progress:
    return lambda done, total: progress(name, done, total)


def present(artefact: Artefact, data_dir: Path) -> bool:
    """True when what the artefact provides is already in the data folder."""
    return bool(artefact.targets) and all((data_dir / t).is_file() for t in artefact.targets)


def _ensure_artefact(
    artefact: Artefact,
    data_dir: Path,
    *,
    url: str,
    sha256: str | None,
    verify: bool,
    from_file: Path | None,
    force: bool,
    progress: Progress | None,
    keep: bool,
    timeout: float,
) -> Fetched:
    if present(artefact, data_dir) and not force and from_file is None:
        return Fetched(artefact=artefact, action="present")
    data_dir.mkdir(parents=True, exist_ok=True)
    pinned = (
        Checksum(algorithm=SHA256, value=sha256.lower(), provenance="given with --sha256")
        if sha256
        else artefact.checksum
    )
    if from_file is not None:
        if not from_file.is_file():
            raise NLIProbeError(f"--from: no such file {from_file}")
        check = _verify(artefact, from_file, pinned, data_dir, verify=verify, downloaded=False)
        files = _place(artefact, from_file, data_dir, move=False)
        _record(artefact, from_file, url, data_dir, check)
        return Fetched(artefact=artefact, action="copied", check=check, files=files)
    downloads = data_dir / ".downloads"
    downloads.mkdir(exist_ok=True)
    part = downloads / f"{artefact.name}.part"
    _fetch(url, part, progress=progress, timeout=timeout, family=_family_of(artefact))
    if artefact.web_page_risk and _is_web_page(part):
        part.unlink()
        raise NLIProbeError(
            f"{url} answered with a web page instead of {artefact.name} (Google Drive asks a "
            f"browser to confirm large downloads); download it in a browser and run "
            f"`nli-probe data download {_family_of(artefact)} --from PATH/TO/THE.zip`"
        )
    check = _verify(artefact, part, pinned, data_dir, verify=verify, downloaded=True)
    done = downloads / artefact.name
    part.replace(done)
    files = _place(artefact, done, data_dir, move=not artefact.is_zip)
    _record(artefact, done if done.exists() else files[0], url, data_dir, check)
    if artefact.is_zip and not keep:
        done.unlink()
    return Fetched(artefact=artefact, action="downloaded", check=check, files=files)


def _family_of(artefact: Artefact) -> str:
    names = [f.name for f in CATALOG.values() if artefact.name in {a.name for a in f.artefacts}]
    return names[0] if names else "NAME"


def _fetch(url: str, part: Path, *, progress: Progress | None, timeout: float, family: str) -> None:
    """Download `url` into `part`, resuming from its current size when the server allows."""
    import http.client  # here, not at the top: `import nli_probe` stays quick
    import urllib.error
    import urllib.request

    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "nli-probe"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and have:  # the part is already whole (or longer): re-check it
            return
        raise NLIProbeError(f"download of {url} failed: HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise NLIProbeError(
            f"download of {url} failed: {reason} (no network? download the file elsewhere and "
            f"run `nli-probe data download {family} --from PATH/{PurePosixPath(part.name).stem}`)"
        ) from None
    with response:
        resumed = have and response.status == 206
        if not resumed:
            have = 0  # the server sent the whole file: restart the part
        length = response.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        with part.open("ab" if resumed else "wb") as out:
            done = have
            if progress:
                progress(done, total)
            try:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            except (OSError, http.client.HTTPException) as error:
                raise NLIProbeError(
                    f"download of {url} was interrupted after {done:,} bytes ({error}); "
                    "run the same command again to resume"
                ) from None
    if total is not None and part.stat().st_size < total:
        raise NLIProbeError(
            f"download of {url} stopped early ({part.stat().st_size:,} of {total:,} bytes); "
            "run the same command again to resume"
        )


def _is_web_page(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(512).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def git_blob_id(path: Path) -> str:
    """The id git gives the file's contents: sha1 of `blob <size>\\0` and the bytes."""
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _verify(
    artefact: Artefact,
    path: Path,
    pinned: Checksum | None,
    data_dir: Path,
    *,
    verify: bool,
    downloaded: bool,
) -> str:
    """Check `path` against the pinned or recorded checksum; returns how it was checked. A
    downloaded file that fails is deleted (a bad part must not be resumed); a user's own file
    is never deleted."""
    if not verify:
        return "not verified"
    recorded = read_records(data_dir).get(artefact.name)
    if pinned is not None:
        actual = git_blob_id(path) if pinned.algorithm == GIT_BLOB_SHA1 else sha256_of(path)
        expected, what = pinned.value.lower(), f"pinned {_algorithm_name(pinned.algorithm)}"
    elif recorded is not None:
        actual, expected = sha256_of(path), str(recorded.get("sha256", "")).lower()
        what = "matched the sha256 recorded at its first download"
    else:
        return "sha256 recorded now"
    if actual == expected:
        return what
    if downloaded:
        path.unlink()
        again = "; it was deleted: run the command again to download afresh"
    else:
        again = f"; is it the official {artefact.name}? (--no-verify skips this check)"
    if pinned is None:
        when = recorded.get("recorded", "?") if recorded else "?"
        again += (
            f" (the expected value was recorded at the first download, {when}, in "
            f"{data_dir / CHECKSUM_RECORDS}; if the publisher changed the file, delete that "
            "entry)"
        )
    algorithm = _algorithm_name(pinned.algorithm if pinned else SHA256)
    raise NLIProbeError(
        f"{path}: checksum mismatch ({algorithm} {actual}, expected {expected}){again}"
    )


def _algorithm_name(algorithm: str) -> str:
    return "git blob id" if algorithm == GIT_BLOB_SHA1 else "SHA-256"


def read_records(data_dir: Path) -> dict[str, dict[str, Any]]:
    """The recorded checksums of the data folder (artefact name -> sha256, url, date)."""
    path = data_dir / CHECKSUM_RECORDS
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NLIProbeError(f"{path}: unreadable checksum record ({error})") from None
    if not isinstance(data, dict):
        raise NLIProbeError(f"{path}: not a checksum record (expected a JSON object)")
    return {str(k): dict(v) for k, v in data.items() if isinstance(v, dict)}


def _record(artefact: Artefact, path: Path, url: str, data_dir: Path, check: str) -> None:
    """Keep the SHA-256 of an artefact without a pinned checksum, the first time it arrives."""
    if check != "sha256 recorded now":
        return
    records = read_records(data_dir)
    records[artefact.name] = {
        "sha256": sha256_of(path),
        "bytes": path.stat().st_size,
        "url": url,
        "recorded": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    target = data_dir / CHECKSUM_RECORDS
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(records, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(target)


def _place(artefact: Artefact, source: Path, data_dir: Path, *, move: bool) -> tuple[Path, ...]:
    """Put a verified file where the catalog says: a plain file renamed (or copied) into
    place, a zip unpacked member by member through a temporary folder."""
    import shutil
    import tempfile

    if not artefact.is_zip:
        target = data_dir / artefact.target
        target.parent.mkdir(parents=True, exist_ok=True)
        if move:
            source.replace(target)
        else:
            staged = target.with_name(target.name + ".partial")
            shutil.copyfile(source, staged)
            staged.replace(target)
        return (target,)
    with tempfile.TemporaryDirectory(prefix=".unpack-", dir=data_dir) as scratch:
        return _unpack(artefact, source, data_dir, Path(scratch))


def _unpack(artefact: Artefact, zip_path: Path, data_dir: Path, scratch: Path) -> tuple[Path, ...]:
    import shutil
    import zipfile
    import zlib

    assert artefact.unpack is not None
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise NLIProbeError(f"{zip_path}: not a zip file") from None
    with archive:
        chosen: list[tuple[zipfile.ZipInfo, str]] = []
        for info in archive.infolist():
            target = None if info.is_dir() else artefact.unpack(info.filename)
            if target is not None and _safe(target):
                chosen.append((info, target))
        targets = {target for _, target in chosen}
        if artefact.requires and artefact.requires not in targets:
            raise NLIProbeError(
                f"{zip_path}: no {artefact.requires} inside; is it {artefact.name}?"
            )
        staged: list[tuple[Path, Path]] = []
        for number, (info, target) in enumerate(chosen):
            path = scratch / str(number)
            try:
                with archive.open(info) as source, path.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise NLIProbeError(f"{zip_path}: {info.filename} is damaged ({error})") from None
            staged.append((path, data_dir / target))
    # Every member was read whole before any is moved, so a damaged zip changes nothing.
    for path, place in staged:
        place.parent.mkdir(parents=True, exist_ok=True)
        path.replace(place)
    return tuple(place for _, place in staged)


def _safe(target: str) -> bool:
    path = PurePosixPath(target)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)
