"""Data maps (`nli_probe.scoring.datamap`): the statistics on hand-made dynamics, region
cutoffs, the paper's subsets, Spearman with its bootstrap, the ties to annotator agreement on a
fixture where they are known, the dynamics file and its shards, and the plot helpers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError
from nli_probe.scoring.datamap import (
    Cutoff,
    RegionThresholds,
    build_data_map,
    data_map_section,
    density,
    map_points,
    section_from_json,
    subset_rows,
)
from nli_probe.scoring.datamap.coordinates import coordinates
from nli_probe.scoring.datamap.dynamics import (
    Dynamics,
    PairTable,
    Shard,
    TextColumn,
    locate_dynamics,
    merge_shards,
    read_dynamics,
    read_shard,
    write_dynamics,
    write_shard,
)
from nli_probe.scoring.datamap.maps import join_votes
from nli_probe.scoring.datamap.points import region_points, region_rows
from nli_probe.scoring.datamap.rank_correlation import _weighted_rho, spearman
from nli_probe.scoring.datamap.regions import (
    AMBIGUOUS,
    EASY,
    HARD,
    OTHER,
    assign_regions,
    select,
)

E, N, C = (int(label) for label in Label)


def _pairs(gold: list[int], votes: list[list[int]] | None = None, prefix: str = "p") -> PairTable:
    n = len(gold)
    return PairTable(
        ids=TextColumn.of([f"{prefix}{i}" for i in range(n)]),
        premises=TextColumn.of([f"premise {i} <b>é</b>" for i in range(n)]),
        hypotheses=TextColumn.of([f"hypothesis {i}" for i in range(n)]),
        gold=np.array(gold, dtype=np.int8),
        votes=np.array(votes if votes is not None else [[0, 0, 0]] * n, dtype=np.uint16),
    )


def _dynamics(
    gold_prob: list[list[float]],
    predicted: list[list[int]],
    gold: list[int],
    votes: list[list[int]] | None = None,
) -> Dynamics:
    records = len(gold_prob)
    return Dynamics(
        pairs=_pairs(gold, votes),
        gold_prob=np.array(gold_prob, dtype=np.float32),
        predicted=np.array(predicted, dtype=np.int8),
        steps=np.arange(1, records + 1, dtype=np.int64) * 10,
        epochs=np.arange(1, records + 1, dtype=np.float64),
        meta={"pass": "inference", "name": "hand"},
    )


def test_confidence_variability_correctness_by_hand() -> None:
    # Three records of three pairs; gold labels e, n, c.
    gold_prob = [[0.2, 0.9, 0.5], [0.4, 0.9, 0.1], [0.9, 0.6, 0.3]]
    predicted = [[N, N, C], [N, N, E], [E, N, E]]
    coords = coordinates(np.array(gold_prob), np.array(predicted), np.array([E, N, C]))
    assert coords.confidence == pytest.approx([0.5, 0.8, 0.3])
    # The paper's variability divides by E (population standard deviation), not E - 1.
    expected = [math.sqrt(((0.2 - 0.5) ** 2 + (0.4 - 0.5) ** 2 + (0.9 - 0.5) ** 2) / 3)]
    expected.append(math.sqrt(((0.9 - 0.8) ** 2 * 2 + (0.6 - 0.8) ** 2) / 3))
    expected.append(math.sqrt(((0.5 - 0.3) ** 2 + (0.1 - 0.3) ** 2 + 0.0) / 3))
    assert coords.variability == pytest.approx(expected)
    assert coords.variability[0] != pytest.approx(np.std(gold_prob, axis=0, ddof=1)[0])
    assert coords.correctness == pytest.approx([1 / 3, 1.0, 1 / 3])
    # Most chosen label; pair 2 chose c, e, e: e. A tie goes to the latest record's label.
    assert coords.model_label.tolist() == [N, N, E]
    tied = coordinates(np.array([[0.1], [0.1]]), np.array([[C], [N]]), np.array([E]))
    assert tied.model_label.tolist() == [N]
    assert tied.last_label.tolist() == [N]


def _coords(confidence: list[float], variability: list[float]) -> object:
    from nli_probe.scoring.datamap.coordinates import Coordinates

    n = len(confidence)
    return Coordinates(
        confidence=np.array(confidence),
        variability=np.array(variability),
        correctness=np.zeros(n),
        model_label=np.zeros(n, dtype=np.int8),
        last_label=np.zeros(n, dtype=np.int8),
    )


def test_regions_by_share_follow_the_paper_order() -> None:
    # 6 pairs: shares of 1/3 are 2 pairs each. The two most variable are ambiguous whatever
    # their confidence; hard and easy are taken among the rest by the cutoffs over all pairs.
    confidence = [0.95, 0.9, 0.5, 0.1, 0.2, 0.05]
    variability = [0.01, 0.02, 0.03, 0.04, 0.30, 0.25]
    thresholds = RegionThresholds(
        ambiguous=Cutoff(value=1 / 3), hard=Cutoff(value=1 / 3), easy=Cutoff(value=1 / 3)
    )
    regions, cut = assign_regions(_coords(confidence, variability), thresholds)  # type: ignore[arg-type]
    assert regions.tolist() == [EASY, EASY, OTHER, HARD, AMBIGUOUS, AMBIGUOUS]
    assert cut.variability == pytest.approx(0.25)
    assert cut.hard_confidence == pytest.approx(0.1)
    assert cut.easy_confidence == pytest.approx(0.9)


def test_regions_by_value_ties_and_zero_variability() -> None:
    thresholds = RegionThresholds(
        ambiguous=Cutoff.parse("0.2", what="a"),
        hard=Cutoff.parse("0.3", what="h"),
        easy=Cutoff.parse("0.7", what="e"),
    )
    coords = _coords([0.3, 0.7, 0.5, 0.1], [0.2, 0.0, 0.19, 0.5])
    regions, cut = assign_regions(coords, thresholds)  # type: ignore[arg-type]
    # Cutoffs include their value: 0.3 is hard, 0.7 easy, variability 0.2 ambiguous.
    assert regions.tolist() == [AMBIGUOUS, EASY, OTHER, AMBIGUOUS]
    assert (cut.variability, cut.hard_confidence, cut.easy_confidence) == (0.2, 0.3, 0.7)
    # One record: every variability is 0, and 0 is never ambiguous, whatever the share.
    flat = _coords([0.1, 0.5, 0.9], [0.0, 0.0, 0.0])
    regions, _ = assign_regions(flat, RegionThresholds())  # type: ignore[arg-type]
    assert AMBIGUOUS not in regions.tolist()
    assert regions.tolist() == [HARD, OTHER, EASY]


@pytest.mark.parametrize(
    ("text", "value", "share"),
    [("33%", 0.33, True), ("0.2", 0.2, False), (" 100% ", 1.0, True), ("0", 0.0, False)],
)
def test_cutoff_parse(text: str, value: float, share: bool) -> None:
    cutoff = Cutoff.parse(text, what="--ambiguous")
    assert cutoff.value == pytest.approx(value)
    assert cutoff.share is share


@pytest.mark.parametrize("text", ["abc", "120%", "1.5", "-0.1", "nan", "", "%"])
def test_cutoff_parse_refuses(text: str) -> None:
    with pytest.raises(NLIProbeError, match=r"^--hard: .* share of the pairs"):
        Cutoff.parse(text, what="--hard")


def test_overlapping_hard_and_easy_cutoffs_are_refused() -> None:
    coords = _coords([0.1, 0.9], [0.1, 0.1])
    with pytest.raises(NLIProbeError, match="overlap"):
        assign_regions(coords, RegionThresholds(hard=Cutoff(value=0.6), easy=Cutoff(value=0.5)))  # type: ignore[arg-type]
    with pytest.raises(NLIProbeError, match="overlap"):
        both = RegionThresholds(
            hard=Cutoff(value=0.6, share=False), easy=Cutoff(value=0.6, share=False)
        )
        assign_regions(coords, both)  # type: ignore[arg-type]


def test_select_takes_the_papers_subsets_exactly() -> None:
    coords = _coords([0.5, 0.1, 0.9, 0.1, 0.7, 0.3], [0.3, 0.1, 0.3, 0.05, 0.2, 0.0])
    assert select(coords, "ambiguous", 0.5).tolist() == [0, 2, 4]  # type: ignore[arg-type]
    assert select(coords, "hard", 0.5).tolist() == [1, 3, 5]  # type: ignore[arg-type]
    assert select(coords, "easy", 1 / 3).tolist() == [2, 4]  # type: ignore[arg-type]
    assert select(coords, "easy", 0.01).tolist() == [2]  # type: ignore[arg-type]
    with pytest.raises(NLIProbeError, match=r"unknown region 'ambigous'; did you mean"):
        select(coords, "ambigous", 0.3)  # type: ignore[arg-type]
    with pytest.raises(NLIProbeError, match="fraction"):
        select(coords, "easy", 0.0)  # type: ignore[arg-type]


def test_spearman_matches_scipy_and_its_bootstrap_reranks() -> None:
    rng = np.random.default_rng(3)
    x = rng.random(200)
    y = np.round(x + rng.normal(0, 0.3, 200), 1)  # many ties in y
    found = spearman(x, y, resamples=200, seed=1)
    assert found is not None
    assert found.value == pytest.approx(spearmanr(x, y).statistic, abs=1e-12)
    assert found.low is not None and found.high is not None
    assert found.low < found.value < found.high
    # A resample's rho from the weighted midranks is the rho of the resampled pairs ranked
    # afresh: checked on explicit resamples.
    _, gx = np.unique(x, return_inverse=True)
    uy, gy = np.unique(y, return_inverse=True)
    for seed in range(5):
        draw = np.random.default_rng(seed).integers(0, len(x), len(x))
        weights = np.bincount(draw, minlength=len(x)).astype(np.float64)
        fast = _weighted_rho(weights, gx, len(x), gy, len(uy))
        assert fast == pytest.approx(spearmanr(x[draw], y[draw]).statistic, abs=1e-10)
    assert spearman(x, np.ones(200)) is None
    assert spearman(x[:2], y[:2]) is None
    assert spearman(x, y, resamples=0).low is None  # type: ignore[union-attr]


def _fixture_with_votes() -> Dynamics:
    """Eight pairs whose variability rises with their annotators' disagreement (the rank
    correlation with human entropy is near 1, short of it only by the entropy's ties) and
    whose confidence mostly falls with it."""
    votes = [
        [5, 0, 0],  # 0 e 5/5
        [0, 5, 0],  # 1 n 5/5
        [4, 1, 0],  # 2 e 4/5
        [0, 4, 1],  # 3 n 4/5
        [3, 1, 1],  # 4 e 3/5 weak, hard
        [1, 1, 3],  # 5 c 3/5 weak, hard
        [0, 0, 0],  # 6 unannotated, hard
        [2, 3, 0],  # 7 gold e, votes favour n: label error if hard (it is)
    ]
    gold = [E, N, E, N, E, C, E, E]
    confidence = [0.95, 0.9, 0.8, 0.7, 0.2, 0.15, 0.1, 0.05]
    variability = [0.0, 0.01, 0.05, 0.06, 0.1, 0.11, 0.0, 0.085]
    # Two records at confidence -/+ variability.
    gold_prob = [
        [c - v for c, v in zip(confidence, variability, strict=True)],
        [c + v for c, v in zip(confidence, variability, strict=True)],
    ]
    chosen = [[E, N, E, N, N, N, N, N], [E, N, E, N, N, N, N, N]]
    return _dynamics(gold_prob, chosen, gold, votes)


def test_agreement_relation_on_a_known_fixture() -> None:
    thresholds = RegionThresholds(
        ambiguous=Cutoff(value=0.2, share=False),  # nobody is ambiguous
        hard=Cutoff(value=0.3, share=False),
        easy=Cutoff(value=0.75, share=False),
    )
    data_map = build_data_map(_fixture_with_votes(), thresholds=thresholds, resamples=100)
    assert data_map.regions.tolist() == [EASY, EASY, EASY, OTHER, HARD, HARD, HARD, HARD]
    ties = data_map.summary.annotators
    assert ties is not None
    assert ties.annotated == 7
    assert ties.scheme == "votes"
    by_region = {row.region: row for row in ties.regions}
    assert by_region["easy-to-learn"].levels == {"5/5": 2, "4/5": 1}
    assert by_region["hard-to-learn"].annotated == 3
    assert by_region["hard-to-learn"].levels == {"3/5": 3}
    assert by_region["hard-to-learn"].weak_share == pytest.approx(1.0)
    assert by_region["easy-to-learn"].weak_share == pytest.approx(0.0)
    entropy_45 = -(0.8 * math.log2(0.8) + 0.2 * math.log2(0.2))
    assert by_region["easy-to-learn"].mean_entropy == pytest.approx(entropy_45 / 3)
    assert by_region["ambiguous"].annotated == 0 and by_region["ambiguous"].mean_entropy is None
    # Variability rises, confidence falls, with the entropy of the votes.
    assert ties.variability_entropy is not None and ties.confidence_entropy is not None
    assert ties.variability_entropy.value == pytest.approx(
        spearmanr([0.0, 0.01, 0.05, 0.06, 0.1, 0.11, 0.085], _entropies()).statistic
    )
    assert ties.variability_entropy.value > 0.9
    assert ties.confidence_entropy.value < -0.5
    # Possible label errors: hard-to-learn pairs with a weak gold or votes for the model's
    # label, least confident first; the unannotated hard pair 6 is not one.
    assert ties.label_errors == 3
    assert [s.index for s in ties.suspects] == [7, 5, 4]
    first = ties.suspects[0]
    assert first.id == "p7" and first.gold == "entailment" and first.model_label == "neutral"
    assert first.reasons == (
        "weak majority: entailment has 2 of 5 votes",
        "the votes favour the model's neutral (3) over entailment (2)",
    )
    assert ties.suspects[1].reasons == ("weak majority: contradiction has 3 of 5 votes",)


def _entropies() -> list[float]:
    from scipy.stats import entropy

    rows = [[5, 0, 0], [0, 5, 0], [4, 1, 0], [0, 4, 1], [3, 1, 1], [1, 1, 3], [2, 3, 0]]
    return [float(entropy(np.array(r) / 5, base=2)) for r in rows]


def test_no_annotators_and_votes_joined_from_other_data() -> None:
    dynamics = _fixture_with_votes()
    plain = Dynamics(
        pairs=_pairs(dynamics.pairs.gold.tolist()),
        gold_prob=dynamics.gold_prob,
        predicted=dynamics.predicted,
        steps=dynamics.steps,
        epochs=dynamics.epochs,
    )
    assert build_data_map(plain, resamples=0).summary.annotators is None
    other = [
        Example(id="p1", premise="x", hypothesis="y", annotator_labels=(Label.NEUTRAL,) * 60),
        Example(
            id="elsewhere",
            premise="premise 3 <b>é</b>",
            hypothesis="hypothesis 3",
            annotator_labels=(Label.ENTAILMENT, Label.NEUTRAL),
        ),
        Example(id="p2", premise="x", hypothesis="y"),  # no labels: not joined
    ]
    votes, found = join_votes(plain.pairs, other)
    assert found == 2
    assert votes[1].tolist() == [0, 60, 0] and votes[3].tolist() == [1, 1, 0]
    assert votes[2].tolist() == [0, 0, 0]
    data_map = build_data_map(plain, votes=votes, votes_from="other.jsonl", resamples=0)
    assert data_map.summary.votes_from == "other.jsonl"
    assert data_map.summary.annotators is not None
    assert data_map.summary.annotators.annotated == 2


def test_dynamics_file_round_trip_and_damage(tmp_path: Path) -> None:
    dynamics = _fixture_with_votes()
    path = tmp_path / "dynamics.npz"
    write_dynamics(path, dynamics)
    back = read_dynamics(path)
    assert back.pairs.ids.to_list() == [f"p{i}" for i in range(8)]
    assert back.pairs.premises[3] == "premise 3 <b>é</b>"
    assert back.pairs.premises.take([7, 0]) == ["premise 7 <b>é</b>", "premise 0 <b>é</b>"]
    assert np.array_equal(back.gold_prob, dynamics.gold_prob)
    assert np.array_equal(back.pairs.votes, dynamics.pairs.votes)
    assert back.steps.tolist() == [10, 20] and back.meta["name"] == "hand"
    assert locate_dynamics(path) == [(tmp_path.name, path)]
    assert locate_dynamics(tmp_path) == [(tmp_path.name, path)]
    study = tmp_path / "study"
    for arm in ("lora", "full"):
        (study / "models" / arm).mkdir(parents=True)
        write_dynamics(study / "models" / arm / "dynamics.npz", dynamics)
    assert [name for name, _ in locate_dynamics(study)] == ["full", "lora"]
    with pytest.raises(NLIProbeError, match=r"holds no training dynamics .*record_dynamics=true"):
        locate_dynamics(study / "models")
    with pytest.raises(NLIProbeError, match="no such run folder"):
        locate_dynamics(tmp_path / "missing")
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(NLIProbeError, match=r"bad\.npz: not a readable training dynamics file"):
        read_dynamics(tmp_path / "bad.npz")
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(NLIProbeError, match="not an nli-probe training dynamics file"):
        read_dynamics(tmp_path / "other.npz")
    arrays = dict(np.load(path))
    arrays["gold_prob"] = arrays["gold_prob"][:, :5]
    np.savez(tmp_path / "short.npz", **arrays)
    with pytest.raises(NLIProbeError, match=r"damaged .*gold_prob.* 8 pairs"):
        read_dynamics(tmp_path / "short.npz")


def test_shards_keep_one_record_per_step_and_merge(tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    pairs = _pairs([E, N, C, E, N])
    shards = {rank: Shard.empty(np.arange(rank, 5, 2, dtype=np.int64)) for rank in (0, 1)}
    for step in (3, 6, 9):
        for rank, shard in shards.items():
            probs = np.full(len(shard.indices), step / 10 + rank / 100)
            shards[rank] = shard.add(
                step=step, epoch=step / 3, gold_prob=probs, predicted=probs * 0
            )
    # Resuming from step 6 drops the record at 9; recording at 9 again leaves one record there.
    again = (
        shards[0]
        .keep_until(6)
        .add(step=9, epoch=3.0, gold_prob=np.full(3, 0.5), predicted=np.zeros(3))
    )
    again = again.add(step=9, epoch=3.0, gold_prob=np.full(3, 0.9), predicted=np.zeros(3))
    assert again.steps.tolist() == [3, 6, 9]
    assert again.gold_prob[:, 0].tolist() == pytest.approx([0.3, 0.6, 0.9])
    write_shard(folder, 0, again)
    write_shard(folder, 1, shards[1])
    assert read_shard(folder, 0) is not None and read_shard(folder, 7) is None
    merged = merge_shards(folder, pairs, ranks=2, meta={"pass": "inference"})
    assert merged.steps.tolist() == [3, 6, 9]
    assert merged.gold_prob[:, 1].tolist() == pytest.approx([0.31, 0.61, 0.91])
    assert merged.gold_prob[2, 4] == pytest.approx(0.9)
    with pytest.raises(NLIProbeError, match="process 2 recorded no training dynamics"):
        merge_shards(folder, pairs, ranks=3, meta={})
    write_shard(folder, 1, shards[1].keep_until(6))
    with pytest.raises(NLIProbeError, match=r"rank-00001\.npz: recorded at steps \[3, 6\]"):
        merge_shards(folder, pairs, ranks=2, meta={})
    # A record some pair has no value in (a last epoch cut short) is left out, and said so.
    short = shards[1].add(
        step=12, epoch=4.0, gold_prob=np.array([np.nan, 0.5]), predicted=np.array([-1, 1])
    )
    write_shard(folder, 1, short)
    write_shard(
        folder, 0, again.add(step=12, epoch=4.0, gold_prob=np.ones(3), predicted=np.ones(3))
    )
    merged = merge_shards(folder, pairs, ranks=2, meta={})
    assert merged.steps.tolist() == [3, 6, 9]
    assert merged.meta["incomplete_records_left_out"] == [12]
    write_shard(folder, 0, Shard.empty(np.arange(0, 3, dtype=np.int64)))
    write_shard(folder, 1, Shard.empty(np.arange(3, 4, dtype=np.int64)))
    with pytest.raises(NLIProbeError, match="no record holds all 5 training pairs"):
        merge_shards(folder, pairs, ranks=2, meta={})


def test_points_density_regions_and_section_round_trip() -> None:
    dynamics = _fixture_with_votes()
    thresholds = RegionThresholds(
        ambiguous=Cutoff(value=0.2, share=False),
        hard=Cutoff(value=0.3, share=False),
        easy=Cutoff(value=0.75, share=False),
    )
    full = build_data_map(dynamics, name="full", thresholds=thresholds, resamples=0)
    reversed_pairs = Dynamics(
        pairs=PairTable(
            ids=TextColumn.of([f"p{i}" for i in reversed(range(8))]),
            premises=dynamics.pairs.premises,
            hypotheses=dynamics.pairs.hypotheses,
            gold=dynamics.pairs.gold[::-1].copy(),
            votes=dynamics.pairs.votes[::-1].copy(),
        ),
        gold_prob=dynamics.gold_prob[:, ::-1].copy(),
        predicted=dynamics.predicted[:, ::-1].copy(),
        steps=dynamics.steps,
        epochs=dynamics.epochs,
    )
    lora = build_data_map(reversed_pairs, name="lora", thresholds=thresholds, resamples=0)
    points = map_points([full, lora], limit=3, seed=0)
    assert len(points) == 3
    assert [p.id for p in points[:3]].count("p7") == 1  # the first listed label error is kept
    for point in points:
        a, b = point.positions["full"], point.positions["lora"]
        assert (a.confidence, a.region) == (b.confidence, b.region)  # joined by id
    assert len(map_points([full], limit=100)) == 8
    assert region_rows(full, "hard-to-learn").tolist() == [7, 6, 5, 4]
    assert region_rows(full, "easy-to-learn").tolist() == [0, 1, 2]
    assert [p.id for p in region_points([full, lora], "hard-to-learn", limit=2)] == ["p7", "p6"]
    grid = density(full, columns=4, rows=2)
    assert sum(map(sum, grid.counts)) == 8
    # Confidence 0.5 to 1 (pairs 0-3), in columns 0.11 / 4 wide: variability 0, 0.01 | 0.05 | 0.06.
    assert grid.counts[0] == (2, 1, 1, 0)
    section = data_map_section([full, lora], points=5)
    assert section.crossings[0].same == pytest.approx(1.0)
    assert section.crossings[0].counts[EASY][EASY] == 3
    back = section_from_json(section.to_json())
    assert back is not None and back.to_json() == section.to_json()
    assert section_from_json(None) is None
    rows = subset_rows(full, "hard", 0.25)
    assert rows.tolist() == [7, 6]
