"""`MergedLoRA`: the inference pass over a LoRA network in training runs each adapted linear
layer as one product with a merged weight; same logits, the trained weights untouched."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from nli_probe.trainers.merged_lora import MergedLoRA


def adapted_bert(*, width: int = 16, layers: int = 2, **lora: Any) -> Any:
    """A random BERT classifier (`width` wide, `layers` deep) with LoRA on query and value, its
    adapters' B matrices non-zero so that they change the logits."""
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=40,
        hidden_size=width,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=2 * width,
        num_labels=3,
        max_position_embeddings=32,
    )
    settings = {"r": 4, "lora_alpha": 8, "target_modules": ["query", "value"], **lora}
    network = get_peft_model(
        BertForSequenceClassification(config), LoraConfig(task_type=TaskType.SEQ_CLS, **settings)
    )
    with torch.no_grad():
        for name, parameter in network.named_parameters():
            if "lora_B" in name:
                parameter.normal_(std=0.5)
    return network.eval()


def _logits(network: Any) -> Any:
    ids = torch.randint(1, 40, (4, 11), generator=torch.Generator().manual_seed(2))
    mask = torch.ones_like(ids)
    mask[0, 6:] = 0
    with torch.inference_mode():
        return network(input_ids=ids, attention_mask=mask).logits


def test_merged_layers_give_the_adapted_logits_and_write_no_weight() -> None:
    network = adapted_bert()
    before = {name: p.detach().clone() for name, p in network.named_parameters()}
    separate = _logits(network)
    merged = MergedLoRA(network)
    assert merged.layers == 4  # query and value in each of 2 layers
    with merged:
        inside = _logits(network)
        query = network.base_model.model.bert.encoder.layer[0].attention.self.query
        assert "forward" in query.__dict__
    torch.testing.assert_close(inside, separate, rtol=1e-5, atol=1e-5)
    assert all(torch.equal(p, before[name]) for name, p in network.named_parameters())
    assert "forward" not in query.__dict__
    assert torch.equal(_logits(network), separate)


def test_the_merged_weights_follow_training() -> None:
    network = adapted_bert()
    merged = MergedLoRA(network)
    with merged:
        first = _logits(network)
    with torch.no_grad():
        for name, parameter in network.named_parameters():
            if "lora_A" in name:
                parameter.mul_(-1.0)
    with merged:
        second = _logits(network)
    torch.testing.assert_close(second, _logits(network), rtol=1e-5, atol=1e-5)
    assert not torch.allclose(first, second)


def test_only_lora_layers_are_merged() -> None:
    network = adapted_bert().get_base_model()
    assert MergedLoRA(torch.nn.Linear(3, 2)).layers == 0
    assert MergedLoRA(network).layers == 4  # the LoRA layers live in the base model too


@pytest.mark.parametrize("state", ["merged", "dora"])
def test_layers_peft_adapts_otherwise_keep_their_forward(state: str) -> None:
    network = adapted_bert(use_dora=True) if state == "dora" else adapted_bert()
    if state == "merged":
        network.merge_adapter()
    assert MergedLoRA(network).layers == 0
