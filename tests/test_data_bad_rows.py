"""Bad input: each kind of bad row is an error naming file, line and field, or, with
skip_bad_rows, a counted and reported skip. Nothing is dropped silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nli_probe.data import Columns, iter_examples, load_examples, read_dataset
from nli_probe.data.problems import RowProblem
from nli_probe.errors import NLIProbeError


def _snli_row(pair_id: str, **changes: object) -> str:
    row: dict[str, object] = {
        "annotator_labels": ["neutral", "neutral", "entailment", "neutral", "neutral"],
        "captionID": "1.jpg#0",
        "gold_label": "neutral",
        "pairID": pair_id,
        "sentence1": "A man plays a guitar.",
        "sentence2": "A man makes music.",
    }
    for key, value in changes.items():
        if value is None:
            row.pop(key)
        else:
            row[key] = value
    return json.dumps(row, ensure_ascii=False)


def _write(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


# (bad line, the field the error must name, words the message must hold)
BAD_SNLI_ROWS = [
    ('{"pairID": "a", "sentence1": ', "", "malformed JSON"),
    (_snli_row("b", sentence2=None), "sentence2", "missing field"),
    (_snli_row("c", gold_label="maybe"), "gold_label", "unknown label 'maybe'"),
    (_snli_row("d", sentence1="   "), "sentence1", "empty text"),
    (_snli_row("e", annotator_labels=["neutral", "perhaps"]), "annotator_labels", "perhaps"),
    (_snli_row("f", pairID=None), "pairID", "missing field"),
    (_snli_row("g", sentence1=7), "sentence1", "expected text"),
    ("[1, 2]", "", "expected a JSON object"),
]


@pytest.mark.parametrize(("line", "field", "words"), BAD_SNLI_ROWS)
def test_bad_snli_row_names_file_line_and_field(
    tmp_path: Path, line: str, field: str, words: str
) -> None:
    path = _write(tmp_path / "dev.jsonl", [_snli_row("ok1"), _snli_row("ok2"), line])
    with pytest.raises(NLIProbeError) as caught:
        load_examples(path, format="snli")
    message = str(caught.value)
    assert f"{path}:3" in message
    assert words in message
    if field:
        assert f"field {field!r}" in message
    assert "skip_bad_rows" in message and "--skip-bad-rows" in message


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    latin1 = _snli_row("x", sentence1="Un café.").encode("latin-1")
    path = _write(tmp_path / "dev.jsonl", [_snli_row("ok"), latin1])
    with pytest.raises(NLIProbeError, match=r"dev\.jsonl:2: not valid UTF-8.*\\xe9"):
        load_examples(path)


def test_utf16_file_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_bytes((_snli_row("a") + "\n").encode("utf-16"))
    with pytest.raises(NLIProbeError, match=r"dev\.jsonl:1: .*UTF-16"):
        load_examples(path)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _snli_row("a").encode() + b"\n")
    assert [e.id for e in load_examples(path)] == ["a"]


def test_skip_bad_rows_counts_and_reports_every_one(tmp_path: Path) -> None:
    lines: list[str | bytes] = [_snli_row("ok0")]
    for line, _, _ in BAD_SNLI_ROWS:
        lines += [line, _snli_row(f"ok{len(lines)}")]
    lines.append(_snli_row("enc", sentence2="naïve").encode("latin-1"))
    path = _write(tmp_path / "dev.jsonl", lines)
    dataset = read_dataset(path, skip_bad_rows=True, format="snli")
    assert len(dataset) == len(BAD_SNLI_ROWS) + 1
    assert len(dataset.skipped) == len(BAD_SNLI_ROWS) + 1
    assert [problem.line for problem in dataset.skipped] == [2 * i + 2 for i in range(9)]
    assert all(problem.path == str(path) for problem in dataset.skipped)
    assert dataset.skipped[1].field == "sentence2"
    assert "skipped 9 bad row(s)" in dataset.skipped_summary()
    assert "and 4 more" in dataset.skipped_summary()
    # load_examples reports the skips as a warning rather than dropping them unseen.
    with pytest.warns(UserWarning, match="skipped 9 bad row"):
        examples = load_examples(path, skip_bad_rows=True, format="snli")
    assert len(examples) == 9


def test_iter_examples_hands_each_skip_over(tmp_path: Path) -> None:
    path = _write(tmp_path / "dev.jsonl", [_snli_row("a"), "{oops", _snli_row("b")])
    seen: list[RowProblem] = []
    ids = [e.id for e in iter_examples(path, skip_bad_rows=True, on_skip=seen.append)]
    assert ids == ["a", "b"]
    assert [(p.line, p.field) for p in seen] == [(2, "")]
    with pytest.raises(ValueError, match="on_skip"):
        list(iter_examples(path, skip_bad_rows=True))


def test_bad_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_bytes(
        b"premise,hypothesis,label\n"
        b"A dog runs.,An animal moves.,entailment\n"
        b"A dog runs.,,neutral\n"
        b'"A cat\nsleeps.",A cat rests.,maybe\n'
        b"A cat sleeps.,A cat rests.,e,extra\n"
        b"Un caf\xe9.,A drink.,n\n"
        b"A bird sings.,A bird is loud.,n\n"
    )
    with pytest.raises(NLIProbeError, match=r"pairs\.csv:3: field 'hypothesis': empty text"):
        load_examples(path)
    dataset = read_dataset(path, skip_bad_rows=True)
    assert [e.id for e in dataset] == ["pairs:2", "pairs:8"]
    assert [(p.line, p.field) for p in dataset.skipped] == [
        (3, "hypothesis"),
        (4, "label"),  # the record starts on line 4 and spans two lines
        (6, ""),
        (7, "premise"),
    ]
    assert "unknown label 'maybe'" in dataset.skipped[1].message
    assert "fields" in dataset.skipped[2].message
    assert "UTF-8" in dataset.skipped[3].message


def test_missing_column_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("text\thypothesis\tlabel\nA.\tB.\te\n")
    with pytest.raises(NLIProbeError, match=r"no premise column .*--premise-column"):
        load_examples(path)
    with pytest.raises(NLIProbeError, match=r"no premise column 'txt'; did you mean 'text'\?"):
        load_examples(path, columns=Columns(premise="txt"))


def test_missing_key_in_plain_jsonl(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "pairs.jsonl",
        [
            json.dumps({"premise": "A.", "hypothesis": "B.", "label": "e"}),
            json.dumps({"premise": "A.", "label": "e"}),
        ],
    )
    with pytest.raises(NLIProbeError, match=r"pairs\.jsonl:2: field 'hypothesis': missing field"):
        load_examples(path)


def test_chaosnli_bad_rows(tmp_path: Path) -> None:
    good = {
        "uid": "u1",
        "label_counter": {"n": 60, "e": 40},
        "majority_label": "n",
        "example": {"uid": "u1", "premise": "P.", "hypothesis": "H."},
        "old_label": "n",
        "old_labels": ["neutral"] * 5,
    }
    bad_counter = {**good, "uid": "u2", "label_counter": {"x": 3}}
    bad_text = {**good, "uid": "u3", "example": {"premise": "P.", "hypothesis": ""}}
    path = _write(tmp_path / "chaos.jsonl", [json.dumps(r) for r in (good, bad_counter, bad_text)])
    with pytest.raises(NLIProbeError, match=r"chaos\.jsonl:2: field 'label_counter'"):
        load_examples(path)
    dataset = read_dataset(path, skip_bad_rows=True)
    assert dataset.format == "chaosnli"
    assert [p.field for p in dataset.skipped] == ["label_counter", "example.hypothesis"]


def test_missing_file_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(NLIProbeError, match="no such data file"):
        load_examples(tmp_path / "nope.jsonl")
    odd = tmp_path / "pairs.xlsx"
    odd.write_text("x")
    with pytest.raises(NLIProbeError, match=r"unsupported file type '\.xlsx'"):
        load_examples(odd)


def test_csv_blank_lines_and_short_rows_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("premise\thypothesis\tlabel\n\nA.\tB.\te\n\nA.\tC.\n")
    dataset = read_dataset(path, skip_bad_rows=True)
    assert [e.id for e in dataset] == ["pairs:3"]
    assert [(p.line, p.field) for p in dataset.skipped] == [(5, "label")]
    assert "the row has 2 of 3" in dataset.skipped[0].message


def test_chaosnli_alphanli_is_refused(tmp_path: Path) -> None:
    row = {
        "uid": "a-1",
        "label_counter": {"2": 63, "1": 37},
        "majority_label": 2,
        "example": {"uid": "a-1", "obs1": "O1.", "obs2": "O2.", "hyp1": "H1.", "hyp2": "H2."},
    }
    path = _write(tmp_path / "chaosNLI_alphanli.jsonl", [json.dumps(row)])
    with pytest.raises(NLIProbeError, match="αNLI"):
        load_examples(path, skip_bad_rows=True)


def test_csv_unclosed_quote_is_one_bad_row_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        'id,premise,hypothesis,label\n1,A man.,A person.,e\n2,"A dog.,A cat.,n\n'
        '3,A girl.,A child.,e\n4,"Two, men.",Men.,e\n',
        encoding="utf-8",
    )
    data = read_dataset(path, skip_bad_rows=True)
    assert [e.id for e in data.examples] == ["1", "3", "4"]
    assert [(p.line, p.message.split(" (")[0]) for p in data.skipped] == [
        (3, "a quote is opened and never closed")
    ]
    assert data.examples[2].premise == "Two, men."
    with pytest.raises(NLIProbeError, match=r"quote.csv:3: a quote is opened and never closed"):
        read_dataset(path)


def test_predict_style_reading_makes_the_label_optional(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"premise": "A man.", "hypothesis": "A person."}\n', encoding="utf-8")
    with pytest.raises(NLIProbeError, match="no label column"):
        read_dataset(path)
    (example,) = read_dataset(path, columns=Columns(label_required=False)).examples
    assert example.gold is None and example.id == "pairs:1"
