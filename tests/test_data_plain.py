"""Plain jsonl / JSON / CSV / TSV files with configurable columns and label spellings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nli_probe.core.labels import Label
from nli_probe.data import Columns, filter_examples, load_examples, read_dataset

HANS_HEADER = (
    "gold_label\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\t"
    "sentence2_parse\tsentence1\tsentence2\tpairID\theuristic\tsubcase\ttemplate"
)


def test_hans_style_tsv_two_way(tmp_path: Path) -> None:
    path = tmp_path / "heuristics_evaluation_set.txt"
    rows = [
        "non-entailment\t( x )\t( y )\t(ROOT x)\t(ROOT y)\tThe doctor saw the lawyer .\t"
        "The lawyer saw the doctor .\tex0\tlexical_overlap\tln_subject/object_swap\ttemp1",
        "entailment\t( x )\t( y )\t(ROOT x)\t(ROOT y)\tThe doctor near the actor danced .\t"
        "The doctor danced .\tex1\tlexical_overlap\tle_around_prepositional_phrase\ttemp6",
    ]
    path.write_text("\n".join([HANS_HEADER, *rows]) + "\n")
    # HANS's header is recognised (the hans reader), and the plain reader with --two-way reads
    # the file the same way.
    assert read_dataset(path).format == "hans"
    assert load_examples(path) == load_examples(path, columns=Columns(two_way=True))
    first, second = load_examples(path, columns=Columns(two_way=True))
    assert (first.id, first.gold, second.gold) == ("ex0", Label.NEUTRAL, Label.ENTAILMENT)
    assert first.premise == "The doctor saw the lawyer ."
    assert first.meta == {
        "heuristic": "lexical_overlap",
        "subcase": "ln_subject/object_swap",
        "template": "temp1",
        "label_scheme": "two-way",
    }


def test_csv_with_named_columns_and_spellings(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "key,text,claim,verdict\n"
        "r1,A man sleeps.,A person rests.,YES\n"
        "r2,A man sleeps.,A man runs.,no\n"
        "r3,A man sleeps.,A man dreams.,unsure\n"
        "r4,A man sleeps.,A man snores.,\n"
    )
    columns = Columns(
        premise="text",
        hypothesis="claim",
        label="verdict",
        id="key",
        labels={"yes": "entailment", "no": Label.CONTRADICTION, "unsure": "n"},
    )
    examples = load_examples(path, columns=columns)
    assert [(e.id, e.gold) for e in examples] == [
        ("r1", Label.ENTAILMENT),
        ("r2", Label.CONTRADICTION),
        ("r3", Label.NEUTRAL),
        ("r4", None),  # an empty label cell means no gold, which filter_examples counts
    ]
    assert filter_examples(examples).dropped == {"no gold label": 1}


def test_integer_and_letter_labels_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    rows = [
        {"sentence1": "A.", "sentence2": "B.", "gold": 0},
        {"sentence1": "A.", "sentence2": "C.", "gold": "n"},
        {"sentence1": "A.", "sentence2": "D.", "gold": 2},
        {"sentence1": "A.", "sentence2": "E.", "gold": -1},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    dataset = read_dataset(path)
    assert dataset.format == "plain"
    assert [e.gold for e in dataset] == [Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION, None]
    assert [e.id for e in dataset] == ["pairs:1", "pairs:2", "pairs:3", "pairs:4"]


def test_annotator_labels_column(tmp_path: Path) -> None:
    path = tmp_path / "votes.tsv"
    path.write_text("premise\thypothesis\tlabel\tannotator_labels\nA.\tB.\te\te|e|n\n")
    (example,) = load_examples(path)
    assert example.annotator_labels == (Label.ENTAILMENT, Label.ENTAILMENT, Label.NEUTRAL)
    assert example.agreement == (2, 3)
    jsonl = tmp_path / "votes.jsonl"
    jsonl.write_text(
        json.dumps({"premise": "A.", "hypothesis": "B.", "label": "e", "votes": ["e", "c"]}) + "\n"
    )
    (example,) = load_examples(jsonl, columns=Columns(annotator_labels="votes"))
    assert example.annotator_labels == (Label.ENTAILMENT, Label.CONTRADICTION)


def test_json_array_and_unlabeled(tmp_path: Path) -> None:
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps([{"premise": "A.", "hypothesis": "B.", "id": 7}]))
    (example,) = load_examples(path, columns=Columns(label=""))
    assert (example.id, example.gold) == ("7", None)


@pytest.mark.real_data
def test_plain_reader_on_the_stripped_mnli_file(real_data: Path) -> None:
    path = real_data / "multinli" / "mnli_dev_matched_stripped.jsonl"
    examples = load_examples(path)
    assert len(examples) == 9_815
    assert examples[-1].id == "mnli_dev_matched_stripped:9815"


def test_tsv_quotes_are_text(tmp_path: Path) -> None:
    path = tmp_path / "dev_matched.tsv"
    path.write_text(
        'premise\thypothesis\tlabel\n"Wow," he said.\tHe spoke.\tentailment\n'
        "A cat.\tA dog.\tcontradiction\n"
    )
    first, second = load_examples(path)
    assert first.premise == '"Wow," he said.'
    assert second.gold is Label.CONTRADICTION
