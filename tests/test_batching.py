"""Batches cut by a token budget, padded in one array, and the same predictions as before."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nli_probe import NLIProbeError, Prediction, load_model, predict
from nli_probe.models.batching import padded_batch, plan_batches
from nli_probe.testing.fakes import FakeModel

WORDS = ["a", "man", "woman", "dog", "is", "not", "sleeping", "running", "in", "the", "park"]


def _pairs(count: int, seed: int = 0) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [
        (
            " ".join(rng.choices(WORDS, k=rng.randint(1, 40))),
            " ".join(rng.choices(WORDS, k=rng.randint(1, 12))),
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("max_tokens", [1, 7, 64, 300, 5000])
@pytest.mark.parametrize("max_pairs", [None, 1, 5, 64])
def test_plan_respects_the_token_budget_and_pair_limit(
    max_tokens: int, max_pairs: int | None
) -> None:
    rng = random.Random(max_tokens)
    lengths = [rng.randint(1, 130) for _ in range(500)]
    batches = plan_batches(lengths, max_pairs=max_pairs, max_tokens=max_tokens)
    assert sorted(i for batch in batches for i in batch) == list(range(500))  # each pair once
    flat = [lengths[i] for batch in batches for i in batch]
    assert flat == sorted(lengths)  # shortest first
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert padded <= max_tokens or len(batch) == 1  # a too-long pair travels alone
        assert max_pairs is None or len(batch) <= max_pairs
    # Greedy: a batch stops only when the next pair would break a limit.
    for batch, following in itertools.pairwise(batches):
        joined = len(batch) + 1
        over = joined * lengths[following[0]] > max_tokens
        assert over or (max_pairs is not None and joined > max_pairs)


def test_plan_limits_and_edge_cases() -> None:
    assert plan_batches([]) == []
    assert plan_batches([3, 1, 2]) == [[1, 2, 0]]  # no limit: one batch
    assert plan_batches([10, 10, 10, 10], max_tokens=20) == [[0, 1], [2, 3]]
    assert plan_batches([4, 2, 9], max_tokens=5) == [[1], [0], [2]]
    for bad in ({"max_pairs": 0}, {"max_tokens": -1}):
        with pytest.raises(NLIProbeError, match="must be at least 1"):
            plan_batches([1], **bad)


@pytest.mark.parametrize("right", [True, False])
def test_padded_batch_matches_the_tokenizers_padding(tiny_bert: Path, right: bool) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_bert)
    tokenizer.padding_side = "right" if right else "left"
    pairs = _pairs(9)
    encoded = tokenizer([p for p, _ in pairs], [h for _, h in pairs], truncation=True)
    columns = [encoded["input_ids"], encoded["token_type_ids"]]
    array = padded_batch(columns, fills=[tokenizer.pad_token_id, 0], right=right)
    expected = tokenizer.pad(
        {"input_ids": columns[0], "token_type_ids": columns[1]}, return_tensors="np"
    )
    assert array.dtype == np.int64
    assert array.shape == (3, 9, max(len(ids) for ids in columns[0]))
    np.testing.assert_array_equal(array[0], expected["input_ids"])
    np.testing.assert_array_equal(array[1], expected["token_type_ids"])
    np.testing.assert_array_equal(array[2], expected["attention_mask"])


def test_padded_batch_fills_a_given_array() -> None:
    made: list[np.ndarray] = []

    def allocate(shape: tuple[int, int, int]) -> np.ndarray:
        made.append(np.full(shape, -7, dtype=np.int64))
        return made[-1]

    array = padded_batch([[[5, 6, 7], [8]]], fills=[0], allocate=allocate)
    assert array is made[0]
    assert array.tolist() == [[[5, 6, 7], [8, 0, 0]], [[1, 1, 1], [1, 0, 0]]]


def _old_predict(model: Any, pairs: Sequence[tuple[str, str]], batch_size: int) -> list[Prediction]:
    """The engine before issue 12, kept here as the reference: sort by token length, batches
    of `batch_size` pairs, one small tensor per row, `.tolist()`, columns summed in Python."""
    import torch

    encodings = model._tokenize(pairs)
    names = model._input_names
    order = sorted(range(len(pairs)), key=lambda i: len(encodings[i][0]))
    results: dict[int, Prediction] = {}
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encodings[row][0]) for row in rows)
            inputs = {}
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for k, key in enumerate(names):
                fill = model._pad_id if key == "input_ids" else 0
                tensor = torch.full((len(rows), width), fill, dtype=torch.long)
                for index, row in enumerate(rows):
                    ids = encodings[row][k]
                    tensor[index, : len(ids)] = torch.tensor(ids, dtype=torch.long)
                    if key == "input_ids":
                        mask[index, : len(ids)] = 1
                inputs[key] = tensor
            inputs["attention_mask"] = mask
            logits = model.network(**inputs).logits
            for row, values in zip(rows, logits.float().softmax(-1).tolist(), strict=True):
                probs = [0.0, 0.0, 0.0]
                for column, label in enumerate(model.label_map.columns):
                    probs[label] += values[column]
                results[row] = Prediction(probs=(probs[0], probs[1], probs[2]))
    return [results[i] for i in range(len(pairs))]


@pytest.mark.parametrize("fixture", ["tiny_roberta", "tiny_bert"])
def test_same_predictions_as_the_old_per_row_path(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue(fixture)
    pairs = _pairs(150)
    # The old batches (64 pairs by token length, no budget), the last layer computing every
    # position as the old path did: bit for bit the old numbers.
    model = load_model(folder, device="cpu", batch_size=64, batch_tokens=10**9)
    first_token, model._first_token = model._first_token, None
    assert model.predict(pairs) == _old_predict(model, pairs, 64)
    assert predict(model, pairs) == _old_predict(model, pairs, 64)  # through the engine too
    # Only the first position in the last layer (nli_probe.models.first_token): float rounding.
    model._first_token = first_token
    for new, old in zip(model.predict(pairs), _old_predict(model, pairs, 64), strict=True):
        assert new.probs == pytest.approx(old.probs, abs=1e-6)
    # Token-budget batches differ only by what padding does to float sums.
    budgeted = load_model(folder, device="cpu", batch_tokens=256).predict(pairs)
    for new, old in zip(budgeted, _old_predict(model, pairs, 64), strict=True):
        assert new.probs == pytest.approx(old.probs, abs=1e-6)


def test_engine_batches_respect_the_models_token_budget(tiny_roberta: Path) -> None:
    model = load_model(tiny_roberta, device="cpu", batch_tokens=200)
    shapes: list[tuple[int, int]] = []
    model.network.register_forward_pre_hook(
        lambda _module, _args, kwargs: shapes.append(tuple(kwargs["input_ids"].shape)),
        with_kwargs=True,
    )
    pairs = _pairs(300, seed=3)
    got = predict(model, pairs)
    assert sum(n for n, _ in shapes) == len(set(pairs))
    assert all(n * width <= 200 or n == 1 for n, width in shapes)
    assert max(n for n, _ in shapes) > 10  # short pairs fill a batch
    # An explicit limit of the engine's own applies on top of the model's.
    shapes.clear()
    again = predict(model, pairs, batch_size=4, batch_tokens=100_000)
    assert max(n for n, _ in shapes) == 4
    for a, b in zip(got, again, strict=True):
        assert a.probs == pytest.approx(b.probs, abs=1e-6)


def test_engine_uses_predict_batches_and_checks_its_counts() -> None:
    class Batched(FakeModel):
        batch_tokens = 10

        def pair_lengths(self, pairs: Sequence[tuple[str, str]]) -> list[int]:
            return [len(p.split()) + len(h.split()) for p, h in pairs]

        def predict_batches(self, batches: Any) -> Any:
            for batch in batches:
                self.sizes.append(len(batch))
                yield self.predict(batch)

    model = Batched()
    model.sizes = []  # type: ignore[attr-defined]
    pairs = [("a b c", "d"), ("a", "b"), ("a b c d e f", "g h"), ("x", "y")]
    predict(model, pairs)
    # Lengths 2, 2, 4, 8 against 10 tokens: 2 x 2, then 3 x 4 = 12 would be over, then 8.
    assert model.sizes == [2, 1, 1]  # type: ignore[attr-defined]
    assert model.pairs_seen == [("a", "b"), ("x", "y"), ("a b c", "d"), ("a b c d e f", "g h")]

    class Short(Batched):
        def predict_batches(self, batches: Any) -> Any:
            yield from ([] for _ in batches)

    with pytest.raises(NLIProbeError, match="returned 0 predictions for 2 pairs"):
        predict(Short(), pairs)


def test_gpu_overlap_launches_the_next_batch_before_reading_one(tiny_bert: Path) -> None:
    """On CUDA, batch i+1 is launched before batch i is read back; results stay in order."""
    model = load_model(tiny_bert, device="cpu")
    events: list[str] = []
    model.device = "cuda"  # only `_run`'s schedule is exercised; launch/collect are stubbed
    model._launch = lambda encodings: events.append(f"launch {len(encodings)}") or len(encodings)  # type: ignore[method-assign,assignment]
    model._collect = lambda flight: events.append(f"collect {flight}") or [flight]  # type: ignore[method-assign,assignment]
    out = list(model._run([[()] * 1, [()] * 2, [()] * 3]))
    assert out == [[1], [2], [3]]
    assert events == ["launch 1", "launch 2", "collect 1", "launch 3", "collect 2", "collect 3"]


@pytest.mark.parametrize("fixture", ["tiny_bert", "tiny_roberta"])
def test_a_batch_without_padding_goes_without_a_mask(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    model = load_model(request.getfixturevalue(fixture), device="cpu", precision="fp32")
    masked: list[bool] = []
    model.network.register_forward_pre_hook(
        lambda _module, _args, kwargs: masked.append("attention_mask" in kwargs), with_kwargs=True
    )
    rng = random.Random(5)
    # Four pairs of one length (one batch, no padding), then pairs of many lengths.
    even = [(" ".join(rng.choices(WORDS, k=6)), " ".join(rng.choices(WORDS, k=3))) for _ in "abcd"]
    assert len({len(model._tokenize([pair])[0][0]) for pair in even}) == 1
    fast = model.predict(even)
    assert masked == [False]
    model._omit_full_masks = False
    for new, old in zip(fast, model.predict(even), strict=True):
        assert new.probs == pytest.approx(old.probs, abs=1e-6)
    assert masked == [False, True]
    model._omit_full_masks = True
    masked.clear()
    model.predict(_pairs(40, seed=9))
    assert True in masked  # batches with padding keep their mask
