"""`run_study`: the main job, from data to a report, in one run folder.

Steps: prepare the data (class balance before and after), train the full and LoRA models (or
take existing ones), predict the evaluation pairs with each, run every suite on a sample of them,
build the data maps of the runs that recorded training dynamics, score everything (with the
majority baseline and the agreement breakdowns) and write the report.

Under torchrun every rank runs the same study: the trainers train with DDP, the engine shares
each model's predicting out between the ranks, and rank 0 alone writes the run folder.

Everything lands in one folder, and a rerun reuses every finished step: the trainers reuse a
finished run folder, each evaluation and suite run is saved under `steps/` (see
`nli_probe.study.steps`), and predictions are cached in `predictions.sqlite`, so an interrupted
step resumes too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nli_probe.core.example import Example
from nli_probe.core.report import ModelRun, Report
from nli_probe.errors import NLIProbeError
from nli_probe.models.distributed import is_main_process
from nli_probe.study.backend import Backend, PreparedStudyData
from nli_probe.study.config import ARMS, StudyConfig, config_to_dict
from nli_probe.study.steps import (
    LazyModel,
    StepClock,
    StudyPaths,
    evaluate_step,
    probe_step,
    write_json,
)
from nli_probe.version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from nli_probe.core.suite_run import SuiteRun
    from nli_probe.reports.view import ReportView
    from nli_probe.scoring.datamap import DataMapSection


@dataclass(frozen=True, kw_only=True)
class StudyResult:
    """What a study produced: the report's view, the files written, and each step's time."""

    view: ReportView
    written: tuple[Path, ...]
    timings: Mapping[str, float]
    """Step name → seconds."""
    reused: tuple[str, ...] = ()
    """Steps that found their results from an earlier run."""


def run_study(
    config: StudyConfig,
    out_dir: Path,
    *,
    backend: Backend,
    console: Console,
    models: Mapping[str, str] | None = None,
    data_overrides: Sequence[str] = (),
) -> StudyResult:
    """Run (or finish, or reuse) the study `config` in `out_dir`.

    Args:
        config: the study (see `nli_probe.study.config.load_study`).
        out_dir: the run folder.
        backend: data, training and model loading (`default_backend()` outside tests).
        console: where progress and tables go.
        models: name → model folder or hub name, evaluated instead of training any.
        data_overrides: trainer `key=value` overrides naming the data (data_dir, train_data,
            eval_data), applied to both trainer presets.
    """
    from nli_probe.reports.build import build_view
    from nli_probe.reports.outputs import write_outputs
    from nli_probe.scoring.scores import score_report

    paths = StudyPaths(root=out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clock = StepClock()
    arms = [arm for arm in ARMS if config.preset(arm)]
    if not arms and not models:
        raise NLIProbeError("the study names no trainer preset (full, lora) and no --model")
    preset = config.preset(arms[0]) if arms else config.full or "quick-full"
    train_configs = {
        arm: backend.load_train_config(
            config.preset(arm), [*data_overrides, *config.arm_overrides(arm)]
        )
        for arm in (arms or ["full"])
    }
    precisions = backend.precisions(config, {} if models else train_configs)
    provenance = {
        "config": config_to_dict(config),
        "data_overrides": list(data_overrides),
        "tool": __version__,
        "precision": precisions,
    }
    write_json(paths.study_json, {**provenance, "models": dict(models or {})})
    console.print(_precision_line(precisions), highlight=False, markup=False)

    console.rule("[bold]1. data")
    with clock.step("data"):
        data = backend.prepare(
            train_configs[arms[0] if arms else "full"], train=not models, preset=preset
        )
        evaluation = _sample(data.evaluation, config.eval_examples, config.sample_seed)
        write_json(paths.data_summary, data.summary)
        backend.show_data(data, console)
    console.print(f"evaluating on {len(evaluation):,} pairs ({data.description})")

    model_dirs: dict[str, str] = dict(models or {})
    if not models:
        for arm in arms:
            console.rule(f"[bold]2. train: {arm} ({config.preset(arm)})")
            with clock.step(f"train {arm}"):
                model_dir, reused = backend.train(train_configs[arm], paths.model(arm))
            model_dirs[arm] = str(model_dir)
            if reused:
                clock.reused.append(f"train {arm}")
                console.print(f"reused the finished run in {paths.model(arm)}")

    suite_names = list(config.suites) or backend.builtin_suites()
    probe_sample = _sample(evaluation, config.probe_examples, config.sample_seed)
    model_runs: list[ModelRun] = []
    suite_runs: list[SuiteRun] = []
    with backend.open_cache(paths.cache) as cache:
        for name, spec in model_dirs.items():
            loader = LazyModel(backend, spec, name, config)
            identity = backend.identify(spec, config)
            console.rule(f"[bold]3. evaluate: {name}")
            with clock.step(f"evaluate {name}"):
                run = evaluate_step(
                    name, spec, loader, evaluation, identity, paths, cache, backend, clock
                )
            model_runs.append(run)
            console.rule(f"[bold]4. probe: {name} ({', '.join(suite_names)})")
            with clock.step(f"probe {name}"):
                suite_runs += probe_step(
                    name,
                    loader,
                    probe_sample,
                    suite_names,
                    identity,
                    paths,
                    cache,
                    backend,
                    config,
                    clock,
                )
    console.rule("[bold]5. data maps")
    with clock.step("data maps"):
        datamaps = backend.data_maps(model_dirs, resamples=config.resamples, seed=config.seed)
    if datamaps is None:
        console.print("no training dynamics recorded (trainer key record_dynamics)")
    else:
        _show_data_maps(datamaps, console)
    console.rule("[bold]6. report")
    with clock.step("report"):
        report = Report(
            dataset=data.description,
            examples=tuple(evaluation),
            models=tuple(model_runs),
            created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            extra={
                "study": {**provenance, "models": model_dirs},
                "data": data.summary,
                **({"datamaps": datamaps.to_json()} if datamaps is not None else {}),
            },
            suites=tuple(suite_runs),
        )
        scores = score_report(report, resamples=config.resamples, seed=config.seed)
        view = build_view(
            report,
            scores,
            suites=suite_runs,
            title=config.title or f"nli-probe study: {config.name}",
            notes=[
                f"study preset {config.name}; models: "
                + ", ".join(f"{k} = {v}" for k, v in model_dirs.items()),
                f"suites on a stratified sample of {len(probe_sample):,} evaluation pairs "
                f"(seed {config.sample_seed})",
            ],
        )
        written = write_outputs(report, scores, view, out_dir) if is_main_process() else []
    return StudyResult(
        view=view, written=tuple(written), timings=dict(clock.timings), reused=tuple(clock.reused)
    )


def _show_data_maps(section: DataMapSection, console: Console) -> None:
    """One line per map: its regions' sizes and the tie of variability to human entropy."""
    for summary in section.maps:
        sizes = ", ".join(f"{r.region} {r.pairs:,}" for r in summary.regions)
        ties = summary.annotators
        rho = ties.variability_entropy if ties is not None else None
        tie = "" if rho is None else f"; Spearman rho(variability, human entropy) {rho.format()}"
        console.print(
            f"{summary.name}: {summary.pairs:,} training pairs, {summary.records} records: "
            f"{sizes}{tie}",
            highlight=False,
            markup=False,
        )


def _precision_line(precisions: Mapping[str, str]) -> str:
    """`precision: train full, train lora, inference: fp32 (auto: ...)`, each choice once."""
    users: dict[str, list[str]] = {}
    for what, choice in precisions.items():
        users.setdefault(choice, []).append(what)
    return "precision: " + "; ".join(f"{', '.join(w)}: {c}" for c, w in users.items())


def _sample(examples: Sequence[Example], count: int, seed: int) -> list[Example]:
    if count <= 0 or count >= len(examples):
        return list(examples)
    from nli_probe.data import stratified_sample

    return list(stratified_sample(list(examples), count=count, seed=seed))


__all__ = ["PreparedStudyData", "StudyPaths", "StudyResult", "run_study"]
