"""An attack probe's results as a `ProbeRun`, counted as every probe is (see
`nli_probe.core.suite_run`): a successful attack is a failed test."""

from __future__ import annotations

from collections.abc import Sequence

from nli_probe.core.suite_run import ATTACK_KIND, AttackInfo, Edit, Outcome, ProbeRun, Status
from nli_probe.probing.attacks.attack import Attack
from nli_probe.probing.attacks.runner import AttackResult

_STATUS: dict[str, Status] = {"succeeded": "failed", "failed": "passed", "errored": "errored"}


def attack_probe_run(
    *,
    probe: str,
    capability: str,
    description: str,
    attack: Attack,
    results: Sequence[AttackResult],
) -> ProbeRun:
    """The `ProbeRun` of an attack probe: one outcome per attempted (or errored) pair."""
    outcomes: list[Outcome] = []
    counts = dict.fromkeys(("passed", "failed", "errored"), 0)
    skipped = {"already_wrong": 0, "no_gold": 0}
    for result in results:
        if result.status in skipped:
            skipped[result.status] += 1
            continue
        status = _STATUS[result.status]
        counts[status] += 1
        example = result.example
        state = result.found.state if result.found is not None else None
        outcomes.append(
            Outcome(
                example_id=example.id,
                variant_id=f"{example.id}/{probe}/{'error' if state is None else 0}",
                premise=example.premise,
                hypothesis=example.hypothesis,
                gold=example.gold,
                variant_premise="" if state is None else state.pair[0],
                variant_hypothesis="" if state is None else state.pair[1],
                implied=example.gold if state is not None else None,
                before=result.original if state is not None else None,
                after=None if state is None else state.prediction,
                status=status,
                note="" if state is None else describe_edits(state.edits),
                error=result.error,
                edits=() if state is None else state.edits,
                queries=result.queries,
            )
        )
    return ProbeRun(
        probe=probe,
        capability=capability,
        kind=ATTACK_KIND,
        perturbation=attack.name,
        expectation="same_label",
        description=description,
        examples=len(results),
        skipped=sum(skipped.values()),
        tested=counts["passed"] + counts["failed"],
        passed=counts["passed"],
        failed=counts["failed"],
        errored=counts["errored"],
        outcomes=tuple(outcomes),
        attack=AttackInfo(
            recipe=attack.name,
            description=attack.describe(),
            target=attack.target,
            query_budget=attack.query_budget,
            already_wrong=skipped["already_wrong"],
            no_gold=skipped["no_gold"],
            out_of_budget=sum(result.out_of_budget for result in results),
        ),
    )


def describe_edits(edits: Sequence[Edit]) -> str:
    """`jackets → jpckets, walk → wlak` (the premise's words marked `P:`)."""
    return ", ".join(
        f"{'P:' if edit.side == 'premise' else ''}{edit.before} → {edit.after}" for edit in edits
    )
