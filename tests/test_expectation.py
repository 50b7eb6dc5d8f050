"""Expectations: MFT, INV and DIR verdicts, n/a cases, and the registry."""

from __future__ import annotations

import pytest

from nli_probe import Check, Example, Label, NLIProbeError, Prediction, Variant, get_expectation
from nli_probe.probing.expectation import EXPECTATIONS

E = Prediction(probs=(0.8, 0.1, 0.1))
N = Prediction(probs=(0.1, 0.8, 0.1))
C = Prediction(probs=(0.1, 0.1, 0.8))
E_WEAK = Prediction(probs=(0.5, 0.3, 0.2))


def check(
    before: Prediction,
    after: Prediction,
    *,
    implied: Label | None = Label.ENTAILMENT,
    gold: Label | None = Label.ENTAILMENT,
) -> Check:
    example = Example(id="x", premise="p", hypothesis="h", gold=gold)
    variant = Variant(premise="p2", hypothesis="h2", label=implied)
    return Check(example=example, variant=variant, before=before, after=after)


ROWS: list[tuple[str, dict[str, object], Check, bool | None]] = [
    ("label", {}, check(N, E), True),
    ("label", {}, check(E, C, implied=Label.CONTRADICTION), True),
    ("label", {}, check(E, E, implied=Label.CONTRADICTION), False),
    ("label", {}, check(E, E, implied=None), None),
    ("same_label", {}, check(E, E_WEAK), True),
    ("same_label", {}, check(E, N), False),
    ("same_label", {"only_correct": True}, check(N, N, gold=Label.ENTAILMENT), None),
    ("same_label", {"only_correct": True}, check(E, N, gold=Label.ENTAILMENT), False),
    ("same_probs", {}, check(E, E), True),
    ("same_probs", {"tolerance": 0.2}, check(E, E_WEAK), False),
    ("same_probs", {"tolerance": 0.3}, check(E, E_WEAK), True),
    ("prob_up", {"label": "neutral"}, check(E, E_WEAK), True),
    ("prob_up", {"label": "entailment"}, check(E, E_WEAK), False),
    ("prob_up", {"label": "e", "tolerance": 0.3}, check(E, E_WEAK), True),
    ("prob_down", {"label": Label.ENTAILMENT}, check(E, E_WEAK), True),
    ("prob_down", {"label": "contradiction"}, check(E, E_WEAK), False),
    ("not_label", {"label": "entailment"}, check(E, C), True),
    ("not_label", {"label": "entailment"}, check(C, E), False),
    ("changes", {}, check(E, C), True),
    ("changes", {}, check(E, E_WEAK), False),
]


@pytest.mark.parametrize(("name", "args", "case", "verdict"), ROWS)
def test_verdicts(name: str, args: dict[str, object], case: Check, verdict: bool | None) -> None:
    assert get_expectation(name, **args).judge(case) is verdict


@pytest.mark.parametrize(
    ("name", "kind"),
    [("label", "MFT"), ("same_label", "INV"), ("same_probs", "INV"), ("changes", "DIR")],
)
def test_kinds(name: str, kind: str) -> None:
    assert get_expectation(name).kind == kind


def test_unknown_names_and_arguments() -> None:
    with pytest.raises(
        NLIProbeError, match=r"unknown expectation 'same_lable'; did you mean 'same_label'"
    ):
        get_expectation("same_lable")
    with pytest.raises(NLIProbeError, match="needs argument 'label'"):
        get_expectation("prob_up")
    with pytest.raises(NLIProbeError, match="unknown label 'happy'"):
        get_expectation("not_label", label="happy")
    with pytest.raises(NLIProbeError, match="tolerance must be a number between 0 and 1"):
        get_expectation("same_probs", tolerance=2)


def test_registry_lists_and_describes() -> None:
    names = EXPECTATIONS.names()
    assert {"label", "same_label", "same_probs", "prob_up", "prob_down", "not_label"} <= set(names)
    assert EXPECTATIONS.signature("prob_up") == "label, tolerance=0.0"
    assert EXPECTATIONS.describe("same_label").startswith("INV")
