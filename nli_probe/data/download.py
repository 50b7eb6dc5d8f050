"""The official SNLI 1.0 zip: downloaded once into the data folder, checksum verified.

Safe against interruption: bytes go to `<data>/.downloads/snli_1.0.zip.part`, which a later
run resumes (HTTP Range) or restarts; only a file whose SHA-256 matches is unpacked, into a
temporary folder first, and each split file is moved into `snli_1.0/` whole (a rename).
So `snli_1.0/` never holds a partial or unverified file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from nli_probe.errors import NLIProbeError

SNLI_URL = "https://nlp.stanford.edu/projects/snli/snli_1.0.zip"
# SHA-256 of Stanford's snli_1.0.zip (the value ParlAI and NLIDatasets.jl also pin).
SNLI_SHA256 = "afb3d70a5af5d8de0d9d81e2637e0fb8c22d1235c2749d83125ca43dab0dbd3e"
SNLI_FOLDER = "snli_1.0"
SNLI_SPLITS = ("train", "dev", "test")
CHUNK = 1 << 16

Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)


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
    target = data_dir / SNLI_FOLDER
    expected = (sha256 or SNLI_SHA256) if verify else None
    if snli_complete(data_dir) and not force:
        return target
    try:
        _obtain(data_dir, url or SNLI_URL, expected, from_zip, progress, keep_zip, timeout)
    except OSError as error:  # a read-only or full data folder
        raise NLIProbeError(
            f"cannot put SNLI into the data folder {data_dir}: {error.strerror or error} "
            "(choose another with --data-dir or $NLI_PROBE_DATA)"
        ) from None
    return target


def _obtain(
    data_dir: Path,
    url: str,
    expected: str | None,
    from_zip: Path | None,
    progress: Progress | None,
    keep_zip: bool,
    timeout: float,
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    if from_zip is not None:
        if not from_zip.is_file():
            raise NLIProbeError(f"--from: no such file {from_zip}")
        _verify(from_zip, expected, delete_on_mismatch=False)
        _unpack(from_zip, data_dir)
        return
    downloads = data_dir / ".downloads"
    downloads.mkdir(exist_ok=True)
    part = downloads / "snli_1.0.zip.part"
    _fetch(url, part, progress=progress, timeout=timeout)
    _verify(part, expected, delete_on_mismatch=True)
    done = downloads / "snli_1.0.zip"
    part.replace(done)
    _unpack(done, data_dir)
    if not keep_zip:
        done.unlink()


def _fetch(url: str, part: Path, *, progress: Progress | None, timeout: float) -> None:
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
            f"download of {url} failed: {reason} (no network? download the zip elsewhere and "
            "run `nli-probe data download --from PATH/snli_1.0.zip`)"
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _verify(path: Path, sha256: str | None, *, delete_on_mismatch: bool) -> None:
    if sha256 is None:
        return
    actual = sha256_of(path)
    if actual != sha256.lower():
        if delete_on_mismatch:
            path.unlink()  # a bad part must not be resumed
            again = "; it was deleted: run the command again to download afresh"
        else:
            again = "; is it the official snli_1.0.zip? (--no-verify skips this check)"
        raise NLIProbeError(
            f"{path}: checksum mismatch (SHA-256 {actual}, expected {sha256}){again}"
        )


def _unpack(zip_path: Path, data_dir: Path) -> None:
    """Unpack `snli_1.0/*` (not macOS `__MACOSX/` litter) via a temporary folder."""
    import shutil
    import tempfile
    import zipfile
    import zlib

    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise NLIProbeError(f"{zip_path}: not a zip file") from None
    with archive, tempfile.TemporaryDirectory(prefix=".snli-unpack-", dir=data_dir) as scratch:
        members = [
            info for info in archive.infolist() if not info.is_dir() and _safe_member(info.filename)
        ]
        if not any(PurePosixPath(info.filename).name.endswith("_dev.jsonl") for info in members):
            raise NLIProbeError(
                f"{zip_path}: no {SNLI_FOLDER}/snli_1.0_*.jsonl inside; is it the SNLI 1.0 zip?"
            )
        target = data_dir / SNLI_FOLDER
        target.mkdir(exist_ok=True)
        for info in members:
            name = PurePosixPath(info.filename).name
            staged = Path(scratch) / name
            try:
                with archive.open(info) as source, staged.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise NLIProbeError(f"{zip_path}: {info.filename} is damaged ({error})") from None
            staged.replace(target / name)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    parts = path.parts
    return (
        len(parts) == 2
        and parts[0] == SNLI_FOLDER
        and not path.is_absolute()
        and ".." not in parts
        and not parts[1].startswith(".")
    )
