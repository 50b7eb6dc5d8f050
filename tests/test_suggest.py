"""The one did-you-mean rule (`nli_probe.core.suggest`), and that no other module has its own."""

from __future__ import annotations

from pathlib import Path

from nli_probe.core.suggest import close_names, did_you_mean

REPO = Path(__file__).resolve().parent.parent


def test_the_rule() -> None:
    known = ["robustness", "logic", "heuristics", "artefacts"]
    assert did_you_mean("robustnes", known) == "; did you mean 'robustness'?"
    assert did_you_mean("zzz", known) == ""
    assert close_names("quick-ful", ["quick-full", "quick-lora", "roberta-snli"]) == [
        "quick-full",
        "quick-lora",
    ]  # closest first
    assert len(close_names("a", ["a", "ab", "ac", "ad", "ae"])) == 3  # at most three
    assert did_you_mean("txt", ["text", "hypothesis"]) == "; did you mean 'text'?"
    assert did_you_mean("runz", ["runs"], show=lambda name: f"/tmp/{name}") == (
        "; did you mean /tmp/runs?"
    )


def test_no_other_module_writes_its_own_suggestion() -> None:
    """difflib's close matches are asked for in one place only, so every message follows one
    rule (issue 15: the suggestion was written out 11 times with different cut-offs)."""
    sources = [*(REPO / "nli_probe").rglob("*.py"), *(REPO / "trainers").rglob("*.py")]
    users = sorted(
        str(path.relative_to(REPO))
        for path in sources
        if "get_close_matches" in path.read_text(encoding="utf-8")
    )
    assert users == ["nli_probe/core/suggest.py"]
