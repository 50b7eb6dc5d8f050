"""Reading a located model's network and tokenizer with transformers (and peft for an adapter),
with nli-probe's checks and one-line errors around transformers' lenient loader."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nli_probe.errors import NLIProbeError
from nli_probe.models.files import has_tokenizer, require_safetensors, require_tokenizer
from nli_probe.models.fingerprint import weights_digest
from nli_probe.models.locate import ModelSource, first_line


@dataclass(frozen=True, kw_only=True, slots=True)
class LoadedNetwork:
    network: Any
    tokenizer: Any
    digest: str
    """sha256 of the weights (adapter included)."""
    fresh_head: tuple[str, ...]
    """Parameters transformers initialised at random: missing from the checkpoint and not
    restored by the adapter."""


def load_network(
    source: ModelSource,
    *,
    trust_remote_code: bool,
    label_names: Sequence[str] | None,
    progress: bool,
) -> LoadedNetwork:
    """The eval-mode fp32 network, its tokenizer, a digest of its weights (+ adapter) and the
    parameters nobody trained."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    options: dict[str, Any] = {
        "use_safetensors": True,
        "trust_remote_code": trust_remote_code,
        "dtype": torch.float32,
        "output_loading_info": True,
    }
    base = source.base if source.kind == "adapter" else source.location
    assert base is not None
    if source.kind == "adapter" and Path(base).is_dir():
        require_safetensors(Path(base))
        if not _has_tokenizer(source):
            require_tokenizer(Path(base), model=source.location)
    with _translate_errors(base), _quiet_loading(progress=progress):
        config_dir = _adapter_config_dir(source)
        config = AutoConfig.from_pretrained(config_dir or base, trust_remote_code=trust_remote_code)
        if config_dir is None and source.kind == "adapter":
            config.num_labels = _adapter_num_labels(source.location)
        elif label_names is not None and not _has_classifier(config):
            # A bare encoder gets a head as wide as the names given (untrained: see the warning).
            config.num_labels = len(label_names)
        network, info = AutoModelForSequenceClassification.from_pretrained(
            base, config=config, **options
        )
        tokenizer_from = source.location if _has_tokenizer(source) else base
        tokenizer = AutoTokenizer.from_pretrained(
            tokenizer_from, trust_remote_code=trust_remote_code
        )
    missing = sorted(info.get("missing_keys") or ())
    if source.kind == "adapter":
        from peft import PeftModel

        with _translate_errors(source.location), _quiet_loading(progress=progress):
            adapted = PeftModel.from_pretrained(network, source.location, is_trainable=False)
        restored = _adapter_weight_names(source.location)
        missing = [key for key in missing if key not in restored]
        digest = weights_digest(adapted)
        # Folding the low-rank update into the base weights makes inference as fast as a plain
        # checkpoint; the digest above was taken before, so it covers base and adapter.
        network = adapted.merge_and_unload()
    else:
        digest = weights_digest(network)
    return LoadedNetwork(
        network=network, tokenizer=tokenizer, digest=digest, fresh_head=tuple(missing)
    )


def _has_classifier(config: Any) -> bool:
    """True when the checkpoint was saved with a sequence-classification head."""
    names = getattr(config, "architectures", None) or []
    return any(str(name).endswith("ForSequenceClassification") for name in names)


def _adapter_weight_names(location: str) -> set[str]:
    """The base-model parameters an adapter file carries weights for (`modules_to_save`, such
    as a trained classification head, besides the LoRA matrices), named as the base model
    names them."""
    from safetensors import safe_open

    file = Path(location, "adapter_model.safetensors")
    if not file.is_file():
        from huggingface_hub import hf_hub_download

        file = Path(hf_hub_download(repo_id=location, filename="adapter_model.safetensors"))
    with safe_open(str(file), framework="numpy") as weights:
        names = list(weights.keys())
    return {name.removeprefix("base_model.model.") for name in names}


@contextlib.contextmanager
def _quiet_loading(*, progress: bool) -> Iterator[None]:
    """transformers' "Loading weights" bar only when `progress`, and none of its load report
    (the MISSING/UNEXPECTED table, which an adapter's restored head makes wrong; a head nobody
    trained gets nli-probe's own one-line warning instead)."""
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    if not progress:
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        with warnings.catch_warnings():
            # peft calls a transformers method that transformers 5 deprecates; not the user's.
            warnings.filterwarnings(
                "ignore", message=".*is_gradient_checkpointing", category=FutureWarning
            )
            yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def _adapter_config_dir(source: ModelSource) -> str | None:
    """An adapter folder may carry the fine-tuned `config.json` (with its label map)."""
    if source.kind == "adapter" and Path(source.location, "config.json").is_file():
        return source.location
    return None


def _adapter_num_labels(location: str) -> int:
    """Read the classifier width from the adapter's saved head, so the base model gets a head
    of the right size even when its own config knows nothing of NLI."""
    from safetensors import safe_open

    file = Path(location, "adapter_model.safetensors")
    if not file.is_file():
        return 3
    with safe_open(str(file), framework="pt") as weights:
        for key in weights.keys():  # noqa: SIM118 (safe_open is not a mapping)
            if key.endswith(("out_proj.weight", "classifier.weight")):
                return int(weights.get_slice(key).get_shape()[0])
    return 3


def _has_tokenizer(source: ModelSource) -> bool:
    folder = Path(source.location)
    return folder.is_dir() and has_tokenizer(folder)


@contextlib.contextmanager
def _translate_errors(location: str) -> Iterator[None]:
    """Errors from reading a model's files (a bad config, a weights file that does not fit the
    architecture, a corrupt download) as one-line `NLIProbeError`s."""
    from safetensors import SafetensorError

    try:
        yield
    except NLIProbeError:
        raise
    except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as error:
        where = "" if Path(location).exists() else " (not a local folder, so tried the hub)"
        raise NLIProbeError(
            f"cannot load model {location!r}{where}: {first_line(error)}"
        ) from error
