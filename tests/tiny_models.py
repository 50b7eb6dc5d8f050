"""Tiny random sequence-classification checkpoints for tests (no download, a few KB each).

Use them from any test:

    from tests.tiny_models import make_tiny_classifier

    def test_something(tmp_path):
        folder = make_tiny_classifier(tmp_path, arch="roberta")     # 3-way, e/n/c
        folder2 = make_tiny_classifier(tmp_path / "b", arch="bert",
                                       labels=("contradiction", "neutral", "entailment"))

or through the fixtures `tiny_roberta` / `tiny_bert` (session-scoped, read-only folders) that
`tests/conftest.py` can re-export (`from tests.tiny_models import tiny_roberta, tiny_bert`).

Each folder holds `config.json` (with `id2label`/`label2id`), `model.safetensors` and a fast
tokenizer (`tokenizer.json` + `tokenizer_config.json`) built in-process from a small word-level
vocabulary. The weights are random but seeded, so the same call makes the same checkpoint.
`make_tiny_lora_adapter` saves a peft LoRA adapter over such a checkpoint.

torch/transformers are imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

NLI_LABELS: tuple[str, ...] = ("entailment", "neutral", "contradiction")
TWO_WAY_LABELS: tuple[str, ...] = ("entailment", "non-entailment")

# Words the tiny tokenizer knows; anything else becomes the unknown token.
_WORD_LIST = (
    "a an the man woman child children dog cat people person boy girl group two three some "
    "is are was were be not no never nobody there outside inside sleeping running walking "
    "playing sitting eating standing on in at with near of and or to by park street beach "
    "water ball car red blue green big small tall happy sad old young music guitar bike "
    "field grass snow tree house table food shirt hat . , ! ? ' -"
)
_WORDS = tuple(_WORD_LIST.split())

_SPECIALS = {
    "roberta": {"cls": "<s>", "sep": "</s>", "pad": "<pad>", "unk": "<unk>", "mask": "<mask>"},
    "bert": {"cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]", "mask": "[MASK]"},
}


def tiny_vocabulary() -> tuple[str, ...]:
    """The words (after lower-casing and punctuation splitting) the tiny tokenizer knows."""
    return tuple(_WORDS)


def build_tiny_tokenizer(
    arch: str = "roberta", *, model_max_length: int = 128, words: Sequence[str] | None = None
) -> Any:
    """A `PreTrainedTokenizerFast` over a word-level vocabulary, with the architecture's
    special tokens and pair template (`<s> A </s></s> B </s>` / `[CLS] A [SEP] B [SEP]`).
    `words` replaces the vocabulary (`()`: the special tokens only)."""
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordLevel
    from transformers import PreTrainedTokenizerFast

    special = _SPECIALS[_check_arch(arch)]
    ordered_specials = [special["cls"], special["pad"], special["sep"], special["unk"]]
    ordered_specials.append(special["mask"])
    known = _WORDS if words is None else tuple(words)
    vocab = {token: index for index, token in enumerate([*ordered_specials, *known])}
    tokenizer = Tokenizer(WordLevel(vocab=vocab, unk_token=special["unk"]))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.Punctuation()]
    )
    cls, sep = special["cls"], special["sep"]
    # RoBERTa has one token type (all zeros); BERT marks the hypothesis with type 1.
    pair = f"{cls} $A {sep} {sep} $B {sep}" if arch == "roberta" else f"{cls} $A {sep} $B:1 {sep}:1"
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{cls} $A {sep}",
        pair=pair,
        special_tokens=[(cls, vocab[cls]), (sep, vocab[sep])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=cls,
        eos_token=sep,
        cls_token=cls,
        sep_token=sep,
        pad_token=special["pad"],
        unk_token=special["unk"],
        mask_token=special["mask"],
        model_max_length=model_max_length,
        model_input_names=(
            ["input_ids", "attention_mask"]
            if arch == "roberta"
            else ["input_ids", "token_type_ids", "attention_mask"]
        ),
    )


def make_tiny_classifier(
    folder: Path,
    *,
    arch: str = "roberta",
    labels: Sequence[str] = NLI_LABELS,
    seed: int = 0,
    hidden_size: int = 16,
    num_layers: int = 2,
    init_std: float = 0.3,
) -> Path:
    """Save a tiny random `{arch}ForSequenceClassification` checkpoint into `folder`.

    Args:
        folder: created if missing; the checkpoint files are written directly into it.
        arch: "roberta" or "bert".
        labels: the output columns' names in column order (becomes `id2label`): pass a
            permutation, two names for a 2-way model, or `("LABEL_0", ...)` for generic names.
        seed: seeds the random weights, so equal arguments give an identical checkpoint.
        hidden_size: width of the encoder (keep it small: tests run on 2 shared cores).
        num_layers: number of transformer layers.
        init_std: spread of the random weights; larger than transformers' 0.02 so different
            pairs get visibly different (not all near-uniform) probabilities.

    Returns:
        `folder`, for chaining.
    """
    import torch
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        RobertaConfig,
        RobertaForSequenceClassification,
    )

    tokenizer = build_tiny_tokenizer(_check_arch(arch))
    common: dict[str, Any] = {
        "vocab_size": len(tokenizer),
        "hidden_size": hidden_size,
        "num_hidden_layers": num_layers,
        "num_attention_heads": 2,
        "intermediate_size": hidden_size * 2,
        "num_labels": len(labels),
        "id2label": dict(enumerate(labels)),
        "label2id": {name: index for index, name in enumerate(labels)},
        "pad_token_id": tokenizer.pad_token_id,
        "initializer_range": init_std,
    }
    torch.manual_seed(seed)
    if arch == "roberta":
        # RoBERTa numbers positions from pad_token_id + 1, so it needs two spare positions.
        config = RobertaConfig(
            **common,
            max_position_embeddings=tokenizer.model_max_length + 2,
            bos_token_id=tokenizer.cls_token_id,
            eos_token_id=tokenizer.sep_token_id,
            type_vocab_size=1,
        )
        model: Any = RobertaForSequenceClassification(config)
    else:
        config = BertConfig(**common, max_position_embeddings=tokenizer.model_max_length)
        model = BertForSequenceClassification(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def make_tiny_encoder(folder: Path, *, seed: int = 0, hidden_size: int = 16) -> Path:
    """Save a tiny random RoBERTa *encoder* (`RobertaModel`, no classification head), as a
    pretrained base model such as all-MiniLM-L6-v2 comes, with its tokenizer."""
    import torch
    from transformers import RobertaConfig, RobertaModel

    tokenizer = build_tiny_tokenizer("roberta")
    config = RobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=hidden_size * 2,
        max_position_embeddings=tokenizer.model_max_length + 2,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id,
        type_vocab_size=1,
    )
    torch.manual_seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    RobertaModel(config).save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def make_tiny_lora_adapter(
    folder: Path,
    base: Path,
    *,
    seed: int = 1,
    rank: int = 4,
    perturb: bool = True,
    labels: Sequence[str] | None = None,
) -> Path:
    """Save a peft LoRA adapter (`adapter_config.json` + `adapter_model.safetensors`) over the
    tiny checkpoint at `base` into `folder`.

    The adapter's `base_model_name_or_path` is `str(base)`, as the trainers write it. With
    `perturb`, the LoRA B matrices get random values so the adapted model's outputs differ from
    the base model's (a fresh LoRA adapter is an identity). The classifier head is saved with
    the adapter (`modules_to_save`), as a trained NLI adapter would have it. With `labels`
    (for a bare encoder `base`), the head gets that many columns and the adapter folder the
    base config with those names, as `nli-probe train` saves a LoRA run.
    """
    import torch
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    named: dict[str, Any] = {}
    if labels is not None:
        named = {
            "num_labels": len(labels),
            "id2label": dict(enumerate(labels)),
            "label2id": {name: index for index, name in enumerate(labels)},
        }
    model = AutoModelForSequenceClassification.from_pretrained(base, **named)
    lora = LoraConfig(
        task_type=TaskType.SEQ_CLS,
        r=rank,
        lora_alpha=rank * 2,
        target_modules=["query", "value"],
        lora_dropout=0.0,
    )
    peft_model = get_peft_model(model, lora)
    if perturb:
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, parameter in peft_model.named_parameters():
                if "lora_B" in name or "modules_to_save" in name:
                    parameter.add_(torch.randn(parameter.shape, generator=generator) * 0.5)
    folder.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(folder, safe_serialization=True)
    if labels is not None:
        model.config.save_pretrained(folder)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)
    return folder


def _check_arch(arch: str) -> str:
    if arch not in _SPECIALS:
        raise ValueError(f"unknown tiny architecture {arch!r} (use 'roberta' or 'bert')")
    return arch


# --- pytest fixtures (session-scoped: built once, treat the folders as read-only) ---


@pytest.fixture(scope="session")
def tiny_roberta(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 3-way tiny RoBERTa classifier folder (entailment, neutral, contradiction)."""
    yield make_tiny_classifier(tmp_path_factory.mktemp("tiny_roberta"), arch="roberta")


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 3-way tiny BERT classifier folder (entailment, neutral, contradiction)."""
    yield make_tiny_classifier(tmp_path_factory.mktemp("tiny_bert"), arch="bert")
