"""Which modules LoRA adapts, and which it trains in full, per encoder architecture.

The attention projections have different names in each family; the classification head (fresh
for a new 3-way task) must be trained and saved with the adapter, so it goes in
`modules_to_save`. A config's own `lora.target_modules` / `lora.modules_to_save` win; then the
table below; for an architecture the table does not list, peft's own target map
(`TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING`, e.g. `in_proj` for DeBERTa v1) and the
modules the classification model adds beside its encoder (`head_modules`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError


@dataclass(frozen=True, kw_only=True, slots=True)
class LoraTargets:
    """Module names for peft: adapted (`target_modules`) and fully trained (`modules_to_save`)."""

    target_modules: tuple[str, ...]
    modules_to_save: tuple[str, ...]


# model_type (as in config.json) -> (attention projections, classification head modules).
# BERT's classifier reads the pooler, which was pretrained for next-sentence prediction (or not
# at all), so the pooler is trained with it; RoBERTa's head carries its own dense layer.
_BY_MODEL_TYPE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bert": (("query", "value"), ("classifier", "pooler")),
    "roberta": (("query", "value"), ("classifier",)),
    "xlm-roberta": (("query", "value"), ("classifier",)),
    "camembert": (("query", "value"), ("classifier",)),
    "electra": (("query", "value"), ("classifier",)),
    "mpnet": (("q", "v"), ("classifier",)),
    "distilbert": (("q_lin", "v_lin"), ("pre_classifier", "classifier")),
    "deberta-v2": (("query_proj", "value_proj"), ("pooler", "classifier")),
    "modernbert": (("Wqkv",), ("head", "classifier")),
}


def known_model_types() -> list[str]:
    """Architectures with LoRA targets in this module's table."""
    return sorted(_BY_MODEL_TYPE)


def peft_target_modules(model_type: str) -> tuple[str, ...]:
    """peft's own default LoRA targets for an architecture (empty if peft has none)."""
    from peft.utils import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as PEFT_TARGETS

    return tuple(PEFT_TARGETS.get(model_type, ()))


def lora_targets(
    model_type: str,
    module_names: Iterable[str],
    *,
    head_modules: Iterable[str] = (),
    target_modules: tuple[str, ...] = (),
    modules_to_save: tuple[str, ...] = (),
) -> LoraTargets:
    """The LoRA targets for a model, checked against its actual module names.

    Args:
        model_type: the base model's `config.model_type`.
        module_names: every module name of the model (`dict(model.named_modules())`).
        head_modules: the modules the classification model adds beside its encoder (its
            direct children with parameters, the encoder excepted): the fully trained modules
            for an architecture the table does not list.
        target_modules: the config's explicit choice; empty means look it up.
        modules_to_save: likewise for the fully trained modules.

    Raises:
        NLIProbeError: neither the table nor peft knows targets for this architecture and none
            were given, or a named module the model does not have (with the closest names it
            does have).
    """
    names = list(module_names)
    default = _BY_MODEL_TYPE.get(model_type)
    targets = target_modules or (default[0] if default else ())
    to_save = modules_to_save or (default[1] if default else tuple(head_modules))
    if to_save and not targets:
        targets = peft_target_modules(model_type)
    if not targets or not to_save:
        raise NLIProbeError(
            f"no built-in LoRA targets for model type {model_type!r} (known here: "
            f"{', '.join(known_model_types())}, and peft's own list); set lora.target_modules "
            f"and lora.modules_to_save, e.g. lora.target_modules=query,value "
            f"lora.modules_to_save=classifier"
        )
    leaves = {name.rsplit(".", 1)[-1] for name in names if name}
    for key, wanted in (("lora.target_modules", targets), ("lora.modules_to_save", to_save)):
        for module in wanted:
            if module not in leaves and module not in names:
                hint = did_you_mean(module, sorted(leaves))
                raise NLIProbeError(
                    f"{key}: the {model_type!r} base model has no module named {module!r}{hint}"
                )
    return LoraTargets(target_modules=tuple(targets), modules_to_save=tuple(to_save))
