"""`describe`: rows, labels, agreement histogram, annotators, fields, duplicate ids."""

from __future__ import annotations

import json
from pathlib import Path

from nli_probe.data import describe, read_dataset


def test_describe_snli_dev() -> None:
    info = describe(read_dataset("snli:dev"))
    assert info.rows == 10_000 and info.format == "snli"
    assert list(info.agreement.items()) == [
        ("5/5", 5_479),
        ("4/5", 2_845),
        ("3/5", 1_507),
        ("2/5", 155),
        ("4/4", 4),
        ("3/4", 7),
        ("2/4", 3),
    ]
    assert info.annotators == {4: 14, 5: 9_986}
    # The embedded copy has every field a reader uses and no parse trees.
    assert info.fields == (
        "annotator_labels",
        "captionID",
        "gold_label",
        "pairID",
        "sentence1",
        "sentence2",
    )
    assert info.meta_fields == ("captionID",)
    assert info.duplicate_ids == 0 and info.has_annotator_labels
    assert json.loads(json.dumps(info.to_json()))["agreement"]["5/5"] == 5_479


def test_describe_plain_file(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("id,premise,hypothesis,label,genre\n1,A.,B.,e,x\n1,A.,C.,n,y\n2,A.,D.,-,x\n")
    info = describe(read_dataset(path))
    assert info.fields == ("id", "premise", "hypothesis", "label", "genre")
    assert info.meta_fields == ("genre",)
    assert info.duplicate_ids == 1
    assert info.agreement == {"none": 3} and not info.has_annotator_labels
    assert info.balance.counts == {
        "entailment": 1,
        "neutral": 1,
        "contradiction": 0,
        "no gold": 1,
    }
