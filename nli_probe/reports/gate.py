"""The CI gate: thresholds on metrics and probe failure rates, checked against a report.

Thresholds come from command-line options or a TOML file (see `load_gate_file`):

- `fail_under` — a metric must be at least the limit (`accuracy=0.85`);
- `fail_over` — a metric must be at most the limit (`ece=0.1`, for lower-is-better metrics);
- `max_failure_rate` — a probe (`robustness/typos`) or a whole suite (`robustness`, failures
  pooled over its probes) must fail at most this share of its tested cases.

Each applies to every model (the majority baseline excepted) unless written `MODEL:NAME=LIMIT`.
`nli-probe report` and `nli-probe study` exit with `EXIT_GATE_FAILED` when one is crossed.

A metric threshold may be scoped to one data set of a run over several, or to one slice of a
set, in the same grammar on the command line and as a TOML key:

- `SET/METRIC` — a data set's metric (`anli:test/accuracy=0.4`);
- `SET/FIELD=VALUE:METRIC` — one slice's `accuracy` or `f1_macro`
  (`hans/heuristic=lexical_overlap:accuracy=0.6`; crossed fields as sliced:
  `hans/heuristic,gold=lexical_overlap,non-entailment:accuracy=0.5`).

`SET` is the data set's name, or its family alone when the report holds one set of it (`hans`
for `hans:evaluation`); a one-set report's set may also be named so.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.reports.view import ModelView, ReportView

EXIT_GATE_FAILED = 1
"""Exit status when a threshold is crossed (2 stays reserved for errors the user can fix)."""

NO_MODEL = "(no model)"
"""The breach's model when the report holds no model a threshold could apply to."""

Kind = Literal["fail_under", "fail_over", "max_failure_rate"]
KINDS: tuple[Kind, ...] = ("fail_under", "fail_over", "max_failure_rate")


@dataclass(frozen=True, kw_only=True)
class Threshold:
    kind: Kind
    name: str
    """A metric name, `suite/probe` or `suite`."""
    limit: float
    model: str | None = None
    """None: every model but the majority baseline."""
    source: str = ""
    """Where it was written, for messages (`--fail-under`, `gate.toml`)."""

    @property
    def scoped(self) -> bool:
        """A metric of one data set, or of one slice (`SET/...`): its model prefix, if any, is
        resolved against the report (set names hold colons too)."""
        return self.kind != "max_failure_rate" and "/" in self.name

    def describe(self) -> str:
        sign = ">=" if self.kind == "fail_under" else "<="
        scope = f"{self.model}:" if self.model else ""
        what = "failure rate of " if self.kind == "max_failure_rate" else ""
        return f"{what}{scope}{self.name} {sign} {self.limit:g}"


@dataclass(frozen=True, kw_only=True)
class Breach:
    threshold: Threshold
    model: str
    value: float | None
    """None: the report has no such measurement for this model."""

    def describe(self) -> str:
        got = "not measured" if self.value is None else f"{self.value:.4f}"
        where = f" ({self.threshold.source})" if self.threshold.source else ""
        if self.model == NO_MODEL:
            return (
                f"{self.threshold.name} = not measured: the report holds no evaluated or probed "
                f"model, needs {self.threshold.describe()}{where}"
            )
        return (
            f"{self.model}: {self.threshold.name} = {got}, needs {self.threshold.describe()}{where}"
        )


def parse_threshold(text: str, kind: Kind, *, source: str = "") -> Threshold:
    """Read `[MODEL:]NAME=LIMIT` as written on the command line."""
    name, sep, limit_text = text.rpartition("=")
    if not sep or not name.strip():
        raise NLIProbeError(f"{source or kind}: expected [MODEL:]NAME=LIMIT, got {text!r}")
    model: str | None = None
    scoped = kind != "max_failure_rate" and "/" in name
    if ":" in name and not scoped:
        model, name = name.split(":", 1)
    try:
        limit = float(limit_text)
    except ValueError:
        raise NLIProbeError(
            f"{source or kind}: limit {limit_text!r} in {text!r} is not a number"
        ) from None
    _check_limit(limit, kind, where=f"{source or kind}: {text!r}")
    return Threshold(kind=kind, name=name.strip(), limit=limit, model=model, source=source)


def _check_limit(limit: float, kind: str, *, where: str) -> None:
    """A limit must be a finite number (a NaN would pass every comparison), and a failure rate a
    share from 0 to 1."""
    if not math.isfinite(limit):
        raise NLIProbeError(f"{where}: the limit must be a finite number, got {limit}")
    if kind == "max_failure_rate" and not 0 <= limit <= 1:
        raise NLIProbeError(f"{where}: a failure rate is a share from 0 to 1, got {limit:g}")


def load_gate_file(path: Path) -> list[Threshold]:
    """Read thresholds from TOML: `[fail_under]`, `[fail_over]`, `[max_failure_rate]` tables of
    `name = limit`, and the same tables under `[model.NAME]` for one model."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NLIProbeError(f"{path}: no such gate file") from None
    except tomllib.TOMLDecodeError as error:
        raise NLIProbeError(f"{path}: not valid TOML ({error})") from None
    thresholds = _tables(data, model=None, where=str(path))
    models = data.get("model", {})
    if not isinstance(models, Mapping):
        raise NLIProbeError(f"{path}: [model] must hold one table per model")
    for model, tables in models.items():
        if not isinstance(tables, Mapping):
            raise NLIProbeError(f"{path}: [model.{model}] must be a table")
        thresholds += _tables(tables, model=str(model), where=f"{path} [model.{model}]")
    return thresholds


def _tables(data: Mapping[str, Any], *, model: str | None, where: str) -> list[Threshold]:
    out: list[Threshold] = []
    for key, table in data.items():
        if key == "model" and model is None:
            continue
        if key not in KINDS:
            raise NLIProbeError(f"{where}: unknown table [{key}]{did_you_mean(key, KINDS)}")
        if not isinstance(table, Mapping):
            raise NLIProbeError(f"{where}: [{key}] must be a table of name = limit")
        for name, limit in table.items():
            if isinstance(limit, bool) or not isinstance(limit, int | float):
                raise NLIProbeError(f"{where}: [{key}] {name} = {limit!r} is not a number")
            _check_limit(float(limit), key, where=f"{where}: [{key}] {name}")
            out.append(
                Threshold(
                    kind=key,  # checked against KINDS above
                    name=str(name),
                    limit=float(limit),
                    model=model,
                    source=f"{where} [{key}]",
                )
            )
    return out


def check(view: ReportView, thresholds: Iterable[Threshold]) -> list[Breach]:
    """Every threshold crossed, in order. Unknown model, metric or probe names raise
    `NLIProbeError` with a did-you-mean, so a typo never passes a gate silently; a threshold on
    something the report did not measure (a probe that tested nothing, a metric of a model that
    was only probed, a report with no model at all) is crossed, never passed."""
    breaches: list[Breach] = []
    for threshold in thresholds:
        if threshold.scoped:
            breaches += _check_scoped(view, threshold)
            continue
        targets = _models(view, threshold)
        if not targets:
            breaches.append(Breach(threshold=threshold, model=NO_MODEL, value=None))
        for name in targets:
            if threshold.kind == "max_failure_rate":
                value = failure_rate(view, name, threshold)
                crossed = value is None or value > threshold.limit
            else:
                model = view.model(name)
                value = None if model is None else metric_value(model, threshold.name)
                if threshold.kind == "fail_under":
                    crossed = value is None or value < threshold.limit
                else:
                    crossed = value is None or value > threshold.limit
            if crossed:
                breaches.append(Breach(threshold=threshold, model=name, value=value))
    return breaches


SLICE_METRICS = ("accuracy", "f1_macro")
"""What a slice threshold may name."""


@dataclass(frozen=True, kw_only=True)
class _Scope:
    model: str | None
    part: ReportView
    field: str | None
    value: str | None
    metric: str


def _check_scoped(view: ReportView, threshold: Threshold) -> list[Breach]:
    scope = _resolve(view, threshold)
    if scope.model is not None:
        targets = [scope.model]
    else:
        targets = [m.name for m in scope.part.models if not m.baseline]
    if not targets:
        return [Breach(threshold=threshold, model=NO_MODEL, value=None)]
    breaches = []
    for name in targets:
        value: float | None
        if scope.field is None:
            model = scope.part.model(name)
            value = None if model is None else metric_value(model, scope.metric)
        else:
            table = scope.part.slice(scope.field)
            row = None if table is None else table.row(scope.value or "")
            if row is None:
                value = None
            elif scope.metric == "accuracy":
                estimate = row.accuracy.get(name)
                value = None if estimate is None else estimate.value
            else:
                value = row.f1_macro.get(name)
        if threshold.kind == "fail_under":
            crossed = value is None or value < threshold.limit
        else:
            crossed = value is None or value > threshold.limit
        if crossed:
            breaches.append(Breach(threshold=threshold, model=name, value=value))
    return breaches


def _resolve(view: ReportView, threshold: Threshold) -> _Scope:
    """Read `[MODEL:]SET/METRIC` or `[MODEL:]SET/FIELD=VALUE:METRIC` against the report;
    unknown names raise with a did-you-mean."""
    where = threshold.source or threshold.kind
    text = threshold.name
    field: str | None = None
    value: str | None = None
    if "=" in text:
        selector, metric = text.rsplit(":", 1) if ":" in text else (text, "")
        head, value = selector.split("=", 1)
        prefix, _, field = head.rpartition("/")
        if metric not in SLICE_METRICS:
            raise NLIProbeError(
                f"{where}: {text!r}: a slice threshold ends in :METRIC, one of "
                f"{', '.join(SLICE_METRICS)}{did_you_mean(metric, SLICE_METRICS)}"
            )
    else:
        prefix, _, metric = text.rpartition("/")
    model, part = _split_model(view, prefix, where)
    model = model if model is not None else threshold.model
    models = [m.name for m in part.models]
    if model is not None and model not in models:
        raise NLIProbeError(
            f"{where}: no model {model!r} in {part.dataset}{did_you_mean(model, models)} "
            f"(models: {', '.join(models)})"
        )
    if field is None:
        names = list(dict.fromkeys(n for m in part.models for n in (*m.metrics, *m.headline)))
        if metric not in names:
            raise NLIProbeError(
                f"{where}: unknown metric {metric!r} of {part.dataset}"
                f"{did_you_mean(metric, names)} (metrics: {', '.join(names)})"
            )
        return _Scope(model=model, part=part, field=None, value=None, metric=metric)
    fields = [table.field for table in part.slices]
    table = part.slice(field)
    if table is None:
        raise NLIProbeError(
            f"{where}: {part.dataset} is not sliced by {field!r}{did_you_mean(field, fields)} "
            f"(sliced by: {', '.join(fields) or 'nothing'}; evaluate --by FIELD slices it)"
        )
    values = [row.value for row in table.rows]
    if value not in values:
        raise NLIProbeError(
            f"{where}: no {field} {value!r} in {part.dataset}{did_you_mean(value or '', values)} "
            f"(values: {', '.join(values)})"
        )
    return _Scope(model=model, part=part, field=field, value=value, metric=metric)


def _split_model(view: ReportView, prefix: str, where: str) -> tuple[str | None, ReportView]:
    """(model or None, the data set) of `[MODEL:]SET`: set names hold colons too, so each
    split is tried against the report's sets, the whole text first."""
    candidates = [(None, prefix)] + [
        (prefix[:i], prefix[i + 1 :]) for i, char in enumerate(prefix) if char == ":"
    ]
    for model, name in candidates:
        part = view.part(name)
        if part is not None:
            return model, part
    names = [part.dataset for part in view.parts()]
    known = list(dict.fromkeys([*names, *(name.partition(":")[0] for name in names)]))
    raise NLIProbeError(
        f"{where}: no data set {prefix!r} in the report{did_you_mean(prefix, known)} "
        f"(data sets: {', '.join(names)})"
    )


def metric_names(view: ReportView) -> list[str]:
    return list(dict.fromkeys(n for m in view.models for n in (*m.metrics, *m.headline)))


def metric_value(model: ModelView, name: str) -> float | None:
    if name in model.metrics:
        return model.metrics[name]
    estimate = model.headline.get(name)
    return None if estimate is None else estimate.value


def failure_rate(view: ReportView, model: str, threshold: Threshold) -> float | None:
    """The probe's failure rate, or the suite's pooled over its probes; None if not run."""
    rows = [
        row for row in view.probes if row.model == model and threshold.name in (row.key, row.suite)
    ]
    tested = sum(row.tested for row in rows)
    if tested == 0:
        return None
    return sum(row.failed for row in rows) / tested


def _models(view: ReportView, threshold: Threshold) -> list[str]:
    """The models a threshold applies to: the one it names, else every model the report
    evaluated or probed (a run made by `probe` alone has suite results but no evaluated
    model), the majority baseline excepted."""
    models = report_models(view)
    check_names(
        [threshold],
        models=models,
        metrics=metric_names(view),
        probes=[*view.probe_keys, *dict.fromkeys(row.suite for row in view.probes)],
    )
    if threshold.model is not None:
        return [threshold.model]
    baseline = {m.name for m in view.models if m.baseline}
    return [name for name in models if name not in baseline]


def report_models(view: ReportView) -> list[str]:
    """Every model name in the report: evaluated ones (the baseline first), then models that
    only have probe results."""
    return list(dict.fromkeys([*(m.name for m in view.models), *view.probe_models]))


def check_names(
    thresholds: Iterable[Threshold],
    *,
    models: Sequence[str],
    metrics: Sequence[str],
    probes: Sequence[str],
) -> None:
    """Raise `NLIProbeError` (with a did-you-mean) for a threshold naming an unknown model,
    metric or probe; `nli-probe study` calls this before its long steps."""
    for threshold in thresholds:
        if threshold.scoped:
            continue  # data sets and slices are known only once the report is
        where = threshold.source or threshold.kind
        if threshold.model is not None and threshold.model not in models:
            raise NLIProbeError(
                f"{where}: no model {threshold.model!r} in the report"
                f"{did_you_mean(threshold.model, models)} (models: {', '.join(models)})"
            )
        if threshold.kind == "max_failure_rate":
            if threshold.name not in probes:
                raise NLIProbeError(
                    f"{where}: no probe or suite {threshold.name!r} in the report"
                    f"{did_you_mean(threshold.name, probes)}"
                )
        elif threshold.name not in metrics:
            raise NLIProbeError(
                f"{where}: unknown metric {threshold.name!r}"
                f"{did_you_mean(threshold.name, metrics)} (metrics: {', '.join(metrics)})"
            )


def verdict(breaches: Sequence[Breach], checked: int) -> str:
    """One paragraph for the terminal: which thresholds were crossed, or that all passed."""
    if not breaches:
        return f"gate passed: {checked} threshold(s) met"
    lines = [f"gate FAILED: {len(breaches)} threshold(s) crossed"]
    lines += [f"  - {breach.describe()}" for breach in breaches]
    return "\n".join(lines)
