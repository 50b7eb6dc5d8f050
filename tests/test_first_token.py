"""The engine's last layer computes only the first position where the classifier reads nothing
else (`nli_probe.models.first_token`): same logits as the full forward pass, other models left
alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from nli_probe.models.first_token import SUPPORTED, FirstTokenOnly, _first_row, _FirstTokenLayer
from nli_probe.models.load import load_model

VOCAB = 50


def _config(arch: str, attention: str) -> Any:
    import transformers

    common: dict[str, Any] = {
        "vocab_size": VOCAB,
        "hidden_size": 16,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 32,
        "num_labels": 3,
        "pad_token_id": 1,
        "max_position_embeddings": 40,
        "initializer_range": 0.3,
        "attn_implementation": attention,
    }
    if arch == "electra":
        common["embedding_size"] = 8
    names = {
        "bert": "BertConfig",
        "roberta": "RobertaConfig",
        "xlm-roberta": "XLMRobertaConfig",
        "electra": "ElectraConfig",
    }
    return getattr(transformers, names[arch])(**common)


def _classifier(arch: str, attention: str = "sdpa") -> Any:
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(0)
    network = AutoModelForSequenceClassification.from_config(_config(arch, attention))
    return network.eval()


def _padded_batch() -> dict[str, Any]:
    """Five pairs of different lengths, right-padded (id 1), each starting with a [CLS]-like 0."""
    generator = torch.Generator().manual_seed(3)
    lengths = [3, 17, 9, 30, 12]
    ids = torch.full((len(lengths), max(lengths)), 1, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for row, length in enumerate(lengths):
        ids[row, :length] = torch.randint(2, VOCAB, (length,), generator=generator)
        ids[row, 0] = 0
        mask[row, :length] = 1
    return {"input_ids": ids, "attention_mask": mask}


def _logits(network: Any, swap: FirstTokenOnly | None) -> Any:
    batch = _padded_batch()
    with torch.inference_mode():
        if swap is None:
            return network(**batch).logits
        with swap:
            return network(**batch).logits


@pytest.mark.parametrize("attention", ["eager", "sdpa"])
@pytest.mark.parametrize("arch", ["bert", "roberta", "xlm-roberta", "electra"])
def test_the_logits_are_those_of_the_full_forward_pass(arch: str, attention: str) -> None:
    network = _classifier(arch, attention)
    assert type(network).__name__ in SUPPORTED
    swap = FirstTokenOnly.of(network)
    assert swap is not None
    full = _logits(network, None)
    fast = _logits(network, swap)
    torch.testing.assert_close(fast, full, rtol=1e-5, atol=1e-5)
    assert not torch.equal(full[0], full[1])  # the pairs do get different logits


def test_the_last_layer_runs_on_one_position_inside_the_block_and_is_put_back() -> None:
    network = _classifier("bert")
    layers = network.bert.encoder.layer
    last = layers[-1]
    swap = FirstTokenOnly.of(network)
    assert swap is not None
    shapes: list[tuple[int, ...]] = []
    handle = network.bert.encoder.register_forward_hook(
        lambda module, args, output: shapes.append(tuple(output.last_hidden_state.shape))
    )
    try:
        _logits(network, swap)
        _logits(network, None)
    finally:
        handle.remove()
    assert shapes == [(5, 1, 16), (5, 30, 16)]
    assert layers[-1] is last


def test_a_lora_adapted_network_gives_the_same_logits() -> None:
    from peft import LoraConfig, TaskType, get_peft_model

    torch.manual_seed(0)
    from transformers import AutoModelForSequenceClassification

    base = AutoModelForSequenceClassification.from_config(_config("bert", "sdpa"))
    adapted = get_peft_model(
        base, LoraConfig(task_type=TaskType.SEQ_CLS, r=4, target_modules=["query", "value"])
    )
    with torch.no_grad():
        for name, parameter in adapted.named_parameters():
            if "lora_B" in name:
                parameter.normal_(std=0.5)
    adapted.eval()
    swap = FirstTokenOnly.of(adapted)
    assert swap is not None
    torch.testing.assert_close(_logits(adapted, swap), _logits(adapted, None), rtol=1e-5, atol=1e-5)


def test_a_network_in_training_mode_keeps_its_full_last_layer() -> None:
    network = _classifier("roberta").train()
    swap = FirstTokenOnly.of(network)
    assert swap is not None
    last = network.roberta.encoder.layer[-1]
    with swap:
        assert network.roberta.encoder.layer[-1] is last


def test_other_architectures_are_left_alone() -> None:
    from transformers import DistilBertConfig, DistilBertForSequenceClassification

    config = DistilBertConfig(vocab_size=VOCAB, dim=16, n_layers=1, n_heads=2, hidden_dim=32)
    assert FirstTokenOnly.of(DistilBertForSequenceClassification(config)) is None
    decoder = _classifier("bert")
    decoder.config.is_decoder = True
    assert FirstTokenOnly.of(decoder) is None


def test_an_attention_mask_of_an_unknown_kind_runs_the_full_layer() -> None:
    fast = _FirstTokenLayer(_classifier("bert").bert.encoder.layer[-1])
    hidden = torch.randn(2, 7, 16, generator=torch.Generator().manual_seed(1))
    unknown = object()
    assert _first_row(unknown) is not None and not isinstance(_first_row(unknown), torch.Tensor)
    seen: list[Any] = []

    class FullLayer(torch.nn.Module):
        def forward(self, states: Any, mask: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(mask)
            return states * 2

    fast.layer = FullLayer()
    with torch.inference_mode():
        out = fast(hidden, unknown)
    assert seen == [unknown]
    torch.testing.assert_close(out, hidden[:, :1] * 2)
    assert _first_row(None) is None
    assert _first_row(torch.zeros(2, 1, 7, 7)).shape == (2, 1, 1, 7)


@pytest.mark.parametrize("fixture", ["tiny_bert", "tiny_roberta"])
def test_the_engine_predicts_as_without_it(fixture: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(fixture)
    model = load_model(str(folder), device="cpu", precision="fp32")
    assert model._first_token is not None
    pairs = [
        ("a man plays a guitar on the stage tonight", "a man plays music"),
        ("two dogs run", "animals are outside in the park near the river"),
        ("a woman", "nobody is there"),
    ]
    fast = model.predict(pairs)
    model._first_token = None
    full = model.predict(pairs)
    for a, b in zip(fast, full, strict=True):
        assert a.probs == pytest.approx(b.probs, abs=1e-6)
    again = model.predict_encoded(model.encode(pairs))
    assert [p.probs for p in again] == [p.probs for p in full]
    assert model.predict_encoded(model.encode([])) == []
