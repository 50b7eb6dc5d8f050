"""The ChaosNLI reader: on a file in ChaosNLI v1.0's layout built over the embedded SNLI dev
pairs (every clone), and (marked `real_data`) on the real files of a data folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.data import class_balance, load_examples, read_dataset
from tests.snli import write_chaosnli_like


def test_chaosnli_layout_ids_votes_and_meta(tmp_path: Path) -> None:
    _, rows = write_chaosnli_like(tmp_path)
    dataset = read_dataset("chaosnli:snli", data_dir=tmp_path)
    assert dataset.format == "chaosnli"
    assert [e.id for e in dataset] == [row["uid"] for row in rows]
    assert {len(example.annotator_labels) for example in dataset} == {100}
    first, tied = dataset.examples[0], dataset.examples[9]
    assert first.id == "2407214681.jpg#0r1n"
    # Written as {"n": 60, "e": 40}: the votes are expanded in label order.
    assert first.votes == {Label.NEUTRAL: 60, Label.ENTAILMENT: 40}
    assert first.annotator_labels[:40] == (Label.ENTAILMENT,) * 40
    assert first.human_distribution == (0.4, 0.6, 0.0)
    assert first.gold is Label.NEUTRAL  # ChaosNLI's majority_label
    assert first.meta["old_label"] == "neutral"
    assert first.meta["old_labels"] == "neutral,neutral,neutral,entailment,entailment"
    assert first.meta["chaos_source"] == "snli_agree_3"
    assert tied.meta["majority_tie"] == "yes" and "majority_tie" not in first.meta
    assert sum(1 for e in dataset if e.meta.get("majority_tie") == "yes") == len(rows) // 10


def test_chaosnli_old_labels_are_the_snli_dev_votes(tmp_path: Path) -> None:
    write_chaosnli_like(tmp_path)
    _assert_old_labels_are_the_dev_votes(load_examples("chaosnli:snli", data_dir=tmp_path))


def _assert_old_labels_are_the_dev_votes(chaos: list[Example]) -> None:
    dev = {e.id: e for e in load_examples("snli:dev")}  # the embedded copy
    for example in chaos:
        original = dev[example.id]
        assert example.meta["old_labels"] == ",".join(str(x) for x in original.annotator_labels)
        assert example.premise == original.premise
    # ChaosNLI-SNLI's pairs: the dev pairs with a 3-vote majority, 3/5 (1,507) and 3/4 (7).
    assert Counter(dev[e.id].agreement for e in chaos) == {(3, 5): 1_507, (3, 4): 7}


@pytest.mark.real_data
def test_real_chaosnli_snli_counts_and_votes(real_data: Path) -> None:
    dataset = read_dataset("chaosnli:snli", data_dir=real_data)
    assert dataset.format == "chaosnli"
    assert len(dataset) == 1_514
    # gold = ChaosNLI's majority of the 100 new labels (MANIFEST: n 813, e 421, c 280).
    assert class_balance(dataset).counts == {
        "entailment": 421,
        "neutral": 813,
        "contradiction": 280,
    }
    assert {len(example.annotator_labels) for example in dataset} == {100}
    first = dataset.examples[0]
    assert first.id == "2407214681.jpg#0r1n"
    assert first.votes == {Label.NEUTRAL: 70, Label.ENTAILMENT: 30}
    assert first.human_distribution == (0.3, 0.7, 0.0)
    assert first.meta["old_label"] == "neutral"
    assert first.meta["old_labels"] == "neutral,neutral,neutral,entailment,entailment"
    assert first.meta["chaos_source"] == "snli_agree_3"
    assert sum(1 for e in dataset if e.meta.get("majority_tie") == "yes") == 14
    # Its pairs and original votes are exactly the embedded SNLI dev's 3-vote-majority pairs.
    _assert_old_labels_are_the_dev_votes(dataset.examples)


@pytest.mark.real_data
def test_real_chaosnli_mnli_counts(real_data: Path) -> None:
    examples = load_examples("chaosnli:mnli", data_dir=real_data)
    assert len(examples) == 1_599
    assert class_balance(examples).counts == {
        "entailment": 741,
        "neutral": 583,
        "contradiction": 275,
    }
    assert Counter(e.meta["old_labels"].count(",") + 1 for e in examples) == {5: 1_599}
