"""A `ReportView` as one self-contained HTML page: inline CSS, inline SVG, no script, no
network. Every piece of text from the data or the models goes through `esc`."""

from __future__ import annotations

from collections.abc import Sequence

from nli_probe.core.words import Piece
from nli_probe.reports import svg
from nli_probe.reports.datamap_html import datamap_section_html
from nli_probe.reports.svg import esc
from nli_probe.reports.view import (
    HEADLINE,
    AttackRow,
    Case,
    Estimate,
    ModelView,
    ReportView,
    SliceView,
)

_CSS = """
body{font-family:system-ui,-apple-system,sans-serif;margin:0 auto;max-width:1100px;
padding:1.5rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;
padding-bottom:.2rem}table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#f4f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}.muted{color:#666;font-size:.85rem}.charts{display:flex;flex-wrap:wrap;
gap:1rem}figure{margin:0}figcaption{font-size:.85rem;color:#444}.yes{color:#1a7f37;
font-weight:600}.no{color:#666}details{margin:.3rem 0}summary{cursor:pointer}
td.text{max-width:30rem}del{color:#a40e26;background:#ffebe9}ins{color:#116329;
background:#dafbe1;text-decoration:none;font-weight:600}
"""


def render_html(view: ReportView) -> str:
    """The whole report as an HTML document (a string)."""
    body = [f"<h1>{esc(view.title)}</h1>", _provenance(view)]
    if len(view.parts()) > 1:
        body += ["<h2>By data set</h2>", _by_data_set(view)]
        for part in view.parts():
            body += [f"<h2>Data set: {esc(part.dataset)}</h2>", *_sections(part, level=3)]
    else:
        body += _sections(view, level=2, low_agreement=False)
    if view.probes:
        body += ["<h2>Probes: failure rates</h2>", _probe_chart(view), _failures(view)]
    if view.attacks:
        body += ["<h2>Attacks</h2>", _attacks(view.attacks), _adversarial(view.attacks)]
    if len(view.parts()) == 1 and view.low_agreement:
        body += ["<h2>Low-agreement examples</h2>", _cases(view.low_agreement)]
    if view.datamaps is not None and view.datamaps.maps:
        body += ["<h2>Data maps (training dynamics)</h2>", datamap_section_html(view.datamaps)]
    return html_page(view.title, body)


def html_page(title: str, body: Sequence[str]) -> str:
    """A self-contained HTML document: the report's style, then `body` (escaped HTML parts)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _sections(view: ReportView, *, level: int, low_agreement: bool = True) -> list[str]:
    """The scores of one data set (or of a one-set report), headed at `level`."""
    h = f"h{level}"

    def heading(text: str) -> str:
        return f"<{h}>{text}</{h}>"

    body = [heading("Headline"), _headline(view)]
    if view.comparisons:
        body += [heading("Model comparison"), _comparisons(view)]
    metrics = _metrics(view)
    if metrics:
        body += [heading("All metrics"), metrics]
    agreement = _agreement_chart(view)
    if agreement:
        body += [heading("Accuracy by annotator agreement"), agreement]
    body += [heading("Confusion matrices"), _confusions(view)]
    reliability = _reliability(view)
    if reliability:
        body += [heading("Calibration"), reliability]
    for table in view.slices:
        body += [heading(f"By {esc(table.field)}"), _slice(view, table)]
    if low_agreement and view.low_agreement:
        body += [heading("Low-agreement examples"), _cases(view.low_agreement)]
    return body


def _by_data_set(view: ReportView) -> str:
    """One row per (model, data set)."""
    rows = []
    for part in view.parts():
        baseline = next((m for m in part.models if m.baseline), None)
        base = "–" if baseline is None else _estimate(baseline.headline.get("accuracy"))
        for m in part.models:
            if m.baseline:
                continue
            rows.append(
                [
                    esc(part.dataset),
                    esc(m.name),
                    _estimate(m.headline.get("accuracy")),
                    _number(m.metrics.get("f1_macro")),
                    base,
                    esc(part.label_scheme),
                ]
            )
    header = ["data set", "model", "accuracy", "F1 (macro)", "baseline accuracy", "labels"]
    return _table(header, rows, numeric_from=2) + (
        '<p class="muted">Each data set scored on its own pairs; two-way sets (HANS) count a '
        "model's neutral and contradiction as non-entailment.</p>"
    )


def _slice(view: ReportView, table: SliceView) -> str:
    """A slice field's table and its chart: accuracy per value, per model."""
    models = [m.name for m in view.models if not m.baseline]
    pairs = table.rows[0].differences if table.rows else ()
    header = [
        esc(table.field),
        "pairs",
        "baseline",
        *(f"{esc(name)} accuracy · F1 (macro)" for name in models),
        *(f"{esc(c.a)} − {esc(c.b)}" for c in pairs),
    ]
    rows = []
    for row in table.rows:
        cells = [esc(", ".join(row.values)), str(row.count), _number(row.baseline, 3)]
        for name in models:
            accuracy = row.accuracy.get(name)
            f1 = row.f1_macro.get(name)
            cells.append(
                "–" if accuracy is None else f"{esc(accuracy.format(3))} · {_number(f1, 3)}"
            )
        for c in row.differences:
            p = "" if c.p_value is None else f" (p {c.p_value:.2g})"
            cells.append(esc(c.difference.format(3)) + p)
        rows.append(cells)
    bars = [
        [
            svg.Bar(value=None)
            if (acc := row.accuracy.get(name)) is None
            else svg.Bar(value=acc.value, low=acc.low, high=acc.high)
            for name in models
        ]
        for row in table.rows
    ]
    chart = svg.bar_chart(
        title=f"Accuracy by {table.field} on {view.dataset}",
        categories=[f"{', '.join(row.values)} (n={row.count})" for row in table.rows],
        series=models,
        bars=bars,
    )
    return (
        f'<figure class="slice">{chart}<figcaption>Accuracy per {esc(table.field)} with 95% '
        "Wilson intervals.</figcaption></figure>"
        + _table(header, rows)
        + '<p class="muted">Baseline: the majority baseline\'s accuracy on the slice (the same '
        "label as on the whole set). A − B: paired accuracy difference with its bootstrap "
        "interval and McNemar's p.</p>"
    )


def _number(value: float | None, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> str:
    """Cells are already-escaped HTML; columns from `numeric_from` on are right-aligned."""
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i >= numeric_from else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _provenance(view: ReportView) -> str:
    items = [f"<li>data: {esc(view.dataset)} ({view.examples} examples)</li>"]
    if len(view.parts()) > 1:
        items += [
            f"<li>{esc(part.dataset)}: {part.examples} examples, {esc(part.label_scheme)}</li>"
            for part in view.parts()
        ]
    items += [f"<li>{esc(note)}</li>" for note in view.notes]
    return f'<ul class="muted">{"".join(items)}</ul>'


def _name(model: ModelView) -> str:
    shown = model.baseline and "baseline" not in model.name
    suffix = ' <span class="muted">(majority baseline)</span>' if shown else ""
    if model.baseline and model.description:
        suffix += f' <span class="muted">({esc(model.description)})</span>'
    return esc(model.name) + suffix


def _estimate(value: Estimate | None) -> str:
    return "–" if value is None else esc(value.format())


def _headline(view: ReportView) -> str:
    rows = [
        [_name(m), *(_estimate(m.headline.get(metric)) for metric in HEADLINE)] for m in view.models
    ]
    return _table(["model", *HEADLINE], rows) + (
        '<p class="muted">Precision, recall and F1 are support-weighted; brackets hold 95% '
        "bootstrap intervals.</p>"
    )


def _comparisons(view: ReportView) -> str:
    rows = []
    for c in view.comparisons:
        verdict = '<span class="yes">yes</span>' if c.significant else '<span class="no">no</span>'
        p = "–" if c.p_value is None else f"{c.p_value:.4g}"
        rows.append([f"{esc(c.a)} − {esc(c.b)}", esc(c.difference.format()), p, verdict])
    return _table(["models", "accuracy difference", "p (McNemar)", "significant"], rows)


def _metrics(view: ReportView) -> str:
    names = list(dict.fromkeys(name for m in view.models for name in m.metrics))
    if not names:
        return ""
    rows = [
        [esc(n), *("–" if m.metrics.get(n) is None else f"{m.metrics[n]:.4f}" for m in view.models)]
        for n in names
    ]
    return _table(["metric", *(_name(m) for m in view.models)], rows)


def _agreement_chart(view: ReportView) -> str:
    models = [m for m in view.models if m.agreement]
    if not models:
        return ""
    levels = list(dict.fromkeys(row.level for m in models for row in m.agreement))
    counts = {row.level: row.count for m in models for row in m.agreement}
    bars = []
    for level in levels:
        group = []
        for m in models:
            row = next((r for r in m.agreement if r.level == level), None)
            acc = None if row is None else row.accuracy
            group.append(
                svg.Bar(value=None)
                if acc is None
                else svg.Bar(value=acc.value, low=acc.low, high=acc.high)
            )
        bars.append(group)
    chart = svg.bar_chart(
        title="Accuracy by annotator agreement",
        categories=[f"{level} (n={counts[level]})" for level in levels],
        series=[m.name for m in models],
        bars=bars,
    )
    figure = (
        f"<figure>{chart}<figcaption>Accuracy against gold per agreement level, with 95% "
        "Wilson intervals; no-consensus pairs have no gold label.</figcaption></figure>"
    )
    return figure + _agreement_table(models, levels)


def _agreement_table(models: Sequence[ModelView], levels: Sequence[str]) -> str:
    rows = []
    for level in levels:
        found = [next((r for r in m.agreement if r.level == level), None) for m in models]
        first = next(r for r in found if r is not None)
        cells = [esc(level), str(first.count), _share(first.human_agreement)]
        for row in found:
            if row is None:
                cells.append("–")
                continue
            accuracy = None if row.accuracy is None else row.accuracy.value
            cells.append(f"{_share(accuracy)} · {_share(row.model_agreement)} · {_share(row.jsd)}")
        rows.append(cells)
    header = ["level", "pairs", "human↔others", *(_name(m) for m in models)]
    return _table(header, rows) + (
        '<p class="muted">Per model: accuracy · model↔others: how often the model agrees with '
        "the majority of the annotators but one, each annotator left out in turn (compare "
        "human↔others: how often the annotator left out agrees with that same majority) · "
        "Jensen–Shannon distance to the human label distribution.</p>"
    )


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _confusions(view: ReportView) -> str:
    charts = [
        "<figure>"
        + svg.confusion_matrix(
            title=f"Confusion matrix: {m.name}",
            labels=view.labels,
            counts=m.confusion,
        )
        + f"<figcaption>{_name(m)}</figcaption></figure>"
        for m in view.models
        if m.confusion
    ]
    return f'<div class="charts">{"".join(charts)}</div>'


def _reliability(view: ReportView) -> str:
    curves = [
        svg.Curve(
            name=m.name,
            points=[(b.confidence, b.accuracy, b.count) for b in m.reliability],
        )
        for m in view.models
        if m.reliability and not m.baseline
    ]
    if not curves:
        return ""
    chart = svg.reliability_diagram(title="Reliability diagram", curves=curves)
    return (
        f"<figure>{chart}<figcaption>Accuracy against mean confidence per bin; the dashed "
        "diagonal is perfect calibration.</figcaption></figure>"
    )


def _probe_chart(view: ReportView) -> str:
    models = view.probe_models
    by_key = {(row.key, row.model): row for row in view.probes}
    bars = []
    for key in view.probe_keys:
        group = []
        for model in models:
            row = by_key.get((key, model))
            if row is None or row.tested == 0:
                group.append(svg.Bar(value=None))
                continue
            group.append(
                svg.Bar(
                    value=row.rate.value,
                    low=row.rate.low,
                    high=row.rate.high,
                    label=f"{row.rate.value:.1%} ({row.failed}/{row.tested})",
                )
            )
        bars.append(group)
    chart = svg.bar_chart(
        title="Failure rate per probe",
        categories=view.probe_keys,
        series=models,
        bars=bars,
        width=760,
    )
    return (
        f"<figure>{chart}<figcaption>Share of tested cases that failed, with 95% "
        "intervals.</figcaption></figure>"
    )


def _failures(view: ReportView) -> str:
    blocks = [
        f"<details><summary>{esc(row.key)} · {esc(row.model)}: {row.failed} failed of "
        f"{row.tested}</summary>{_cases(row.failures)}</details>"
        for row in view.probes
        if row.failures
    ]
    if not blocks:
        return ""
    return "<h3>Failing cases</h3>" + "".join(blocks)


def _cases(cases: Sequence[Case]) -> str:
    rows = [
        [
            f'<span class="text">{esc(c.premise)}</span>',
            f'<span class="text">{esc(c.hypothesis)}</span>',
            esc(c.note),
        ]
        for c in cases
    ]
    return _table(["premise", "hypothesis", "what happened"], rows, numeric_from=3)


def _attacks(rows: Sequence[AttackRow]) -> str:
    body = [
        [
            esc(row.key),
            esc(row.model),
            str(row.attempted),
            str(row.succeeded),
            str(row.failed),
            str(row.skipped),
            _estimate(row.success_rate),
            f"{_percent(row.original_accuracy)} → {_percent(row.accuracy_under_attack)}",
            _share(row.mean_words_changed),
            _share(row.mean_queries),
        ]
        for row in rows
    ]
    header = [
        "attack", "model", "attempted", "succeeded", "failed", "skipped",
        "success rate", "accuracy → under attack", "words changed", "queries",
    ]  # fmt: skip
    described = dict.fromkeys(
        f"<li><b>{esc(row.key)}</b>: {esc(row.description)}</li>" for row in rows
    )
    return (
        _table(header, body, numeric_from=2)
        + '<p class="muted">An attack searches each pair the model gets right (others are '
        "skipped) for an edit within its constraints that changes the prediction; the success "
        "rate (with a 95% Wilson interval) is the probe's failure rate. Words changed: mean "
        "over successful attacks; queries: mean model queries per attempted pair.</p>"
        + f'<ul class="muted">{"".join(described)}</ul>'
    )


def _adversarial(rows: Sequence[AttackRow]) -> str:
    blocks = []
    for row in rows:
        if not row.examples:
            continue
        cells = [
            [
                f'<span class="text">{html_pieces(case.premise)}</span>',
                f'<span class="text">{html_pieces(case.hypothesis)}</span>',
                f"{esc(case.before)} → {esc(case.after)} ({case.queries} queries)",
            ]
            for case in row.examples
        ]
        blocks.append(
            f"<details open><summary>{esc(row.key)} · {esc(row.model)}: {row.succeeded} of "
            f"{row.attempted} attacks succeeded</summary>"
            f"{_table(['premise', 'hypothesis', 'prediction'], cells, numeric_from=3)}</details>"
        )
    if not blocks:
        return ""
    return "<h3>Adversarial examples</h3>" + "".join(blocks)


def html_pieces(pieces: Sequence[Piece]) -> str:
    """An edited text with each replaced word marked: `<del>old</del><ins>new</ins>`."""
    return "".join(
        esc(piece.text) if piece.before is None
        else f"<del>{esc(piece.before)}</del><ins>{esc(piece.text)}</ins>"
        for piece in pieces
    )  # fmt: skip


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"
