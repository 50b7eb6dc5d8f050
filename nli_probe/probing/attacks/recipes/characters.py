"""DeepWordBug-like character attack (Gao et al. 2018, as TextAttack's `DeepWordBugGao2018`)."""

from __future__ import annotations

from nli_probe.probing.attacks.attack import Attack, register_attack
from nli_probe.probing.attacks.constraints.distance import edit_distance
from nli_probe.probing.attacks.constraints.words import stopwords
from nli_probe.probing.attacks.searches.greedy import greedy
from nli_probe.probing.attacks.transformations.characters import chars
from nli_probe.probing.perturbation import Target


@register_attack("deepwordbug")
def deepwordbug(
    *,
    target: Target = "hypothesis",
    query_budget: int | None = None,
    max_distance: int = 30,
) -> Attack:
    """DeepWordBug-like typos: each word's four character edits (swap two neighbours,
    substitute, delete or insert a letter, one random position each), stopwords kept, edit
    distance at most `max_distance`, greedy by word importance, each word ranked by its first
    typo (a query that may already succeed, where deleting the word only measures it)."""
    return Attack(
        name="deepwordbug",
        transformations=[chars(edits=("swap", "substitute", "delete", "insert"))],
        constraints=[stopwords(), edit_distance(max_distance=max_distance)],
        search=greedy(importance="candidate"),
        target=target,
        query_budget=query_budget,
        description="DeepWordBug-like character edits",
    )
