"""Numeric precision: names, parsing, and what `auto` means on each kind of hardware.

`auto` (the default everywhere: engine, trainers, study presets, TUI) decides by the hardware,
by measurement (README, "Models and inference" and "Training"):

- a CPU with AMX (Xeon 4th generation and later): bf16, which ran the engine about 1.9x as fast
  as fp32 on a 16-core Xeon with AMX;
- any other CPU: fp32. Without native bf16 (AVX2 only: most laptops and many cloud CPUs) bf16
  is emulated: a bf16 matmul ran at 0.4 GFLOPS against 24 in fp32 on a 2-core AVX2 CPU, and the
  quick study trained at 26-30 s per step in bf16 against 1.1 s in fp32. With AVX-512 BF16 but
  no AMX (a 2-core Xeon VM) bf16 still ran slower than fp32 (engine 0.58x);
- a CUDA GPU, training: bf16 where the GPU has it, else fp16 (mixed precision);
- a CUDA GPU, inference: fp32. On one H200 the engine ran fp32 faster than bf16 (4,094 vs 1,884
  pairs/s at BERT-base size) while it built batches row by row and ran bf16 under autocast;
  both are changed now, and `benchmarks/gpu_check.py` measures whether bf16 pays off before
  `auto` switches to it;
- Apple mps: fp32.

An explicit half precision on a CPU without native bf16 still runs, with a one-line warning.
The resolved precision is part of a model's fingerprint (so cached predictions of different
precisions never mix) and is recorded in run folders and reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError


class Precision(StrEnum):
    """How the forward pass computes: fp32, or bf16 / fp16. `str(Precision.BF16)` is "bf16"."""

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

EMULATED_BF16_SLOWDOWN = (
    "a bf16 matmul ran 60x slower than fp32 on a 2-core AVX2 CPU (0.4 vs 24 GFLOPS) and "
    "training 20-27x slower per step"
)
"""What was measured on a CPU without native bf16, quoted in the warning."""


@dataclass(frozen=True, kw_only=True, slots=True)
class PrecisionChoice:
    """The precision a run uses, why, and a warning when the choice will be slow."""

    precision: Precision
    reason: str
    """`auto: ...` naming the hardware fact that decided, or `asked for`."""
    warning: str | None = None

    def describe(self) -> str:
        """`bf16 (auto: this CPU has native bf16, AVX512)`."""
        return f"{self.precision} ({self.reason})"


def parse_precision(text: str | Precision | None) -> Precision | None:
    """A precision from its name; None (or "auto") means "decided by the hardware"."""
    if text is None or isinstance(text, Precision):
        return text
    key = text.strip().lower()
    if key == "auto":
        return None
    if key in _SPELLINGS:
        return _SPELLINGS[key]
    hint = did_you_mean(key, [*_SPELLINGS, "auto"])
    raise NLIProbeError(f"unknown precision {text!r}{hint} (use auto, fp32, bf16 or fp16)")


def choose_precision(
    requested: str | Precision | None,
    *,
    device: str,
    cpu_bf16: bool,
    gpu_bf16: bool,
    cpu_amx: bool = False,
    cpu_name: str = "",
    training: bool = False,
) -> PrecisionChoice:
    """What `requested` means on this hardware (see the module docstring for the rules).

    Args:
        requested: a precision name, "auto" or None (auto).
        device: "cpu", "cuda", "cuda:N" or "mps".
        cpu_bf16: whether the CPU has native bf16 (`nli_probe.models.hardware.cpu_has_native_bf16`).
        gpu_bf16: whether the CUDA GPU has bf16.
        cpu_amx: whether the CPU has AMX (`nli_probe.models.hardware.cpu_has_amx`).
        cpu_name: the CPU's instruction set (e.g. "AVX2"), named in the reason.
        training: choose for training (mixed precision on a GPU) rather than inference.

    Raises:
        NLIProbeError: an unknown name; bf16 on a GPU without it; fp16 training on a CPU.
    """
    kind = device.split(":")[0]
    chosen = parse_precision(requested)
    cpu = f"this CPU ({cpu_name})" if cpu_name else "this CPU"
    if chosen is None:
        return _auto(
            kind, cpu=cpu, cpu_bf16=cpu_bf16, cpu_amx=cpu_amx, gpu_bf16=gpu_bf16, training=training
        )
    if kind == "cuda" and chosen is Precision.BF16 and not gpu_bf16:
        raise NLIProbeError(f"this GPU ({device}) does not support bf16; use fp16, fp32 or auto")
    if kind == "cpu" and chosen is Precision.FP16 and training:
        raise NLIProbeError("precision = 'fp16' trains only on a CUDA GPU; use auto, bf16 or fp32")
    warning = None
    if kind == "cpu" and chosen is not Precision.FP32 and not cpu_bf16:
        warning = (
            f"{chosen} is emulated on {cpu}, which lacks the AVX-512 instructions torch runs it "
            f"with: {EMULATED_BF16_SLOWDOWN}; use precision=fp32 (--precision fp32), or auto"
        )
    return PrecisionChoice(precision=chosen, reason="asked for", warning=warning)


def _auto(
    kind: str, *, cpu: str, cpu_bf16: bool, cpu_amx: bool, gpu_bf16: bool, training: bool
) -> PrecisionChoice:
    if kind == "cuda" and training:
        if gpu_bf16:
            return PrecisionChoice(precision=Precision.BF16, reason="auto: GPU with bf16")
        return PrecisionChoice(precision=Precision.FP16, reason="auto: GPU without bf16")
    if kind == "cuda":
        return PrecisionChoice(
            precision=Precision.FP32,
            reason="auto: fp32 for inference on a GPU until bf16 is measured faster there",
        )
    if kind == "cpu" and cpu_bf16 and cpu_amx:
        return PrecisionChoice(precision=Precision.BF16, reason=f"auto: {cpu} has AMX")
    if kind == "cpu" and cpu_bf16:
        return PrecisionChoice(
            precision=Precision.FP32,
            reason=f"auto: {cpu} has native bf16 but no AMX, where bf16 ran slower than fp32",
        )
    if kind == "cpu":
        return PrecisionChoice(precision=Precision.FP32, reason=f"auto: {cpu} has no native bf16")
    return PrecisionChoice(precision=Precision.FP32, reason=f"auto: fp32 on {kind}")
