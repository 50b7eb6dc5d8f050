"""Synonyms from WordNet (PWWS's transformation): an optional extra.

Needs `nltk` (`pip install 'nli-probe[wordnet]'`) and NLTK's WordNet data
(`python -m nltk.downloader wordnet`, or a folder holding `corpora/wordnet` named by
`NLTK_DATA`). Without either, building the transformation is refused with a message saying
which is missing, before any model is loaded.
"""

from __future__ import annotations

import random
from typing import Any

from nli_probe.core.words import Word
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.transformation import (
    Transformation,
    register_transformation,
    word_transformation,
)

INSTALL_NLTK = "pip install 'nli-probe[wordnet]'"
INSTALL_DATA = "python -m nltk.downloader wordnet"


def load_wordnet() -> Any:
    """NLTK's WordNet reader, loaded; `NLIProbeError` saying what to install otherwise."""
    try:
        import nltk
        from nltk.corpus import wordnet
    except ImportError:
        raise NLIProbeError(
            f"the wordnet transformation needs nltk, which is not installed: {INSTALL_NLTK}"
        ) from None
    try:
        # Looked up first, in the folders NLTK searches now (NLTK_DATA, sys.prefix/nltk_data,
        # ~/nltk_data, ...), so a reader loaded earlier does not hide data removed since.
        nltk.data.find("corpora/wordnet")
        wordnet.ensure_loaded()
    except LookupError:
        raise NLIProbeError(
            "the wordnet transformation needs NLTK's WordNet data, which is not installed: "
            f"{INSTALL_DATA} (or set NLTK_DATA to a folder holding corpora/wordnet)"
        ) from None
    return wordnet


@register_transformation("wordnet")
def wordnet(*, max_candidates: int = 30) -> Transformation:
    """Synonyms from WordNet: the one-word lemmas of every sense of the word, most frequent
    sense first, at most `max_candidates` (needs the `wordnet` extra and NLTK's WordNet data)."""
    if isinstance(max_candidates, bool) or not isinstance(max_candidates, int):
        raise NLIProbeError(f"max_candidates must be an integer, got {max_candidates!r}")
    if max_candidates < 1:
        raise NLIProbeError(f"max_candidates must be at least 1, got {max_candidates}")
    reader = load_wordnet()
    found: dict[str, tuple[str, ...]] = {}

    def synonyms(lower: str) -> tuple[str, ...]:
        if lower not in found:
            names: dict[str, None] = {}
            for synset in reader.synsets(lower):
                for lemma in synset.lemma_names():
                    name = str(lemma)
                    if "_" not in name and name.lower() != lower and name.isalpha():
                        names[name] = None
            found[lower] = tuple(names)[:max_candidates]
        return found[lower]

    def replace(word: Word, rng: random.Random) -> list[str]:
        if not word.text.isalpha():
            return []
        names = synonyms(word.text.lower())
        if word.text[:1].isupper():
            return [name[:1].upper() + name[1:] for name in names]
        return list(names)

    return word_transformation(
        "wordnet", replace, description=f"WordNet synonyms (at most {max_candidates})"
    )
