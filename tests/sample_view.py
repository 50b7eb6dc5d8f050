"""A hand-built `ReportView` for renderer and gate tests, with hostile text in every field."""

from __future__ import annotations

from nli_probe.reports.view import (
    AgreementRow,
    Case,
    Comparison,
    Estimate,
    ModelView,
    ProbeRow,
    ReliabilityBin,
    ReportView,
)

SCRIPT = "<script>alert('x')</script>"


def _model(name: str, acc: float, *, baseline: bool = False) -> ModelView:
    headline = {
        metric: Estimate(value=acc - 0.01 * i, low=acc - 0.02 - 0.01 * i, high=acc + 0.02)
        for i, metric in enumerate(("accuracy", "precision", "recall", "f1"))
    }
    return ModelView(
        name=name,
        baseline=baseline,
        headline=headline,
        metrics={"accuracy": acc, "f1_macro": acc - 0.02, "ece": 0.05},
        confusion=((50, 3, 2), (4, 40, 6), (1, 5, 44)),
        agreement=(
            AgreementRow(
                level="5/5", count=80, accuracy=Estimate(value=acc + 0.05, low=0.8, high=0.99)
            ),
            AgreementRow(level="3/5", count=15, accuracy=Estimate(value=acc - 0.2), jsd=0.21),
            AgreementRow(level="no consensus", count=5, accuracy=None, jsd=0.3),
        ),
        reliability=(
            ReliabilityBin(low=0.3, high=0.4, count=5, confidence=0.35, accuracy=0.3),
            ReliabilityBin(low=0.8, high=0.9, count=60, confidence=0.85, accuracy=0.8),
        ),
    )


def sample_view() -> ReportView:
    return ReportView(
        title="Robustness report",
        dataset="snli dev <held-out>",
        examples=150,
        models=(
            _model("majority baseline", 0.34, baseline=True),
            _model("full", 0.9),
            _model(f"lora {SCRIPT}", 0.85),
        ),
        comparisons=(
            Comparison(
                a="full",
                b=f"lora {SCRIPT}",
                difference=Estimate(value=0.05, low=0.01, high=0.09),
                p_value=0.003,
            ),
        ),
        probes=(
            ProbeRow(
                suite="robustness",
                probe="typos",
                model="full",
                kind="INV",
                tested=40,
                failed=8,
                rate=Estimate(value=0.2, low=0.1, high=0.35),
                failures=(
                    Case(
                        premise=f"A man {SCRIPT} sings.",
                        hypothesis="A man | sings *loud*",
                        note="e → c",
                    ),
                ),
            ),
            ProbeRow(
                suite="robustness",
                probe="typos",
                model=f"lora {SCRIPT}",
                kind="INV",
                tested=40,
                failed=12,
                rate=Estimate(value=0.3, low=0.18, high=0.45),
            ),
            ProbeRow(
                suite="logic",
                probe="negation",
                model="full",
                kind="DIR",
                tested=0,
                failed=0,
                rate=Estimate(value=0.0),
            ),
        ),
        low_agreement=(
            Case(premise=f"P {SCRIPT}", hypothesis="H & <b>bold</b>", note="humans e2 n2 c1"),
        ),
        notes=("nli-probe 0.1.0", "1000 bootstrap resamples"),
    )
