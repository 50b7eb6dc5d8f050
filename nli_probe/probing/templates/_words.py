"""Our small word lists for the built-in templates (written for nli-probe, not taken from any
corpus). Each list is chosen so that every combination a frame can draw is grammatical and
its label is right: nouns take `the`, verbs are given in the forms the frames need.
"""

from __future__ import annotations

PROFESSIONS = (
    "doctor", "lawyer", "actor", "artist", "senator", "student", "judge", "banker",
    "tourist", "secretary", "professor", "manager", "author", "athlete", "scientist",
    "president", "dancer", "baker",
)  # fmt: skip
"""Singular people nouns that take `the`."""

TRANSITIVE = (
    # (past, past participle)
    ("saw", "seen"), ("paid", "paid"), ("helped", "helped"), ("called", "called"),
    ("thanked", "thanked"), ("admired", "admired"), ("recognized", "recognized"),
    ("avoided", "avoided"), ("introduced", "introduced"), ("mentioned", "mentioned"),
    ("supported", "supported"), ("contacted", "contacted"),
)  # fmt: skip

INTRANSITIVE = (
    "slept", "danced", "ran", "waited", "laughed", "shouted", "smiled", "arrived", "left",
    "resigned", "stumbled", "performed",
)  # fmt: skip
"""Intransitive verbs in the past tense."""

ADVERBS = ("quickly", "quietly", "happily", "early", "again")

MEN = (
    "James", "John", "Robert", "Michael", "David", "William", "Thomas", "Daniel", "Paul",
    "Mark", "Peter", "George", "Samuel", "Henry", "Omar", "Kenji",
)  # fmt: skip
WOMEN = (
    "Mary", "Linda", "Susan", "Sarah", "Karen", "Emma", "Anna", "Laura", "Julia", "Helen",
    "Alice", "Rachel", "Fatima", "Mei", "Grace", "Nadia",
)  # fmt: skip

COMPARATIVES = (
    # (comparative, its converse): "A is taller than B" entails "B is shorter than A".
    ("taller", "shorter"), ("older", "younger"), ("faster", "slower"),
    ("heavier", "lighter"), ("richer", "poorer"), ("stronger", "weaker"),
    ("louder", "quieter"), ("happier", "sadder"),
)  # fmt: skip

TAXONOMY: dict[str, tuple[str, ...]] = {
    # hypernym: hyponyms (each "a X" is "a <hypernym>")
    "animal": ("dog", "cat", "horse", "cow", "rabbit", "sheep"),
    "instrument": ("guitar", "violin", "drum", "trumpet", "flute", "piano"),
    "vehicle": ("car", "bus", "truck", "motorcycle", "bicycle", "van"),
    "fruit": ("apple", "banana", "orange", "pear", "mango", "lemon"),
    "tool": ("hammer", "saw", "wrench", "shovel", "screwdriver", "drill"),
    "flower": ("rose", "tulip", "daisy", "lily", "sunflower", "orchid"),
    "bird": ("parrot", "pigeon", "duck", "owl", "crow", "eagle"),
}
TAXONOMY_VERBS = ("holding", "looking at", "pointing at", "drawing", "photographing")
PEOPLE = ("man", "woman", "boy", "girl", "child", "teenager")
"""Singular people for SNLI-like captions ("A man is holding a dog.")."""

EVENTS = (
    # (past, bare): events one person does in sequence
    ("ate breakfast", "eat breakfast"), ("went to work", "go to work"),
    ("read the news", "read the news"), ("took a shower", "take a shower"),
    ("called a friend", "call a friend"), ("walked the dog", "walk the dog"),
    ("cooked dinner", "cook dinner"), ("watched a film", "watch a film"),
)  # fmt: skip
ARRIVALS = ("arrived", "left", "finished", "woke up", "sat down", "spoke")
"""Past-tense events that two people can do at different times."""

STATES = ("tired", "late", "hungry", "angry", "sick", "nervous", "right", "lost")
"""Adjectives for "X was <state>"."""
