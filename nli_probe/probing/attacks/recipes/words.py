"""Word-substitution attacks: TextFooler-like (the model's own embedding neighbours, with
sentence similarity) and PWWS-like (WordNet synonyms; the `wordnet` extra)."""

from __future__ import annotations

from nli_probe.probing.attacks.attack import Attack, register_attack
from nli_probe.probing.attacks.constraints.meaning import no_contraries, similarity
from nli_probe.probing.attacks.constraints.words import stopwords
from nli_probe.probing.attacks.searches.greedy import greedy
from nli_probe.probing.attacks.transformations.embedding import embedding
from nli_probe.probing.attacks.transformations.wordnet import wordnet
from nli_probe.probing.perturbation import Target


@register_attack("textfooler")
def textfooler(
    *,
    target: Target = "hypothesis",
    query_budget: int | None = None,
    neighbours: int = 30,
    min_similarity: float = 0.8,
) -> Attack:
    """TextFooler-like word swaps: each word's nearest words in the model's input-embedding
    space (up to `neighbours`), stopwords kept, no contraries, the edited side's sentence
    similarity to the original at least `min_similarity` (all-MiniLM-L6-v2), greedy by word
    importance."""
    return Attack(
        name="textfooler",
        transformations=[embedding(k=neighbours)],
        constraints=[stopwords(), no_contraries(), similarity(threshold=min_similarity)],
        search=greedy(),
        target=target,
        query_budget=query_budget,
        description="TextFooler-like word swaps",
    )


@register_attack("pwws")
def pwws(*, target: Target = "hypothesis", query_budget: int | None = None) -> Attack:
    """PWWS-like synonym swaps: WordNet synonyms (needs the `wordnet` extra and NLTK's WordNet
    data), stopwords kept, no contraries, greedy by word importance."""
    return Attack(
        name="pwws",
        transformations=[wordnet()],
        constraints=[stopwords(), no_contraries()],
        search=greedy(),
        target=target,
        query_budget=query_budget,
        description="PWWS-like WordNet synonym swaps",
    )
