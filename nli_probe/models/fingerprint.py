"""A model's fingerprint: the prediction cache's key for "the same model making predictions
the same way" (weights with the adapter, tokenizer, label map, max length, precision)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from nli_probe.models.label_map import LabelMap
from nli_probe.models.precision import Precision

FINGERPRINT_VERSION = 1
"""Bumped when the way predictions are computed changes, so old cache entries stop matching."""


def weights_digest(network: Any) -> str:
    import torch

    digest = hashlib.sha256()
    for key, tensor in sorted(network.state_dict().items()):
        data = tensor.detach().to("cpu").contiguous()
        digest.update(f"{key}:{data.dtype}:{tuple(data.shape)};".encode())
        digest.update(data.view(torch.uint8).numpy().tobytes() if data.numel() else b"")
    return digest.hexdigest()


def fingerprint(
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
