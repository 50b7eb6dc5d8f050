"""`TransformersModel`: a Hugging Face sequence classifier behind the `nli_probe.Model` protocol.

Its `predict` runs batched inference the fast way: tokenize once, sort by token length, cut
batches by a token budget, pad each batch only to its own longest pair (one numpy array, one
tensor, one host-to-device copy), `torch.inference_mode`, half precision when the hardware runs
it natively (see `nli_probe.models.precision`), and one device-to-host copy of the probabilities
per batch; on a GPU the next batch is prepared while the device computes. Output columns are
mapped through the checkpoint's `id2label` (see `nli_probe.models.label_map`), never by
position. Build one with `nli_probe.models.load.load_model`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Pair
from nli_probe.models.batching import padded_batch, plan_batches
from nli_probe.models.device import default_batch_tokens
from nli_probe.models.fingerprint import fingerprint
from nli_probe.models.label_map import LabelMap
from nli_probe.models.locate import ModelSource
from nli_probe.models.neighbours import EmbeddingNeighbours
from nli_probe.models.precision import Precision, PrecisionChoice

if TYPE_CHECKING:
    from nli_probe.models.cpu_linear import CPULinear

_UNCHOSEN = object()


class TransformersModel:
    """A sequence-classification transformer behind the `nli_probe.Model` protocol.

    Build it with `load_model`. Predictions always come back in `Label` order; a two-way model
    (entailment / non-entailment) reports non-entailment as NEUTRAL with CONTRADICTION at 0.0
    (`two_way` is then true), so HANS-style scoring that collapses neutral + contradiction into
    non-entailment reads both kinds of model the same way.
    """

    def __init__(
        self,
        *,
        name: str,
        network: Any,
        tokenizer: Any,
        label_map: LabelMap,
        device: str,
        precision: Precision | PrecisionChoice,
        max_length: int,
        source: ModelSource,
        weights_digest: str,
        batch_size: int | None = None,
        batch_tokens: int | None = None,
    ) -> None:
        self._name = name
        self._network = network
        self._tokenizer = tokenizer
        self.label_map = label_map
        self.device = device
        if isinstance(precision, Precision):
            precision = PrecisionChoice(precision=precision, reason="asked for")
        self.precision_choice = precision
        """The precision and why it was chosen (printed once by the commands)."""
        self.precision = precision.precision
        self.max_length = max_length
        self.source = source
        self.batch_size = batch_size
        """Most pairs per forward pass (None: only the token budget limits a batch)."""
        self.batch_tokens = batch_tokens or default_batch_tokens(device)
        """Most padded tokens (pairs x longest pair) per forward pass."""
        self._input_names = [
            key for key in tokenizer.model_input_names if key in {"input_ids", "token_type_ids"}
        ]
        pad = tokenizer.pad_token_id
        # Encodings made by the last `pair_lengths` call, waiting for `predict` (an interrupted
        # run, or a rank that predicts only some of the pairs it measured, leaves some; the
        # next call replaces them, and they are only reused for the same pair).
        self._pending: dict[Pair, tuple[list[int], ...]] = {}
        self._pad_id = int(pad if pad is not None else getattr(network.config, "pad_token_id", 0))
        self._fills = [self._pad_id if key == "input_ids" else 0 for key in self._input_names]
        self._label_matrix = _label_matrix(label_map)
        self._neighbours = EmbeddingNeighbours(network, tokenizer)
        from nli_probe.models.first_token import FirstTokenOnly  # imports torch

        self._first_token = FirstTokenOnly.of(network)
        """Computes only the first position in the last layer, where the classifier reads
        nothing else (None for other architectures)."""
        self._omit_full_masks = True
        """A batch without padding goes without an attention mask (False: always one)."""
        self._cpu_linear: Any = _UNCHOSEN
        """The fp32 CPU products' kernel (`nli_probe.models.cpu_linear`), chosen at the first
        batch (the choice may time both kernels)."""
        self._fingerprint = fingerprint(
            weights_digest=weights_digest,
            tokenizer=tokenizer,
            label_map=label_map,
            max_length=max_length,
            precision=self.precision,
        )

    @property
    def name(self) -> str:
        return self._name

    @property
    def fingerprint(self) -> str:
        """Hex digest of weights (+ adapter), tokenizer, label map, max length and precision."""
        return self._fingerprint

    @property
    def two_way(self) -> bool:
        """True for an entailment / non-entailment model."""
        return self.label_map.two_way

    @property
    def network(self) -> Any:
        """The underlying `transformers` model (in eval mode, on `device`)."""
        return self._network

    @property
    def tokenizer(self) -> Any:
        return self._tokenizer

    @property
    def settings(self) -> dict[str, str]:
        """How this model makes predictions, for `ModelRun.settings` in a report."""
        settings = {
            "source": f"{self.source.kind}:{self.source.location}",
            "device": self.device,
            "precision": str(self.precision),
            "max_length": str(self.max_length),
            "labels": self.label_map.describe(),
        }
        if self.source.base is not None:
            settings["base"] = self.source.base
        return settings

    def __repr__(self) -> str:
        return (
            f"TransformersModel(name={self._name!r}, device={self.device!r}, "
            f"precision={self.precision.value!r}, max_length={self.max_length})"
        )

    def predict(self, pairs: Sequence[Pair]) -> list[Prediction]:
        """One prediction per pair, in order.

        The pairs are tokenized once (truncated to `max_length`), sorted by token length and
        cut into batches of at most `batch_tokens` padded tokens (and `batch_size` pairs), so
        each batch is padded only to its own longest pair.
        """
        return self.predict_encoded(self.encode(pairs))

    def encode(self, pairs: Sequence[Pair]) -> EncodedPairs:
        """`pairs` tokenized and planned into batches, for `predict_encoded`: a caller that
        predicts the same pairs again and again (a training run recording its dynamics)
        tokenizes them once."""
        encodings = self._encode(pairs) if pairs else []
        batches = plan_batches(
            [len(encoding[0]) for encoding in encodings],
            max_pairs=self.batch_size,
            max_tokens=self.batch_tokens,
        )
        return EncodedPairs(encodings=encodings, batches=batches)

    def predict_encoded(self, encoded: EncodedPairs) -> list[Prediction]:
        """One prediction per pair given to `encode`, in order."""
        encodings, batches = encoded.encodings, encoded.batches
        results: list[Prediction | None] = [None] * len(encodings)
        outputs = self._run([encodings[row] for row in rows] for rows in batches)
        for rows, predictions in zip(batches, outputs, strict=True):
            for row, prediction in zip(rows, predictions, strict=True):
                results[row] = prediction
        return [prediction for prediction in results if prediction is not None]

    def predict_batches(self, batches: Iterable[Sequence[Pair]]) -> Iterator[list[Prediction]]:
        """One list of predictions per batch, each batch run as one forward pass (the engine
        plans the batches). On a GPU the next batch is built and sent while the device
        computes the current one, so the host keeps the device busy."""
        return self._run(self._encode(batch) for batch in batches)

    def pair_lengths(self, pairs: Sequence[Pair]) -> list[int]:
        """Token count of each pair (after truncation), for the engine to batch pairs of equal
        length together. The encodings are kept for the `predict` call that follows, so each
        pair is tokenized once."""
        encoded = self._tokenize(pairs)
        self._pending = dict(zip(pairs, encoded, strict=True))
        return [len(encoding[0]) for encoding in encoded]

    def embedding_neighbours(
        self, word: str, *, k: int = 30, min_similarity: float = 0.5
    ) -> tuple[str, ...]:
        """The `k` words nearest to `word` in this model's input-embedding space (whole-word
        tokens, cosine similarity at least `min_similarity`), for the `embedding` attack
        transformation; none when `word` is not a whole-word token of the model."""
        return self._neighbours(word, k=k, min_similarity=min_similarity)

    def _encode(self, pairs: Sequence[Pair]) -> list[tuple[list[int], ...]]:
        found = [self._pending.pop(pair, None) for pair in pairs]
        missing = [pair for pair, encoding in zip(pairs, found, strict=True) if encoding is None]
        fresh = iter(self._tokenize(missing) if missing else [])
        return [encoding if encoding is not None else next(fresh) for encoding in found]

    def _tokenize(self, pairs: Sequence[Pair]) -> list[tuple[list[int], ...]]:
        encoded = self._tokenizer(
            [premise for premise, _ in pairs],
            [hypothesis for _, hypothesis in pairs],
            truncation=True,
            max_length=self.max_length,
            return_attention_mask=False,
        )
        columns = [encoded[key] for key in self._input_names]
        return list(zip(*columns, strict=True))

    def _run(self, batches: Iterable[list[tuple[list[int], ...]]]) -> Iterator[list[Prediction]]:
        """Predictions for each batch of encodings. On CUDA a batch is launched before the
        previous one is read back, so host work overlaps the device's."""
        overlap = self.device.startswith("cuda")
        waiting: _InFlight | None = None
        for encodings in batches:
            launched = self._launch(encodings)
            if not overlap:
                yield self._collect(launched)
                continue
            if waiting is not None:
                yield self._collect(waiting)
            waiting = launched
        if waiting is not None:
            yield self._collect(waiting)

    def _launch(self, encodings: list[tuple[list[int], ...]]) -> _InFlight:
        """Build the batch (one array), send it (one copy), run the network and start copying
        the probabilities back; returns without waiting for the device."""
        import torch

        cuda = self.device.startswith("cuda")
        pinned: list[torch.Tensor] = []

        def pinned_array(shape: tuple[int, int, int]) -> Any:
            pinned.append(torch.empty(shape, dtype=torch.int64, pin_memory=True))
            return pinned[0].numpy()

        array = padded_batch(
            [[encoding[k] for encoding in encodings] for k in range(len(self._input_names))],
            fills=self._fills,
            right=self._tokenizer.padding_side != "left",
            allocate=pinned_array if cuda else None,
        )
        host = pinned[0] if cuda else torch.from_numpy(array)
        batch = host.to(self.device, non_blocking=True)
        inputs = {key: batch[index] for index, key in enumerate(self._input_names)}
        # A batch without padding (most are: pairs are sorted by length, so a batch tends to
        # hold pairs of one length) goes without a mask, so the network builds none and its
        # attention runs unmasked.
        if not self._omit_full_masks or not array[-1].all():
            inputs["attention_mask"] = batch[-1]
        first_token = self._first_token or contextlib.nullcontext()
        cpu_linear = self.cpu_linear or contextlib.nullcontext()
        with torch.inference_mode(), self._autocast(), first_token, cpu_linear:
            probs = self._network(**inputs).logits.float().softmax(dim=-1)
            if not cuda:
                return _InFlight(probs=probs.cpu())
            back = torch.empty(probs.shape, dtype=torch.float32, pin_memory=True)
            back.copy_(probs, non_blocking=True)
            done = torch.cuda.Event()  # type: ignore[no-untyped-call]
            done.record()
        return _InFlight(probs=back, done=done)

    @property
    def cpu_linear(self) -> CPULinear | None:
        """The kernel chosen for this network's large fp32 linear layers on a CPU (oneDNN
        where it was measured faster than torch's own), made at the first call; None on a GPU,
        in half precision, or for a network without large layers."""
        if self._cpu_linear is _UNCHOSEN:
            from nli_probe.models.cpu_linear import CPULinear

            self._cpu_linear = CPULinear.of(
                self._network, device=self.device, fp32=self.precision is Precision.FP32
            )
        return self._cpu_linear  # type: ignore[no-any-return]

    def _collect(self, flight: _InFlight) -> list[Prediction]:
        import numpy as np

        if flight.done is not None:
            flight.done.synchronize()
        # Columns → labels in one product; 0/1 weights keep every probability exact.
        values = flight.probs.numpy().astype(np.float64) @ self._label_matrix
        return [Prediction(probs=(e, n, c)) for e, n, c in values.tolist()]

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        import torch

        dtype = {Precision.BF16: torch.bfloat16, Precision.FP16: torch.float16}.get(self.precision)
        if dtype is None or not self.device.startswith("cpu"):
            return contextlib.nullcontext()  # fp32, or a GPU network cast whole (see load_model)
        return torch.autocast(device_type="cpu", dtype=dtype)


@dataclass(frozen=True, kw_only=True, slots=True)
class EncodedPairs:
    """Pairs tokenized by `TransformersModel.encode` (one tuple of token-id lists per pair)
    and the batches they are predicted in (rows of `encodings`, by length)."""

    encodings: list[tuple[list[int], ...]]
    batches: list[list[int]]


@dataclass(frozen=True, kw_only=True, slots=True)
class _InFlight:
    """A launched batch: its probabilities (on the host, or being copied there) and the event
    that marks the copy done (CUDA only)."""

    probs: Any
    done: Any = None


def _label_matrix(label_map: LabelMap) -> Any:
    """(output columns x 3) 0/1 matrix taking a network's columns to `Label` order."""
    import numpy as np

    matrix = np.zeros((len(label_map.columns), 3), dtype=np.float64)
    for column, label in enumerate(label_map.columns):
        matrix[column, int(label)] = 1.0
    return matrix
