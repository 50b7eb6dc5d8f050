"""A `ReportView` as rich tables for the terminal: the headline, comparisons, agreement and the
probes with the highest failure rates."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table

from nli_probe.reports.view import HEADLINE, ReportView


def summary_tables(view: ReportView, *, probes: int = 12) -> Group:
    """The summary as one renderable; `probes` caps the probe table (worst first)."""
    tables: list[Table] = []
    if len(view.parts()) > 1:
        tables.append(_by_data_set(view))
    else:
        tables.append(_headline(view))
    tables += _rest(view, probes=probes)
    return Group(*tables)


def _by_data_set(view: ReportView) -> Table:
    table = Table(
        title=f"{escape(view.title)}: {view.examples} examples in {len(view.parts())} data sets",
        title_justify="left",
    )
    for column in ("data set", "model", "accuracy", "F1 (macro)", "baseline"):
        table.add_column(column, justify="left" if column in ("data set", "model") else "right")
    for part in view.parts():
        baseline = next((m for m in part.models if m.baseline), None)
        base = baseline.headline.get("accuracy") if baseline is not None else None
        models = [m for m in part.models if not m.baseline]
        for index, m in enumerate(models):
            accuracy = m.headline.get("accuracy")
            f1 = m.metrics.get("f1_macro")
            table.add_row(
                escape(part.dataset) if index == 0 else "",
                escape(m.name),
                "–" if accuracy is None else accuracy.format(3),
                "–" if f1 is None else f"{f1:.3f}",
                "–" if base is None else f"{base.value:.3f}",
                end_section=index == len(models) - 1,
            )
    return table


def _slices(view: ReportView) -> list[Table]:
    tables = []
    models = [m.name for m in view.models if not m.baseline]
    for sliced in view.slices:
        table = Table(title=f"{escape(view.dataset)} by {escape(sliced.field)}: accuracy")
        table.add_column(escape(sliced.field))
        table.add_column("pairs", justify="right")
        table.add_column("baseline", justify="right")
        for name in models:
            table.add_column(escape(name), justify="right")
        for row in sliced.rows:
            cells = [
                "–" if (acc := row.accuracy.get(name)) is None else acc.format(3) for name in models
            ]
            baseline = "–" if row.baseline is None else f"{row.baseline:.3f}"
            table.add_row(escape(", ".join(row.values)), str(row.count), baseline, *cells)
        tables.append(table)
    return tables


def _headline(view: ReportView) -> Table:
    headline = Table(title=f"{escape(view.title)}: {view.examples} examples", title_justify="left")
    headline.add_column("model")
    for metric in HEADLINE:
        headline.add_column(metric, justify="right")
    for m in view.models:
        shown = m.baseline and "baseline" not in m.name
        name = escape(m.name) + (" [dim](majority)[/dim]" if shown else "")
        if m.baseline and m.description:
            name += f" [dim]({escape(m.description)})[/dim]"
        headline.add_row(
            name,
            *("–" if m.headline.get(k) is None else m.headline[k].format() for k in HEADLINE),
        )
    return headline


def _rest(view: ReportView, *, probes: int) -> list[Table]:
    tables: list[Table] = []
    for part in view.parts():
        tables += _slices(part)
    if view.comparisons and len(view.parts()) == 1:
        comparison = Table(title="Comparison (accuracy difference, McNemar)", title_justify="left")
        for column in ("models", "difference", "p", "significant"):
            comparison.add_column(column, justify="left" if column == "models" else "right")
        for c in view.comparisons:
            comparison.add_row(
                f"{escape(c.a)} − {escape(c.b)}",
                c.difference.format(),
                "–" if c.p_value is None else f"{c.p_value:.3g}",
                "[green]yes[/green]" if c.significant else "no",
            )
        tables.append(comparison)
    agreement_models = [m for m in view.models if m.agreement and not m.baseline]
    if agreement_models:
        levels = list(dict.fromkeys(r.level for m in agreement_models for r in m.agreement))
        agreement = Table(title="Accuracy by annotator agreement", title_justify="left")
        agreement.add_column("level")
        agreement.add_column("pairs", justify="right")
        for m in agreement_models:
            agreement.add_column(escape(m.name), justify="right")
        for level in levels:
            rows = [
                next((r for r in m.agreement if r.level == level), None) for m in agreement_models
            ]
            count = next((r.count for r in rows if r is not None), 0)
            cells = [
                "–" if r is None or r.accuracy is None else f"{r.accuracy.value:.3f}" for r in rows
            ]
            agreement.add_row(escape(level), str(count), *cells)
        tables.append(agreement)
    if view.probes:
        worst = sorted(view.probes, key=lambda r: -r.rate.value)[:probes]
        table = Table(
            title=f"Probes: highest failure rates ({len(view.probe_keys)} probes in all)",
            title_justify="left",
        )
        for column in ("probe", "model", "failed/tested", "rate [95% CI]"):
            table.add_column(column, justify="left" if column in ("probe", "model") else "right")
        for row in worst:
            table.add_row(
                escape(row.key), escape(row.model), f"{row.failed}/{row.tested}", row.rate.format(3)
            )
        tables.append(table)
    if view.attacks:
        attacks = Table(
            title="Attacks (success rate = the probe's failure rate)", title_justify="left"
        )
        for column in ("attack", "model", "succeeded/attempted", "success rate [95% CI]"):
            attacks.add_column(column, justify="left" if column in ("attack", "model") else "right")
        attacks.add_column("accuracy → under attack", justify="right")
        attacks.add_column("words changed", justify="right")
        attacks.add_column("queries", justify="right")
        for attack in view.attacks:
            attacks.add_row(
                escape(attack.key),
                escape(attack.model),
                f"{attack.succeeded}/{attack.attempted}",
                "–" if attack.success_rate is None else attack.success_rate.format(3),
                f"{_share(attack.original_accuracy)} → {_share(attack.accuracy_under_attack)}",
                _number(attack.mean_words_changed),
                _number(attack.mean_queries),
            )
        tables.append(attacks)
    return tables


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def print_summary(view: ReportView, console: Console | None = None) -> None:
    (console or Console()).print(summary_tables(view))
