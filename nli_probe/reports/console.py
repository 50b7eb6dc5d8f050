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
    headline = Table(title=f"{escape(view.title)}: {view.examples} examples", title_justify="left")
    headline.add_column("model")
    for metric in HEADLINE:
        headline.add_column(metric, justify="right")
    for m in view.models:
        shown = m.baseline and "baseline" not in m.name
        name = escape(m.name) + (" [dim](majority)[/dim]" if shown else "")
        headline.add_row(
            name,
            *("–" if m.headline.get(k) is None else m.headline[k].format() for k in HEADLINE),
        )
    tables.append(headline)
    if view.comparisons:
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
    return Group(*tables)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def print_summary(view: ReportView, console: Console | None = None) -> None:
    (console or Console()).print(summary_tables(view))
