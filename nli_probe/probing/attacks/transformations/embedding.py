"""The model's own input-embedding neighbours (TextFooler's idea, with no download: the word
vectors are the ones the model under attack reads its input with)."""

from __future__ import annotations

import random

from nli_probe.core.protocol import Model
from nli_probe.core.words import Word
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.transformation import Transformation, WordFn, register_transformation


@register_transformation("embedding")
def embedding(*, k: int = 30, min_similarity: float = 0.5) -> Transformation:
    """The `k` words nearest to the word in the model's input-embedding space (whole-word
    tokens only, cosine similarity at least `min_similarity`); needs a transformers model."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise NLIProbeError(f"k must be an integer of at least 1, got {k!r}")
    if not -1.0 <= min_similarity <= 1.0:
        raise NLIProbeError(f"min_similarity must be from -1 to 1, got {min_similarity!r}")

    def bind(model: Model) -> WordFn:
        neighbours = getattr(model, "embedding_neighbours", None)
        if not callable(neighbours):
            raise NLIProbeError(
                f"model {model.name!r} has no input embeddings to take neighbours from: the "
                "embedding transformation needs a transformers model (nli_probe.load_model)"
            )

        def replace(word: Word, rng: random.Random) -> list[str]:
            if not word.text.isalpha():
                return []
            return list(neighbours(word.text, k=k, min_similarity=min_similarity))

        return replace

    return Transformation(
        name="embedding",
        bind=bind,
        description=f"input-embedding neighbours (k {k}, cosine >= {min_similarity:g})",
    )
