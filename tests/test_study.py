"""`nli-probe study`: the orchestration with a backend that trains nothing and loads fake models.

The real layers (data preparation, trainers, model loading) have their own tests; here the
study's own work is checked: the steps, the run folder, reuse on a rerun, the CLI.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from nli_probe.trainers import load_preset
from rich.console import Console

from nli_probe import Example, Label
from nli_probe.cli import main
from nli_probe.core.protocol import Model
from nli_probe.errors import NLIProbeError
from nli_probe.study.backend import Backend, PreparedStudyData
from nli_probe.study.config import StudyConfig, load_study
from nli_probe.study.run import run_study
from nli_probe.testing.fakes import FakeModel

_SUBJECTS = ["A man", "A woman", "Two dogs", "A child", "The band", "A chef"]
_ACTS = ["plays a guitar", "runs in a park", "eats an apple", "reads a book", "sings a song"]


def _examples() -> list[Example]:
    out = []
    for i, subject in enumerate(_SUBJECTS):
        for j, act in enumerate(_ACTS):
            label = Label((i + j) % 3)
            hypothesis = {
                Label.ENTAILMENT: f"{subject} {act.split()[0]}.",
                Label.NEUTRAL: f"{subject} is happy.",
                Label.CONTRADICTION: f"{subject} is not here.",
            }[label]
            votes = (label,) * 4 + (Label((label + 1) % 3),) if j % 2 else (label,) * 5
            out.append(
                Example(
                    id=f"{i}-{j}",
                    premise=f"{subject} {act} <b>outside</b>.",
                    hypothesis=hypothesis,
                    gold=label,
                    annotator_labels=votes,
                )
            )
    return out


class FakeBackend(Backend):
    """Trains nothing (writes a marker file) and loads `FakeModel`s; counts what it did."""

    def __init__(self, console: Console, **options: Any) -> None:
        super().__init__(console, **options)
        self.trained: list[str] = []
        self.loaded: list[str] = []
        self.configs: list[tuple[str, tuple[str, ...]]] = []

    def load_train_config(self, preset: str, overrides: Sequence[str]) -> Any:
        self.configs.append((preset, tuple(overrides)))
        return {"preset": preset, "overrides": list(overrides)}

    def prepare(self, train_config: Any, *, train: bool, preset: str) -> PreparedStudyData:
        return PreparedStudyData(
            evaluation=_examples(), description="fixture, 30 pairs", summary={"preset": preset}
        )

    def train(self, train_config: Any, out_dir: Path) -> tuple[Path, bool]:
        marker = out_dir / "model" / "weights.txt"
        if marker.is_file():
            return marker.parent, True
        self.trained.append(train_config["preset"])
        marker.parent.mkdir(parents=True)
        marker.write_text(train_config["preset"])
        return marker.parent, False

    def load_model(self, spec: str, name: str, config: StudyConfig) -> Model:
        self.loaded.append(name)
        return FakeModel(name=name)

    def precisions(self, config: StudyConfig, train_configs: Any) -> dict[str, str]:
        return {**{f"train {arm}": "fp32 (fake)" for arm in train_configs}, "inference": "fp32"}


def _run(tmp_path: Path, **changes: Any) -> tuple[FakeBackend, Any]:
    console = Console(file=io.StringIO(), width=120)
    backend = FakeBackend(console)
    config = StudyConfig(name="t", probe_examples=12, resamples=50, **changes)
    result = run_study(config, tmp_path / "run", backend=backend, console=console)
    return backend, result


def test_first_run_trains_evaluates_probes_and_reports(tmp_path: Path) -> None:
    backend, result = _run(tmp_path)
    assert backend.trained == ["quick-full", "quick-lora"]
    assert backend.loaded == ["full", "lora"]
    run = tmp_path / "run"
    for name in ("report.json", "report.md", "report.html", "data_summary.json", "study.json"):
        assert (run / name).is_file(), name
    assert sorted(p.name for p in (run / "steps").iterdir()) == [
        "evaluate-full.json",
        "evaluate-lora.json",
        "probe-full.json",
        "probe-lora.json",
    ]
    view = result.view
    assert [m.name for m in view.models] == ["majority baseline", "full", "lora"]
    assert view.models[1].headline["accuracy"].low is not None
    assert {row.model for row in view.probes} == {"full", "lora"}
    assert all(row.tested <= 12 * 50 for row in view.probes)
    report = json.loads((run / "report.json").read_text())
    assert len(report["examples"]) == 30
    assert report["extra"]["scores"]["baseline"]["name"] == "majority baseline"
    assert {run["model"] for run in report["suites"]} == {"full", "lora"}
    assert "&lt;b&gt;outside&lt;/b&gt;" in (run / "report.html").read_text()
    assert result.reused == ()


def test_rerun_reuses_every_step(tmp_path: Path) -> None:
    _, first = _run(tmp_path)
    backend, second = _run(tmp_path)
    assert backend.trained == [] and backend.loaded == []  # no model is even loaded
    assert set(second.reused) == {
        "train full",
        "train lora",
        "evaluate full",
        "evaluate lora",
        "probe full",
        "probe lora",
    }
    assert second.view.models == first.view.models
    assert second.view.probes == first.view.probes


def test_changed_probe_settings_rerun_only_the_probes(tmp_path: Path) -> None:
    _run(tmp_path)
    backend, result = _run(tmp_path, sample_seed=7)
    assert backend.trained == []
    # The probe sample and perturbations change; the evaluation pairs (all of them) do not.
    assert "probe full" not in result.reused and "evaluate full" in result.reused
    _, again = _run(tmp_path, sample_seed=7)
    assert "probe full" in again.reused


def test_existing_models_skip_training(tmp_path: Path) -> None:
    console = Console(file=io.StringIO())
    backend = FakeBackend(console)
    config = StudyConfig(name="t", probe_examples=6, resamples=0, suites=("robustness",))
    result = run_study(
        config,
        tmp_path / "run",
        backend=backend,
        console=console,
        models={"mine": "/models/mine"},
    )
    assert backend.trained == []
    assert [m.name for m in result.view.models] == ["majority baseline", "mine"]


def test_presets_and_overrides() -> None:
    quick = load_study("quick")
    assert (quick.full, quick.lora) == ("quick-full", "quick-lora")
    assert load_study("roberta-snli").full == "roberta-snli-full"
    config = load_study("quick", ["probe_examples=50", "train.epochs=1", "lora.lora.r=4"])
    assert config.probe_examples == 50
    # The preset's own trainer overrides come first, so the command line wins.
    preset = ("epochs=2", "record_dynamics=true", "dynamics_pass=inference")
    assert config.arm_overrides("full") == (*preset, "epochs=1")
    assert config.arm_overrides("lora") == (*preset, "epochs=1", "lora.r=4")
    # Both study presets record training dynamics for their data maps, as the paper defines
    # them (the model at each epoch's end).
    for name in ("quick", "roberta-snli"):
        study = load_study(name)
        for arm in ("full", "lora"):
            trainer = load_preset(getattr(study, arm), list(study.arm_overrides(arm)))
            assert trainer.record_dynamics and trainer.dynamics_pass == "inference"
    assert load_study("quick", ["suites=robustness,logic"]).suites == ("robustness", "logic")
    with pytest.raises(NLIProbeError, match="did you mean 'probe_examples'"):
        load_study("quick", ["probe_example=5"])
    with pytest.raises(NLIProbeError, match="did you mean 'quick'"):
        load_study("quik")
    with pytest.raises(NLIProbeError, match="`resamples` must be an integer, got 'many'"):
        load_study("quick", ["resamples=many"])


def test_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    backends: list[FakeBackend] = []

    def make(console: Console, **options: Any) -> FakeBackend:
        backends.append(FakeBackend(console, **options))
        return backends[-1]

    monkeypatch.setattr("nli_probe.study.backend.Backend", make)
    out = tmp_path / "run"
    args = [
        "study",
        "quick",
        "probe_examples=6",
        "resamples=20",
        "suites=robustness",
        "--out",
        str(out),
        "--data-dir",
        str(tmp_path),
        "--eval",
        "dev.jsonl",
    ]
    assert main([*args, "--fail-under", "accuracy=0"]) == 0
    printed = capsys.readouterr().out
    assert "Steps" in printed and f"wrote {out / 'report.html'}" in printed
    assert "gate passed" in printed
    preset, overrides = backends[0].configs[0]
    assert preset == "quick-full"
    assert overrides[:2] == (f'data_dir="{tmp_path}"', 'eval_data="dev.jsonl"')
    assert main([*args, "--fail-under", "full:accuracy=1.01"]) == 1
    captured = capsys.readouterr()
    assert "gate FAILED" in captured.err and "reused" in captured.out
    assert main([*args, "--fail-under", "acuracy=0.5"]) == 2
    assert "did you mean 'accuracy'" in capsys.readouterr().err


def test_identity_follows_the_model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = Backend(Console(file=io.StringIO()))
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"1")
    config = StudyConfig()
    first = backend.identify(str(folder), config)
    assert backend.identify(str(folder), config) == first
    # The precision `auto` resolves to decides, not the word: fp32 on this CPU (conftest) ...
    assert backend.identify(str(folder), StudyConfig(precision="fp32")) == first
    # ... and bf16 on a CPU with AMX, so a run folder moved there predicts again.
    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_native_bf16", lambda: True)
    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_amx", lambda: True)
    assert backend.identify(str(folder), config) != first
    assert backend.identify(str(folder), StudyConfig(precision="bf16")) != first
    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_amx", lambda: False)
    assert backend.identify(str(folder), config) == first
    (folder / "model.safetensors").write_bytes(b"22")
    assert backend.identify(str(folder), config) != first
    assert backend.identify("org/hub-model", config) != first


class _FixtureData(Backend):
    """The real backend (model loading, engine, cache, suites) on the fixture pairs."""

    loads = 0

    def prepare(self, train_config: Any, *, train: bool, preset: str) -> PreparedStudyData:
        return PreparedStudyData(evaluation=_examples(), description="fixture, 30 pairs")

    def load_model(self, spec: str, name: str, config: StudyConfig) -> Model:
        type(self).loads += 1
        return super().load_model(spec, name, config)


@pytest.mark.slow
def test_real_models_cache_and_suites(tmp_path: Path, tiny_roberta: Path) -> None:
    from tests.tiny_models import make_tiny_lora_adapter

    adapter = make_tiny_lora_adapter(tmp_path / "adapter", tiny_roberta)
    console = Console(file=io.StringIO(), width=120)
    config = StudyConfig(
        name="t", probe_examples=10, resamples=50, suites=("robustness",), precision="fp32"
    )
    models = {"full": str(tiny_roberta), "lora": str(adapter)}
    run = tmp_path / "run"
    first = run_study(config, run, backend=_FixtureData(console), console=console, models=models)
    assert _FixtureData.loads == 2
    assert [m.name for m in first.view.models] == ["majority baseline", "full", "lora"]
    assert first.view.probes and all(row.tested > 0 for row in first.view.probes[:1])
    assert (run / "predictions.sqlite").is_file()
    # Drop the saved steps: the rerun loads the models but predicts from the cache.
    for step in (run / "steps").iterdir():
        step.unlink()
    second = run_study(config, run, backend=_FixtureData(console), console=console, models=models)
    assert second.view.models == first.view.models
    assert second.view.probes == first.view.probes


class _RecordingBackend(FakeBackend):
    """Also leaves training dynamics in each trained run folder, as `record_dynamics` does."""

    def train(self, train_config: Any, out_dir: Path) -> tuple[Path, bool]:
        from nli_probe.scoring.datamap.dynamics import write_dynamics
        from tests.test_cli_datamap import _dynamics

        folder, reused = super().train(train_config, out_dir)
        seed = 1 if train_config["preset"] == "quick-full" else 2
        write_dynamics(folder / "dynamics.npz", _dynamics(seed=seed))
        return folder, reused


def test_data_maps_of_the_trained_models_join_the_report(tmp_path: Path) -> None:
    from tests.test_cli_datamap import SCRIPT

    stream = io.StringIO()
    console = Console(file=stream, width=160)
    config = StudyConfig(name="t", probe_examples=6, resamples=20)
    result = run_study(
        config, tmp_path / "run", backend=_RecordingBackend(console), console=console
    )
    printed = stream.getvalue()
    assert "full: 30 training pairs, 4 records: easy-to-learn" in printed
    assert "data maps" in result.timings
    run = tmp_path / "run"
    report = json.loads((run / "report.json").read_text())
    section = report["extra"]["datamaps"]
    assert [m["name"] for m in section["maps"]] == ["full", "lora"]
    assert result.view.datamaps is not None and len(result.view.datamaps.points) == 30
    html = (run / "report.html").read_text()
    assert "Data maps (training dynamics)" in html and html.count('r="2.6"') == 60
    assert SCRIPT not in html and "&lt;script&gt;" in html
    markdown = (run / "report.md").read_text()
    assert "## Data maps (training dynamics)" in markdown and SCRIPT not in markdown
    # `nli-probe report` renders the section again from report.json alone.
    assert main(["report", str(run), "--out", str(tmp_path / "again"), "--format", "html"]) == 0
    again = (tmp_path / "again" / "report.html").read_text()
    assert again.count('r="2.6"') == 60 and "full against lora" in again


def test_cli_reads_eval_with_reader_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    backends: list[FakeBackend] = []

    def make(console: Console, **options: Any) -> FakeBackend:
        backends.append(FakeBackend(console, **options))
        return backends[-1]

    monkeypatch.setattr("nli_probe.study.backend.Backend", make)
    data = tmp_path / "mine.tsv"
    data.write_text(
        "first\tsecond\tverdict\n"
        "A man plays.\tA man plays music.\tyes\n"
        "A man plays.\tA woman sleeps.\tnon-entailment\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    args = ["study", "quick", "probe_examples=6", "resamples=20", "suites=robustness"]
    args += ["--out", str(out), "--eval", str(data), "--two-way", "--label", "yes=entailment"]
    args += ["--premise-column", "first", "--hypothesis-column", "second"]
    assert main([*args, "--label-column", "verdict"]) == 0
    written = out / "eval-data.jsonl"
    assert f"written to {written}" in capsys.readouterr().err
    rows = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert [row["gold_label"] for row in rows] == ["entailment", "neutral"]
    assert rows[1]["meta"]["label_scheme"] == "two-way"
    _, overrides = backends[0].configs[0]
    assert f'eval_data="{written}"' in overrides
    # Reader options without --eval are an error, before anything runs.
    assert main(["study", "quick", "--two-way", "--out", str(tmp_path / "x")]) == 2
    assert "apply to --eval" in capsys.readouterr().err
