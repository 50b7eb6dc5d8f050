"""The device a model runs on, the precision it runs in (asking the hardware, see
`nli_probe.models.precision`) and the token budget of its batches."""

from __future__ import annotations

import warnings

from nli_probe.errors import NLIProbeError, NLIProbeWarning
from nli_probe.models.precision import Precision, PrecisionChoice, choose_precision

BATCH_TOKENS = {"cpu": 1024, "cuda": 16384, "mps": 4096}
"""Default padded tokens per forward pass, by device type (see `default_batch_tokens`)."""


def default_batch_tokens(device: str) -> int:
    """Padded tokens per forward pass. 1,024 on a CPU: the fastest budget measured there
    (`benchmarks/bench_batching.py`: 1.10-1.27x the pairs/s of 64-pair batches with MiniLM on
    SNLI, AVX-512 and AVX2, 1 thread; 4,096 was 0.95x). 16,384 on a CUDA GPU: hundreds of SNLI
    pairs per batch, so the device is not starved (checked by `benchmarks/gpu_check.py`).
    4,096 on Apple mps (not measured)."""
    return BATCH_TOKENS.get(device.split(":")[0], BATCH_TOKENS["cpu"])


def resolve_device(device: str | None = None) -> str:
    """The torch device to run on: `device` checked, or cuda, then mps, then cpu.

    Under torchrun each process on a node takes its own GPU: `auto` and `cuda` mean
    `cuda:LOCAL_RANK` there (`cuda:N` is taken as written).
    """
    import torch

    if device is None or device.strip().lower() == "auto":
        if torch.cuda.is_available():
            return _rank_gpu(torch.cuda.device_count())
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
        if text == "cuda":
            return _rank_gpu(torch.cuda.device_count())
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


def _rank_gpu(count: int) -> str:
    """`cuda` for a single process; `cuda:LOCAL_RANK` for one of several on a node."""
    from nli_probe.models import distributed

    if distributed.launched_size() <= 1:
        return "cuda"
    place = distributed.local_rank()
    if place >= count:
        raise NLIProbeError(
            f"this process is number {place} on its node (LOCAL_RANK), but torch sees {count} "
            f"GPU(s): start at most {count} processes per node (torchrun --nproc-per-node "
            f"{count})"
        )
    return f"cuda:{place}"


def precision_choice(
    precision: str | Precision | None, device: str, *, training: bool = False
) -> PrecisionChoice:
    """What `precision` ("auto", None or a name) means on this machine's `device`, asking the
    hardware (see `nli_probe.models.precision.choose_precision`). A choice that will run slowly
    (bf16 on a CPU without native bf16) is also issued once as a `NLIProbeWarning`."""
    from nli_probe.models import hardware

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
