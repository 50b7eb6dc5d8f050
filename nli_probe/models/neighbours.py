"""Nearest words in a model's input-embedding space, for the `embedding` attack transformation.

Only whole-word tokens are candidates: a WordPiece vocabulary's tokens without the `##`
continuation mark, a byte-level BPE vocabulary's tokens that start a word (`Ġman`), a
SentencePiece vocabulary's (`▁man`); alphabetic, two letters or more, special tokens left out.
The matrix of their unit vectors is built on the first call (about 20,000 x 384 floats for
MiniLM); each word's neighbours are then one matrix-vector product, remembered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_BPE_START = "Ġ"
_SENTENCEPIECE_START = "▁"
_WORDPIECE_CONTINUE = "##"


@dataclass(frozen=True, slots=True)
class _Index:
    vectors: Any
    """Unit vectors of the word tokens (a torch tensor, rows x dimensions)."""
    words: list[str]
    row_of: dict[str, int]


class EmbeddingNeighbours:
    """The words nearest to a word among a model's whole-word input tokens (cosine similarity)."""

    def __init__(self, network: Any, tokenizer: Any) -> None:
        self._network = network
        self._tokenizer = tokenizer
        self._index: _Index | None = None
        self._found: dict[tuple[str, int, float], tuple[str, ...]] = {}

    def __call__(self, word: str, *, k: int, min_similarity: float) -> tuple[str, ...]:
        """Up to `k` words nearest to `word` (nearest first) with cosine similarity of at least
        `min_similarity`; none when `word` is not one of the model's whole-word tokens. A
        capitalised word gets capitalised neighbours."""
        key = (word, k, min_similarity)
        if key not in self._found:
            self._found[key] = self._nearest(word, k, min_similarity)
        return self._found[key]

    def _nearest(self, word: str, k: int, min_similarity: float) -> tuple[str, ...]:
        import torch

        index = self._built()
        row = index.row_of.get(word, index.row_of.get(word.lower()))
        if row is None:
            return ()
        with torch.inference_mode():
            similarity = index.vectors @ index.vectors[row]
            count = min(k + 8, len(index.words))  # a few spare for the word's own case variants
            values, rows = torch.topk(similarity, count)
        own = {word.lower(), index.words[row].lower()}
        found: list[str] = []
        for value, other in zip(values.tolist(), rows.tolist(), strict=True):
            if value < min_similarity or len(found) == k:
                break
            candidate = index.words[other]
            if candidate.lower() in own or candidate.lower() in (f.lower() for f in found):
                continue
            found.append(candidate[:1].upper() + candidate[1:] if word[:1].isupper() else candidate)
        return tuple(found)

    def _built(self) -> _Index:
        if self._index is None:
            self._index = self._build()
        return self._index

    def _build(self) -> _Index:
        import torch

        vocabulary: dict[str, int] = self._tokenizer.get_vocab()
        special = set(getattr(self._tokenizer, "all_special_tokens", []))
        tokens = [token for token in vocabulary if token not in special]
        if any(token.startswith(_BPE_START) for token in tokens):
            start = _BPE_START
        elif any(token.startswith(_SENTENCEPIECE_START) for token in tokens):
            start = _SENTENCEPIECE_START
        else:
            start = ""
        words: list[str] = []
        ids: list[int] = []
        for token in sorted(tokens, key=lambda t: vocabulary[t]):
            if start:
                if not token.startswith(start):
                    continue
                word = token[len(start) :]
            elif token.startswith(_WORDPIECE_CONTINUE):
                continue
            else:
                word = token
            if len(word) >= 2 and word.isalpha():
                words.append(word)
                ids.append(vocabulary[token])
        weights = self._network.get_input_embeddings().weight
        with torch.inference_mode():
            vectors = weights.detach()[torch.tensor(ids, dtype=torch.long)].float().cpu()
            vectors = torch.nn.functional.normalize(vectors, dim=1)
        row_of: dict[str, int] = {}
        for row, word in enumerate(words):
            row_of.setdefault(word, row)
        return _Index(vectors=vectors, words=words, row_of=row_of)
