"""Numeric precision of inference: names, parsing and the default per device.

Defaults (see README, "Models and inference"): fp32 on every device. On a GPU that is a
measurement, not a habit: on an H200 this engine ran fp32 faster than bf16 and fp16 autocast both
for the tiny MiniLM encoder (8,955 vs 2,413 pairs/s) and for a BERT-base-sized encoder, the size
of the study's RoBERTa (4,094 vs 1,884 pairs/s at batch 64), because inference batches are too
small for tensor cores to outweigh autocast's extra cast kernels. On CPU, bf16 is faster only on
CPUs with bf16 instructions (AVX-512 BF16 / AMX) and changes a few argmax decisions in a
thousand, and an evaluation tool's default should give the same numbers on every machine.
bf16 on CPU is one
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
    """The default for a device type ("cuda", "mps", "cpu"): fp32 everywhere (see the module
    docstring for the GPU measurements behind it). `gpu_bf16` says whether the CUDA device
    supports bf16; it is kept for callers that choose half precision themselves."""
    del device_type, gpu_bf16  # the same answer on every device, by measurement
    return Precision.FP32
