"""The SQLite prediction cache: storage, location, damage, interruption and concurrency."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nli_probe import NLIProbeError, Prediction, PredictionCache, default_cache_path
from nli_probe.models.cache import pair_key

REPO = Path(__file__).resolve().parent.parent


def test_round_trip_is_exact_and_per_model(tmp_path: Path) -> None:
    cache_file = tmp_path / "sub" / "p.sqlite3"
    pairs = [("a", "b"), ("a", "c"), ("ü ñ", "😀")]
    predictions = [Prediction(probs=(1 / 3, 0.1234567890123, 0.5432109876543)) for _ in pairs]
    with PredictionCache(cache_file) as cache:
        assert cache.get_many("m1", pairs) == {}
        cache.put_many("m1", zip(pairs, predictions, strict=True), name="model one")
        cache.put_many("m2", [(pairs[0], Prediction(probs=(0.0, 1.0, 0.0)))])
        found = cache.get_many("m1", [*pairs, ("x", "y")])
        assert found == dict(zip(pairs, predictions, strict=True))
        assert cache.get_many("m2", pairs) == {pairs[0]: Prediction(probs=(0.0, 1.0, 0.0))}
        assert cache.count() == 4
        assert cache.count("m1") == 3
        cache.clear("m1")
        assert cache.count() == 1
        cache.clear()
        assert cache.count() == 0
    # Reopening keeps what was stored.
    with PredictionCache(cache_file) as cache:
        cache.put_many("m1", [(pairs[0], predictions[0])])
    with PredictionCache(cache_file) as cache:
        assert cache.get_many("m1", pairs) == {pairs[0]: predictions[0]}


def test_many_pairs_in_one_lookup(tmp_path: Path) -> None:
    pairs = [(f"premise {i}", f"hypothesis {i}") for i in range(2500)]
    with PredictionCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many("m", [(p, Prediction(probs=(0.2, 0.3, 0.5))) for p in pairs])
        assert len(cache.get_many("m", pairs)) == 2500


def test_pair_key_has_no_separator_collisions() -> None:
    assert pair_key(("ab", "c")) != pair_key(("a", "bc"))
    assert pair_key(("a\x00", "b")) != pair_key(("a", "\x00b"))
    assert len(pair_key(("a", "b"))) == 16


def test_default_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NLI_PROBE_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_path() == tmp_path / "here" / "predictions.sqlite3"
    with PredictionCache() as cache:
        assert cache.path == tmp_path / "here" / "predictions.sqlite3"
    monkeypatch.delenv("NLI_PROBE_CACHE_DIR")
    assert "nli-probe" in str(default_cache_path())


def test_a_damaged_file_is_reported_with_the_fix(tmp_path: Path) -> None:
    damaged = tmp_path / "bad.sqlite3"
    damaged.write_bytes(b"this is not a database, just some bytes" * 100)
    with pytest.raises(NLIProbeError, match=r"bad.sqlite3.*delete the file"):
        PredictionCache(damaged)


def test_wal_mode(tmp_path: Path) -> None:
    with PredictionCache(tmp_path / "c.sqlite3"):
        pass
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


_WRITER = """
import sys
from nli_probe import Prediction, PredictionCache
path, worker = sys.argv[1], int(sys.argv[2])
with PredictionCache(path) as cache:
    for batch in range(40):
        # Every worker writes its own pairs and a shared set, in many small transactions.
        items = [((f"w{worker}", f"{batch}:{i}"), Prediction(probs=(0.1 * worker, 0.5, 0.1)))
                 for i in range(10)]
        items += [(("shared", f"{batch}:{i}"), Prediction(probs=(0.2, 0.3, 0.5)))
                  for i in range(5)]
        cache.put_many("model", items)
        assert len(cache.get_many("model", [pair for pair, _ in items])) == len(items)
"""


@pytest.mark.slow
def test_concurrent_processes_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    workers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(w)], cwd=REPO)
        for w in range(4)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0, 0]
    with PredictionCache(path) as cache:
        assert cache.count("model") == 4 * 40 * 10 + 40 * 5
        for w in range(4):
            found = cache.get_many("model", [(f"w{w}", f"39:{i}") for i in range(10)])
            assert len(found) == 10
            assert all(p.probs[0] == pytest.approx(0.1 * w) for p in found.values())
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


_SLOW_RUN = """
import sys, time
from nli_probe import PredictionCache, predict
from nli_probe.testing.fakes import FakeModel

class Slow(FakeModel):
    def predict(self, pairs):
        time.sleep(0.05)
        return super().predict(pairs)

pairs = [(f"premise {i:03d}", f"hypothesis {i:03d}") for i in range(400)]
with PredictionCache(sys.argv[1]) as cache:
    predict(Slow(name="slow"), pairs, batch_size=10, cache=cache)
"""


@pytest.mark.slow
def test_a_killed_run_keeps_finished_batches_and_resumes(tmp_path: Path) -> None:
    from nli_probe import run_predictions
    from nli_probe.testing.fakes import FakeModel

    path = tmp_path / "c.sqlite3"
    run = subprocess.Popen([sys.executable, "-c", _SLOW_RUN, str(path)], cwd=REPO)
    model = FakeModel(name="slow")
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 50:
        time.sleep(0.05)
        if path.exists():
            with PredictionCache(path) as cache:
                stored = cache.count(model.fingerprint)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert 50 <= stored < 400
    pairs = [(f"premise {i:03d}", f"hypothesis {i:03d}") for i in range(400)]
    with PredictionCache(path) as cache:
        kept = cache.count(model.fingerprint)
        assert kept % 10 == 0  # whole batches only: at most the one in flight was lost
        result = run_predictions(model, pairs, batch_size=10, cache=cache)
    assert result.cached == kept
    assert result.computed == 400 - kept
    assert model.calls == (400 - kept) // 10
    assert len(model.pairs_seen) == 400 - kept


def _filled(path: Path) -> None:
    with PredictionCache(path) as cache:
        prediction = Prediction(probs=(0.5, 0.3, 0.2))
        rows = [((f"premise {i}", f"hypothesis {i}"), prediction) for i in range(300)]
        cache.put_many("a" * 64, rows, name="quick-full")
        cache.put_many("b" * 64, rows[:100], name="quick-lora")
        cache.put_many("c" * 64, rows[:10], name="quick-lora")  # same name, other precision


def test_models_lists_names_fingerprints_and_pairs(tmp_path: Path) -> None:
    from nli_probe.models.cache import cache_size

    path = tmp_path / "cache.sqlite3"
    _filled(path)
    with PredictionCache(path) as cache:
        models = cache.models()
    assert [(m.name, m.fingerprint[0], m.pairs) for m in models] == [
        ("quick-full", "a", 300),
        ("quick-lora", "b", 100),
        ("quick-lora", "c", 10),
    ]
    assert cache_size(path) >= path.stat().st_size > 0


def test_cache_info_and_clear_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from nli_probe.cli import main

    monkeypatch.setenv("NLI_PROBE_CACHE_DIR", str(tmp_path))
    path = tmp_path / "predictions.sqlite3"
    assert main(["cache", "info"]) == 0
    assert "not created yet" in capsys.readouterr().out
    assert not path.exists()  # looking does not create it
    _filled(path)
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert str(path) in out and "3 model(s), 410 cached prediction(s)" in out
    assert "quick-full" in out and "aaaaaaaaaaaa" in out
    assert main(["cache", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["pairs"] == 410 and info["bytes"] > 0
    assert [m["pairs"] for m in info["models"]] == [300, 100, 10]

    # One name, two fingerprints: both go; the other model stays.
    assert main(["cache", "clear", "--model", "quick-lora"]) == 0
    assert "cleared 110 prediction(s) of quick-lora (bbbbbbbbbbbb), quick-lora (cccccccccccc)" in (
        capsys.readouterr().out
    )
    with PredictionCache(path) as cache:
        assert [m.name for m in cache.models()] == ["quick-full"] and cache.count() == 300
    # A fingerprint prefix names a model too; an unknown name is an error with a suggestion.
    assert main(["cache", "clear", "--model", "quick-fulll"]) == 2
    assert "did you mean 'quick-full'?" in capsys.readouterr().err
    assert main(["cache", "clear", "--model", "aaaaaa"]) == 0
    with PredictionCache(path) as cache:
        assert cache.models() == [] and cache.count() == 0
    _filled(path)
    assert main(["cache", "clear", "--cache", str(path)]) == 0
    assert "cleared 410 prediction(s) of every model" in capsys.readouterr().out
    with PredictionCache(path) as cache:
        assert cache.count() == 0
    assert main(["cache"]) == 2  # no action: the help
