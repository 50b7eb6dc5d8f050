"""The SNLI/MultiNLI reader and the names in the data folder: on the SNLI dev copy embedded in the
package (every clone), on folders laid out like the official archives, and (marked `real_data`)
on the real files of a data folder."""

from __future__ import annotations

import json
import lzma
from collections import Counter
from pathlib import Path

import pytest

from nli_probe.core.labels import Label
from nli_probe.data import class_balance, iter_examples, load_examples, read_dataset
from nli_probe.data.folder import embedded_path, is_embedded
from nli_probe.errors import NLIProbeError


def test_snli_dev_counts_match_the_manifest() -> None:
    # No data folder (the tests' $NLI_PROBE_DATA is empty): the name resolves to the embedded copy.
    dataset = read_dataset("snli:dev")
    assert is_embedded(dataset.path)
    assert "embedded in nli-probe" in dataset.origin and "CC BY-SA 4.0" in dataset.origin
    assert dataset.format == "snli"
    assert len(dataset) == 10_000
    assert dataset.skipped == ()
    assert class_balance(dataset).counts == {
        "entailment": 3_329,
        "neutral": 3_235,
        "contradiction": 3_278,
        "no gold": 158,
    }
    levels = Counter(example.agreement for example in dataset)
    assert levels[(5, 5)] == 5_479
    assert levels[(4, 5)] == 2_845
    assert levels[(3, 5)] == 1_507
    assert levels[(2, 5)] == 155
    assert (levels[(4, 4)], levels[(3, 4)], levels[(2, 4)]) == (4, 7, 3)
    assert len({example.id for example in dataset}) == 10_000


def test_snli_row_keeps_ids_votes_and_caption(snli_folder: Path) -> None:
    first = load_examples(snli_folder / "snli_1.0" / "snli_1.0_dev.jsonl")[0]
    assert first.id == "4705552913.jpg#2r1n"
    assert first.premise == "Two women are embracing while holding to go packages."
    assert first.gold is Label.NEUTRAL
    assert first.annotator_labels == (
        Label.NEUTRAL,
        Label.ENTAILMENT,
        Label.NEUTRAL,
        Label.NEUTRAL,
        Label.NEUTRAL,
    )
    assert first.meta == {"captionID": "4705552913.jpg#2"}
    assert first.source == "snli_1.0_dev.jsonl"


def test_name_and_path_read_the_same_examples(snli_folder: Path) -> None:
    by_name = read_dataset("snli:dev", data_dir=snli_folder)
    path = snli_folder / "snli_1.0" / "snli_1.0_dev.jsonl"
    by_path = load_examples(str(path))
    assert by_name.path == str(path) and by_name.origin == f"snli:dev: {path}"
    assert [e.id for e in by_name] == [e.id for e in by_path]
    assert by_name.examples[0].source == "snli:dev"


def test_the_data_folder_copy_wins_over_the_embedded_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = {"pairID": "mine", "sentence1": "A.", "sentence2": "B.", "gold_label": "neutral"}
    (tmp_path / "snli_1.0").mkdir()
    (tmp_path / "snli_1.0" / "snli_1.0_dev.jsonl").write_text(json.dumps(row) + "\n")
    assert [e.id for e in load_examples("snli:dev", data_dir=tmp_path)] == ["mine"]
    monkeypatch.setenv("NLI_PROBE_DATA", str(tmp_path))
    assert [e.id for e in load_examples("snli:dev")] == ["mine"]
    # Only dev is embedded: another missing split is still an error.
    with pytest.raises(NLIProbeError, match=r"snli_1\.0_test\.jsonl is missing"):
        load_examples("snli:test")


def test_embedded_copy_reads_like_a_plain_jsonl(snli_folder: Path) -> None:
    embedded = embedded_path("snli:dev")
    assert embedded is not None and embedded.name == "snli_1.0_dev.jsonl.xz"
    assert load_examples("snli:dev") == load_examples("snli:dev", data_dir=snli_folder)


@pytest.mark.parametrize("suffix", [".gz", ".xz", ".bz2"])
def test_compressed_jsonl_streams(tmp_path: Path, suffix: str) -> None:
    import bz2
    import gzip

    compress = {".gz": gzip.compress, ".xz": lzma.compress, ".bz2": bz2.compress}[suffix]
    row = {"pairID": "a", "sentence1": "A.", "sentence2": "B.", "gold_label": "entailment"}
    path = tmp_path / f"pairs.jsonl{suffix}"
    path.write_bytes(compress((json.dumps(row) + "\n{broken\n").encode()))
    stream = iter_examples(path)
    assert next(stream).id == "a"
    with pytest.raises(NLIProbeError, match=rf"pairs\.jsonl\{suffix}:2: malformed JSON"):
        next(stream)


def test_corrupt_or_unsupported_compressed_files_are_named(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.jsonl.xz"
    row = {"pairID": "a", "sentence1": "A.", "sentence2": "B.", "gold_label": "entailment"}
    truncated.write_bytes(lzma.compress((json.dumps(row) + "\n").encode() * 1000)[:200])
    with pytest.raises(NLIProbeError, match=r"cannot decompress .*cut\.jsonl\.xz"):
        load_examples(truncated)
    csv = tmp_path / "pairs.csv.gz"
    csv.write_bytes(b"")
    with pytest.raises(NLIProbeError, match=r"unsupported file type '\.csv\.gz'"):
        load_examples(csv)


@pytest.mark.real_data
def test_embedded_copy_equals_the_official_dev_file(real_data: Path) -> None:
    official = read_dataset("snli:dev", data_dir=real_data)
    embedded = read_dataset("snli:dev")
    assert is_embedded(embedded.path) and not is_embedded(official.path)
    # Every field a reader keeps: ids, texts, gold, votes, meta (captionID), source.
    assert embedded.examples == official.examples


@pytest.mark.real_data
def test_env_var_names_the_data_folder(real_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLI_PROBE_DATA", str(real_data))
    assert len(load_examples("snli:train_first1024")) == 1_024
    assert not is_embedded(read_dataset("snli:dev").path)


@pytest.mark.real_data
def test_train_excerpt_counts(real_data: Path) -> None:
    examples = load_examples("snli:train_first1024", data_dir=real_data)
    assert class_balance(examples).counts == {
        "entailment": 343,
        "neutral": 338,
        "contradiction": 341,
        "no gold": 2,
    }
    assert Counter(len(e.annotator_labels) for e in examples) == {1: 958, 5: 60, 4: 6}


def test_missing_split_says_which_file_and_how_to_get_it(snli_folder: Path) -> None:
    with pytest.raises(NLIProbeError) as caught:
        load_examples("snli:train", data_dir=snli_folder)
    message = str(caught.value)
    assert str(snli_folder / "snli_1.0" / "snli_1.0_train.jsonl") in message
    assert "nli-probe data download" in message
    assert "--from" in message


def test_unknown_split_and_name_suggest(tmp_path: Path) -> None:
    (tmp_path / "snli_1.0").mkdir()
    (tmp_path / "snli_1.0" / "snli_1.0_train_first1024.jsonl").write_text("")
    with pytest.raises(NLIProbeError, match=r"did you mean 'dev'.*snli:train_first1024"):
        load_examples("snli:deev", data_dir=tmp_path)
    with pytest.raises(NLIProbeError, match="did you mean 'snli'"):
        load_examples("snlii:dev", data_dir=tmp_path)


def test_contradiction_swap_names(tmp_path: Path) -> None:
    # Files in the layout of Minervini & Riedel's swapped set, made from SNLI dev's contradictions.
    folder = tmp_path / "snli_contradiction_swap"
    folder.mkdir()
    rows = [
        {
            "pairID": e.id,
            "sentence1": e.premise,
            "sentence2": e.hypothesis,
            "gold_label": "contradiction",
        }
        for e in load_examples("snli:dev")
        if e.gold is Label.CONTRADICTION
    ]
    inverse = [
        {**row, "sentence1": row["sentence2"], "sentence2": row["sentence1"]} for row in rows
    ]
    for name, items in (("", rows), ("_inverse", inverse)):
        lines = "".join(json.dumps(row) + "\n" for row in items)
        (folder / f"snli_1.0_contradictions{name}_dev.jsonl").write_text(lines)
    plain = load_examples("snli_swap:contradictions", data_dir=tmp_path)
    swapped = load_examples("snli_swap:contradictions_inverse", data_dir=tmp_path)
    assert len(plain) == len(swapped) == 3_278
    assert {e.gold for e in plain} == {Label.CONTRADICTION}
    assert (swapped[0].premise, swapped[0].hypothesis) == (plain[0].hypothesis, plain[0].premise)


@pytest.mark.real_data
def test_real_contradiction_swap_files(real_data: Path) -> None:
    plain = load_examples("snli_swap:contradictions", data_dir=real_data)
    swapped = load_examples("snli_swap:contradictions_inverse", data_dir=real_data)
    assert len(plain) == len(swapped) == 3_278
    assert (swapped[0].premise, swapped[0].hypothesis) == (plain[0].hypothesis, plain[0].premise)


def test_mnli_stripped_gets_stable_line_ids(tmp_path: Path) -> None:
    # The layout of the stripped MultiNLI dev file: premise, hypothesis, label only.
    folder = tmp_path / "multinli"
    folder.mkdir()
    rows = [
        ("A man sleeps.", "A person rests.", "entailment"),
        ("A dog.", "A cat.", "contradiction"),
    ]
    (folder / "mnli_dev_matched_stripped.jsonl").write_text(
        "".join(json.dumps({"premise": p, "hypothesis": h, "label": g}) + "\n" for p, h, g in rows)
    )
    examples = load_examples("mnli:dev_matched", data_dir=tmp_path)
    assert [(e.premise, e.hypothesis, str(e.gold)) for e in examples] == rows
    assert [e.id for e in examples] == [
        "mnli_dev_matched_stripped:1",
        "mnli_dev_matched_stripped:2",
    ]
    assert examples[0].annotator_labels == ()


@pytest.mark.real_data
def test_real_mnli_stripped_counts(real_data: Path) -> None:
    examples = load_examples("mnli:dev_matched", data_dir=real_data)
    assert len(examples) == 9_815
    assert class_balance(examples).counts == {
        "entailment": 3_479,
        "neutral": 3_123,
        "contradiction": 3_213,
    }
    assert examples[0].id == "mnli_dev_matched_stripped:1"
    assert examples[0].annotator_labels == ()


def test_mnli_official_layout_keeps_genre(tmp_path: Path) -> None:
    folder = tmp_path / "multinli_1.0"
    folder.mkdir()
    row = {
        "annotator_labels": ["neutral", "entailment", "neutral", "neutral", "neutral"],
        "genre": "government",
        "gold_label": "neutral",
        "pairID": "63735n",
        "promptID": "63735",
        "sentence1": "The new rights are nice enough",
        "sentence2": "Everyone really likes the newest benefits ",
    }
    (folder / "multinli_1.0_dev_matched.jsonl").write_text(json.dumps(row) + "\n")
    (example,) = load_examples("mnli:dev_matched", data_dir=tmp_path)
    assert example.id == "63735n"
    assert example.meta == {"promptID": "63735", "genre": "government"}
    assert example.agreement == (4, 5)


def test_iter_examples_streams() -> None:
    stream = iter_examples("snli:dev")
    first = next(stream)
    assert first.id == "4705552913.jpg#2r1n"
    assert sum(1 for _ in stream) == 9_999


def test_readers_stream_rather_than_load_first(tmp_path: Path) -> None:
    # The first example arrives before the reader has seen the bad last line: one row at a time.
    good = json.dumps(
        {"pairID": "a", "sentence1": "A.", "sentence2": "B.", "gold_label": "neutral"}
    )
    path = tmp_path / "big.jsonl"
    path.write_text(good + "\n" + "{broken\n")
    stream = iter_examples(path)
    assert next(stream).id == "a"
    with pytest.raises(NLIProbeError, match=r"big\.jsonl:2: malformed JSON"):
        next(stream)


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nli_probe.data import resolve_data_dir

    monkeypatch.setenv("NLI_PROBE_DATA", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "opt") == tmp_path / "opt"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("NLI_PROBE_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert resolve_data_dir(None) == tmp_path / "cache" / "nli-probe" / "data"
