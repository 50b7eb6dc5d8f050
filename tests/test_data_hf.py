"""Hugging Face `datasets`: local saved data sets and data folders (no hub access in tests)."""

from __future__ import annotations

import json
from pathlib import Path

# `datasets` is a dependency: a failing import is an error here, never a skip.
import datasets
import pytest

from nli_probe.core.labels import Label
from nli_probe.data import filter_examples, read_dataset
from nli_probe.data.huggingface import parse_hf_spec
from nli_probe.errors import NLIProbeError


def test_spec_parsing(tmp_path: Path) -> None:
    assert parse_hf_spec("hf:snli:test") == ("snli", "test")
    assert parse_hf_spec("hf:nyu-mll/multi_nli:validation_matched") == (
        "nyu-mll/multi_nli",
        "validation_matched",
    )
    assert parse_hf_spec("hf:snli") == ("snli", "train")
    assert parse_hf_spec(f"hf:{tmp_path}") == (str(tmp_path), "train")


def test_saved_snli_like_dataset(tmp_path: Path) -> None:
    features = datasets.Features(
        {
            "premise": datasets.Value("string"),
            "hypothesis": datasets.Value("string"),
            "label": datasets.ClassLabel(names=["entailment", "neutral", "contradiction"]),
        }
    )
    table = datasets.Dataset.from_dict(
        {
            "premise": ["A dog runs.", "A dog runs.", "A dog runs.", "A dog runs."],
            "hypothesis": ["An animal moves.", "A dog sleeps.", "A cat runs.", "A dog is fast."],
            "label": [0, 2, 2, -1],
        },
        features=features,
    )
    saved = tmp_path / "snli_like"
    datasets.DatasetDict({"test": table}).save_to_disk(str(saved))
    dataset = read_dataset(f"hf:{saved}:test")
    assert dataset.format == "hf"
    assert [e.gold for e in dataset] == [
        Label.ENTAILMENT,
        Label.CONTRADICTION,
        Label.CONTRADICTION,
        None,
    ]
    assert dataset.examples[0].id == "snli_like:test:0"
    assert dataset.examples[0].source == f"hf:{saved}:test"
    # Like the hub's snli: no annotator labels, and agreement filtering says so.
    with pytest.raises(NLIProbeError, match="no annotator labels"):
        filter_examples(dataset, min_agreement=4)
    with pytest.raises(NLIProbeError, match="no split 'train'"):
        read_dataset(f"hf:{saved}")


def test_hans_like_two_way_class_labels(tmp_path: Path) -> None:
    features = datasets.Features(
        {
            "premise": datasets.Value("string"),
            "hypothesis": datasets.Value("string"),
            "label": datasets.ClassLabel(names=["entailment", "non-entailment"]),
            "heuristic": datasets.Value("string"),
        }
    )
    table = datasets.Dataset.from_dict(
        {
            "premise": ["The doctor saw the lawyer."],
            "hypothesis": ["The lawyer saw the doctor."],
            "label": [1],
            "heuristic": ["lexical_overlap"],
        },
        features=features,
    )
    saved = tmp_path / "hans_like"
    table.save_to_disk(str(saved))
    (example,) = read_dataset(f"hf:{saved}").examples
    assert example.gold is Label.NEUTRAL
    assert example.meta == {"heuristic": "lexical_overlap", "label_scheme": "two-way"}


def test_bad_rows_in_a_hf_dataset(tmp_path: Path) -> None:
    table = datasets.Dataset.from_dict(
        {"premise": ["A.", ""], "hypothesis": ["B.", "C."], "label": ["e", "n"]}
    )
    saved = tmp_path / "bad"
    table.save_to_disk(str(saved))
    with pytest.raises(NLIProbeError, match=r"hf:.*bad:train:2: field 'premise': empty text"):
        read_dataset(f"hf:{saved}")
    dataset = read_dataset(f"hf:{saved}", skip_bad_rows=True)
    assert len(dataset) == 1 and len(dataset.skipped) == 1


def test_local_data_folder_through_load_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "test.jsonl").write_text(
        json.dumps({"premise": "A.", "hypothesis": "B.", "label": "entailment"}) + "\n"
    )
    (example,) = read_dataset(f"hf:{folder}:test").examples
    assert example.gold is Label.ENTAILMENT
