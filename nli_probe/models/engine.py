"""The inference engine: every prediction the tool makes goes through `predict`.

It asks the model about each distinct pair once, in batches of similar length (so a
transformer pads little) cut by the model's token budget, reads and writes the prediction cache
when given one, and reports progress. It knows models only through the `Model` protocol, plus
three optional extras a model may offer: `pair_lengths(pairs)` (token counts, to sort and budget
by), `batch_tokens` / `batch_size` (its batch limits) and `predict_batches(batches)` (an
iterator that may overlap one batch's device work with the next one's host work). It imports no
torch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Model, Pair
from nli_probe.errors import NLIProbeError
from nli_probe.models.batching import plan_batches
from nli_probe.models.cache import PredictionCache

DEFAULT_BATCH_SIZE = 64
"""Pairs per model call for a model that gives neither token counts nor batch limits."""

ProgressCallback = Callable[[int, int], None]
"""Called with (distinct pairs done, distinct pairs total) after each batch (and once up front
when the cache already held some)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class PredictionRun:
    """What `run_predictions` did: one prediction per input pair (in input order) and where
    they came from."""

    predictions: list[Prediction]
    distinct: int
    cached: int
    computed: int


def predict(
    model: Model,
    pairs: Sequence[Pair],
    *,
    batch_size: int | None = None,
    batch_tokens: int | None = None,
    progress: ProgressCallback | None = None,
    cache: PredictionCache | None = None,
) -> list[Prediction]:
    """Predict every pair, calling the model once per distinct pair.

    Returns one prediction per input pair, in input order (repeated pairs share one).
    With a `cache`, pairs it holds for this model's fingerprint are not sent to the model, and
    each new batch is stored as soon as it is predicted. `batch_size` (pairs) and
    `batch_tokens` (padded tokens) limit a batch; by default the model's own limits apply.
    """
    return run_predictions(
        model,
        pairs,
        batch_size=batch_size,
        batch_tokens=batch_tokens,
        progress=progress,
        cache=cache,
    ).predictions


def _plan(
    model: Model,
    pairs: Sequence[Pair],
    *,
    batch_size: int | None = None,
    batch_tokens: int | None = None,
) -> list[list[Pair]]:
    """`pairs` in batches of similar length, shortest first.

    A transformer pads each batch to its longest pair, so sorting saves most of the padding. A
    model that offers `pair_lengths(pairs) -> Sequence[int]` (`TransformersModel` gives token
    counts) is batched by a token budget: `batch_tokens`, else its own `batch_tokens`; and at
    most `batch_size` pairs, else its own `batch_size`. Otherwise the character count orders
    the pairs and batches hold `batch_size` pairs (default 64).
    """
    lengths = getattr(model, "pair_lengths", None)
    if callable(lengths) and pairs:
        sizes = list(lengths(pairs))
        if len(sizes) == len(pairs):
            max_pairs = batch_size if batch_size is not None else _limit(model, "batch_size")
            max_tokens = batch_tokens if batch_tokens is not None else _limit(model, "batch_tokens")
            if max_pairs is None and max_tokens is None:
                max_pairs = DEFAULT_BATCH_SIZE
            batches = plan_batches(sizes, max_pairs=max_pairs, max_tokens=max_tokens)
            return [[pairs[i] for i in rows] for rows in batches]
    chars = [len(premise) + len(hypothesis) for premise, hypothesis in pairs]
    max_pairs = batch_size if batch_size is not None else _limit(model, "batch_size")
    batches = plan_batches(chars, max_pairs=max_pairs or DEFAULT_BATCH_SIZE)
    return [[pairs[i] for i in rows] for rows in batches]


def _limit(model: Model, name: str) -> int | None:
    value = getattr(model, name, None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _predicted(model: Model, batches: list[list[Pair]]) -> Iterator[list[Prediction]]:
    batched = getattr(model, "predict_batches", None)
    if callable(batched):
        yield from batched(batches)
        return
    for batch in batches:
        yield list(model.predict(batch))


def run_predictions(
    model: Model,
    pairs: Sequence[Pair],
    *,
    batch_size: int | None = None,
    batch_tokens: int | None = None,
    progress: ProgressCallback | None = None,
    cache: PredictionCache | None = None,
) -> PredictionRun:
    """`predict`, also saying how many distinct pairs came from the cache."""
    for what, value in (("batch size", batch_size), ("batch token budget", batch_tokens)):
        if value is not None and value < 1:
            raise NLIProbeError(f"{what} must be at least 1, got {value}")
    distinct = list(dict.fromkeys(pairs))
    found: dict[Pair, Prediction] = {}
    if cache is not None:
        found.update(cache.get_many(model.fingerprint, distinct))
        if found and progress is not None:
            progress(len(found), len(distinct))
    cached = len(found)
    todo = [pair for pair in distinct if pair not in found]
    batches = _plan(model, todo, batch_size=batch_size, batch_tokens=batch_tokens)
    outputs = _predicted(model, batches)
    for batch in batches:
        predictions = next(outputs, None)
        if predictions is None or len(predictions) != len(batch):
            got = "no" if predictions is None else len(predictions)
            raise NLIProbeError(
                f"model {model.name!r} returned {got} predictions for {len(batch)} pairs"
            )
        if cache is not None:
            cache.put_many(model.fingerprint, zip(batch, predictions, strict=True), name=model.name)
        found.update(zip(batch, predictions, strict=True))
        if progress is not None:
            progress(len(found), len(distinct))
    return PredictionRun(
        predictions=[found[pair] for pair in pairs],
        distinct=len(distinct),
        cached=cached,
        computed=len(todo),
    )
