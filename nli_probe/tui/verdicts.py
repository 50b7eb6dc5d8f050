"""What a probe's ✓/✗ is judged against, so the `expect` column always means exactly that.

A report stores each probe's expectation by name (`ProbeRun.expectation`) and its CheckList
kind; the verdict itself (`Outcome.status`) is the runner's and is never recomputed here. This
module only says, for display, what the verdict compared the variant's prediction with:

- the label the variant implies (MFT `label`, and any MFT whose name is not known here);
- not a label (`not_entailment`: HANS's non-entailment, neutral or contradiction pass);
- the model's own prediction on the original (INV `same_label`, `same_probs`; DIR `changes`),
  which differs from model to model, so `expect` says `= before` and each model's cell shows
  its before → after;
- the original's gold (`premise_needed`: the premise-less prediction must not recover it);
- something the cell cannot show (a DIR move of one label's probability, a threshold): `expect`
  names it and the dialog's title gives the probe's description.

Pure (no textual).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from nli_probe.tui.probes import CaseRow
from nli_probe.tui.render import label_text

__all__ = ["Judged", "judged_against"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Judged:
    """How one probe's verdicts read."""

    against: str
    """`implied`, `before`, `gold` or `other`."""
    phrase: str
    """What the verdict asks, in words (the cases dialog's title)."""
    short: str = ""
    """The `expect` cell when it is the same for every case (`not ent`, `= before`)."""

    def expect_cell(self, case: CaseRow) -> Text:
        """The `expect` cell of `case`."""
        if self.against == "implied":
            return label_text(case.implied) if case.implied >= 0 else Text("?", style="dim")
        if self.against == "gold" and case.gold >= 0:
            text = Text("≠ ")
            text.append_text(label_text(case.gold))
            return text
        return Text(self.short or "see title", style="" if self.short else "dim")


_BY_NAME: dict[str, Judged] = {
    "label": Judged(against="implied", phrase="the variant predicted as the label it implies"),
    "not_entailment": Judged(
        against="other",
        phrase="not predicted entailment (neutral or contradiction pass, as HANS scores)",
        short="not ent",
    ),
    "same_label": Judged(
        against="before",
        phrase="the variant gets the model's own label on the original (before → after)",
        short="= before",
    ),
    "same_probs": Judged(
        against="before",
        phrase="no label's probability moves far from the model's own on the original",
        short="≈ before",
    ),
    "changes": Judged(
        against="before",
        phrase="the variant's label differs from the model's own on the original",
        short="≠ before",
    ),
    "premise_needed": Judged(
        against="gold",
        phrase="without the premise's evidence, the original's gold label is not recovered",
    ),
    "no_evidence": Judged(
        against="other",
        phrase="no confident entailment or contradiction without the premise's evidence",
        short="no e/c",
    ),
    "prob_up": Judged(
        against="before", phrase="one label's probability does not go down", short="P ↑"
    ),
    "prob_down": Judged(
        against="before", phrase="one label's probability does not go up", short="P ↓"
    ),
    "not_label": Judged(against="other", phrase="the variant is not predicted one label"),
}

_BY_KIND: dict[str, Judged] = {
    "MFT": Judged(against="implied", phrase="the variant predicted as the label it implies"),
    "INV": Judged(
        against="before",
        phrase="the variant keeps the model's own prediction on the original (before → after)",
        short="= before",
    ),
    "DIR": Judged(against="before", phrase="the prediction moves as the probe expects"),
}


def judged_against(expectation: str, kind: str) -> Judged:
    """How verdicts of the expectation `expectation` (a `ProbeRun.expectation`) read; an
    expectation not known here reads by its kind."""
    return _BY_NAME.get(expectation) or _BY_KIND.get(kind, _BY_KIND["MFT"])
