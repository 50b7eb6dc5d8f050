"""Running attacks: the searches of every pair in step, each round one engine call.

1. The originals of every pair are predicted in one call (a query each); pairs without a gold
   label or that the model already gets wrong are skipped.
2. Each remaining pair's search starts and asks for its first candidates. In every round, the
   attack's candidate constraints judge the candidates of all the pairs (one call of each rule,
   so the sentence encoder runs batched, and each rule sees only what the rules before it
   kept), the query budget of each pair is applied, and the candidates left, across all the
   pairs, are predicted in one call of `nli_probe.models.engine.predict`: length-sorted
   batches, through the prediction cache. Each search gets its replies and asks again, until
   every search has ended.

A pair's queries are the distinct pairs its search had predicted, the original included; a
candidate it asks for twice is answered from memory and counted once. Cached predictions count
as queries too: the count measures the attack, not the cache. Everything is seeded per word
(see `nli_probe.probing.attacks.transformation`), so a run is deterministic, and every rank of
a sharded engine takes the same path.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.core.prediction import Prediction
from nli_probe.core.protocol import Model, Pair
from nli_probe.core.words import PairWords, Word
from nli_probe.errors import NLIProbeError
from nli_probe.models.cache import PredictionCache
from nli_probe.models.engine import predict
from nli_probe.probing.attacks.attack import Attack
from nli_probe.probing.attacks.constraint import Candidate
from nli_probe.probing.attacks.search import Found, Query, Reply, SearchProblem, SearchRun
from nli_probe.probing.attacks.transformation import WordFn

ProgressCallback = Callable[[int, int], None]
"""Called with (pairs finished, pairs to attack) after each round."""

AttackStatus = Literal["succeeded", "failed", "already_wrong", "no_gold", "errored"]


@dataclass(frozen=True, kw_only=True, slots=True)
class AttackResult:
    """One pair's attack."""

    example: Example
    status: AttackStatus
    original: Prediction | None = None
    """The model's prediction on the original pair."""
    found: Found | None = None
    """Where the search ended (attempted pairs only)."""
    queries: int = 0
    out_of_budget: bool = False
    error: str = ""
    pairs: frozenset[Pair] = frozenset()
    """Every distinct pair predicted for this attack, the original included."""


def attack_examples(
    model: Model,
    attack: Attack,
    examples: Sequence[Example],
    *,
    seed: int = 0,
    cache: PredictionCache | None = None,
    batch_size: int | None = None,
    progress: ProgressCallback | None = None,
    unlabelled: bool = False,
) -> list[AttackResult]:
    """Attack every example; one result per example, in order. With `unlabelled`, a pair
    without a gold label is attacked too, away from the model's own prediction (the
    playground does this for a typed pair)."""
    (results,) = run_attacks(
        model,
        [(attack, examples)],
        seed=seed,
        cache=cache,
        batch_size=batch_size,
        progress=progress,
        unlabelled=unlabelled,
    )
    return results


def run_attacks(
    model: Model,
    attacks: Sequence[tuple[Attack, Sequence[Example]]],
    *,
    seed: int = 0,
    cache: PredictionCache | None = None,
    batch_size: int | None = None,
    progress: ProgressCallback | None = None,
    unlabelled: bool = False,
) -> list[list[AttackResult]]:
    """Run several attacks, each on its examples, all in step (one engine call per round
    across all of them). One list of results per attack, in order."""
    bound = [[t.bind(model) for t in attack.transformations] for attack, _ in attacks]
    originals = _originals(model, attacks, cache=cache, batch_size=batch_size)
    results: list[list[AttackResult | None]] = [[None] * len(examples) for _, examples in attacks]
    jobs: list[_Job] = []
    for a, (attack, examples) in enumerate(attacks):
        for e, example in enumerate(examples):
            before = originals[example.pair]
            label = example.gold
            if label is None and unlabelled:
                label = before.label
            if label is None:
                results[a][e] = AttackResult(example=example, status="no_gold", original=before)
            elif before.label != label:
                results[a][e] = AttackResult(
                    example=example, status="already_wrong", original=before
                )
            else:
                jobs.append(_Job(a, e, attack, example, label, before, bound[a], seed))
    total = len(jobs)
    active = [job for job in jobs if job.start()]
    if progress is not None:
        progress(total - len(active), total)
    while active:
        _check(active)
        asked = [job.spend() for job in active]
        distinct = list(dict.fromkeys(pair for pairs in asked for pair in pairs if pair))
        predicted = dict(
            zip(
                distinct,
                predict(model, distinct, cache=cache, batch_size=batch_size),
                strict=True,
            )
        )
        active = [job for job in active if job.answer(predicted)]
        if progress is not None:
            progress(total - len(active), total)
    for job in jobs:
        results[job.attack_index][job.example_index] = job.result()
    return [[result for result in row if result is not None] for row in results]


def _originals(
    model: Model,
    attacks: Sequence[tuple[Attack, Sequence[Example]]],
    *,
    cache: PredictionCache | None,
    batch_size: int | None,
) -> dict[Pair, Prediction]:
    pairs = list(dict.fromkeys(example.pair for _, examples in attacks for example in examples))
    return dict(zip(pairs, predict(model, pairs, cache=cache, batch_size=batch_size), strict=True))


class _Job:
    """One pair's search and its bookkeeping: queries spent, predictions seen, its reply."""

    def __init__(
        self,
        attack_index: int,
        example_index: int,
        attack: Attack,
        example: Example,
        label: Label,
        before: Prediction,
        bound: list[WordFn],
        seed: int,
    ) -> None:
        self.attack_index = attack_index
        self.example_index = example_index
        self.attack = attack
        self.example = example
        self.before = before
        self.seen: dict[Pair, Prediction] = {example.pair: before}
        self.queries = 1  # the original's prediction
        self.exhausted = False
        self.found: Found | None = None
        self.error = ""
        self.query: Query = Query(candidates=())
        self.verdicts: list[bool] = []
        self.asked: list[Pair | None] = []
        self._asked: set[Pair] = set()
        original = PairWords.of(*example.pair)
        replacements: dict[tuple[str, int], tuple[str, ...]] = {}

        def substitutes(word: Word) -> tuple[str, ...]:
            key = (word.side, word.index)
            if key not in replacements:
                rng = random.Random(f"{seed}:{example.id}:{word.side}:{word.index}")
                found: dict[str, None] = {}
                for replace in bound:
                    for text in replace(word, rng):
                        if text and text != word.text:
                            found[text] = None
                replacements[key] = tuple(found)
            return replacements[key]

        sides = ("premise", "hypothesis") if attack.target == "both" else (attack.target,)
        rules = [c.word for c in attack.constraints if c.word is not None]
        positions = tuple(
            word
            for side in sides
            for word in original.words(side)  # type: ignore[arg-type]
            if all(rule(original, word) for rule in rules)
        )
        self.problem = SearchProblem(
            original=original,
            label=label,
            start=before,
            positions=positions,
            substitutes=substitutes,
        )
        self.run: SearchRun = attack.search.run(self.problem)

    def start(self) -> bool:
        """Start the search; False when it ended at once."""
        return self._step(lambda: next(self.run))

    def spend(self) -> list[Pair | None]:
        """The pairs this round asks the engine about, one per candidate (None: rejected by
        a constraint or over the budget; a pair already predicted is answered from memory)."""
        budget = self.attack.query_budget
        self.asked = []
        self._asked = set()
        for candidate, allowed in zip(self.query.candidates, self.verdicts, strict=True):
            pair = candidate.pair
            if not allowed:
                self.asked.append(None)
            elif pair in self.seen or pair in self._asked:
                self.asked.append(pair)
            elif budget is not None and self.queries >= budget:
                self.exhausted = True
                self.asked.append(None)
            else:
                self.queries += 1
                self.asked.append(pair)
                self._asked.add(pair)
        return list(self._asked)

    def answer(self, predicted: dict[Pair, Prediction]) -> bool:
        """Send this round's predictions to the search; False when it has ended."""
        for pair in self.asked:
            if pair is not None and pair not in self.seen:
                self.seen[pair] = predicted[pair]
        reply = Reply(
            predictions=tuple(None if pair is None else self.seen[pair] for pair in self.asked),
            exhausted=self.exhausted,
        )
        return self._step(lambda: self.run.send(reply))

    def _step(self, advance: Callable[[], Query]) -> bool:
        try:
            query = advance()
        except StopIteration as stop:
            self.found = stop.value
            return False
        except NLIProbeError:
            raise
        except Exception as error:  # a user's transformation or search: this pair only
            self.error = f"{type(error).__name__}: {error}"
            return False
        if not isinstance(query, Query):
            self.error = f"search {self.attack.search.name!r} yielded a {type(query).__name__}"
            return False
        self.query = query
        self.verdicts = [True] * len(query.candidates)
        return True

    def result(self) -> AttackResult:
        if self.error or self.found is None:
            return AttackResult(
                example=self.example,
                status="errored",
                original=self.before,
                queries=self.queries,
                error=self.error or "the search ended without a result",
                pairs=frozenset(self.seen),
            )
        return AttackResult(
            example=self.example,
            status="succeeded" if self.found.succeeded else "failed",
            original=self.before,
            found=self.found,
            queries=self.queries,
            out_of_budget=self.exhausted and not self.found.succeeded,
            pairs=frozenset(self.seen),
        )


def _check(active: list[_Job]) -> None:
    """Judge every checked candidate of this round by the attacks' candidate rules: one call
    per rule and attack, each on the candidates the rules before it kept."""
    by_attack: dict[int, list[_Job]] = {}
    for job in active:
        if job.query.checked:
            by_attack.setdefault(job.attack_index, []).append(job)
    for jobs in by_attack.values():
        attack = jobs[0].attack
        for constraint in attack.constraints:
            rule = constraint.candidates
            if rule is None:
                continue
            places: list[tuple[_Job, int]] = []
            candidates: list[Candidate] = []
            for job in jobs:
                for row, candidate in enumerate(job.query.candidates):
                    if job.verdicts[row]:
                        places.append((job, row))
                        candidates.append(candidate)
            if not candidates:
                break
            verdicts = list(rule(candidates))
            if len(verdicts) != len(candidates):
                raise NLIProbeError(
                    f"attack {attack.name!r}: constraint {constraint.name!r} gave "
                    f"{len(verdicts)} verdicts for {len(candidates)} candidates"
                )
            for (job, row), verdict in zip(places, verdicts, strict=True):
                job.verdicts[row] = bool(verdict)
