"""Downloading the named challenge sets, offline: a loopback server serves archives and files
built from the hand-written fixtures, with the catalog's URLs pointed at it."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from nli_probe.cli import main
from nli_probe.data import catalog, load_examples, read_dataset
from nli_probe.data.download import CHECKSUM_RECORDS, ensure_data, git_blob_id
from nli_probe.errors import NLIProbeError
from tests.loopback import Server, serving

FIXTURES = Path(__file__).parent / "fixtures" / "challenge_data"
HANS = FIXTURES / "hans" / "heuristics_evaluation_set.txt"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _anli_zip() -> bytes:
    members = {
        f"anli_v1.0/{path.relative_to(FIXTURES / 'anli_v1.0')}": path.read_bytes()
        for path in sorted((FIXTURES / "anli_v1.0").rglob("*.jsonl"))
    }
    members["__MACOSX/anli_v1.0/R1/._test.jsonl"] = b"\x00\x05\x16\x07 AppleDouble"
    members["anli_v1.0/R1/._dev.jsonl"] = b"\x00\x05\x16\x07"
    members["anli_v1.0/README.txt"] = b"ANLI v1.0 (test copy)"
    return _zip(members)


def _stress_zip() -> bytes:
    # Redistributions name the top folder differently; the reader keys on the file name.
    return _zip(
        {
            f"Stress Tests/{path.stem.split('_')[2].title()}/{path.name}": path.read_bytes()
            for path in sorted((FIXTURES / "stress_tests").glob("*.jsonl"))
        }
    )


@pytest.fixture
def server() -> Iterator[Server]:
    payloads = {
        "/hans.txt": HANS.read_bytes(),
        "/anli_v1.0.zip": _anli_zip(),
        "/breaking.zip": _zip(
            {
                "data/": b"",
                "data/README.txt": b"Breaking NLI (test copy)",
                "data/dataset.jsonl": (FIXTURES / "breaking_nli" / "dataset.jsonl").read_bytes(),
            }
        ),
        "/stress.zip": _stress_zip(),
        **{
            f"/cad/{r}/test.tsv": (FIXTURES / "cad_snli" / r / "test.tsv").read_bytes()
            for r in catalog.CAD_REVISIONS
        },
    }
    with serving(payloads) as served:
        yield served


def _point(
    monkeypatch: pytest.MonkeyPatch, family: str, urls: dict[str, str], **fields: object
) -> None:
    """Serve a family's artefacts from the loopback server (`urls`: artefact name -> url)."""
    known = catalog.CATALOG[family]
    artefacts = tuple(
        dataclasses.replace(a, url=urls[a.name], **fields) if a.name in urls else a
        for a in known.artefacts
    )
    monkeypatch.setitem(catalog.CATALOG, family, dataclasses.replace(known, artefacts=artefacts))


def _pin(algorithm: str, value: str) -> catalog.Checksum:
    return catalog.Checksum(algorithm=algorithm, value=value, provenance="test")


def test_hans_is_checked_against_its_git_blob_id(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The catalog pins HANS by the id git gives the file in its authors' repository.
    assert (
        git_blob_id(HANS)
        == hashlib.sha1(b"blob %d\0" % HANS.stat().st_size + HANS.read_bytes()).hexdigest()
    )
    name = "heuristics_evaluation_set.txt"
    _point(
        monkeypatch,
        "hans",
        {name: server.url("/hans.txt")},
        checksum=_pin(catalog.GIT_BLOB_SHA1, git_blob_id(HANS)),
    )
    data = tmp_path / "data"
    seen: list[tuple[str, int, int | None]] = []
    (fetched,) = ensure_data("hans:evaluation", data, progress=lambda *a: seen.append(a))
    assert (fetched.action, fetched.check) == ("downloaded", "pinned git blob id")
    assert (data / "hans" / name).read_bytes() == HANS.read_bytes()
    assert seen[-1] == (name, HANS.stat().st_size, HANS.stat().st_size)
    assert read_dataset("hans:evaluation", data_dir=data).format == "hans"
    # Present: nothing fetched again.
    (again,) = ensure_data("hans:evaluation", data)
    assert again.action == "present" and server.paths == ["/hans.txt"]
    # A file that is not the authors' is refused and deleted.
    _point(
        monkeypatch,
        "hans",
        {name: server.url("/hans.txt")},
        checksum=_pin(catalog.GIT_BLOB_SHA1, "0" * 40),
    )
    with pytest.raises(NLIProbeError, match=r"checksum mismatch \(git blob id"):
        ensure_data("hans:evaluation", tmp_path / "other")
    assert not (tmp_path / "other" / "hans").exists()
    assert list((tmp_path / "other" / ".downloads").iterdir()) == []


def test_anli_checksum_is_recorded_at_first_download_then_checked(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point(monkeypatch, "anli", {"anli_v1.0.zip": server.url("/anli_v1.0.zip")})
    data = tmp_path / "data"
    (fetched,) = ensure_data("anli", data)
    assert fetched.check == "sha256 recorded now"
    record = json.loads((data / CHECKSUM_RECORDS).read_text())["anli_v1.0.zip"]
    assert record["sha256"] == hashlib.sha256(server.payloads["/anli_v1.0.zip"]).hexdigest()
    # Only the data files were unpacked: no macOS litter, no README, no zip left behind.
    assert sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file()) == [
        ".checksums.json",
        "anli_v1.0/R1/dev.jsonl",
        "anli_v1.0/R1/test.jsonl",
        "anli_v1.0/R2/test.jsonl",
        "anli_v1.0/R3/test.jsonl",
    ]
    assert [e.meta["round"] for e in load_examples("anli:test", data_dir=data)] == [
        "R1",
        "R1",
        "R2",
        "R3",
    ]
    # The same bytes again match the record.
    (again,) = ensure_data("anli", data, force=True)
    assert again.check == "matched the sha256 recorded at its first download"
    # Different bytes at the same address do not: refused, deleted, the data left as it was.
    server.payloads["/anli_v1.0.zip"] = _zip({"anli_v1.0/R1/dev.jsonl": b"{}\n"})
    with pytest.raises(NLIProbeError, match=r"checksum mismatch.*recorded at the first download"):
        ensure_data("anli", data, force=True)
    assert len(load_examples("anli:test", data_dir=data)) == 4
    assert not (data / ".downloads" / "anli_v1.0.zip.part").exists()


def test_an_interrupted_download_resumes(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point(monkeypatch, "anli", {"anli_v1.0.zip": server.url("/anli_v1.0.zip")})
    data = tmp_path / "data"
    server.cut_after = 500
    with pytest.raises(NLIProbeError, match="again to resume"):
        ensure_data("anli:test", data, timeout=5)
    assert (data / ".downloads" / "anli_v1.0.zip.part").stat().st_size == 500
    assert not (data / "anli_v1.0").exists()  # nothing half-made where readers look
    ensure_data("anli:test", data, timeout=5)
    assert server.ranges == [None, "bytes=500-"]
    assert len(load_examples("anli:r3_test", data_dir=data)) == 1


def test_breaking_nli_zip_is_pinned_and_unpacked_to_its_folder(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = server.payloads["/breaking.zip"]
    _point(
        monkeypatch,
        "breaking_nli",
        {"breaking_nli_dataset.zip": server.url("/breaking.zip")},
        checksum=_pin(catalog.SHA256, hashlib.sha256(payload).hexdigest()),
    )
    data = tmp_path / "data"
    (fetched,) = ensure_data("breaking_nli", data)
    assert fetched.check == "pinned SHA-256" and not (data / CHECKSUM_RECORDS).exists()
    assert sorted(p.name for p in (data / "breaking_nli").iterdir()) == [
        "README.txt",
        "dataset.jsonl",
    ]
    assert len(load_examples("breaking_nli", data_dir=data)) == 5


def test_stress_tests_zip_and_a_web_page_instead_of_it(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    _point(monkeypatch, "stress", {"stress_tests.zip": server.url("/stress.zip")})
    data = tmp_path / "data"
    ensure_data("stress", data)
    assert len(load_examples("stress:all", data_dir=data)) == 9
    # Google Drive answers large files with a page asking to confirm: refused, never unpacked.
    server.payloads["/stress.zip"] = b"<!DOCTYPE html><html><body>Google Drive can't scan"
    other = tmp_path / "other"
    with pytest.raises(NLIProbeError, match=r"answered with a web page.*--from"):
        ensure_data("stress", other)
    assert not (other / "stress_tests").exists()
    assert list((other / ".downloads").iterdir()) == []


def test_counterfactual_snli_nine_files_one_split_at_a_time(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = {
        f"cad_snli-{r}-test.tsv": server.url(f"/cad/{r}/test.tsv") for r in catalog.CAD_REVISIONS
    }
    pins = {
        name: _pin(
            catalog.SHA256, hashlib.sha256(server.payloads[url[len(server.base) :]]).hexdigest()
        )
        for name, url in urls.items()
    }
    known = catalog.CATALOG["cad_snli"]
    artefacts = tuple(
        dataclasses.replace(a, url=urls[a.name], checksum=pins[a.name]) if a.name in urls else a
        for a in known.artefacts
    )
    monkeypatch.setitem(
        catalog.CATALOG, "cad_snli", dataclasses.replace(known, artefacts=artefacts)
    )
    data = tmp_path / "data"
    fetched = ensure_data("cad_snli:test", data)  # the test split's three files only
    assert [f.artefact.name for f in fetched] == list(urls)
    assert len(load_examples("cad_snli:test", data_dir=data)) == 10
    with pytest.raises(NLIProbeError, match=r"--from applies to one file.*needs 3"):
        ensure_data(
            "cad_snli:test", data, from_file=FIXTURES / "cad_snli" / "original" / "test.tsv"
        )


def test_the_cli_downloads_by_name_and_lists_the_catalog(
    tmp_path: Path,
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _point(monkeypatch, "anli", {"anli_v1.0.zip": server.url("/anli_v1.0.zip")})
    data = tmp_path / "data"
    assert main(["data", "download", "anli", "--data-dir", str(data)]) == 0
    err = capsys.readouterr().err
    assert "anli_v1.0.zip: downloaded, sha256 recorded now" in err
    assert "anli:test" in err and "anli:r1_dev" in err
    assert main(["data", "ls", "--data-dir", str(data), "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["data_sets"]}
    assert rows["anli:test"]["present"] == "yes" and rows["anli:r2_dev"]["present"] == "no"
    assert rows["anli:test"]["licence"] == "CC BY-NC 4.0"
    assert rows["anli:test"]["checksum"] == "recorded"
    assert rows["hans:evaluation"] == rows["hans:evaluation"] | {
        "present": "no",
        "label_scheme": "two-way",
        "slices": ["heuristic", "heuristic,gold", "subcase"],
        "checksum": "pinned",
    }
    assert rows["snli:dev"]["present"] == "embedded"
    assert main(["data", "ls", "--data-dir", str(data)]) == 0
    table = capsys.readouterr().out
    assert "breaking_nli:test" in table and "stress:negation" in table
    assert main(["data", "download", "chaosnli"]) == 2
    assert "cannot be downloaded by nli-probe" in capsys.readouterr().err
    assert main(["data", "download", "ansi"]) == 2
    assert (
        "unknown data set 'ansi'; did you mean 'hans' or 'anli'? (names:" in capsys.readouterr().err
    )
