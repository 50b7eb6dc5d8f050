"""Small word lists for the robustness perturbations, written for this project.

They are short on purpose: a swap only needs a few plausible replacements, and a list a person
can read is a list a person can check. Names are split by the gender they are usually given so
that a swap does not turn "a man" into a woman's name (which could change the gold label).
"""

from __future__ import annotations

MALE_NAMES: tuple[str, ...] = (
    "Adam", "Ahmed", "Carlos", "Daniel", "David", "Diego", "Ethan", "George", "Hiroshi",
    "Ivan", "James", "John", "Kofi", "Liam", "Lucas", "Mark", "Michael", "Omar", "Paul",
    "Peter", "Ravi", "Samuel", "Thomas", "Wei",
)  # fmt: skip

FEMALE_NAMES: tuple[str, ...] = (
    "Aisha", "Amy", "Anna", "Chloe", "Elena", "Emily", "Emma", "Fatima", "Grace", "Hannah",
    "Julia", "Laura", "Lucy", "Maria", "Mary", "Mei", "Nadia", "Olivia", "Priya", "Rachel",
    "Sarah", "Sofia", "Yuki", "Zoe",
)  # fmt: skip

CITIES: tuple[str, ...] = (
    "Amsterdam", "Athens", "Bangkok", "Berlin", "Boston", "Cairo", "Chicago", "Dublin",
    "Lagos", "Lima", "Lisbon", "London", "Madrid", "Melbourne", "Mumbai", "Nairobi",
    "New York", "Oslo", "Paris", "Rome", "San Francisco", "Seattle", "Seoul", "Sydney",
    "Tokyo", "Toronto", "Vienna",
)  # fmt: skip

COUNTRIES: tuple[str, ...] = (
    "Argentina", "Australia", "Brazil", "Canada", "Chile", "China", "Egypt", "England",
    "France", "Germany", "Ghana", "Greece", "India", "Ireland", "Italy", "Japan", "Kenya",
    "Mexico", "Morocco", "Nigeria", "Norway", "Peru", "Poland", "Portugal", "Spain",
    "Sweden", "Thailand", "Turkey", "Vietnam",
)  # fmt: skip

NUMBER_WORDS: tuple[str, ...] = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
)  # fmt: skip
"""Counts that take a plural noun; "one" is left out: it is also a pronoun ("one of them")
and takes a singular noun, so swapping it in or out would break the sentence."""

CONTRACTIONS: tuple[tuple[str, str], ...] = (
    ("are not", "aren't"),
    ("cannot", "can't"),
    ("could not", "couldn't"),
    ("did not", "didn't"),
    ("does not", "doesn't"),
    ("do not", "don't"),
    ("had not", "hadn't"),
    ("has not", "hasn't"),
    ("have not", "haven't"),
    ("he is", "he's"),
    ("is not", "isn't"),
    ("it is", "it's"),
    ("she is", "she's"),
    ("that is", "that's"),
    ("there is", "there's"),
    ("they are", "they're"),
    ("was not", "wasn't"),
    ("we are", "we're"),
    ("were not", "weren't"),
    ("what is", "what's"),
    ("will not", "won't"),
    ("would not", "wouldn't"),
    ("you are", "you're"),
)
"""(long form, contraction). Each contraction expands one way only: "it's" is read as "it is"
(in SNLI's present-tense captions "it has" is rare)."""

DISTRACTORS: tuple[str, ...] = (
    "A week has seven days.",
    "Water is wet.",
    "One plus one is two.",
    "The sun rises in the east.",
    "Red is a colour.",
    "A square has four sides.",
    "True is true and false is not true.",
    "Ice is cold.",
)
"""Sentences true everywhere and about nothing a caption describes: adding one to a premise
changes no gold label."""

KEYBOARD_NEIGHBOURS: dict[str, str] = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip
"""QWERTY keys next to each letter, for typos a hand would make."""
