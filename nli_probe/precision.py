"""Numeric precision of inference: names, parsing and the default per device.

Defaults (see README, "Models and inference"): on a CUDA GPU, bf16 autocast where the GPU
supports it, else fp16, as the design asks: for base-size encoders and up, tensor cores make
half precision the fast choice (not measured here; for the tiny MiniLM encoder on an H200, fp32
was measured faster, see the README). On CPU and mps, fp32: bf16 is faster only on CPUs with
bf16 instructions (AVX-512 BF16 / AMX), changes a few argmax decisions in a thousand, and an
evaluation tool's default should give the same numbers on every machine. bf16 on CPU is one
option away (`--precision bf16`); precision is part of the model fingerprint, so cached
predictions of different precisions never mix.
"""

from __future__ import annotations

import difflib
from enum import StrEnum

from nli_probe.errors import NLIProbeError


class Precision(StrEnum):
    """How the forward pass computes: fp32, or bf16 / fp16 (linear weights stored in that
    type, the rest under autocast). `str(Precision.BF16)` is "bf16"."""

    FP32 = "fp32"
    BF16 = "bf16"
    FP16 = "fp16"


_SPELLINGS = {
    "fp32": Precision.FP32,
    "float32": Precision.FP32,
    "32": Precision.FP32,
    "bf16": Precision.BF16,
    "bfloat16": Precision.BF16,
    "fp16": Precision.FP16,
    "float16": Precision.FP16,
    "half": Precision.FP16,
    "16": Precision.FP16,
}


def parse_precision(text: str | Precision | None) -> Precision | None:
    """A precision from its name; None (or "auto") means "the device's default"."""
    if text is None or isinstance(text, Precision):
        return text
    key = text.strip().lower()
    if key == "auto":
        return None
    if key in _SPELLINGS:
        return _SPELLINGS[key]
    close = difflib.get_close_matches(key, [*_SPELLINGS, "auto"], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise NLIProbeError(f"unknown precision {text!r}{hint}; use auto, fp32, bf16 or fp16")


def default_precision(device_type: str, *, gpu_bf16: bool = False) -> Precision:
    """The default for a device type ("cuda", "mps", "cpu"); `gpu_bf16` says whether the
    CUDA device supports bf16."""
    if device_type == "cuda":
        return Precision.BF16 if gpu_bf16 else Precision.FP16
    return Precision.FP32
