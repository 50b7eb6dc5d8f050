"""The SNLI/MultiNLI reader and the names in the data folder, on the real files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from nli_probe.data import class_balance, iter_examples, load_examples, read_dataset
from nli_probe.errors import NLIProbeError
from nli_probe.labels import Label


def test_snli_dev_counts_match_the_manifest(shared_data: Path) -> None:
    dataset = read_dataset("snli:dev", data_dir=shared_data)
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


def test_snli_row_keeps_ids_votes_and_caption(shared_data: Path) -> None:
    first = load_examples(shared_data / "snli_1.0" / "snli_1.0_dev.jsonl")[0]
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


def test_name_and_path_read_the_same_examples(shared_data: Path) -> None:
    by_name = load_examples("snli:dev", data_dir=shared_data)
    by_path = load_examples(str(shared_data / "snli_1.0" / "snli_1.0_dev.jsonl"))
    assert [e.id for e in by_name] == [e.id for e in by_path]
    assert by_name[0].source == "snli:dev"


def test_env_var_names_the_data_folder(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NLI_PROBE_DATA", str(shared_data))
    assert len(load_examples("snli:train_first1024")) == 1_024


def test_train_excerpt_counts(shared_data: Path) -> None:
    examples = load_examples("snli:train_first1024", data_dir=shared_data)
    assert class_balance(examples).counts == {
        "entailment": 343,
        "neutral": 338,
        "contradiction": 341,
        "no gold": 2,
    }
    assert Counter(len(e.annotator_labels) for e in examples) == {1: 958, 5: 60, 4: 6}


def test_missing_split_says_which_file_and_how_to_get_it(shared_data: Path) -> None:
    with pytest.raises(NLIProbeError) as caught:
        load_examples("snli:train", data_dir=shared_data)
    message = str(caught.value)
    assert str(shared_data / "snli_1.0" / "snli_1.0_train.jsonl") in message
    assert "nli-probe data download" in message
    assert "--from" in message


def test_unknown_split_and_name_suggest(shared_data: Path) -> None:
    with pytest.raises(NLIProbeError, match=r"did you mean 'dev'.*snli:train_first1024"):
        load_examples("snli:deev", data_dir=shared_data)
    with pytest.raises(NLIProbeError, match="did you mean 'snli'"):
        load_examples("snlii:dev", data_dir=shared_data)


def test_contradiction_swap_files(shared_data: Path) -> None:
    plain = load_examples("snli_swap:contradictions", data_dir=shared_data)
    swapped = load_examples("snli_swap:contradictions_inverse", data_dir=shared_data)
    assert len(plain) == len(swapped) == 3_278
    assert {e.gold for e in plain} == {Label.CONTRADICTION}
    assert (swapped[0].premise, swapped[0].hypothesis) == (plain[0].hypothesis, plain[0].premise)


def test_mnli_stripped_gets_stable_line_ids(shared_data: Path) -> None:
    examples = load_examples("mnli:dev_matched", data_dir=shared_data)
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


def test_iter_examples_streams(shared_data: Path) -> None:
    stream = iter_examples("snli:dev", data_dir=shared_data)
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
