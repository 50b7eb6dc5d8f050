"""Each named challenge set read from a hand-written fixture in its exact published layout
(`tests/fixtures/challenge_data`, laid out as a data folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nli_probe.core.labels import Label
from nli_probe.data import load_examples, read_dataset
from nli_probe.data.catalog import CATALOG, all_names
from nli_probe.errors import NLIProbeError

FIXTURES = Path(__file__).parent / "fixtures" / "challenge_data"
E, N, C = Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION


def test_hans_is_two_way_with_its_slice_fields() -> None:
    data = read_dataset("hans:evaluation", data_dir=FIXTURES)
    assert data.format == "hans" and data.label_scheme == "two-way"
    assert data.slices == ("heuristic", "heuristic,gold", "subcase")
    assert [e.id for e in data] == [f"ex{i}" for i in range(6)]
    assert [e.gold for e in data] == [N, E, N, E, N, E]
    first = data.examples[0]
    assert (first.premise, first.hypothesis) == (
        "The banker paid the tourist .",
        "The tourist paid the banker .",
    )
    assert first.meta == {
        "heuristic": "lexical_overlap",
        "subcase": "ln_subject/object_swap",
        "template": "temp1",
        "label_scheme": "two-way",
    }
    # The same file by path is sniffed as HANS: no --two-way needed.
    by_path = read_dataset(FIXTURES / "hans" / "heuristics_evaluation_set.txt")
    assert by_path.format == "hans" and by_path.slices == data.slices


def test_hans_layout_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("gold_label\tsentence1\tsentence2\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match=r"not HANS's layout: no column 'pairID'"):
        load_examples(path, format="hans")


def test_anli_rounds_come_from_the_folders() -> None:
    data = read_dataset("anli:test", data_dir=FIXTURES)
    assert data.format == "anli" and data.slices == ("round",)
    assert [e.meta["round"] for e in data] == ["R1", "R1", "R2", "R3"]
    assert [e.gold for e in data] == [E, C, N, C]
    first = data.examples[0]
    assert first.id == "3c6f2a59-5b1e-4f6b-9d0a-1a2b3c4d5e01"
    assert first.premise.startswith("Marta Kovac (born 3 May 1961)")  # from `context`
    assert first.meta == {"genre": "wiki", "tag": "Basic", "round": "R1"}
    assert len(load_examples("anli:r1_test", data_dir=FIXTURES)) == 2
    assert load_examples("anli:r1_dev", data_dir=FIXTURES)[0].meta["round"] == "R1"
    with pytest.raises(NLIProbeError, match=r"anli:r2_dev: .*R2/dev\.jsonl is missing.*download"):
        load_examples("anli:r2_dev", data_dir=FIXTURES)


def test_breaking_nli_crlf_integer_ids_and_category() -> None:
    assert (FIXTURES / "breaking_nli" / "dataset.jsonl").read_bytes().count(b"\r\n") == 5
    data = read_dataset("breaking_nli", data_dir=FIXTURES)  # a bare family name: its one split
    assert data.format == "snli" and data.slices == ("category",)
    assert [e.id for e in data] == ["2011", "5120", "733", "18012", "9001"]
    assert [e.meta["category"] for e in data][:2] == ["colors", "drinks"]
    assert data.examples[1].annotator_labels == (C, C, N)
    assert data.examples[0].hypothesis == "A woman in a blue coat waits at the bus stop."
    same = read_dataset("breaking_nli:test", data_dir=FIXTURES)
    assert [e.pair for e in same] == [e.pair for e in data]


def test_snli_hard_is_an_snli_split() -> None:
    data = read_dataset("snli:test_hard", data_dir=FIXTURES)
    assert data.format == "snli" and len(data) == 3
    assert data.examples[0].annotator_labels == (N, N, C, N, E)
    assert data.examples[2].agreement == (4, 4)


def test_parallel_files_and_their_checks(tmp_path: Path) -> None:
    data = read_dataset("mnli:dev_matched_hard", data_dir=FIXTURES)
    assert data.format == "parallel"
    assert [e.id for e in data] == [f"MNLIMatchedHardWithHardTest:{i}" for i in (1, 2, 3)]
    assert data.examples[2].premise == "The museum opens at nine , but the café opens earlier ."
    assert [e.gold for e in data] == [E, C, C]
    # A folder holding one triple reads the same; a triple of unequal files is refused.
    folder = tmp_path / "hard"
    shutil.copytree(FIXTURES / "mnli_hard" / "MNLIMatchedHardWithHardTest", folder)
    by_folder, by_file = load_examples(folder), load_examples(folder / "s1.test")
    assert [(e.id, e.pair, e.gold) for e in by_folder] == [(e.id, e.pair, e.gold) for e in by_file]
    (folder / "labels.test").write_text("entailment\nneutral\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match=r"labels\.test has 2 lines"):
        load_examples(folder)
    (folder / "labels.test").write_text("entailment\nmaybe\ncontradiction\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match=r"labels\.test:2: field 'label': unknown label"):
        load_examples(folder)
    kept = read_dataset(folder, skip_bad_rows=True, format="parallel")
    assert (len(kept), [p.line for p in kept.skipped]) == (2, [2])


def test_stress_tests_take_their_category_from_the_file_name() -> None:
    data = read_dataset("stress:all", data_dir=FIXTURES)
    assert data.format == "stress" and data.slices == ("category",)
    by_id = {e.id: e for e in data}
    # The antonym and negation tests rewrite the same dev rows: the ids say which test.
    assert by_id["antonym_matched:1001e"].meta["category"] == "antonym"
    assert by_id["negation_matched:1001e"].meta == {
        "promptID": "1001",
        "genre": "fiction",
        "category": "negation",
        "subset": "matched",
    }
    assert by_id["length_mismatch_matched:3300c"].meta["subset"] == "matched"
    assert by_id["length_mismatch_matched:3300c"].meta["category"] == "length_mismatch"
    keyboard = by_id["dev_gram_keyboard_mismatched:7001e"].meta
    assert (keyboard["category"], keyboard["perturbation"]) == ("spelling_error", "keyboard")
    # Numerical reasoning rows have no MultiNLI ids: numbered by line.
    assert by_id["quant_hard:multinli_0.9_quant_hard:2"].gold is C
    matched = load_examples("stress:matched", data_dir=FIXTURES)
    assert {e.meta.get("subset") for e in matched} == {"matched"}
    assert len(matched) == 5
    assert len(load_examples("stress:numerical_reasoning", data_dir=FIXTURES)) == 3


def test_a_stress_file_must_be_named_as_the_tests_are(tmp_path: Path) -> None:
    path = tmp_path / "multinli_0.9_sarcasm_matched.jsonl"
    shutil.copy(FIXTURES / "stress_tests" / "multinli_0.9_antonym_matched.jsonl", path)
    assert read_dataset(path).format == "snli"  # not a stress name: read as MultiNLI
    with pytest.raises(NLIProbeError, match="not a stress test file name"):
        load_examples(path, format="stress")


def test_counterfactual_snli_pairs_by_position_and_unquotes() -> None:
    data = read_dataset("cad_snli:test", data_dir=FIXTURES)
    assert data.format == "cad" and data.slices == ("revision",)
    assert [e.id for e in data][:3] == [
        "original:test:0",
        "original:test:1",
        "revised_premise:test:0",
    ]
    second = data.examples[1]
    # A quoted field with doubled quotes, as a spreadsheet writes it, is unwrapped.
    assert second.premise == 'Two cooks in aprons reading "Bistro" stand behind a counter.'
    assert [e.meta["pair_index"] for e in data] == ["0", "1"] + ["0", "0", "1", "1"] * 2
    assert [e.meta["revision"] for e in data].count("revised_hypothesis") == 4
    # Each revision of an original changes the label.
    originals = {e.meta["pair_index"]: e.gold for e in data if e.meta["revision"] == "original"}
    assert all(e.gold != originals[e.meta["pair_index"]] for e in data.examples[2:])


def test_cad_header_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "original" / "test.tsv"
    path.parent.mkdir()
    path.write_text("premise\thypothesis\tlabel\nA\tB\tentailment\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match="expected the header"):
        load_examples(path, format="cad")


def test_names_and_their_errors() -> None:
    assert "hans:evaluation" in all_names() and "anli:r3_test" in all_names()
    with pytest.raises(NLIProbeError, match=r"unknown data set 'hnas'.*did you mean 'hans'"):
        load_examples("hnas:evaluation")
    with pytest.raises(
        NLIProbeError, match=r"unknown split 'evalution'.*did you mean 'evaluation'"
    ):
        load_examples("hans:evalution", data_dir=FIXTURES)
    with pytest.raises(
        NLIProbeError, match=r"hans/heuristics_train_set\.txt is missing.*download hans"
    ):
        load_examples("hans:train", data_dir=FIXTURES)
    # Every family names a licence and says how to get its files.
    assert all(f.licence and f.how_to_get for f in CATALOG.values())
