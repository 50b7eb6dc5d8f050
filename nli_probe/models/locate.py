"""Where a model comes from: a checkpoint folder, a LoRA adapter folder or a Hugging Face hub
name (`locate`), checked before anything heavy is read. Needs no torch."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.models.files import require_adapter_weights, require_safetensors, require_tokenizer


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelSource:
    """Where a model came from: `kind` is "checkpoint", "adapter" or "hub"."""

    kind: str
    location: str
    base: str | None = None


def locate(spec: str | Path) -> ModelSource:
    path = Path(spec).expanduser()
    if path.is_dir():
        if (path / "adapter_config.json").is_file():
            base = _adapter_base(path / "adapter_config.json")
            require_adapter_weights(path)
            return ModelSource(kind="adapter", location=str(path), base=base)
        if (path / "config.json").is_file():
            require_safetensors(path)
            require_tokenizer(path)
            return ModelSource(kind="checkpoint", location=str(path))
        raise NLIProbeError(
            f"{path} is neither a model checkpoint (no config.json) nor a LoRA adapter "
            f"(no adapter_config.json)"
        )
    text = str(spec)
    if isinstance(spec, Path) or text.startswith((".", "/", "~")) or text.count("/") > 1:
        hint = _did_you_mean(path)
        raise NLIProbeError(f"model folder {path} does not exist{hint}")
    return _locate_hub(text)


def _locate_hub(repo: str) -> ModelSource:
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError

    try:
        adapter_config = hf_hub_download(repo_id=repo, filename="adapter_config.json")
    except EntryNotFoundError:
        return ModelSource(kind="hub", location=repo)
    except Exception as error:  # offline, unknown repository, gated, bad name ...
        raise NLIProbeError(
            f"cannot load model {repo!r}: it is not a local folder and the Hugging Face hub "
            f"did not provide it ({type(error).__name__}: {first_line(error)})"
        ) from error
    return ModelSource(kind="adapter", location=repo, base=_adapter_base(Path(adapter_config)))


def _adapter_base(config_file: Path) -> str:
    try:
        base = json.loads(config_file.read_text(encoding="utf-8")).get("base_model_name_or_path")
    except (OSError, ValueError) as error:
        raise NLIProbeError(f"{config_file}: unreadable adapter config ({error})") from error
    if not base:
        raise NLIProbeError(f"{config_file}: field 'base_model_name_or_path' is missing or empty")
    return str(base)


def default_name(source: ModelSource) -> str:
    if source.kind == "hub":
        return source.location
    return Path(source.location).name or source.location


def _did_you_mean(path: Path) -> str:

    parent = path.parent
    if not parent.is_dir():
        return ""
    names = [child.name for child in parent.iterdir() if child.is_dir()]
    return did_you_mean(path.name, names, show=lambda name: str(parent / name))


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
