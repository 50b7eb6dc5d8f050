"""The matrix products of fp32 inference on a CPU, run by whichever of torch's two CPU kernels is
faster on this machine.

torch computes `nn.Linear` in fp32 with its BLAS, Intel's MKL, which on CPUs of other makers
takes a generic code path: on a 2-core AMD EPYC with AVX-512 it ran MiniLM's products at about
100 GFLOPS per core, while oneDNN (also inside torch, `torch.ops.mkldnn._linear_pointwise`) ran
the same products at 200-230, and a whole inference pass took 44-47% less CPU time. On Intel
CPUs, where MKL is at home, the two have not been compared here. So which one runs is measured,
not guessed from the CPU's maker:
the first network a process predicts with times both kernels on its own weight shapes, in
turns, and oneDNN runs only when it took at most `MARGIN` of MKL's time; the answer is kept
for the process (`choose`). `$NLI_PROBE_CPU_LINEAR` (`auto`, `onednn`, `torch`) overrides it.

Only layers big enough for the choice to matter take part (`MIN_WEIGHTS`): oneDNN's fixed cost
per call (about 12 microseconds here) outweighs a small product such as a classifier head.
The results are those of MKL up to floating-point rounding (sums taken in another order: a
probability moves in its 7th decimal). Inside `CPULinear`, as with `first_token`, the layers'
own `forward` is shadowed and restored on exit; outside it, and whenever autograd records
(training), every layer is torch's own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import torch
from torch.nn import functional

from nli_probe.errors import NLIProbeError

KERNEL_ENV = "NLI_PROBE_CPU_LINEAR"
KERNELS = ("auto", "onednn", "torch")

MIN_WEIGHTS = 256 * 256
"""The smallest weight (in elements) run by oneDNN: a 384x384 product of 32 rows took about
the same time either way, a 32-wide one several times longer with oneDNN."""

MARGIN = 0.9
"""oneDNN runs when it took at most this share of MKL's time: a difference beyond what two equal
kernels' best timings differ by on a shared machine. (With the CPU limited to AVX2, the same
EPYC ran oneDNN's products at 0.89x MKL's time and an inference pass in 0.93x its CPU time.)"""

CALIBRATION_ROWS = 256
"""Rows (tokens) of each product timed when choosing."""

Linear = Callable[..., Any]


def onednn_linear(input: Any, weight: Any, bias: Any = None) -> Any:
    """`functional.linear` computed by oneDNN (fp32, CPU, without autograd)."""
    return torch.ops.mkldnn._linear_pointwise(input, weight, bias, "none", [], "")


def onednn_available() -> bool:
    """Whether this torch has oneDNN's linear kernel for the CPU."""
    if not torch.backends.mkldnn.is_available():  # type: ignore[no-untyped-call]
        return False
    try:
        torch.ops.mkldnn._linear_pointwise  # noqa: B018  (looked up: absent in some builds)
    except (AttributeError, RuntimeError):
        return False
    return True


@dataclass(frozen=True)
class KernelChoice:
    """Which kernel runs fp32 linear layers on this CPU, and why."""

    kernel: str
    """`onednn` or `torch`."""
    reason: str

    def describe(self) -> str:
        """`onednn (auto: oneDNN took 0.44x torch's time on these products)`."""
        return f"{self.kernel} ({self.reason})"


def kernel_setting() -> str:
    """`$NLI_PROBE_CPU_LINEAR`, checked (`auto` when unset).

    Raises:
        NLIProbeError: a value that is not one of `KERNELS`.
    """
    from nli_probe.core.suggest import did_you_mean

    text = os.environ.get(KERNEL_ENV, "").strip().lower() or "auto"
    if text not in KERNELS:
        hint = did_you_mean(text, KERNELS)
        raise NLIProbeError(
            f"${KERNEL_ENV} = {text!r} is not a CPU linear kernel{hint} (use {', '.join(KERNELS)})"
        )
    return text


_CHOSEN: dict[tuple[tuple[int, int], ...], KernelChoice] = {}


def choose(
    shapes: Iterable[tuple[int, int]], *, timer: Callable[..., dict[str, float]] | None = None
) -> KernelChoice:
    """The kernel for fp32 products with these weight shapes (out, in) on this CPU: the
    setting in `$NLI_PROBE_CPU_LINEAR`, else measured once per process and set of shapes."""
    setting = kernel_setting()
    if setting != "auto":
        if setting == "onednn" and not onednn_available():
            raise NLIProbeError(
                f"${KERNEL_ENV} = onednn, but this torch has no oneDNN CPU kernels; use torch"
            )
        return KernelChoice(kernel=setting, reason=f"${KERNEL_ENV}")
    if not onednn_available():
        return KernelChoice(kernel="torch", reason="auto: this torch has no oneDNN CPU kernels")
    key = tuple(sorted(set(shapes)))
    if key not in _CHOSEN:
        _CHOSEN[key] = _measure(key, timer or _time_kernel)
    return _CHOSEN[key]


def _measure(
    shapes: tuple[tuple[int, int], ...], timer: Callable[..., dict[str, float]]
) -> KernelChoice:
    if not shapes:
        return KernelChoice(kernel="torch", reason="auto: no layer large enough to matter")
    totals = {"torch": 0.0, "onednn": 0.0}
    generator = torch.Generator().manual_seed(0)
    for out_features, in_features in shapes:
        x = torch.randn(CALIBRATION_ROWS, in_features, generator=generator)
        weight = torch.randn(out_features, in_features, generator=generator) * in_features**-0.5
        bias = torch.randn(out_features, generator=generator)
        with torch.inference_mode():
            expected = functional.linear(x, weight, bias)
            try:
                got = onednn_linear(x, weight, bias)
            except RuntimeError as error:  # a build whose oneDNN lacks this product
                first = str(error).strip().splitlines()[0] if str(error).strip() else "an error"
                return KernelChoice(kernel="torch", reason=f"auto: oneDNN failed here ({first})")
            if not torch.allclose(got, expected, rtol=1e-4, atol=1e-4):
                return KernelChoice(
                    kernel="torch", reason="auto: oneDNN's products differ from torch's here"
                )
            for name, best in timer(x, weight, bias).items():
                totals[name] += best
    share = totals["onednn"] / totals["torch"] if totals["torch"] > 0 else 1.0
    kernel = "onednn" if share <= MARGIN else "torch"
    return KernelChoice(
        kernel=kernel, reason=f"auto: oneDNN took {share:.2f}x torch's time on these products"
    )


def _time_kernel(
    x: Any, weight: Any, bias: Any, *, rounds: int = 4, calls: int = 2
) -> dict[str, float]:
    """The best of `rounds` CPU timings of `calls` products by each kernel, taken in turns so
    that a slow spell of a shared machine falls on both."""
    kernels: dict[str, Linear] = {"torch": functional.linear, "onednn": onednn_linear}
    best = dict.fromkeys(kernels, float("inf"))
    with torch.inference_mode():
        for kernel in kernels.values():
            kernel(x, weight, bias)  # warm-up: oneDNN builds its primitive on the first call
        for round_ in range(rounds):
            order = list(kernels) if round_ % 2 == 0 else list(reversed(kernels))
            for name in order:
                started = time.process_time()
                for _ in range(calls):
                    kernels[name](x, weight, bias)
                best[name] = min(best[name], time.process_time() - started)
    return best


class CPULinear:
    """The kernel chosen for a network's large fp32 linear layers: inside `with`, they compute
    with oneDNN when it was chosen."""

    def __init__(self, layers: list[Any], choice: KernelChoice) -> None:
        self._layers = layers
        self.choice = choice

    @classmethod
    def of(cls, network: Any, *, device: str, fp32: bool) -> CPULinear | None:
        """The choice for `network` predicting on `device` (made here: it may time both
        kernels), or None where there is none to make: a GPU, half precision, or no layer
        large enough. With torch chosen, `with` changes nothing."""
        if not device.startswith("cpu") or not fp32:
            return None
        layers = [
            module
            for module in network.modules()
            if isinstance(module, torch.nn.Linear)
            and module.weight.dtype == torch.float32
            and module.weight.numel() >= MIN_WEIGHTS
        ]
        if not layers:
            return None
        shapes = [(int(m.weight.shape[0]), int(m.weight.shape[1])) for m in layers]
        return cls(layers, choose(shapes))

    @property
    def active(self) -> bool:
        """Whether oneDNN runs the layers inside `with`."""
        return self.choice.kernel == "onednn"

    @property
    def linear(self) -> Linear:
        """The product the chosen kernel computes, for layers that build their own weight
        (merged LoRA)."""
        return onednn_linear if self.active else functional.linear

    @property
    def layers(self) -> int:
        """How many layers take part (computed by the chosen kernel inside `with`)."""
        return len(self._layers)

    def __enter__(self) -> CPULinear:
        if not self.active:
            return self
        for module in self._layers:
            if "forward" not in module.__dict__:  # another swap (e.g. merged LoRA) wins
                module.forward = partial(_layer_forward, module)
        return self

    def __exit__(self, *exc: object) -> None:
        for module in self._layers:
            forward = module.__dict__.get("forward")
            if isinstance(forward, partial) and forward.func is _layer_forward:
                del module.__dict__["forward"]


def _layer_forward(module: Any, input: Any) -> Any:
    # Autograd has no derivative for oneDNN's product: a pass that records one keeps torch's.
    if torch.is_grad_enabled() or input.dtype != torch.float32:
        return functional.linear(input, module.weight, module.bias)
    return onednn_linear(input, module.weight, module.bias)
