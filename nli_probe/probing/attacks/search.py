"""Searches: how an attack walks from the original pair towards one the model gets wrong.

A search is a generator over a `SearchProblem`. It never calls the model: it yields a `Query`
(candidate pairs it wants predicted) and receives a `Reply` (one prediction per candidate, None
for a candidate a constraint rejected or the query budget did not cover); it returns a `Found`.
The runner drives the searches of every pair in step, so each round of queries, across all the
pairs attacked, is one call of the engine (length-sorted batches, the prediction cache).

The goal is untargeted, as TextAttack's: move the prediction away from the label the model gave
the original pair (its gold label: only pairs the model gets right are attacked). A candidate's
score is 1 - p(that label); the attack succeeds when another label wins.

Adding one:

    from nli_probe import Search, register_search

    @register_search("first_word")
    def first_word() -> Search:
        \"\"\"Try only the first editable word.\"\"\"
        def run(problem):
            candidates = problem.candidates((), problem.positions[0]) if problem.positions else []
            reply = yield Query(candidates=tuple(candidates))
            return problem.best(problem.start_state(), candidates, reply)
        return Search(name="first_word", run=run)
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

from nli_probe.core.labels import Label
from nli_probe.core.prediction import Prediction
from nli_probe.core.registry import Registry
from nli_probe.core.suite_run import Edit
from nli_probe.core.words import PairWords, Word
from nli_probe.probing.attacks.constraint import Candidate


@dataclass(frozen=True, kw_only=True, slots=True)
class Query:
    """Candidates a search wants predicted. With `checked` (the default) the attack's
    candidate constraints judge them first; a search's own probes (a word deleted to measure
    its importance) are sent unchecked."""

    candidates: tuple[Candidate, ...]
    checked: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class Reply:
    """One prediction per queried candidate (None: a constraint rejected it, or the query
    budget ran out before it), and whether the budget has run out."""

    predictions: tuple[Prediction | None, ...]
    exhausted: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class State:
    """A pair the search has reached: its edits, the pair and the model's prediction on it."""

    edits: tuple[Edit, ...]
    pair: tuple[str, str]
    prediction: Prediction


@dataclass(frozen=True, kw_only=True, slots=True)
class Found:
    """What a search ends with: the best state it reached and whether it fools the model."""

    state: State
    succeeded: bool


@dataclass(frozen=True, kw_only=True)
class SearchProblem:
    """One pair to attack, as a search sees it."""

    original: PairWords
    label: Label
    """The label to move away from (the model's prediction on the original, its gold label)."""
    start: Prediction
    """The model's prediction on the original pair."""
    positions: tuple[Word, ...]
    """The words the constraints allow to be edited, in order."""
    substitutes: Callable[[Word], Sequence[str]]
    """Replacements of one word (already without the word itself and repeats)."""

    def score(self, prediction: Prediction) -> float:
        """1 - p(label): higher is closer to success."""
        return 1.0 - prediction.probs[self.label]

    def succeeded(self, prediction: Prediction) -> bool:
        return prediction.label != self.label

    def start_state(self) -> State:
        return State(edits=(), pair=self.original.pair, prediction=self.start)

    def candidates(self, edits: tuple[Edit, ...], word: Word) -> list[Candidate]:
        """Each replacement of `word` on top of `edits`; none when `word` is edited already
        (a word is edited at most once)."""
        if any(edit.side == word.side and edit.index == word.index for edit in edits):
            return []
        found = []
        for replacement in self.substitutes(word):
            edit = Edit(side=word.side, index=word.index, before=word.text, after=replacement)
            new = tuple(sorted((*edits, edit), key=lambda e: (e.side != "premise", e.index)))
            found.append(
                Candidate(original=self.original, edits=new, pair=self.original.apply(new))
            )
        return found

    def deleted(self, word: Word) -> Candidate:
        """The original pair without `word` (to measure the word's importance)."""
        return Candidate(original=self.original, edits=(), pair=self.original.without(word))

    def best(self, current: State, candidates: Sequence[Candidate], reply: Reply) -> State | None:
        """The highest-scoring predicted candidate (the first on a tie) if it scores higher
        than `current`; else None."""
        best: State | None = None
        best_score = self.score(current.prediction)
        for candidate, prediction in zip(candidates, reply.predictions, strict=True):
            if prediction is not None and self.score(prediction) > best_score:
                best_score = self.score(prediction)
                best = State(edits=candidate.edits, pair=candidate.pair, prediction=prediction)
        return best


SearchRun = Generator[Query, Reply, Found]
"""A running search: yields queries, receives replies, returns what it found."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Search:
    """A named search strategy."""

    name: str
    run: Callable[[SearchProblem], SearchRun]
    description: str = ""


SEARCHES: Registry[Search] = Registry(
    "search", builtin_packages=("nli_probe.probing.attacks.searches",)
)
"""Every registered search factory, by name."""

register_search = SEARCHES.register
"""Decorator: `@register_search("name")` on a factory returning a `Search`."""


def get_search(name: str, **args: object) -> Search:
    """Build the registered search `name` with keyword `args` (`NLIProbeError` if unknown or if
    the arguments do not fit)."""
    return SEARCHES.build(name, args)
