"""The SNLI download, offline: a loopback HTTP server serves a zip the test builds."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from nli_probe.data import catalog, load_examples
from nli_probe.data.download import ensure_snli, snli_complete
from nli_probe.errors import NLIProbeError
from tests.loopback import Server, serving

ZIP = "/snli_1.0.zip"


def _row(pair_id: str, gold: str) -> str:
    return json.dumps(
        {
            "annotator_labels": [gold] * 5,
            "captionID": "1.jpg#0",
            "gold_label": gold,
            "pairID": pair_id,
            "sentence1": "A man plays a guitar.",
            "sentence2": "A man makes music.",
        }
    )


def _build_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for split, n in (("train", 40), ("dev", 3), ("test", 2)):
            rows = "".join(_row(f"{split}{i}", "entailment") + "\n" for i in range(n))
            archive.writestr(f"snli_1.0/snli_1.0_{split}.jsonl", rows)
        archive.writestr("snli_1.0/README.txt", "SNLI 1.0 (test copy)\n")
        archive.writestr("__MACOSX/snli_1.0/._snli_1.0_dev.jsonl", "junk")
    return path.read_bytes()


@pytest.fixture
def zip_bytes(tmp_path: Path) -> bytes:
    return _build_zip(tmp_path / "snli_1.0.zip")


@pytest.fixture
def server(zip_bytes: bytes) -> Iterator[Server]:
    with serving({ZIP: zip_bytes}) as served:
        yield served


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_download_verifies_and_unpacks(tmp_path: Path, server: Server, zip_bytes: bytes) -> None:
    data = tmp_path / "data"
    seen: list[tuple[int, int | None]] = []
    folder = ensure_snli(
        data, url=server.url(ZIP), sha256=_sha(zip_bytes), progress=lambda d, t: seen.append((d, t))
    )
    assert folder == data / "snli_1.0"
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.txt",
        "snli_1.0_dev.jsonl",
        "snli_1.0_test.jsonl",
        "snli_1.0_train.jsonl",
    ]
    assert not (data / "__MACOSX").exists()
    assert list((data / ".downloads").iterdir()) == []  # no part, no zip left behind
    assert seen[-1] == (len(zip_bytes), len(zip_bytes))
    assert len(load_examples("snli:train", data_dir=data)) == 40
    # A second call finds everything in place and does not touch the network.
    ensure_snli(data, url=server.url(ZIP), sha256=_sha(zip_bytes))
    assert server.ranges == [None]


def test_interrupted_download_resumes(tmp_path: Path, server: Server, zip_bytes: bytes) -> None:
    data = tmp_path / "data"
    server.cut_after = 1_000
    with pytest.raises(NLIProbeError, match="again to resume"):
        ensure_snli(data, url=server.url(ZIP), sha256=_sha(zip_bytes), timeout=5)
    part = data / ".downloads" / "snli_1.0.zip.part"
    assert part.stat().st_size == 1_000
    assert not snli_complete(data)
    assert not (data / "snli_1.0").exists()  # nothing half-made where readers look
    ensure_snli(data, url=server.url(ZIP), sha256=_sha(zip_bytes), timeout=5)
    assert server.ranges == [None, "bytes=1000-"]
    assert snli_complete(data)
    assert len(load_examples("snli:dev", data_dir=data)) == 3


def test_server_without_range_restarts_cleanly(
    tmp_path: Path, server: Server, zip_bytes: bytes
) -> None:
    data = tmp_path / "data"
    (data / ".downloads").mkdir(parents=True)
    (data / ".downloads" / "snli_1.0.zip.part").write_bytes(b"stale bytes")
    server.honour_range = False
    ensure_snli(data, url=server.url(ZIP), sha256=_sha(zip_bytes))
    assert server.ranges == ["bytes=11-"]
    assert snli_complete(data)


def test_checksum_mismatch_never_reaches_the_cache(tmp_path: Path, server: Server) -> None:
    data = tmp_path / "data"
    with pytest.raises(NLIProbeError, match=r"checksum mismatch.*deleted"):
        ensure_snli(data, url=server.url(ZIP), sha256="0" * 64)
    assert not (data / "snli_1.0").exists()
    assert not (data / ".downloads" / "snli_1.0.zip.part").exists()


def serve_snli_from(monkeypatch: pytest.MonkeyPatch, url: str, sha256: str) -> None:
    """Point the catalog's SNLI zip at a loopback server, with that zip's checksum."""
    snli = catalog.CATALOG["snli"]
    artefact = dataclasses.replace(
        snli.artefacts[0],
        url=url,
        checksum=catalog.Checksum(algorithm=catalog.SHA256, value=sha256, provenance="test"),
    )
    monkeypatch.setitem(
        catalog.CATALOG,
        "snli",
        dataclasses.replace(snli, artefacts=(artefact, *snli.artefacts[1:])),
    )


def test_load_examples_can_download_a_missing_split(
    tmp_path: Path, server: Server, zip_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_snli_from(monkeypatch, server.url(ZIP), _sha(zip_bytes))
    data = tmp_path / "data"
    with pytest.raises(NLIProbeError, match=r"snli_1\.0_test\.jsonl is missing"):
        load_examples("snli:test", data_dir=data)
    assert server.ranges == []
    assert len(load_examples("snli:test", data_dir=data, download=True)) == 2


def test_download_asked_for_dev_replaces_the_embedded_copy(
    tmp_path: Path, server: Server, zip_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_snli_from(monkeypatch, server.url(ZIP), _sha(zip_bytes))
    data = tmp_path / "data"
    assert len(load_examples("snli:dev", data_dir=data)) == 10_000  # the embedded copy
    assert not (data / "snli_1.0").exists()
    assert load_examples("snli:dev", data_dir=data, download=True)[0].id == "dev0"
    assert (data / "snli_1.0" / "snli_1.0_dev.jsonl").is_file()


def test_from_local_zip(tmp_path: Path, zip_bytes: bytes) -> None:
    local = tmp_path / "copy.zip"
    local.write_bytes(zip_bytes)
    data = tmp_path / "data"
    with pytest.raises(NLIProbeError, match=r"checksum mismatch.*--no-verify"):
        ensure_snli(data, from_zip=local)  # the official checksum: this test zip is not it
    assert local.exists()  # the user's own file is never deleted
    ensure_snli(data, from_zip=local, sha256=_sha(zip_bytes))
    assert snli_complete(data)


def test_from_zip_that_is_not_snli(tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("../evil.jsonl", "x")
        archive.writestr("data/train.jsonl", "x")
    with pytest.raises(NLIProbeError, match=r"no snli_1\.0/snli_1\.0_"):
        ensure_snli(tmp_path / "data", from_zip=other, verify=False)
    assert not (tmp_path / "evil.jsonl").exists()
    not_zip = tmp_path / "notzip.zip"
    not_zip.write_text("hello")
    with pytest.raises(NLIProbeError, match="not a zip file"):
        ensure_snli(tmp_path / "data", from_zip=not_zip, verify=False)


def test_unreachable_server_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NLIProbeError, match=r"failed.*--from"):
        ensure_snli(tmp_path / "data", url="http://127.0.0.1:9/snli_1.0.zip", timeout=2)


def test_unusable_data_folder_is_a_clear_error(tmp_path: Path, zip_bytes: bytes) -> None:
    local = tmp_path / "copy.zip"
    local.write_bytes(zip_bytes)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(NLIProbeError, match=r"cannot put snli_1\.0\.zip into the data folder"):
        ensure_snli(not_a_folder, from_zip=local, verify=False)
