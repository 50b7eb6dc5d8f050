"""Hugging Face NLI classifiers as `nli_probe.Model`s: the only library module that imports
torch, transformers and peft (besides the trainers).

`load_model` takes a full checkpoint folder, a LoRA adapter folder (peft) or a hub name and
returns a `TransformersModel`. Its `predict` runs batched inference the fast way: tokenize once,
sort by token length, pad each batch only to its own longest pair, `torch.inference_mode`, and
bf16/fp16 autocast when asked. Output columns are mapped through the
checkpoint's `id2label` (see `nli_probe.label_map`), never by position.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nli_probe.errors import NLIProbeError, NLIProbeWarning
from nli_probe.label_map import LabelMap, resolve_label_map
from nli_probe.model_files import (
    check_safetensors,
    check_vocabulary,
    has_tokenizer,
    require_safetensors,
    require_tokenizer,
)
from nli_probe.precision import Precision, default_precision, parse_precision
from nli_probe.prediction import Prediction
from nli_probe.protocol import Pair

FINGERPRINT_VERSION = 1
"""Bumped when the way predictions are computed changes, so old cache entries stop matching."""

DEFAULT_BATCH_SIZE = 64


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
        precision: Precision,
        max_length: int,
        source: ModelSource,
        weights_digest: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self._name = name
        self._network = network
        self._tokenizer = tokenizer
        self.label_map = label_map
        self.device = device
        self.precision = precision
        self.max_length = max_length
        self.source = source
        self.batch_size = batch_size
        self._input_names = [
            key for key in tokenizer.model_input_names if key in {"input_ids", "token_type_ids"}
        ]
        pad = tokenizer.pad_token_id
        # Encodings made by `pair_lengths`, waiting for `predict` (an interrupted run may
        # leave some; they are only reused for the same pair, so they are never stale).
        self._pending: dict[Pair, tuple[list[int], ...]] = {}
        self._pad_id = int(pad if pad is not None else getattr(network.config, "pad_token_id", 0))
        self._fingerprint = _fingerprint(
            weights_digest=weights_digest,
            tokenizer=tokenizer,
            label_map=label_map,
            max_length=max_length,
            precision=precision,
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
        """One prediction per pair, in order, in batches of at most `batch_size` pairs.

        The pairs are tokenized once (truncated to `max_length`), sorted by token length so
        each batch is padded only to its own longest pair, and run under
        `torch.inference_mode` (and autocast for bf16/fp16).
        """
        import torch

        if not pairs:
            return []
        encodings = self._encode(pairs)
        columns = [[encoding[k] for encoding in encodings] for k in range(len(self._input_names))]
        order = sorted(range(len(pairs)), key=lambda i: len(columns[0][i]))
        results: list[Prediction | None] = [None] * len(pairs)
        with torch.inference_mode(), self._autocast():
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                probs = self._forward(columns, rows)
                for row, values in zip(rows, probs, strict=True):
                    results[row] = self._to_prediction(values)
        return [prediction for prediction in results if prediction is not None]

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

    def _forward(self, columns: list[list[list[int]]], rows: list[int]) -> list[list[float]]:
        import torch

        width = max(len(columns[0][row]) for row in rows)
        right = self._tokenizer.padding_side != "left"
        inputs: dict[str, torch.Tensor] = {}
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for key, column in zip(self._input_names, columns, strict=True):
            fill = self._pad_id if key == "input_ids" else 0
            tensor = torch.full((len(rows), width), fill, dtype=torch.long)
            for index, row in enumerate(rows):
                ids = column[row]
                place = slice(0, len(ids)) if right else slice(width - len(ids), width)
                tensor[index, place] = torch.tensor(ids, dtype=torch.long)
                if key == "input_ids":
                    mask[index, place] = 1
            inputs[key] = tensor.to(self.device, non_blocking=True)
        inputs["attention_mask"] = mask.to(self.device, non_blocking=True)
        logits = self._network(**inputs).logits
        result: list[list[float]] = logits.float().softmax(dim=-1).cpu().tolist()
        return result

    def _to_prediction(self, values: list[float]) -> Prediction:
        probs = [0.0, 0.0, 0.0]
        for column, label in enumerate(self.label_map.columns):
            probs[label] += values[column]
        return Prediction(probs=(probs[0], probs[1], probs[2]))

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        import torch

        dtype = {Precision.BF16: torch.bfloat16, Precision.FP16: torch.float16}.get(self.precision)
        if dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.split(":")[0], dtype=dtype)


def load_model(
    spec: str | Path,
    *,
    device: str | None = None,
    precision: str | None = None,
    max_length: int = 128,
    label_names: Sequence[str] | None = None,
    trust_remote_code: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    name: str | None = None,
    progress: bool = True,
) -> TransformersModel:
    """Load an NLI classifier.

    Args:
        spec: a full checkpoint folder (`config.json` + `*.safetensors`), a LoRA adapter folder
            (`adapter_config.json`; its base model is read from there and loaded first), or a
            Hugging Face hub name (a full model or an adapter).
        device: "cpu", "cuda", "cuda:1", "mps"; None or "auto" picks cuda, then mps, then cpu.
        precision: "fp32", "bf16" or "fp16" (autocast); None or "auto" means fp32, which was
            measured fastest on a GPU too. See README, "Models and inference".
        max_length: pairs are truncated to this many tokens (longest side first).
        label_names: the output columns' labels in column order, overriding the checkpoint's
            `id2label` (needed for checkpoints that only say LABEL_0, LABEL_1, ...).
        trust_remote_code: run code shipped with a hub model; off unless you trust its author.
        batch_size: most pairs per forward pass.
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
    if batch_size < 1:
        raise NLIProbeError(f"batch size must be at least 1, got {batch_size}")
    chosen_device = resolve_device(device)
    chosen_precision = resolve_precision(precision, chosen_device)
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
    _cast_linear_layers(network, chosen_precision)
    return TransformersModel(
        name=name or _default_name(source),
        network=network,
        tokenizer=tokenizer,
        label_map=label_map,
        device=chosen_device,
        precision=chosen_precision,
        max_length=max_length,
        source=source,
        weights_digest=digest,
        batch_size=batch_size,
    )


def _cast_linear_layers(network: Any, precision: Precision) -> None:
    """Store the linear layers' weights in the half precision autocast computes them in.

    Autocast casts each linear layer's fp32 weights to bf16/fp16 on every call and caches the
    copies only until its context closes, i.e. once per `predict` batch: for a small encoder
    that re-cast costs as much as a fifth of the forward pass on CPU, and on a GPU the extra
    kernels made bf16 slower than fp32. Casting once, here, gives the same numbers (autocast
    would round these weights identically) without the cost; embeddings and layer norms stay
    fp32, as autocast leaves them.
    """
    import torch

    dtype = {Precision.BF16: torch.bfloat16, Precision.FP16: torch.float16}.get(precision)
    if dtype is None:
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


def resolve_precision(precision: str | Precision | None, device: str) -> Precision:
    """`precision` checked against `device`, or the device's default (see `nli_probe.precision`)."""
    import torch

    kind = device.split(":")[0]
    chosen = parse_precision(precision)
    if chosen is None:
        gpu_bf16 = kind == "cuda" and torch.cuda.is_bf16_supported()
        return default_precision(kind, gpu_bf16=gpu_bf16)
    if chosen is Precision.BF16 and kind == "cuda" and not torch.cuda.is_bf16_supported():
        raise NLIProbeError(f"this GPU ({device}) does not support bf16; use fp16 or fp32")
    return chosen


def cpu_supports_bf16() -> bool:
    """True when the CPU has native bf16 instructions (AVX-512 BF16 or AMX), where bf16
    autocast is faster than fp32; elsewhere it is emulated and slower."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


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
