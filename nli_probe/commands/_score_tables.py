"""Rich tables of a `ReportScores`: what `nli-probe evaluate` prints.

Only formatting lives here; every number comes from the scores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nli_probe.core.labels import LABELS

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from nli_probe.scoring.scores import Interval, ModelScores, ReportScores, SliceTable


def number(value: float | None, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def with_interval(value: float | None, interval: Interval | None, digits: int = 4) -> str:
    if value is None or interval is None:
        return number(value, digits)
    return f"{value:.{digits}f} [{interval.low:.{digits}f}, {interval.high:.{digits}f}]"


def metrics_table(scores: ReportScores) -> Table:
    """Models side by side (baseline first): headline metrics, calibration, fit to humans."""
    from rich.table import Table

    two_way = ", scored two-way" if scores.label_scheme == "two-way" else ""
    table = Table(
        title=f"Metrics on {scores.dataset}: {scores.with_gold} of {scores.count} pairs have a "
        f"gold label{two_way} ({scores.confidence:.0%} bootstrap intervals, {scores.resamples} "
        f"resamples, seed {scores.seed})",
        title_justify="left",
        caption=f"majority baseline: {scores.baseline.description}"
        if scores.baseline.description
        else None,
        caption_justify="left",
    )
    for column in (
        "model",
        "n",
        "accuracy",
        "P (w)",
        "R (w)",
        "F1 (w)",
        "P (macro)",
        "R (macro)",
        "F1 (macro)",
        "ECE",
        "Brier",
        "NLL",
        "JSD",
    ):
        table.add_column(column, justify="left" if column == "model" else "right")
    for row in scores.table():
        table.add_row(
            row.name,
            str(row.count),
            with_interval(row.accuracy, row.accuracy_interval),
            number(row.precision_weighted),
            number(row.recall_weighted),
            with_interval(row.f1_weighted, row.f1_weighted_interval),
            number(scores.model(row.name).metrics.precision_macro),
            number(scores.model(row.name).metrics.recall_macro),
            with_interval(row.f1_macro, row.f1_macro_interval),
            number(row.ece),
            number(row.brier),
            number(row.nll),
            number(row.jsd),
            style="dim" if row.is_baseline else None,
        )
    return table


def per_class_table(scores: ReportScores) -> Table:
    """Per-label precision, recall, F1 and support, and each model's confusion-matrix row."""
    from rich.table import Table

    two_way = scores.label_scheme == "two-way"
    kept = 2 if two_way else len(LABELS)  # two-way: entailment and non-entailment only
    names = ("entailment", "non-entailment") if two_way else tuple(str(label) for label in LABELS)
    predicted = "e / non-e" if two_way else "e / n / c"
    table = Table(title=f"Per class (confusion row: predicted {predicted})", title_justify="left")
    for column in ("model", "gold label", "precision", "recall", "F1", "support", "confusion row"):
        table.add_column(column, justify="left" if column in ("model", "gold label") else "right")
    for model in scores.rows:
        metrics = model.metrics
        for index, cls in enumerate(metrics.per_class[:kept]):
            row = metrics.confusion[index][:kept]
            table.add_row(
                model.name if index == 0 else "",
                names[index],
                number(cls.precision),
                number(cls.recall),
                number(cls.f1),
                str(cls.support),
                " / ".join(str(cell) for cell in row),
                end_section=index == kept - 1,
            )
    return table


def agreement_table(model: ModelScores) -> Table:
    """One model's scores per annotator-agreement level."""
    from rich.table import Table

    breakdown = model.agreement
    what = "vote share" if breakdown.scheme == "votes" else "entropy (bits) of the 100 labels"
    table = Table(
        title=f"{model.name}: by annotator agreement ({what}); accuracy/F1/ECE/NLL against "
        "gold, CE/KL/JSD against the human label distribution",
        title_justify="left",
    )
    columns = (
        "level",
        "n",
        "with gold",
        "accuracy",
        "F1 (macro)",
        "F1 (w)",
        "ECE",
        "NLL",
        "CE",
        "KL",
        "JSD",
        "human↔others",
        "model↔others",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "level" else "right")
    for level in (*breakdown.levels, breakdown.overall):
        table.add_row(
            level.level,
            str(level.count),
            str(level.scored),
            number(level.accuracy),
            number(level.f1_macro),
            number(level.f1_weighted),
            number(level.calibration.ece),
            number(level.calibration.nll),
            number(level.fit.cross_entropy),
            number(level.fit.kl),
            number(level.fit.jsd),
            number(level.human_agreement),
            number(level.model_agreement),
            end_section=level is breakdown.levels[-1] if breakdown.levels else False,
        )
    return table


def comparison_table(scores: ReportScores) -> Table:
    """Every pair of models: accuracy difference with its paired bootstrap interval, McNemar."""
    from rich.table import Table

    table = Table(title="Paired comparisons (accuracy A − B)", title_justify="left")
    for column in (
        "A",
        "B",
        "n",
        "acc A",
        "acc B",
        "A − B",
        "only A right",
        "only B right",
        "McNemar p",
        "bootstrap p",
    ):
        table.add_column(column, justify="left" if column in ("A", "B") else "right")
    for c in scores.comparisons:
        table.add_row(
            c.model_a,
            c.model_b,
            str(c.count),
            number(c.accuracy_a),
            number(c.accuracy_b),
            with_interval(c.difference, c.interval),
            str(c.only_a),
            str(c.only_b),
            "–" if c.mcnemar_p is None else f"{c.mcnemar_p:.3g}",
            _bootstrap_p(c.bootstrap_p, c.resamples),
        )
    return table


def _bootstrap_p(p: float | None, resamples: int) -> str:
    if p is None:
        return "–"
    # No resample crossed zero: all the bootstrap can say is that p is below 1/resamples.
    return f"<{1 / resamples:.2g}" if p == 0 and resamples else f"{p:.3g}"


def low_agreement_table(scores: ReportScores, *, limit: int = 10) -> Table:
    """The pairs annotators disagreed on most, the humans beside each model."""
    from rich.table import Table

    table = Table(
        title="Lowest annotator agreement (human / model shares as e n c)", title_justify="left"
    )
    table.add_column("pair")
    table.add_column("level")
    table.add_column("humans", justify="right")
    table.add_column("gold")
    for model in scores.models:
        table.add_column(f"{model.name} (JSD)", justify="right")
    for pair in scores.low_agreement[:limit]:
        cells = [
            f"{pair.premise}\n→ {pair.hypothesis}",
            pair.level,
            " ".join(f"{share:.2f}" for share in pair.human),
            pair.gold or "–",
        ]
        for model in scores.models:
            view = pair.view(model.name)
            cells.append(
                "–"
                if view is None
                else " ".join(f"{p:.2f}" for p in view.probs) + f"\n({view.jsd:.3f})"
            )
        table.add_row(*cells)
    return table


def data_sets_table(scores: ReportScores) -> Table:
    """One row per (model, data set): what a run over several data sets shows first."""
    from rich.table import Table

    table = Table(
        title=f"By data set ({scores.confidence:.0%} bootstrap intervals; two-way sets scored "
        "two-way)",
        title_justify="left",
    )
    for column in ("data set", "model", "n", "accuracy", "F1 (macro)", "baseline"):
        table.add_column(column, justify="left" if column in ("data set", "model") else "right")
    for part in scores.parts():
        baseline = part.baseline.metrics.accuracy
        for index, model in enumerate(part.models):
            m = model.metrics
            table.add_row(
                part.dataset if index == 0 else "",
                model.name,
                str(m.count),
                with_interval(m.accuracy, m.interval("accuracy")),
                with_interval(m.f1_macro, m.interval("f1_macro")),
                number(baseline),
                end_section=index == len(part.models) - 1,
            )
    return table


def slice_table(scores: ReportScores, table_scores: SliceTable) -> Table:
    """A data set's scores per value of one slice field: count, the baseline, each model's
    accuracy (Wilson interval) and macro F1, and the paired differences."""
    from rich.table import Table

    models = [m.name for m in scores.models]
    table = Table(
        title=f"{scores.dataset} by {table_scores.field} (accuracy with {scores.confidence:.0%} "
        "Wilson intervals; A − B: paired bootstrap interval, McNemar p)",
        title_justify="left",
    )
    table.add_column(table_scores.field)
    table.add_column("n", justify="right")
    table.add_column("baseline", justify="right")
    for name in models:
        table.add_column(f"{name} acc", justify="right")
        table.add_column(f"{name} F1m", justify="right")
    pairs = table_scores.rows[0].comparisons if table_scores.rows else ()
    for pair in pairs:
        table.add_column(f"{pair.model_a} − {pair.model_b}", justify="right")
    for row in table_scores.rows:
        cells = [", ".join(row.values), str(row.count), number(row.baseline, 3)]
        for name in models:
            found = row.model(name)
            cells.append("–" if found is None else with_interval(found.accuracy, found.interval, 3))
            cells.append("–" if found is None else number(found.f1_macro, 3))
        for pair in row.comparisons:
            p = "" if pair.mcnemar_p is None else f" p={pair.mcnemar_p:.2g}"
            cells.append(with_interval(pair.difference, pair.interval, 3) + p)
        table.add_row(*cells)
    return table


def print_scores(scores: ReportScores, console: Console, *, low_agreement: int = 10) -> None:
    """Everything `evaluate` shows, in reading order: with several data sets, the table of
    every (model, data set) and then each set's own tables."""
    parts = scores.parts()
    if len(parts) > 1:
        console.print(data_sets_table(scores))
    for part in parts:
        console.print(metrics_table(part))
        console.print(per_class_table(part))
        for model in part.rows:
            if model.agreement.levels:
                console.print(agreement_table(model))
        if part.comparisons:
            console.print(comparison_table(part))
        for table in part.slices:
            console.print(slice_table(part, table))
        if low_agreement > 0 and part.low_agreement:
            console.print(low_agreement_table(part, limit=low_agreement))
