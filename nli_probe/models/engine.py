"""The inference engine: every prediction the tool makes goes through `predict`.

It asks the model about each distinct pair once, in batches of similar length (so a
transformer pads little) cut by the model's token budget, reads and writes the prediction cache
when given one, and reports progress. It knows models only through the `Model` protocol, plus
three optional extras a model may offer: `pair_lengths(pairs)` (token counts, to sort and budget
by), `batch_tokens` / `batch_size` (its batch limits) and `predict_batches(batches)` (an
iterator that may overlap one batch's device work with the next one's host work). It imports no
torch.

Under `torchrun` (more than one process) every rank calls the engine with the same pairs and the
engine shares the work out (`_run_sharded`): rank 0 reads the cache, the ranks plan the batches a
single process would and each predicts its share (see `nli_probe.models.sharding`), every batch
is kept as it finishes (rank 0 in the cache, the others in their journals, see
`nli_probe.models.journal`), and the predictions are gathered, so every rank returns the same
result as a single process would. Callers need not know: evaluate, probe, predict, the study and
anything else that predicts through here are sharded alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Model, Pair
from nli_probe.errors import NLIProbeError
from nli_probe.models.batching import plan_batches
from nli_probe.models.cache import PredictionCache, pair_key
from nli_probe.models.distributed import World
from nli_probe.models.distributed import current as current_world
from nli_probe.models.journal import RankJournal, journal_folder, journal_path, remove_journals
from nli_probe.models.sharding import (
    assign,
    batch_cost,
    check_agreement,
    interleave,
    pack_positions,
    pack_predictions,
    pairs_digest,
    unpack_positions,
    unpack_predictions,
)

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


def _token_counts(model: Model, pairs: Sequence[Pair]) -> list[int] | None:
    """Each pair's token count from a model that offers `pair_lengths(pairs) -> Sequence[int]`
    (`TransformersModel` does), or None (no such method, or a wrong number of counts)."""
    lengths = getattr(model, "pair_lengths", None)
    if not callable(lengths):
        return None
    if not pairs:
        return []
    sizes = list(lengths(pairs))
    return sizes if len(sizes) == len(pairs) else None


def _plan(
    model: Model,
    pairs: Sequence[Pair],
    tokens: list[int] | None,
    *,
    batch_size: int | None = None,
    batch_tokens: int | None = None,
) -> tuple[list[list[int]], list[int]]:
    """Positions into `pairs` in batches of similar length, shortest first, and the sizes
    they were planned by.

    A transformer pads each batch to its longest pair, so sorting saves most of the padding.
    With token counts (`tokens`, see `_token_counts`) the batches are cut by a token budget:
    `batch_tokens`, else the model's own `batch_tokens`; and at most `batch_size` pairs, else
    its own `batch_size`. Otherwise the character count orders the pairs and batches hold
    `batch_size` pairs (default 64).
    """
    if tokens is not None and pairs:
        max_pairs = batch_size if batch_size is not None else _limit(model, "batch_size")
        max_tokens = batch_tokens if batch_tokens is not None else _limit(model, "batch_tokens")
        if max_pairs is None and max_tokens is None:
            max_pairs = DEFAULT_BATCH_SIZE
        return plan_batches(tokens, max_pairs=max_pairs, max_tokens=max_tokens), tokens
    chars = [len(premise) + len(hypothesis) for premise, hypothesis in pairs]
    max_pairs = batch_size if batch_size is not None else _limit(model, "batch_size")
    return plan_batches(chars, max_pairs=max_pairs or DEFAULT_BATCH_SIZE), chars


def _limit(model: Model, name: str) -> int | None:
    value = getattr(model, name, None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _predicted(
    model: Model, batches: list[list[Pair]]
) -> Iterator[tuple[list[Pair], list[Prediction]]]:
    """Each batch with its predictions, checked to be one per pair."""
    batched = getattr(model, "predict_batches", None)
    outputs: Iterator[list[Prediction]] = (
        iter(batched(batches))
        if callable(batched)
        else (list(model.predict(batch)) for batch in batches)
    )
    for batch in batches:
        predictions = next(outputs, None)
        if predictions is None or len(predictions) != len(batch):
            got = "no" if predictions is None else len(predictions)
            raise NLIProbeError(
                f"model {model.name!r} returned {got} predictions for {len(batch)} pairs"
            )
        yield batch, predictions


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
    world = current_world()
    if world is not None:
        return _run_sharded(
            world,
            model,
            pairs,
            distinct,
            batch_size=batch_size,
            batch_tokens=batch_tokens,
            progress=progress,
            cache=cache,
        )
    found: dict[Pair, Prediction] = {}
    if cache is not None:
        found.update(cache.get_many(model.fingerprint, distinct))
        if found and progress is not None:
            progress(len(found), len(distinct))
    cached = len(found)
    todo = [pair for pair in distinct if pair not in found]
    rows, _ = _plan(
        model,
        todo,
        _token_counts(model, todo),
        batch_size=batch_size,
        batch_tokens=batch_tokens,
    )
    for batch, predictions in _predicted(model, [[todo[i] for i in row] for row in rows]):
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


def _run_sharded(
    world: World,
    model: Model,
    pairs: Sequence[Pair],
    distinct: list[Pair],
    *,
    batch_size: int | None,
    batch_tokens: int | None,
    progress: ProgressCallback | None,
    cache: PredictionCache | None,
) -> PredictionRun:
    """`run_predictions` as one rank of `world`: the same result on every rank, each distinct
    pair predicted once by one of them. Only rank 0 reads or writes `cache` (a cache given on
    another rank is not used); the others keep their finished batches in journals beside rank
    0's cache file until rank 0 has stored them."""
    seen = world.all_gather(
        (model.fingerprint, pairs_digest(distinct), len(distinct)), what="comparing the pairs"
    )
    check_agreement(model.name, seen)
    # Rank 0 alone reads the cache, so that every rank works from one view of it.
    offer = None
    if world.rank == 0:
        held = cache.get_many(model.fingerprint, distinct) if cache is not None else {}
        positions = [i for i, pair in enumerate(distinct) if pair in held]
        offer = (
            pack_positions(positions),
            pack_predictions([held[distinct[i]] for i in positions]),
            # Absolute: the other ranks may run in another folder (or on another node).
            None if cache is None else str(cache.path.absolute()),
        )
    positions, packed, cache_path = world.broadcast(offer, what="sharing what the cache holds")
    found = dict(
        zip(
            (distinct[i] for i in unpack_positions(positions)),
            unpack_predictions(packed),
            strict=True,
        )
    )
    cached = len(found)
    if found and progress is not None:
        progress(cached, len(distinct))
    todo = [pair for pair in distinct if pair not in found]
    if not todo:
        return PredictionRun(
            predictions=[found[pair] for pair in pairs],
            distinct=len(distinct),
            cached=cached,
            computed=0,
        )
    # Each rank tokenizes every size-th pair; with all the counts, every rank plans the batches
    # a single process would, then runs the ones dealt to it.
    counts = world.all_gather(
        _token_counts(model, todo[world.rank :: world.size]), what="sharing token counts"
    )
    tokens = None if any(part is None for part in counts) else interleave(counts)
    rows, sizes = _plan(model, todo, tokens, batch_size=batch_size, batch_tokens=batch_tokens)
    owners = assign([batch_cost(row, sizes) for row in rows], world.size)
    mine = [row for row, owner in zip(rows, owners, strict=True) if owner == world.rank]
    share = sum(len(row) for row in mine)
    journal = None
    if cache_path is not None and world.rank > 0:
        journal = RankJournal(journal_path(journal_folder(Path(cache_path)), world.job, world.rank))
    done: list[int] = []  # positions in `todo`
    try:
        batches = [[todo[i] for i in row] for row in mine]
        for row, (batch, predictions) in zip(mine, _predicted(model, batches), strict=True):
            if world.rank == 0 and cache is not None:
                cache.put_many(
                    model.fingerprint, zip(batch, predictions, strict=True), name=model.name
                )
            elif journal is not None:
                journal.append(
                    model.fingerprint,
                    model.name,
                    [
                        (pair_key(pair), *p.probs)
                        for pair, p in zip(batch, predictions, strict=True)
                    ],
                )
            done += row
            found.update(zip(batch, predictions, strict=True))
            if progress is not None:
                # Rank 0 sees only its own share; the shares are equal work, so its fraction
                # done stands for the whole job's.
                progress(cached + len(todo) * len(done) // share, len(distinct))
    finally:
        if journal is not None:
            journal.close()
    shares = world.all_gather(
        (pack_positions(done), pack_predictions([found[todo[i]] for i in done])),
        what="gathering the predictions",
    )
    for rank, (share_positions, share_predictions) in enumerate(shares):
        gathered = list(
            zip(
                (todo[i] for i in unpack_positions(share_positions)),
                unpack_predictions(share_predictions),
                strict=True,
            )
        )
        found.update(gathered)
        if rank > 0 and world.rank == 0 and cache is not None:
            cache.put_many(model.fingerprint, gathered, name=model.name)
    if world.rank == 0 and cache is not None:
        remove_journals(journal_folder(cache.path), world.job, range(1, world.size))
    if progress is not None:
        progress(len(found), len(distinct))
    return PredictionRun(
        predictions=[found[pair] for pair in pairs],
        distinct=len(distinct),
        cached=cached,
        computed=len(todo),
    )
