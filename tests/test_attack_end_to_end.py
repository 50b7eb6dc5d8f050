"""One attack end to end on the tiny test model, and `nli-probe probe` running attacks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from nli_probe import (
    Example,
    Pair,
    Prediction,
    PredictionCache,
    attack_examples,
    get_attack,
    load_model,
    predict,
)
from nli_probe.cli import main
from nli_probe.core.words import PairWords
from tests.hostile.conftest import write_pairs
from tests.tiny_models import make_tiny_classifier

SUBJECTS = ("a man", "a woman", "two children", "a dog", "the girl", "some people")
ACTIONS = ("is playing music", "is sleeping", "is eating food", "is sitting", "is running")
PLACES = ("in the park", "on the street", "at the beach", "near the water", "in the house")


def _examples() -> list[Example]:
    return [
        Example(
            id=f"t{i}",
            premise=f"{SUBJECTS[i % 6]} {ACTIONS[i % 5]} {PLACES[i % 5]} .",
            hypothesis=f"{SUBJECTS[(i + 1) % 6]} with a red hat {ACTIONS[(i + 2) % 5]} outside .",
            gold=None,
        )
        for i in range(12)
    ]


@pytest.fixture(scope="module")
def unsure(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random classifier with wider weights (std 1.0, not 0.3) than the shared fixtures:
    its predictions vary from pair to pair, and a typo (an unknown token to its word-level
    tokenizer) changes some of them and not others."""
    folder = tmp_path_factory.mktemp("unsure")
    return make_tiny_classifier(folder, arch="roberta", seed=1, init_std=1.0)


class Counting:
    """A `Model` proxy counting the pairs that reach the wrapped model."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.pairs = 0

    @property
    def name(self) -> str:
        return str(self.model.name)  # type: ignore[attr-defined]

    @property
    def fingerprint(self) -> str:
        return str(self.model.fingerprint)  # type: ignore[attr-defined]

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        self.pairs += len(pairs)
        return self.model.predict(pairs)  # type: ignore[attr-defined,no-any-return]


def test_deepwordbug_on_the_tiny_model(unsure: Path, tmp_path: Path) -> None:
    model = load_model(unsure, device="cpu", progress=False)
    attack = get_attack("deepwordbug", query_budget=40)
    with PredictionCache(tmp_path / "cache.sqlite3") as cache:
        counted = Counting(model)
        results = attack_examples(counted, attack, _examples(), cache=cache, unlabelled=True)
        assert counted.pairs == len({pair for r in results for pair in r.pairs})
        succeeded = [r for r in results if r.status == "succeeded"]
        assert 0 < len(succeeded) < len(results)
        assert all(r.status in ("succeeded", "failed") for r in results)
        for result in results:
            assert 1 < result.queries <= 40
        for result in succeeded:
            assert result.found is not None and result.original is not None
            state = result.found.state
            # The edits rebuild the adversarial pair, and a fresh prediction confirms the flip.
            assert PairWords.of(*result.example.pair).apply(state.edits) == state.pair
            (fresh,) = predict(model, [state.pair])
            assert fresh.label == state.prediction.label != result.original.label
            assert all(e.side == "hypothesis" and e.before != e.after for e in state.edits)
        # The same attack again: the same results, every query answered by the cache.
        again = Counting(model)
        repeat = attack_examples(again, attack, _examples(), cache=cache, unlabelled=True)
        assert again.pairs == 0
        assert [(r.status, r.queries, r.found) for r in repeat] == [
            (r.status, r.queries, r.found) for r in results
        ]


def test_probe_command_runs_an_attack_suite(
    unsure: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = _examples()
    predictions = predict(load_model(unsure, device="cpu", progress=False),
                          [e.pair for e in examples])  # fmt: skip
    rows = [
        (e.id, e.premise, e.hypothesis, str(p.label))
        for e, p in zip(examples, predictions, strict=True)
    ]
    data = write_pairs(tmp_path / "pairs.jsonl", rows)
    suite = tmp_path / "adv.toml"
    suite.write_text(
        'name = "adv"\n[[probe]]\nname = "typos"\ncapability = "typos"\n'
        'attack = { recipe = "deepwordbug", query_budget = 30 }\n'
    )
    status = main(["suites", "validate", str(suite)])
    assert status == 0 and "ok" in capsys.readouterr().out
    out = tmp_path / "run"
    status = main(["probe", "-m", str(unsure), "-s", str(suite), "-d", str(data), "-o",
                   str(out), "--no-cache", "--no-progress", "--show-failures", "1"])  # fmt: skip
    printed = capsys.readouterr().out
    assert status == 0
    assert "attack summary: unsure" in printed and "success rate" in printed
    assert "→" in printed  # an adversarial pair, its edits marked
    from nli_probe import load_report

    (run,) = load_report(out / "report.json").suites
    (probe,) = run.probes
    stats = probe.attack_stats()
    assert stats is not None and stats.attempted == len(examples) and stats.skipped == 0
