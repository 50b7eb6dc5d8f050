"""`load_model`: an NLI classifier from a checkpoint folder, a LoRA adapter folder (peft) or a
hub name, as a `TransformersModel`. With the trainers, the models layer is the only part of
nli-probe that imports torch, transformers and peft, and it imports them only when a model is
loaded.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nli_probe.errors import NLIProbeError, NLIProbeWarning
from nli_probe.models.device import precision_choice, resolve_device
from nli_probe.models.files import check_vocabulary
from nli_probe.models.label_map import resolve_label_map
from nli_probe.models.locate import default_name, locate
from nli_probe.models.network import load_network
from nli_probe.models.precision import Precision
from nli_probe.models.transformers_model import TransformersModel


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
            CPU with AMX, else fp32; see `nli_probe.models.precision`). A half precision on a CPU
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
    source = locate(spec)
    loaded = load_network(
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
        name=name or default_name(source),
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
