"""What this machine offers a model: the CPU's instruction set, native bf16 and AMX, the GPU,
and how many threads torch uses.

The one place besides the model loader (`nli_probe.models`, and the trainers) that asks torch
anything, always inside a function, so `import nli_probe` stays free of torch. Precision choices
are made from these answers (`nli_probe.models.precision.choose_precision`); tests replace the
probes (`cpu_has_native_bf16`, `cpu_has_amx`, `cuda_supports_bf16`) with monkeypatch to check
every combination on any machine.
"""

from __future__ import annotations

import os

from nli_probe.errors import NLIProbeError

THREADS_ENV = "NLI_PROBE_THREADS"


def cpu_capability() -> str:
    """The vector instruction set torch's CPU kernels use: "AVX512", "AVX2", "DEFAULT", ..."""
    import torch

    return str(torch.backends.cpu.get_cpu_capability())


def cpu_has_native_bf16() -> bool:
    """True when torch's oneDNN kernels run bf16 with AVX-512 instructions (or Arm bf16).
    Without them bf16 is emulated: a bf16 matmul on a 2-core AVX2 CPU ran at 0.4 GFLOPS
    against 24 in fp32. With them bf16 is not necessarily faster than fp32: only AMX made it so
    (see `cpu_has_amx`)."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def cpu_has_amx() -> bool:
    """True when the CPU has AMX tiles (Xeon 4th generation and later, with the operating
    system's permission), which oneDNN uses for bf16 matrix products: the only CPUs where bf16
    was measured faster than fp32 (about 1.9x)."""
    import torch

    try:
        return bool(torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):
        return False


def cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def cuda_supports_bf16() -> bool:
    """True when the CUDA GPU computes bf16 natively (compute capability 8.0 and later)."""
    import torch

    return bool(
        torch.cuda.is_available() and torch.cuda.is_bf16_supported(including_emulation=False)
    )


def gpu_name() -> str | None:
    """The first CUDA GPU's name, or None without one."""
    import torch

    return str(torch.cuda.get_device_name(0)) if torch.cuda.is_available() else None


def cpu_model() -> str:
    """The CPU's model name (`AMD EPYC`, `Intel(R) Xeon(R) ...`): its maker decides which of
    torch's kernels is faster (`nli_probe.models.cpu_linear`)."""
    import platform
    from pathlib import Path

    try:
        with Path("/proc/cpuinfo").open(encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip() or "unknown CPU"
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def describe_machine() -> str:
    """One line naming what decides speed here, for the first line of every benchmark:
    `machine: cpu AVX512 (AMD EPYC), native bf16 yes, AMX no, 2 torch threads, 2 cores, GPU
    none (torch 2.13.0+cpu)`."""
    import torch

    gpu = gpu_name()
    gpu_text = "none" if gpu is None else f"{gpu} (bf16 {_yes(cuda_supports_bf16())})"
    return (
        f"machine: cpu {cpu_capability()} ({cpu_model()}), "
        f"native bf16 {_yes(cpu_has_native_bf16())}, "
        f"AMX {_yes(cpu_has_amx())}, "
        f"{torch.get_num_threads()} torch threads, {os.cpu_count()} cores, GPU {gpu_text} "
        f"(torch {torch.__version__})"
    )


def threads_from(option: int | None) -> int | None:
    """The thread count asked for: `option` (`--threads`), else `$NLI_PROBE_THREADS`, else None
    (torch's own choice: one thread per core).

    Raises:
        NLIProbeError: a count below 1, or a variable that is not a whole number.
    """
    if option is not None:
        if option < 1:
            raise NLIProbeError(f"--threads must be at least 1, got {option}")
        return option
    text = os.environ.get(THREADS_ENV, "").strip()
    if not text:
        return None
    try:
        count = int(text)
    except ValueError:
        raise NLIProbeError(f"${THREADS_ENV} must be a whole number, got {text!r}") from None
    if count < 1:
        raise NLIProbeError(f"${THREADS_ENV} must be at least 1, got {count}")
    return count


def set_threads(option: int | None) -> int:
    """Apply `threads_from(option)` to torch's CPU thread pool; returns the count in effect.

    On a machine shared with other work, a run with as many threads as cores can stall whenever
    one of its threads is descheduled (every thread waits for the slowest at each operation);
    one thread is then steadier, and often as fast.
    """
    import torch

    count = threads_from(option)
    if count is not None:
        torch.set_num_threads(count)
    return int(torch.get_num_threads())


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
