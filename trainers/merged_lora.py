"""A LoRA network in training predicted as one plain network, for the inference pass that
records training dynamics.

With its adapter separate, each adapted linear layer of a peft model computes its base product
and then, in two more small products, the adapter's: `W x + s B (A x)`. Inside `MergedLoRA`
each such layer computes `(W + s B A) x` instead, one product with the merged weight, as a
merged adapter would (the inference engine merges adapters when it loads them, for the same
reason). The merged weight is a new tensor made at the start of the block: the layer's own
weights are never written, unlike peft's `merge_adapter`/`unmerge_adapter`, whose add and
subtract in place would leave the weights being trained off by a rounding at every record.

Layers that peft adapts in another way (DoRA and the other variants, embeddings,
convolutions, several adapters mixed per batch) keep their own forward.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import torch
from torch.nn import functional


class MergedLoRA:
    """Inside `with`, every plainly LoRA-adapted linear layer of `network` runs as one linear
    layer with the adapters' products added to its weight."""

    def __init__(self, network: Any, *, linear: Any = functional.linear) -> None:
        self._layers = [module for module in network.modules() if _mergeable(module)]
        self.linear = linear
        """The product each merged layer computes (`functional.linear`, or the CPU kernel the
        engine chose: `nli_probe.models.cpu_linear`)."""

    @property
    def layers(self) -> int:
        """How many layers run merged."""
        return len(self._layers)

    def __enter__(self) -> MergedLoRA:
        with torch.no_grad():
            for module in self._layers:
                base = module.base_layer
                weight = base.weight.detach().clone()
                for adapter in _adapters(module):
                    weight += module.get_delta_weight(adapter).to(weight.dtype)
                # An instance attribute shadows the class's forward until it is deleted.
                module.forward = partial(self.linear, weight=weight, bias=base.bias)
        return self

    def __exit__(self, *exc: object) -> None:
        for module in self._layers:
            module.__dict__.pop("forward", None)


def _adapters(module: Any) -> list[str]:
    return [name for name in module.active_adapters if name in module.lora_A]


def _mergeable(module: Any) -> bool:
    try:
        from peft.tuners.lora.layer import Linear as LoraLinear
    except ImportError:  # peft is a dependency; a network without it has no LoRA layers
        return False
    if not isinstance(module, LoraLinear) or module.merged or module.disable_adapters:
        return False
    if not isinstance(module.base_layer, torch.nn.Linear):
        return False
    adapters = _adapters(module)
    variants = getattr(module, "lora_variant", {})
    dora = getattr(module, "use_dora", {})
    return bool(adapters) and not any(
        name in variants or dora.get(name, False) for name in adapters
    )
