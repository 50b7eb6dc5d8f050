"""The inference engine: every prediction the tool makes goes through `predict`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nli_probe.errors import NLIProbeError
from nli_probe.prediction import Prediction
from nli_probe.protocol import Model, Pair

ProgressCallback = Callable[[int, int], None]
"""Called with (pairs done, pairs total) after each batch."""


def predict(
    model: Model,
    pairs: Sequence[Pair],
    *,
    batch_size: int = 64,
    progress: ProgressCallback | None = None,
) -> list[Prediction]:
    """Predict every pair, calling the model once per distinct pair.

    Returns one prediction per input pair, in input order (repeated pairs share one).
    """
    if batch_size < 1:
        raise NLIProbeError(f"batch size must be at least 1, got {batch_size}")
    distinct = list(dict.fromkeys(pairs))
    found: dict[Pair, Prediction] = {}
    for start in range(0, len(distinct), batch_size):
        batch = distinct[start : start + batch_size]
        predictions = model.predict(batch)
        if len(predictions) != len(batch):
            raise NLIProbeError(
                f"model {model.name!r} returned {len(predictions)} predictions "
                f"for {len(batch)} pairs"
            )
        found.update(zip(batch, predictions, strict=True))
        if progress is not None:
            progress(len(found), len(distinct))
    return [found[pair] for pair in pairs]
