"""The inference engine: every prediction the tool makes goes through `predict`.

It asks the model about each distinct pair once, in batches of similar length (so a
transformer pads little), reads and writes the prediction cache when given one, and reports
progress. It knows models only through the `Model` protocol and imports no torch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nli_probe.cache import PredictionCache
from nli_probe.errors import NLIProbeError
from nli_probe.prediction import Prediction
from nli_probe.protocol import Model, Pair

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
    batch_size: int = 64,
    progress: ProgressCallback | None = None,
    cache: PredictionCache | None = None,
) -> list[Prediction]:
    """Predict every pair, calling the model once per distinct pair.

    Returns one prediction per input pair, in input order (repeated pairs share one).
    With a `cache`, pairs it holds for this model's fingerprint are not sent to the model, and
    each new batch is stored as soon as it is predicted.
    """
    return run_predictions(
        model, pairs, batch_size=batch_size, progress=progress, cache=cache
    ).predictions


def _by_length(model: Model, pairs: list[Pair]) -> list[Pair]:
    """Pairs of similar length next to each other: a transformer pads each batch to its
    longest pair, so this saves most of the padding. A model may offer
    `pair_lengths(pairs) -> Sequence[int]` (`TransformersModel` gives token counts); otherwise
    the character count stands in for it."""
    lengths = getattr(model, "pair_lengths", None)
    if callable(lengths) and pairs:
        sizes = list(lengths(pairs))
        if len(sizes) == len(pairs):
            order = sorted(range(len(pairs)), key=sizes.__getitem__)
            return [pairs[i] for i in order]
    return sorted(pairs, key=lambda p: len(p[0]) + len(p[1]))


def run_predictions(
    model: Model,
    pairs: Sequence[Pair],
    *,
    batch_size: int = 64,
    progress: ProgressCallback | None = None,
    cache: PredictionCache | None = None,
) -> PredictionRun:
    """`predict`, also saying how many distinct pairs came from the cache."""
    if batch_size < 1:
        raise NLIProbeError(f"batch size must be at least 1, got {batch_size}")
    distinct = list(dict.fromkeys(pairs))
    found: dict[Pair, Prediction] = {}
    if cache is not None:
        found.update(cache.get_many(model.fingerprint, distinct))
        if found and progress is not None:
            progress(len(found), len(distinct))
    cached = len(found)
    todo = _by_length(model, [pair for pair in distinct if pair not in found])
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        predictions = model.predict(batch)
        if len(predictions) != len(batch):
            raise NLIProbeError(
                f"model {model.name!r} returned {len(predictions)} predictions "
                f"for {len(batch)} pairs"
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
