"""Hugging Face NLI classifiers as `nli_probe.Model`s: the only library module that imports
torch, transformers and peft (besides the trainers).

`load_model` takes a full checkpoint folder, a LoRA adapter folder (peft) or a hub name and
returns a `TransformersModel`. Its `predict` runs batched inference the fast way: tokenize once,
sort by token length, cut batches by a token budget, pad each batch only to its own longest pair
(one numpy array, one tensor, one host-to-device copy), `torch.inference_mode`, half precision
when the hardware runs it natively (see `nli_probe.precision`), and one device-to-host copy of
the probabilities per batch; on a GPU the next batch is prepared while the device computes.
Output columns are mapped through the checkpoint's `id2label` (see `nli_probe.label_map`),
never by position.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nli_probe.batching import padded_batch, plan_batches
from nli_probe.errors import NLIProbeError, NLIProbeWarning
from nli_probe.label_map import LabelMap, resolve_label_map
from nli_probe.model_files import (
    check_safetensors,
    check_vocabulary,
    has_tokenizer,
    require_safetensors,
    require_tokenizer,
)
from nli_probe.precision import Precision, PrecisionChoice, choose_precision
from nli_probe.prediction import Prediction
from nli_probe.protocol import Pair

FINGERPRINT_VERSION = 1
"""Bumped when the way predictions are computed changes, so old cache entries stop matching."""

BATCH_TOKENS = {"cpu": 1024, "cuda": 16384, "mps": 4096}
"""Default padded tokens per forward pass, by device type (see `default_batch_tokens`)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelSource:
    """Where a model came from: `kind` is "checkpoint", "adapter" or "hub"."""

    kind: str
    location: str
    base: str | None = None


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
        # Encodings made by `pair_lengths`, waiting for `predict` (an interrupted run may
        # leave some; they are only reused for the same pair, so they are never stale).
        self._pending: dict[Pair, tuple[list[int], ...]] = {}
        self._pad_id = int(pad if pad is not None else getattr(network.config, "pad_token_id", 0))
        self._fills = [self._pad_id if key == "input_ids" else 0 for key in self._input_names]
        self._label_matrix = _label_matrix(label_map)
        self._fingerprint = _fingerprint(
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
        if not pairs:
            return []
        encodings = self._encode(pairs)
        batches = plan_batches(
            [len(encoding[0]) for encoding in encodings],
            max_pairs=self.batch_size,
            max_tokens=self.batch_tokens,
        )
        results: list[Prediction | None] = [None] * len(pairs)
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
        self._pending.update(zip(pairs, encoded, strict=True))
        return [len(encoding[0]) for encoding in encoded]

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
        inputs["attention_mask"] = batch[-1]
        with torch.inference_mode(), self._autocast():
            probs = self._network(**inputs).logits.float().softmax(dim=-1)
            if not cuda:
                return _InFlight(probs=probs.cpu())
            back = torch.empty(probs.shape, dtype=torch.float32, pin_memory=True)
            back.copy_(probs, non_blocking=True)
            done = torch.cuda.Event()  # type: ignore[no-untyped-call]
            done.record()
        return _InFlight(probs=back, done=done)

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
class _InFlight:
    """A launched batch: its probabilities (on the host, or being copied there) and the event
    that marks the copy done (CUDA only)."""

    probs: Any
    done: Any = None


def default_batch_tokens(device: str) -> int:
    """Padded tokens per forward pass. 1,024 on a CPU: the fastest budget measured there
    (`benchmarks/bench_batching.py`: 1.10-1.27x the pairs/s of 64-pair batches with MiniLM on
    SNLI, AVX-512 and AVX2, 1 thread; 4,096 was 0.95x). 16,384 on a CUDA GPU: hundreds of SNLI
    pairs per batch, so the device is not starved (checked by `benchmarks/gpu_check.py`).
    4,096 on Apple mps (not measured)."""
    return BATCH_TOKENS.get(device.split(":")[0], BATCH_TOKENS["cpu"])


def _label_matrix(label_map: LabelMap) -> Any:
    """(output columns x 3) 0/1 matrix taking a network's columns to `Label` order."""
    import numpy as np

    matrix = np.zeros((len(label_map.columns), 3), dtype=np.float64)
    for column, label in enumerate(label_map.columns):
        matrix[column, int(label)] = 1.0
    return matrix


def load_model(
    spec: str | Path,
    *,
    device: str | None = None,
    precision: str | Precision | None = None,
    max_length: int = 128,
    label_names: Sequence[str] | None = None,
    trust_remote_code: bool = False,
    batch_size: int | None = None,
    batch_tokens: int | None = None,
    name: str | None = None,
    progress: bool = True,
) -> TransformersModel:
    """Load an NLI classifier.

    Args:
        spec: a full checkpoint folder (`config.json` + `*.safetensors`), a LoRA adapter folder
            (`adapter_config.json`; its base model is read from there and loaded first), or a
            Hugging Face hub name (a full model or an adapter).
        device: "cpu", "cuda", "cuda:1", "mps"; None or "auto" picks cuda, then mps, then cpu.
        precision: "fp32", "bf16" or "fp16"; None or "auto" decides by the hardware (bf16 on a
            CPU with AMX, else fp32; see `nli_probe.precision`). A half precision on a CPU
            without native bf16 runs, with a `NLIProbeWarning`.
        max_length: pairs are truncated to this many tokens (longest side first).
        label_names: the output columns' labels in column order, overriding the checkpoint's
            `id2label` (needed for checkpoints that only say LABEL_0, LABEL_1, ...).
        trust_remote_code: run code shipped with a hub model; off unless you trust its author.
        batch_size: most pairs per forward pass (default: only `batch_tokens` limits).
        batch_tokens: most padded tokens per forward pass (default by device: 1,024 on CPU,
            16,384 on CUDA).
        name: the model's display name (default: the folder's name or the hub name).
        progress: show transformers' weight-loading progress bar.

    A `max_length` beyond the model's position embeddings is capped at their size, and a
    classification head that the checkpoint (or adapter) does not hold is initialised at random
    by transformers: both are reported as an `NLIProbeWarning`.

    Raises:
        NLIProbeError: missing folder, no safetensors weights or truncated ones, missing or
            foreign tokenizer files, unusable label names, unknown device or precision.
    """
    if max_length < 8:
        raise NLIProbeError(f"max length must be at least 8 tokens, got {max_length}")
    for what, value in (("batch size", batch_size), ("batch token budget", batch_tokens)):
        if value is not None and value < 1:
            raise NLIProbeError(f"{what} must be at least 1, got {value}")
    chosen_device = resolve_device(device)
    choice = precision_choice(precision, chosen_device)
    source = _locate(spec)
    loaded = _load_network(
        source, trust_remote_code=trust_remote_code, label_names=label_names, progress=progress
    )
    network, tokenizer, digest = loaded.network, loaded.tokenizer, loaded.digest
    check_vocabulary(
        len(tokenizer), network.get_input_embeddings().num_embeddings, model=source.location
    )
    label_map = resolve_label_map(
        network.config.id2label, label_names=label_names, model=source.location
    )
    max_length = _usable_max_length(max_length, network, model=source.location)
    if loaded.fresh_head:
        warnings.warn(
            NLIProbeWarning(
                f"{source.location}: its classification head ({', '.join(loaded.fresh_head)}) "
                f"is not in the checkpoint{' or the adapter' if source.base else ''}, so "
                f"transformers initialised it at random: its predictions are random until it "
                f"is trained (nli-probe train)"
            ),
            stacklevel=2,
        )
    network.to(chosen_device)
    network.eval()
    _cast_for_inference(network, choice.precision, chosen_device)
    return TransformersModel(
        name=name or _default_name(source),
        network=network,
        tokenizer=tokenizer,
        label_map=label_map,
        device=chosen_device,
        precision=choice,
        max_length=max_length,
        source=source,
        weights_digest=digest,
        batch_size=batch_size,
        batch_tokens=batch_tokens,
    )


def _cast_for_inference(network: Any, precision: Precision, device: str) -> None:
    """Store the weights in the half precision the forward pass computes in.

    On a CPU only the linear layers are cast, and the forward runs under autocast (embeddings
    and layer norms stay fp32, as autocast leaves them): autocast alone would re-cast every
    linear weight on every batch, which cost a small encoder a fifth of its forward pass; cast
    once here, the numbers are the same (autocast rounds these weights identically). On a GPU
    the whole network is cast and runs without autocast: autocast adds a cast kernel before
    most operations, and a GPU running batches of short pairs is bound by kernel launches, so
    those extra kernels made bf16 slower than fp32 on an H200.
    """
    import torch

    dtype = {Precision.BF16: torch.bfloat16, Precision.FP16: torch.float16}.get(precision)
    if dtype is None:
        return
    if not device.startswith("cpu"):
        network.to(dtype)
        return
    for module in network.modules():
        if isinstance(module, torch.nn.Linear):
            module.to(dtype)


def resolve_device(device: str | None = None) -> str:
    """The torch device to run on: `device` checked, or cuda, then mps, then cpu."""
    import torch

    if device is None or device.strip().lower() == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    text = device.strip().lower()
    kind = text.split(":")[0]
    if kind == "cpu":
        return "cpu"
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise NLIProbeError(f"device {device!r} asked for, but torch sees no CUDA GPU")
        index = int(text.split(":")[1]) if ":" in text and text.split(":")[1].isdigit() else 0
        if index >= torch.cuda.device_count():
            raise NLIProbeError(
                f"device {device!r} asked for, but torch sees {torch.cuda.device_count()} GPU(s)"
            )
        return text
    if kind == "mps":
        if not torch.backends.mps.is_available():
            raise NLIProbeError(f"device {device!r} asked for, but mps is not available")
        return "mps"
    raise NLIProbeError(f"unknown device {device!r}; use auto, cpu, cuda, cuda:N or mps")


def precision_choice(
    precision: str | Precision | None, device: str, *, training: bool = False
) -> PrecisionChoice:
    """What `precision` ("auto", None or a name) means on this machine's `device`, asking the
    hardware (see `nli_probe.precision.choose_precision`). A choice that will run slowly (bf16
    on a CPU without native bf16) is also issued once as a `NLIProbeWarning`."""
    from nli_probe import hardware

    kind = device.split(":")[0]
    choice = choose_precision(
        precision,
        device=device,
        cpu_bf16=kind == "cpu" and hardware.cpu_has_native_bf16(),
        gpu_bf16=kind == "cuda" and hardware.cuda_supports_bf16(),
        cpu_amx=kind == "cpu" and hardware.cpu_has_amx(),
        cpu_name=hardware.cpu_capability() if kind == "cpu" else "",
        training=training,
    )
    if choice.warning is not None and choice.warning not in _WARNED:
        _WARNED.add(choice.warning)  # once per process, however many models a run loads
        warnings.warn(choice.warning, NLIProbeWarning, stacklevel=2)
    return choice


_WARNED: set[str] = set()
"""Precision warnings already given in this process."""


def resolve_precision(precision: str | Precision | None, device: str) -> Precision:
    """The inference precision `precision_choice` picks for `device`."""
    return precision_choice(precision, device).precision


def _locate(spec: str | Path) -> ModelSource:
    path = Path(spec).expanduser()
    if path.is_dir():
        if (path / "adapter_config.json").is_file():
            base = _adapter_base(path / "adapter_config.json")
            _require_adapter_weights(path)
            return ModelSource(kind="adapter", location=str(path), base=base)
        if (path / "config.json").is_file():
            require_safetensors(path)
            require_tokenizer(path)
            return ModelSource(kind="checkpoint", location=str(path))
        raise NLIProbeError(
            f"{path} is neither a model checkpoint (no config.json) nor a LoRA adapter "
            f"(no adapter_config.json)"
        )
    text = str(spec)
    if isinstance(spec, Path) or text.startswith((".", "/", "~")) or text.count("/") > 1:
        hint = _did_you_mean(path)
        raise NLIProbeError(f"model folder {path} does not exist{hint}")
    return _locate_hub(text)


def _locate_hub(repo: str) -> ModelSource:
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError

    try:
        adapter_config = hf_hub_download(repo_id=repo, filename="adapter_config.json")
    except EntryNotFoundError:
        return ModelSource(kind="hub", location=repo)
    except Exception as error:  # offline, unknown repository, gated, bad name ...
        raise NLIProbeError(
            f"cannot load model {repo!r}: it is not a local folder and the Hugging Face hub "
            f"did not provide it ({type(error).__name__}: {_first_line(error)})"
        ) from error
    return ModelSource(kind="adapter", location=repo, base=_adapter_base(Path(adapter_config)))


def _adapter_base(config_file: Path) -> str:
    try:
        base = json.loads(config_file.read_text(encoding="utf-8")).get("base_model_name_or_path")
    except (OSError, ValueError) as error:
        raise NLIProbeError(f"{config_file}: unreadable adapter config ({error})") from error
    if not base:
        raise NLIProbeError(f"{config_file}: field 'base_model_name_or_path' is missing or empty")
    return str(base)


def _require_adapter_weights(folder: Path) -> None:
    weights = folder / "adapter_model.safetensors"
    if not weights.is_file():
        pickled = [p.name for p in folder.glob("adapter_model.bin")]
        found = f" (found {', '.join(pickled)})" if pickled else ""
        raise NLIProbeError(
            f"{folder} has no adapter_model.safetensors{found}: nli-probe loads only "
            f"safetensors, because pickled .bin weights can run code; re-save the adapter with "
            f"`model.save_pretrained(folder, safe_serialization=True)` in a trusted session"
        )
    check_safetensors(weights)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Loaded:
    network: Any
    tokenizer: Any
    digest: str
    """sha256 of the weights (adapter included)."""
    fresh_head: tuple[str, ...]
    """Parameters transformers initialised at random: missing from the checkpoint and not
    restored by the adapter."""


def _load_network(
    source: ModelSource,
    *,
    trust_remote_code: bool,
    label_names: Sequence[str] | None,
    progress: bool,
) -> _Loaded:
    """The eval-mode fp32 network, its tokenizer, a digest of its weights (+ adapter) and the
    parameters nobody trained."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    options: dict[str, Any] = {
        "use_safetensors": True,
        "trust_remote_code": trust_remote_code,
        "dtype": torch.float32,
        "output_loading_info": True,
    }
    base = source.base if source.kind == "adapter" else source.location
    assert base is not None
    if source.kind == "adapter" and Path(base).is_dir():
        require_safetensors(Path(base))
        if not _has_tokenizer(source):
            require_tokenizer(Path(base), model=source.location)
    with _translate_errors(base), _quiet_loading(progress=progress):
        config_dir = _adapter_config_dir(source)
        config = AutoConfig.from_pretrained(config_dir or base, trust_remote_code=trust_remote_code)
        if config_dir is None and source.kind == "adapter":
            config.num_labels = _adapter_num_labels(source.location)
        elif label_names is not None and not _has_classifier(config):
            # A bare encoder gets a head as wide as the names given (untrained: see the warning).
            config.num_labels = len(label_names)
        network, info = AutoModelForSequenceClassification.from_pretrained(
            base, config=config, **options
        )
        tokenizer_from = source.location if _has_tokenizer(source) else base
        tokenizer = AutoTokenizer.from_pretrained(
            tokenizer_from, trust_remote_code=trust_remote_code
        )
    missing = sorted(info.get("missing_keys") or ())
    if source.kind == "adapter":
        from peft import PeftModel

        with _translate_errors(source.location), _quiet_loading(progress=progress):
            adapted = PeftModel.from_pretrained(network, source.location, is_trainable=False)
        restored = _adapter_weight_names(source.location)
        missing = [key for key in missing if key not in restored]
        digest = _weights_digest(adapted)
        # Folding the low-rank update into the base weights makes inference as fast as a plain
        # checkpoint; the digest above was taken before, so it covers base and adapter.
        network = adapted.merge_and_unload()
    else:
        digest = _weights_digest(network)
    return _Loaded(network=network, tokenizer=tokenizer, digest=digest, fresh_head=tuple(missing))


def _has_classifier(config: Any) -> bool:
    """True when the checkpoint was saved with a sequence-classification head."""
    names = getattr(config, "architectures", None) or []
    return any(str(name).endswith("ForSequenceClassification") for name in names)


def _adapter_weight_names(location: str) -> set[str]:
    """The base-model parameters an adapter file carries weights for (`modules_to_save`, such
    as a trained classification head, besides the LoRA matrices), named as the base model
    names them."""
    from safetensors import safe_open

    file = Path(location, "adapter_model.safetensors")
    if not file.is_file():
        from huggingface_hub import hf_hub_download

        file = Path(hf_hub_download(repo_id=location, filename="adapter_model.safetensors"))
    with safe_open(str(file), framework="numpy") as weights:
        names = list(weights.keys())
    return {name.removeprefix("base_model.model.") for name in names}


@contextlib.contextmanager
def _quiet_loading(*, progress: bool) -> Iterator[None]:
    """transformers' "Loading weights" bar only when `progress`, and none of its load report
    (the MISSING/UNEXPECTED table, which an adapter's restored head makes wrong; a head nobody
    trained gets nli-probe's own one-line warning instead)."""
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    if not progress:
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        with warnings.catch_warnings():
            # peft calls a transformers method that transformers 5 deprecates; not the user's.
            warnings.filterwarnings(
                "ignore", message=".*is_gradient_checkpointing", category=FutureWarning
            )
            yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def _usable_max_length(max_length: int, network: Any, *, model: str) -> int:
    """`max_length`, capped at the tokens the model's position embeddings hold (a longer pair
    would index past them), with a warning when it is capped."""
    limit = _position_limit(network.config, getattr(network.base_model, "embeddings", None))
    if limit is None or max_length <= limit:
        return max_length
    warnings.warn(
        NLIProbeWarning(
            f"{model}: max length {max_length:,} is more than the {limit:,} tokens its position "
            f"embeddings hold; pairs are truncated to {limit:,} tokens"
        ),
        stacklevel=3,
    )
    return limit


def _position_limit(config: Any, embeddings: Any) -> int | None:
    """The longest input the model's absolute position embeddings cover, or None when it has
    none (DeBERTa-v2/v3 use relative positions only)."""
    positions = getattr(config, "max_position_embeddings", None)
    if not isinstance(positions, int) or positions <= 0:
        return None
    if getattr(config, "position_biased_input", True) is False:
        return None
    padding = getattr(embeddings, "padding_idx", None)
    if isinstance(padding, int):
        # The RoBERTa family numbers positions from the padding id + 1 (RoBERTa-base: 514
        # position embeddings, 512 usable).
        positions -= padding + 1
    return positions


def _adapter_config_dir(source: ModelSource) -> str | None:
    """An adapter folder may carry the fine-tuned `config.json` (with its label map)."""
    if source.kind == "adapter" and Path(source.location, "config.json").is_file():
        return source.location
    return None


def _adapter_num_labels(location: str) -> int:
    """Read the classifier width from the adapter's saved head, so the base model gets a head
    of the right size even when its own config knows nothing of NLI."""
    from safetensors import safe_open

    file = Path(location, "adapter_model.safetensors")
    if not file.is_file():
        return 3
    with safe_open(str(file), framework="pt") as weights:
        for key in weights.keys():  # noqa: SIM118 (safe_open is not a mapping)
            if key.endswith(("out_proj.weight", "classifier.weight")):
                return int(weights.get_slice(key).get_shape()[0])
    return 3


def _has_tokenizer(source: ModelSource) -> bool:
    folder = Path(source.location)
    return folder.is_dir() and has_tokenizer(folder)


@contextlib.contextmanager
def _translate_errors(location: str) -> Iterator[None]:
    """Errors from reading a model's files (a bad config, a weights file that does not fit the
    architecture, a corrupt download) as one-line `NLIProbeError`s."""
    from safetensors import SafetensorError

    try:
        yield
    except NLIProbeError:
        raise
    except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as error:
        where = "" if Path(location).exists() else " (not a local folder, so tried the hub)"
        raise NLIProbeError(
            f"cannot load model {location!r}{where}: {_first_line(error)}"
        ) from error


def _weights_digest(network: Any) -> str:
    import torch

    digest = hashlib.sha256()
    for key, tensor in sorted(network.state_dict().items()):
        data = tensor.detach().to("cpu").contiguous()
        digest.update(f"{key}:{data.dtype}:{tuple(data.shape)};".encode())
        digest.update(data.view(torch.uint8).numpy().tobytes() if data.numel() else b"")
    return digest.hexdigest()


def _fingerprint(
    *,
    weights_digest: str,
    tokenizer: Any,
    label_map: LabelMap,
    max_length: int,
    precision: Precision,
) -> str:
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:
        tokenizer_state = backend.to_str()
    else:
        tokenizer_state = json.dumps(sorted(tokenizer.get_vocab().items()))
    parts = {
        "version": FINGERPRINT_VERSION,
        "weights": weights_digest,
        "tokenizer": hashlib.sha256(tokenizer_state.encode()).hexdigest(),
        "tokenizer_class": type(tokenizer).__name__,
        "padding_side": str(tokenizer.padding_side),
        "labels": label_map.describe(),
        "max_length": max_length,
        "precision": precision.value,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _default_name(source: ModelSource) -> str:
    if source.kind == "hub":
        return source.location
    return Path(source.location).name or source.location


def _did_you_mean(path: Path) -> str:
    import difflib

    parent = path.parent
    if not parent.is_dir():
        return ""
    names = [child.name for child in parent.iterdir() if child.is_dir()]
    close = difflib.get_close_matches(path.name, names, n=1)
    return f" (did you mean {parent / close[0]}?)" if close else ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
