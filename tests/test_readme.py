"""Every Python example in README.md runs, as written, so the README cannot drift from the code.

The examples are extracted from the README's ```python blocks and run in order, one namespace
per section (a later block may use what an earlier one in its section defined). The README is
written for users with real models and run folders; the test supplies them, small and offline,
without touching the examples:

- a working folder holding what the examples name (`pairs.csv`, `runs/eval-snli-dev/`, a
  folder called `roberta-large-mnli` holding a tiny random classifier with that model's
  column order), and its own prediction cache;
- `model` where a section uses one it does not load (the CheckList example);
- the built-in `quick-lora` trainer preset with test-sized values (a tiny BERT, a few pairs),
  found by `nli_probe.trainers.config.PRESETS` in a folder of test presets.

A section with Python examples and no fixture here fails the test, so a new example gets one.
"""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nli_probe import Report, load_examples, run_suite, save_report
from nli_probe.probing.loader import load_suite
from nli_probe.testing.fakes import FakeModel
from tests.report_fixtures import model_run
from tests.tiny_models import make_tiny_classifier
from tests.trainer_data import write_snli_jsonl

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"

_FENCE = re.compile(r"^```(\w*)\s*$")


def readme_blocks(language: str) -> list[tuple[str, int, str]]:
    """(section, first line, code) of each ```LANGUAGE block, in README order."""
    blocks: list[tuple[str, int, str]] = []
    section = ""
    inside: str | None = None
    start = 0
    lines: list[str] = []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        if inside is None and line.startswith("## "):
            section = line[3:].strip()
        fence = _FENCE.match(line)
        if fence and inside is None:
            inside, start, lines = fence.group(1), number + 1, []
        elif line.startswith("```") and inside is not None:
            if inside == language:
                blocks.append((section, start, "\n".join(lines) + "\n"))
            inside = None
        elif inside is not None:
            lines.append(line)
    return blocks


# --- what each section's examples need ---------------------------------------------------


def _data(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    (folder / "pairs.csv").write_text(
        "premise,hypothesis,label\n"
        "A man sleeps.,A person rests.,entailment\n"
        "A dog runs.,,neutral\n"  # an empty hypothesis: skipped by skip_bad_rows=True
        "Kids play outside.,Children are indoors.,contradiction\n"
        "A woman reads.,Someone has a book.,entailment\n",
        encoding="utf-8",
    )
    return {}


def _evaluation(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`runs/eval-snli-dev/`: SNLI dev (the embedded copy) with two fake models named as the
    quick study names its models, and a robustness suite run."""
    examples = tuple(load_examples("snli:dev"))
    runs = [
        model_run(model, tuple(examples))
        for model in (FakeModel(name="quick-full"), FakeModel(name="quick-lora"))
    ]
    suite = run_suite(FakeModel(name="quick-full"), load_suite("robustness"), examples[:40])
    report = Report(dataset="snli:dev", examples=examples, models=tuple(runs), suites=(suite,))
    save_report(report, folder / "runs" / "eval-snli-dev" / "report.json")
    return {}


def _challenge_sets(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A data folder holding the challenge sets (the hand-written fixtures in their layouts),
    and `runs/challenge/`: three of them evaluated in one run, as `evaluate -d A -d B -d C`
    writes it, with two fake models."""
    import dataclasses

    from nli_probe.core.parts import DataSetPart
    from nli_probe.data import read_dataset

    challenge = REPO / "tests" / "fixtures" / "challenge_data"
    monkeypatch.setenv("NLI_PROBE_DATA", str(challenge))
    examples, parts = [], []
    for name in ("hans:evaluation", "anli:test", "breaking_nli"):
        data = read_dataset(name)
        pairs = [dataclasses.replace(e, id=f"{name}/{e.id}") for e in data.examples]
        examples += pairs
        parts.append(
            DataSetPart(
                name=name,
                ids=tuple(e.id for e in pairs),
                label_scheme=data.label_scheme,
                slices=data.slices,
            )
        )
    runs = [
        model_run(model, tuple(examples))
        for model in (FakeModel(name="quick-full"), FakeModel(name="quick-lora"))
    ]
    report = Report(
        dataset="hans:evaluation + anli:test + breaking_nli",
        examples=tuple(examples),
        models=tuple(runs),
        datasets=tuple(parts),
    )
    save_report(report, folder / "runs" / "challenge" / "report.json")
    return {}


def _checklist(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return {"model": FakeModel(name="fake")}


def _training(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The built-in `quick-lora` preset with test-sized values: a tiny BERT, a few pairs."""
    import tomli_w
    from nli_probe.trainers import config

    data = folder / "data"
    write_snli_jsonl(data / "train.jsonl", 30, seed=1)
    write_snli_jsonl(data / "dev.jsonl", 24, seed=2)
    preset = tomllib.loads((REPO / "trainers" / "presets" / "quick-lora.toml").read_text())
    preset.update(
        base_model=str(make_tiny_classifier(folder / "tiny-bert", arch="bert")),
        train_data=[str(data / "train.jsonl")],
        eval_data=str(data / "dev.jsonl"),
        held_out=12,
        train_count=0,
        batch_size=8,
        learning_rate=1e-3,
        max_length=32,
        logging_steps=1,
    )
    presets = folder / "presets"
    presets.mkdir()
    (presets / "quick-lora.toml").write_text(tomli_w.dumps(preset), encoding="utf-8")
    monkeypatch.setattr(config, "PRESETS", replace(config.PRESETS, folder=lambda: presets))
    return {}


def _probe_suites(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return {}


def _models(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    # The hub model's column order (contradiction, neutral, entailment), in a local folder of
    # that name, which `load_model` reads before it would ask the hub.
    make_tiny_classifier(
        folder / "roberta-large-mnli", labels=("CONTRADICTION", "NEUTRAL", "ENTAILMENT")
    )
    return {}


def _attacks(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`runs/quick-full`: a tiny random classifier (wide weights, so some attacks succeed)."""
    make_tiny_classifier(folder / "runs" / "quick-full", arch="roberta", seed=1, init_std=1.0)
    return {}


FIXTURES: dict[str, Callable[[Path, pytest.MonkeyPatch], dict[str, Any]]] = {
    "Data": _data,
    "Evaluation and annotator agreement": _evaluation,
    "Challenge sets and slices": _challenge_sets,
    "CheckList interop": _checklist,
    "Training": _training,
    "Probe suites": _probe_suites,
    "Adversarial attacks": _attacks,
    "Models and inference": _models,
}


def test_every_section_with_examples_has_a_fixture() -> None:
    sections = {section for section, _, _ in readme_blocks("python")}
    assert sections == set(FIXTURES), "a README section with Python examples needs a fixture"


@pytest.mark.slow
@pytest.mark.parametrize("section", list(FIXTURES))
def test_readme_examples_run(section: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = [(line, code) for name, line, code in readme_blocks("python") if name == section]
    assert blocks, f"no Python example left in README section {section!r}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NLI_PROBE_CACHE_DIR", str(tmp_path / "cache"))
    namespace: dict[str, Any] = {"__name__": f"readme_{section}"}
    namespace.update(FIXTURES[section](tmp_path, monkeypatch))
    for line, code in blocks:
        # Padded so that a traceback points at the README's own line numbers.
        compiled = compile("\n" * (line - 1) + code, str(README), "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compiled, namespace)


@pytest.mark.parametrize(
    ("line", "text"), [(line, text) for _, line, text in readme_blocks("toml")], ids=str
)
def test_readme_toml_examples_load(line: int, text: str, tmp_path: Path) -> None:
    """Every TOML example is read by what reads such files: a suite (a whole one, or a
    `[[probe]]` table given a suite name) by the suite loader, a gate file by the gate."""
    from nli_probe.reports.gate import load_gate_file

    data = tomllib.loads(text)
    file = tmp_path / "example.toml"
    if "probe" in data:
        file.write_text(text if "name" in data else f'name = "readme"\n{text}', encoding="utf-8")
        suite = load_suite(str(file))
        assert [probe.name for probe in suite.probes] == [p["name"] for p in data["probe"]]
    else:
        assert {"fail_under", "fail_over", "max_failure_rate"} & data.keys(), line
        file.write_text(text, encoding="utf-8")
        assert load_gate_file(file)
