"""Inference that computes only the first token in the encoder's last layer.

A BERT-family sequence classifier reads a single position of its last layer: the first
(`[CLS]` / `<s>`), through the pooler or the classification head. The other positions of that
layer are computed and thrown away, which for MiniLM (6 layers) is about a seventh of a forward
pass and for a 12-layer base model about a thirteenth. `FirstTokenOnly` swaps the last layer,
for the length of a `with` block, for one that computes position 0 alone: its query attends to
every key and value of the layer below, exactly as in the full layer, and the feed-forward part
runs on that one position. The logits are those of the full forward pass up to floating-point
rounding (a different matrix shape sums in a different order: about 1e-7 in a probability).

Only the architectures whose classifier is known to read position 0 are sped up (`SUPPORTED`),
and only when the layer has the shape this code knows (self-attention with query, key and value
projections, absolute positions, no cross-attention); any other model runs as it is. A layer
that meets an attention mask it does not know falls back to the full layer for that batch, and
a network in training mode is left as it is (dropout would act on the positions).
"""

from __future__ import annotations

from typing import Any

import torch
from torch.nn import functional

SUPPORTED = frozenset(
    {
        "BertForSequenceClassification",  # pooler on hidden_states[:, 0]
        "RobertaForSequenceClassification",  # classification head on features[:, 0]
        "XLMRobertaForSequenceClassification",
        "ElectraForSequenceClassification",
    }
)
"""Classifier classes whose output depends on the last layer's first position alone."""


class FirstTokenOnly:
    """Inside `with`, the last encoder layer of `network` computes only the first position.

    The swap is a single list assignment each way. Two threads predicting with the same network
    can at worst run a batch through the full layer, which gives the same logits.
    """

    def __init__(self, layers: Any, original: Any) -> None:
        self._layers = layers
        self._original = original
        self._fast = _FirstTokenLayer(original)

    @classmethod
    def of(cls, network: Any) -> FirstTokenOnly | None:
        """The swap for `network`, or None when its architecture is not one this applies to."""
        model = network.get_base_model() if hasattr(network, "get_base_model") else network
        if type(model).__name__ not in SUPPORTED:
            return None
        config = model.config
        if getattr(config, "is_decoder", False) or getattr(config, "add_cross_attention", False):
            return None
        if getattr(config, "position_embedding_type", "absolute") != "absolute":
            return None  # relative positions add a term to the attention scores
        body = getattr(model, model.base_model_prefix, None)
        layers = getattr(getattr(body, "encoder", None), "layer", None)
        if layers is None or len(layers) == 0 or not _known_layer(layers[-1]):
            return None
        return cls(layers, layers[-1])

    def __enter__(self) -> FirstTokenOnly:
        if not self._original.training:
            self._layers[-1] = self._fast
        return self

    def __exit__(self, *exc: object) -> None:
        self._layers[-1] = self._original


def _known_layer(layer: Any) -> bool:
    attention = getattr(layer, "attention", None)
    self_attention = getattr(attention, "self", None)
    return (
        all(hasattr(self_attention, name) for name in ("query", "key", "value"))
        and hasattr(self_attention, "attention_head_size")
        and hasattr(attention, "output")
        and callable(getattr(layer, "feed_forward_chunk", None))
        and not hasattr(layer, "crossattention")
    )


class _FirstTokenLayer(torch.nn.Module):
    """The last layer's computation for position 0 only (its output has one position)."""

    def __init__(self, layer: Any) -> None:
        super().__init__()
        self.layer = layer

    def forward(
        self, hidden_states: Any, attention_mask: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        mask = _first_row(attention_mask)
        if mask is _UNKNOWN:
            return self.layer(hidden_states, attention_mask, *args, **kwargs)[:, :1]
        layer = self.layer
        attention = layer.attention.self
        batch, length, _ = hidden_states.shape
        size = attention.attention_head_size
        first = hidden_states[:, :1]
        query = attention.query(first).view(batch, 1, -1, size).transpose(1, 2)
        key = attention.key(hidden_states).view(batch, length, -1, size).transpose(1, 2)
        value = attention.value(hidden_states).view(batch, length, -1, size).transpose(1, 2)
        if mask is not None and mask.dtype != torch.bool:
            mask = mask.to(query.dtype)
        context = functional.scaled_dot_product_attention(
            query, key, value, attn_mask=mask, scale=getattr(attention, "scaling", size**-0.5)
        )
        context = context.transpose(1, 2).reshape(batch, 1, -1)
        attended = layer.attention.output(context, first)
        return layer.feed_forward_chunk(attended)


_UNKNOWN = object()


def _first_row(mask: Any) -> Any:
    """The attention mask's row for the first query: None (no mask), a (batch, 1, 1, keys)
    tensor (boolean: True attends; or additive), or `_UNKNOWN` for a kind this code does not
    read (the full layer runs instead)."""
    if mask is None:
        return None
    if isinstance(mask, torch.Tensor) and mask.dim() == 4:
        return mask[:, :, :1, :]
    return _UNKNOWN
