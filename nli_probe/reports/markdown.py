"""A `ReportView` as Markdown: the same sections as the HTML page, as tables."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nli_probe.core.words import Piece
from nli_probe.reports.view import (
    HEADLINE,
    AttackRow,
    Case,
    Estimate,
    ModelView,
    ProbeRow,
    ReportView,
    SliceView,
)

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_WHITESPACE = re.compile(r"\s+")


def md_text(text: object) -> str:
    """Escape dataset text for Markdown: markup becomes entities, the inline Markdown
    punctuation (emphasis, code, links, table pipes) is backslash-escaped, and line breaks
    become spaces, so a table cell stays one cell and a list item one line."""
    return _escape(" ".join(str(text).split()))


def _escape(value: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table; cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(view: ReportView) -> str:
    """The whole report as one Markdown document."""
    parts = [f"# {md_text(view.title)}", _provenance(view)]
    if len(view.parts()) > 1:
        parts += ["## By data set", _by_data_set(view)]
        for part in view.parts():
            parts += [f"## Data set: {md_text(part.dataset)}", *_sections(part, level=3)]
    else:
        parts += _sections(view, level=2, low_agreement=False)
    if view.probes:
        parts += ["## Probes (failure rates)", _probes(view), *_failures(view.probes)]
    if view.attacks:
        parts += ["## Attacks", _attacks(view.attacks), *_adversarial(view.attacks)]
    if len(view.parts()) == 1 and view.low_agreement:
        parts += ["## Low-agreement examples", _cases_table(view.low_agreement)]
    if view.datamaps is not None and view.datamaps.maps:
        from nli_probe.reports.datamap_markdown import datamap_markdown

        parts += ["## Data maps (training dynamics)", datamap_markdown(view.datamaps)]
    return "\n\n".join(part for part in parts if part) + "\n"


def _sections(view: ReportView, *, level: int, low_agreement: bool = True) -> list[str]:
    """The scores of one data set (or of a one-set report), headed at `level`."""
    h = "#" * level
    parts = [f"{h} Headline", _headline(view)]
    if view.comparisons:
        parts += [f"{h} Model comparison", _comparisons(view)]
    metric_table = _metrics(view)
    if metric_table:
        parts += [f"{h} All metrics", metric_table]
    agreement = _agreement(view)
    if agreement:
        parts += [f"{h} Accuracy by annotator agreement", agreement]
    parts += [f"{h} Confusion matrices", *_confusions(view)]
    for slice_table in view.slices:
        parts += [f"{h} By {md_text(slice_table.field)}", _slice(view, slice_table)]
    if low_agreement and view.low_agreement:
        parts += [f"{h} Low-agreement examples", _cases_table(view.low_agreement)]
    return parts


def _by_data_set(view: ReportView) -> str:
    rows = []
    for part in view.parts():
        baseline = next((m for m in part.models if m.baseline), None)
        base = "–" if baseline is None else _estimate(baseline.headline.get("accuracy"))
        for m in part.models:
            if not m.baseline:
                rows.append(
                    [
                        md_text(part.dataset),
                        md_text(m.name),
                        _estimate(m.headline.get("accuracy")),
                        _number(m.metrics.get("f1_macro")),
                        base,
                        part.label_scheme,
                    ]
                )
    header = ["data set", "model", "accuracy", "F1 (macro)", "baseline accuracy", "labels"]
    note = (
        "Each data set scored on its own pairs; two-way sets (HANS) count a model's neutral and "
        "contradiction as non-entailment."
    )
    return table(header, rows) + "\n\n" + note


def _slice(view: ReportView, slice_table: SliceView) -> str:
    models = [m.name for m in view.models if not m.baseline]
    pairs = slice_table.rows[0].differences if slice_table.rows else ()
    header = [
        md_text(slice_table.field),
        "pairs",
        "baseline",
        *(f"{md_text(name)} accuracy" for name in models),
        *(f"{md_text(name)} F1 (macro)" for name in models),
        *(f"{md_text(c.a)} − {md_text(c.b)}" for c in pairs),
    ]
    rows = []
    for row in slice_table.rows:
        cells = [md_text(", ".join(row.values)), str(row.count), _number(row.baseline, 3)]
        cells += [_estimate(row.accuracy.get(name), 3) for name in models]
        cells += [_number(row.f1_macro.get(name), 3) for name in models]
        for c in row.differences:
            p = "" if c.p_value is None else f" (p {c.p_value:.2g})"
            cells.append(c.difference.format(3) + p)
        rows.append(cells)
    note = (
        "Accuracy with 95% Wilson intervals; baseline: the majority baseline's accuracy on the "
        "slice; A − B: paired accuracy difference, bootstrap interval, McNemar's p."
    )
    return table(header, rows) + "\n\n" + note


def _provenance(view: ReportView) -> str:
    lines = [f"- data: {md_text(view.dataset)} ({view.examples} examples)"]
    if len(view.parts()) > 1:
        lines += [
            f"- {md_text(part.dataset)}: {part.examples} examples, {part.label_scheme}"
            for part in view.parts()
        ]
    lines += [f"- {md_text(note)}" for note in view.notes]
    return "\n".join(lines)


def _estimate(value: Estimate | None, digits: int = 4) -> str:
    return "–" if value is None else value.format(digits)


def _headline(view: ReportView) -> str:
    header = ["model", *HEADLINE]
    rows = [
        [_model_name(m), *(_estimate(m.headline.get(metric)) for metric in HEADLINE)]
        for m in view.models
    ]
    note = "Precision, recall and F1 are support-weighted; intervals are 95% bootstrap intervals."
    return table(header, rows) + "\n\n" + note


def _model_name(model: ModelView) -> str:
    suffix = " (majority baseline)" if model.baseline and "baseline" not in model.name else ""
    if model.baseline and model.description:
        suffix += f" ({md_text(model.description)})"
    return md_text(model.name) + suffix


def _comparisons(view: ReportView) -> str:
    rows = [
        [
            f"{md_text(c.a)} − {md_text(c.b)}",
            c.difference.format(),
            "–" if c.p_value is None else f"{c.p_value:.4g}",
            "yes" if c.significant else "no",
        ]
        for c in view.comparisons
    ]
    header = ["models", "accuracy difference", "p (McNemar)", "significant (p < 0.05)"]
    return table(header, rows)


def _metrics(view: ReportView) -> str:
    # One row per metric: a dozen metrics read better down the page than across it.
    names = list(dict.fromkeys(name for m in view.models for name in m.metrics))
    if not names:
        return ""
    rows = [[name, *(_number(m.metrics.get(name)) for m in view.models)] for name in names]
    return table(["metric", *(_model_name(m) for m in view.models)], rows)


def _number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if abs(value) < 1000 else f"{value:.0f}"


def _agreement(view: ReportView) -> str:
    models = [m for m in view.models if m.agreement]
    if not models:
        return ""
    levels = list(dict.fromkeys(row.level for m in models for row in m.agreement))
    rows = []
    for level in levels:
        cells = [md_text(level)]
        count = ""
        for m in models:
            row = next((r for r in m.agreement if r.level == level), None)
            if row is None:
                cells.append("–")
                continue
            count = str(row.count)
            text = _estimate(row.accuracy)
            if row.jsd is not None:
                text += f" (JSD {row.jsd:.3f})"
            cells.append(text)
        rows.append([cells[0], count, *cells[1:]])
    header = ["agreement", "pairs", *(_model_name(m) for m in models)]
    note = "Accuracy against gold; JSD is the divergence from the human label distribution."
    return table(header, rows) + "\n\n" + note


def _confusions(view: ReportView) -> list[str]:
    parts = []
    for m in view.models:
        if not m.confusion:
            continue
        rows = [
            [f"gold {md_text(view.labels[i])}", *(str(n) for n in row)]
            for i, row in enumerate(m.confusion)
        ]
        parts.append(f"**{_model_name(m)}** (rows gold, columns predicted)")
        parts.append(table(["", *(md_text(label) for label in view.labels)], rows))
    return parts


def _probes(view: ReportView) -> str:
    models = view.probe_models
    by_key = {(row.key, row.model): row for row in view.probes}
    rows = []
    for key in view.probe_keys:
        first = next(row for row in view.probes if row.key == key)
        cells = [md_text(key), md_text(first.kind)]
        for model in models:
            row = by_key.get((key, model))
            cells.append(
                "–" if row is None else f"{row.rate.format(3)} ({row.failed}/{row.tested})"
            )
        rows.append(cells)
    return table(["probe", "kind", *(md_text(m) for m in models)], rows)


def _failures(rows: Sequence[ProbeRow]) -> list[str]:
    with_cases = [row for row in rows if row.failures]
    if not with_cases:
        return []
    parts = ["### Failing cases (a few per probe)"]
    for row in with_cases:
        parts.append(f"**{md_text(row.key)}**, {md_text(row.model)}")
        parts.append(_cases_table(row.failures))
    return parts


def _cases_table(cases: Sequence[Case]) -> str:
    rows = [[md_text(c.premise), md_text(c.hypothesis), md_text(c.note)] for c in cases]
    return table(["premise", "hypothesis", "what happened"], rows)


def _attacks(rows: Sequence[AttackRow]) -> str:
    header = [
        "attack", "model", "attempted", "succeeded", "failed", "skipped",
        "success rate", "accuracy → under attack", "words changed", "queries",
    ]  # fmt: skip
    body = [
        [
            md_text(row.key),
            md_text(row.model),
            str(row.attempted),
            str(row.succeeded),
            str(row.failed),
            str(row.skipped),
            _estimate(row.success_rate),
            f"{_share(row.original_accuracy)} → {_share(row.accuracy_under_attack)}",
            _number(row.mean_words_changed),
            _number(row.mean_queries),
        ]
        for row in rows
    ]
    note = (
        "An attack searches each pair the model gets right (others are skipped) for an edit "
        "within its constraints that changes the prediction; the success rate (with a 95% "
        "Wilson interval) is the probe's failure rate. Words changed: mean over successful "
        "attacks; queries: mean model queries per attempted pair."
    )
    described = [f"- **{md_text(row.key)}**: {md_text(row.description)}" for row in rows]
    return "\n\n".join([table(header, body), note, "\n".join(dict.fromkeys(described))])


def _adversarial(rows: Sequence[AttackRow]) -> list[str]:
    with_examples = [row for row in rows if row.examples]
    if not with_examples:
        return []
    parts = ["### Adversarial examples (a few per attack; ~~old~~ **new**)"]
    for row in with_examples:
        parts.append(f"**{md_text(row.key)}**, {md_text(row.model)}")
        cells = [
            [
                md_pieces(case.premise),
                md_pieces(case.hypothesis),
                f"{md_text(case.before)} → {md_text(case.after)} ({case.queries} queries)",
            ]
            for case in row.examples
        ]
        parts.append(table(["premise", "hypothesis", "prediction"], cells))
    return parts


def md_pieces(pieces: Sequence[Piece]) -> str:
    """An edited text with each replaced word marked: `~~old~~ **new**` (escaped as `md_text`
    escapes, the spaces between pieces kept)."""
    marked = "".join(
        _escape(_WHITESPACE.sub(" ", piece.text)) if piece.before is None
        else f"~~{md_text(piece.before)}~~ **{md_text(piece.text)}**"
        for piece in pieces
    )  # fmt: skip
    return marked.strip()


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"
