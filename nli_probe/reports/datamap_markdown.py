"""The data-map section of a Markdown report: regions, annotator agreement by region, the rank
correlations, how two maps' regions cross, and the first possible label errors (the scatter
plots are in the HTML report)."""

from __future__ import annotations

from nli_probe.reports.datamap_html import votes_text
from nli_probe.reports.markdown import md_text, table
from nli_probe.scoring.datamap import REGION_NAMES, DataMapSection

SUSPECTS_SHOWN = 10


def datamap_markdown(section: DataMapSection) -> str:
    maps = section.maps
    parts = [
        "Per training pair: confidence (mean probability of the gold label over the records), "
        "variability (its standard deviation) and correctness (share of records with the gold "
        "label chosen); the scatter plots are in the HTML report.",
        table(
            ["region", *(f"{md_text(m.name)}: pairs (share) · conf · var · corr" for m in maps)],
            [
                [
                    region,
                    *(
                        f"{(s := m.region(region)).pairs:,} ({s.share:.1%}) · "
                        f"{_n(s.confidence)} · {_n(s.variability)} · {_n(s.correctness)}"
                        for m in maps
                    ),
                ]
                for region in REGION_NAMES
            ],
        ),
        "\n".join(
            f"- {md_text(m.name)}: {md_text(m.thresholds.describe())}; {m.records} records"
            for m in maps
        ),
    ]
    for m in maps:
        ties = m.annotators
        if ties is None:
            continue
        rows = [
            [
                r.region,
                f"{r.annotated:,}",
                md_text(", ".join(f"{level} {count:,}" for level, count in r.levels.items()))
                or "–",
                _n(r.mean_entropy),
                _n(r.weak_share),
            ]
            for r in ties.regions
        ]
        parts.append(f"### {md_text(m.name)}: annotators ({md_text(m.votes_from)})")
        parts.append(table(["region", "annotated", "levels", "entropy (bits)", "weak gold"], rows))
        parts.append(
            "\n".join(
                f"- Spearman ρ ({what}, human entropy): "
                + ("undefined" if value is None else value.format())
                for what, value in (
                    ("variability", ties.variability_entropy),
                    ("confidence", ties.confidence_entropy),
                )
            )
        )
        if ties.suspects:
            parts.append(f"{ties.label_errors:,} possible label errors; the first:")
            parts.append(
                table(
                    ["id", "premise", "hypothesis", "gold", "model", "votes", "why"],
                    [
                        [
                            md_text(s.id),
                            md_text(s.premise),
                            md_text(s.hypothesis),
                            s.gold,
                            s.model_label,
                            votes_text(s.votes),
                            md_text("; ".join(s.reasons)),
                        ]
                        for s in ties.suspects[:SUSPECTS_SHOWN]
                    ],
                )
            )
    for crossing in section.crossings:
        parts.append(f"### {md_text(crossing.a)} (rows) against {md_text(crossing.b)} (columns)")
        parts.append(
            table(
                ["", *REGION_NAMES],
                [
                    [name, *(f"{c:,}" for c in row)]
                    for name, row in zip(REGION_NAMES, crossing.counts, strict=True)
                ],
            )
        )
    return "\n\n".join(parts)


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
