import json
from pathlib import Path

from tests.tiny_models import (
    TWO_WAY_LABELS,
    build_tiny_tokenizer,
    make_tiny_classifier,
    make_tiny_lora_adapter,
)


def test_tiny_roberta_and_bert_checkpoints_load_and_classify(tmp_path: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    for arch in ("roberta", "bert"):
        folder = make_tiny_classifier(tmp_path / arch, arch=arch)
        assert (folder / "model.safetensors").is_file()
        assert not list(folder.glob("*.bin"))
        config = json.loads((folder / "config.json").read_text())
        assert config["id2label"] == {"0": "entailment", "1": "neutral", "2": "contradiction"}
        model = AutoModelForSequenceClassification.from_pretrained(folder)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        batch = tokenizer(["A man is sleeping."], ["Nobody sleeps."], return_tensors="pt")
        with torch.inference_mode():
            logits = model(**batch).logits
        assert logits.shape == (1, 3)
        assert sum(p.numel() for p in model.parameters()) < 20_000


def test_tiny_checkpoint_is_deterministic_and_labels_are_configurable(tmp_path: Path) -> None:
    a = make_tiny_classifier(tmp_path / "a", arch="bert", labels=TWO_WAY_LABELS)
    b = make_tiny_classifier(tmp_path / "b", arch="bert", labels=TWO_WAY_LABELS)
    assert (a / "model.safetensors").read_bytes() == (b / "model.safetensors").read_bytes()
    config = json.loads((a / "config.json").read_text())
    assert config["id2label"] == {"0": "entailment", "1": "non-entailment"}


def test_tiny_tokenizer_pair_template() -> None:
    tokenizer = build_tiny_tokenizer("roberta")
    ids = tokenizer("a dog", "a cat")["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    assert tokens == ["<s>", "a", "dog", "</s>", "</s>", "a", "cat", "</s>"]


def test_tiny_lora_adapter(tmp_path: Path) -> None:
    base = make_tiny_classifier(tmp_path / "base")
    adapter = make_tiny_lora_adapter(tmp_path / "adapter", base)
    config = json.loads((adapter / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == str(base)
    assert (adapter / "adapter_model.safetensors").is_file()
