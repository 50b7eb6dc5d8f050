"""Rank journals: what a rank other than 0 keeps of its finished batches, and how an opened
cache takes them over (only journals nobody is writing; damaged lines are dropped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nli_probe import NLIProbeWarning, Prediction, PredictionCache
from nli_probe.models.cache import cache_size, pair_key
from nli_probe.models.journal import (
    RankJournal,
    Row,
    journal_folder,
    journal_path,
    orphans,
)

FINGERPRINT = "f" * 16


def rows(pairs: list[tuple[str, str]], probs: tuple[float, float, float]) -> list[Row]:
    return [(pair_key(pair), *probs) for pair in pairs]


def test_a_journal_written_by_a_rank_is_stored_when_the_cache_opens(tmp_path: Path) -> None:
    cache_file = tmp_path / "c.sqlite3"
    folder = journal_folder(cache_file)
    assert folder == tmp_path / "c.sqlite3-ranks"
    journal = RankJournal(journal_path(folder, "job1", 1))
    journal.append(FINGERPRINT, "m", rows([("a", "b"), ("c", "d")], (0.5, 0.25, 0.25)))
    journal.append(FINGERPRINT, "m", rows([("e", "f")], (0.1, 0.2, 0.7)))
    journal.close()
    assert len((folder / "job1-rank1.jsonl").read_text().splitlines()) == 2
    assert cache_size(cache_file) > 0  # the journal counts as the cache's size on disk
    with PredictionCache(cache_file) as cache:
        found = cache.get_many(FINGERPRINT, [("a", "b"), ("c", "d"), ("e", "f"), ("g", "h")])
        assert [model.name for model in cache.models()] == ["m"]
    assert found == {
        ("a", "b"): Prediction(probs=(0.5, 0.25, 0.25)),
        ("c", "d"): Prediction(probs=(0.5, 0.25, 0.25)),
        ("e", "f"): Prediction(probs=(0.1, 0.2, 0.7)),
    }
    assert not folder.exists()


def test_a_line_cut_short_or_damaged_is_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "ranks"
    folder.mkdir()
    good = {"model": FINGERPRINT, "name": "m", "rows": [[pair_key(("a", "b")).hex(), 1, 0, 0]]}
    (folder / "job-rank1.jsonl").write_text(
        json.dumps(good) + "\n" + '{"model": "x", "rows": [["zz"]]}\n' + json.dumps(good)[:30]
    )
    (taken,) = list(orphans(folder))
    assert len(taken) == 1
    assert taken[0].rows == ((pair_key(("a", "b")), 1.0, 0.0, 0.0),)
    assert not folder.exists()


def test_a_journal_still_being_written_is_left_alone(tmp_path: Path) -> None:
    cache_file = tmp_path / "c.sqlite3"
    journal = RankJournal(journal_path(journal_folder(cache_file), "live", 2))
    journal.append(FINGERPRINT, "m", rows([("a", "b")], (0.2, 0.3, 0.5)))
    with PredictionCache(cache_file) as cache:  # another job opens the same cache meanwhile
        assert cache.count() == 0
    assert journal.path.is_file()
    journal.append(FINGERPRINT, "m", rows([("c", "d")], (0.2, 0.3, 0.5)))
    journal.close()
    with PredictionCache(cache_file) as cache:
        assert cache.count() == 2
    assert not journal.path.exists()


def test_appending_after_the_journal_was_taken_starts_a_new_one(tmp_path: Path) -> None:
    path = journal_path(tmp_path / "ranks", "job", 1)
    journal = RankJournal(path)
    journal.append(FINGERPRINT, "m", rows([("a", "b")], (0.2, 0.3, 0.5)))
    journal.close()
    for _ in orphans(tmp_path / "ranks"):
        pass  # taken and deleted
    journal.append(FINGERPRINT, "m", rows([("c", "d")], (0.2, 0.3, 0.5)))
    journal.close()
    (batches,) = list(orphans(tmp_path / "ranks"))
    assert [row[0] for batch in batches for row in batch.rows] == [pair_key(("c", "d"))]


def test_a_journal_that_cannot_be_written_is_given_up_with_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal folder should be")
    journal = RankJournal(journal_path(blocker, "job", 1))
    with pytest.warns(NLIProbeWarning, match="cannot keep this rank's finished batches"):
        journal.append(FINGERPRINT, "m", rows([("a", "b")], (0.2, 0.3, 0.5)))
    journal.append(FINGERPRINT, "m", rows([("c", "d")], (0.2, 0.3, 0.5)))  # quietly skipped
    journal.close()
