import dataclasses
import json
from pathlib import Path

import pytest

from nli_probe import (
    Example,
    Label,
    ModelRun,
    NLIProbeError,
    Prediction,
    Report,
    load_report,
    save_report,
)


def _report() -> Report:
    example = Example(
        id="x1",
        premise="A <b>dog</b> runs.",
        hypothesis="An animal moves.",
        gold=Label.ENTAILMENT,
        annotator_labels=(Label.ENTAILMENT,) * 4 + (Label.NEUTRAL,),
        source="snli",
        meta={"genre": "x"},
    )
    run = ModelRun(
        name="m", fingerprint="abc", predictions={"x1": Prediction(probs=(0.7, 0.2, 0.1))}
    )
    return Report(
        dataset="snli:dev", examples=(example,), models=(run,), created="2026-11-26T00:00:00Z"
    )


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "run" / "report.json"
    save_report(_report(), path)
    loaded = load_report(path)
    assert loaded.examples == _report().examples
    assert loaded.examples[0].meta == {"genre": "x"}
    assert loaded.model("m").predictions["x1"].label is Label.ENTAILMENT
    assert not list(tmp_path.rglob("*.partial"))


def test_unknown_model_lists_known() -> None:
    with pytest.raises(NLIProbeError, match=r"no model 'z' \(models: m\)"):
        _report().model("z")


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(NLIProbeError, match="no such report"):
        load_report(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1,\n "dataset": ', encoding="utf-8")
    with pytest.raises(NLIProbeError, match=r"broken.json:2: not valid JSON"):
        load_report(broken)
    newer = tmp_path / "newer.json"
    newer.write_text('{"schema_version": 999}', encoding="utf-8")
    with pytest.raises(NLIProbeError, match="newer than this nli-probe"):
        load_report(newer)


def test_data_sets_and_baseline_round_trip(tmp_path: Path) -> None:
    from nli_probe.core.parts import TWO_WAY, BaselinePrior, DataSetPart

    report = dataclasses.replace(
        _report(),
        datasets=(
            DataSetPart(
                name="snli:dev", ids=("x1",), origin="f.jsonl", slices=("genre", "genre,gold")
            ),
        ),
        baseline=BaselinePrior(source="training data of r", counts={"entailment": 3}),
    )
    path = tmp_path / "report.json"
    save_report(report, path)
    loaded = load_report(path)
    assert loaded.schema_version == 2
    assert loaded.datasets == report.datasets
    assert loaded.baseline == report.baseline
    assert loaded.parts() == report.datasets
    # A report without parts is one part over every pair, two-way when every pair is.
    plain = _report()
    (part,) = plain.parts()
    assert (part.name, part.ids, part.label_scheme) == ("snli:dev", ("x1",), "three-way")
    two_way = dataclasses.replace(
        plain,
        examples=tuple(
            dataclasses.replace(e, meta={"label_scheme": TWO_WAY}) for e in plain.examples
        ),
    )
    assert two_way.parts()[0].label_scheme == TWO_WAY


def test_a_version_1_report_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "tool_version": "0.1.0",
                "dataset": "snli:dev",
                "examples": [{"id": "a", "premise": "p", "hypothesis": "h", "gold": "neutral"}],
                "models": [{"name": "m", "fingerprint": "f", "predictions": {"a": [0, 1, 0]}}],
                "extra": {},
            }
        ),
        encoding="utf-8",
    )
    old = load_report(path)
    assert old.datasets == () and old.baseline is None
    assert [part.name for part in old.parts()] == ["snli:dev"]
