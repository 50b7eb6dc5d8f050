"""The ChaosNLI reader on the real files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from nli_probe.data import class_balance, load_examples, read_dataset
from nli_probe.labels import Label


def test_chaosnli_snli_counts_and_votes(shared_data: Path) -> None:
    dataset = read_dataset("chaosnli:snli", data_dir=shared_data)
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


def test_chaosnli_old_labels_are_the_snli_dev_votes(shared_data: Path) -> None:
    dev = {e.id: e for e in load_examples("snli:dev", data_dir=shared_data)}
    chaos = load_examples("chaosnli:snli", data_dir=shared_data)
    for example in chaos:
        original = dev[example.id]
        assert example.meta["old_labels"] == ",".join(str(x) for x in original.annotator_labels)
        assert example.premise == original.premise
    # They are the dev pairs with a 3-vote majority: 3/5 (1,507) and 3/4 (7).
    assert Counter(dev[e.id].agreement for e in chaos) == {(3, 5): 1_507, (3, 4): 7}


def test_chaosnli_mnli_counts(shared_data: Path) -> None:
    examples = load_examples("chaosnli:mnli", data_dir=shared_data)
    assert len(examples) == 1_599
    assert class_balance(examples).counts == {
        "entailment": 741,
        "neutral": 583,
        "contradiction": 275,
    }
    assert Counter(e.meta["old_labels"].count(",") + 1 for e in examples) == {5: 1_599}
