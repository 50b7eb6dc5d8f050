"""Training dynamics recorded by the trainers (`record_dynamics`): both passes, on tiny random
models, full and LoRA, with resume; what they record is checked against the model itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from nli_probe.trainers import config_from_dict, train

from nli_probe.errors import NLIProbeError
from nli_probe.scoring.datamap.dynamics import read_dynamics
from tests.tiny_models import make_tiny_classifier, tiny_bert, tiny_roberta
from tests.trainer_data import write_snli_jsonl

__all__ = ["tiny_bert", "tiny_roberta"]  # pytest fixtures, re-exported for this module

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dynamics_data")
    write_snli_jsonl(folder / "train.jsonl", 30, seed=1)
    write_snli_jsonl(folder / "dev.jsonl", 24, seed=2)
    return folder


@pytest.fixture(scope="module")
def no_dropout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny BERT without dropout: its training forward pass computes what inference does."""
    folder = make_tiny_classifier(tmp_path_factory.mktemp("no_dropout"), arch="bert", seed=3)
    config = json.loads((folder / "config.json").read_text())
    config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, classifier_dropout=0.0)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def _config(base: Path, data: Path, **overrides: Any) -> Any:
    raw: dict[str, Any] = {
        "name": "tiny",
        "base_model": str(base),
        "train_data": [str(data / "train.jsonl")],
        "eval_data": str(data / "dev.jsonl"),
        "held_out": 12,  # 30 + 12 = 42 training pairs
        "epochs": 3.0,
        "batch_size": 8,
        "learning_rate": 1e-2,
        "precision": "fp32",
        "logging_steps": 1,
        "max_length": 32,
        "keep_best": False,
        "record_dynamics": True,
    }
    lora = overrides.pop("lora", None)
    raw.update(overrides)
    if lora is not None:
        raw["lora"] = lora
    return config_from_dict(raw)


def test_training_pass_is_the_inference_pass_one_step_earlier(
    tmp_path: Path, no_dropout: Path, data: Path
) -> None:
    # One batch per epoch and no dropout: the pairs' training forward pass in epoch e runs the
    # weights the inference pass recorded at the end of epoch e - 1, so their records agree.
    runs = {}
    for name in ("training", "inference"):
        config = _config(no_dropout, data, batch_size=64, dynamics_pass=name)
        runs[name] = train(config, tmp_path / name, progress=False)
    plain = train(
        _config(no_dropout, data, batch_size=64, record_dynamics=False),
        tmp_path / "plain",
        progress=False,
    )
    # Recording changes nothing in training.
    assert runs["training"].metrics["eval"] == plain.metrics["eval"]
    assert runs["inference"].metrics["eval"] == plain.metrics["eval"]
    assert plain.metrics["dynamics"] is None
    by_training = read_dynamics(tmp_path / "training" / "dynamics.npz")
    by_inference = read_dynamics(tmp_path / "inference" / "dynamics.npz")
    assert by_training.steps.tolist() == by_inference.steps.tolist() == [1, 2, 3]
    assert by_training.epochs.tolist() == [1.0, 2.0, 3.0]
    assert by_training.meta["pass"] == "training" and by_inference.meta["pass"] == "inference"
    np.testing.assert_allclose(by_training.gold_prob[1:], by_inference.gold_prob[:-1], atol=1e-6)
    assert np.array_equal(by_training.predicted[1:], by_inference.predicted[:-1])
    assert not np.allclose(by_inference.gold_prob[0], by_inference.gold_prob[-1])
    summary = runs["training"].metrics["dynamics"]
    assert summary["records"] == 3 and summary["pass"] == "training" and summary["pairs"] == 42
    assert not (tmp_path / "training" / "dynamics-shards").exists()


def test_inference_pass_every_steps_ends_at_the_saved_model(
    tmp_path: Path, tiny_roberta: Path, data: Path
) -> None:
    from nli_probe.data.split import prepare_data
    from nli_probe.models.load import load_model

    config = _config(tiny_roberta, data, epochs=2.0, dynamics_pass="inference", dynamics_steps=4)
    run = train(config, tmp_path / "run", progress=False)
    dynamics = read_dynamics(tmp_path / "run" / "dynamics.npz")
    # 42 pairs in batches of 8: 6 steps per epoch; every 4 steps and at each epoch end.
    assert dynamics.steps.tolist() == [4, 6, 8, 12]
    assert dynamics.epochs.tolist() == pytest.approx([4 / 6, 1.0, 8 / 6, 2.0])
    assert run.metrics["dynamics"]["steps"] == [4, 6, 8, 12]
    # What the four inference passes cost, in wall and CPU time (benchmarks read the CPU share).
    assert run.metrics["dynamics"]["seconds"] > 0 and run.metrics["dynamics"]["cpu_seconds"] > 0
    examples = prepare_data(config).train
    assert dynamics.pairs.ids.to_list() == [example.id for example in examples]
    assert dynamics.pairs.votes[0].tolist() == [
        sum(1 for label in examples[0].annotator_labels if int(label) == k) for k in range(3)
    ]
    # The last record is the final model's prediction of every training pair.
    model = load_model(tmp_path / "run", device="cpu", precision="fp32", max_length=32)
    probs = np.array([p.probs for p in model.predict([e.pair for e in examples])])
    gold = dynamics.pairs.gold.astype(np.int64)
    np.testing.assert_allclose(dynamics.gold_prob[-1], probs[np.arange(len(gold)), gold], atol=1e-5)
    assert dynamics.predicted[-1].tolist() == probs.argmax(axis=1).tolist()


def test_lora_records_with_the_training_pass(tmp_path: Path, tiny_bert: Path, data: Path) -> None:
    config = _config(
        tiny_bert, data, method="lora", epochs=2.0, lora={"r": 2, "alpha": 4, "dropout": 0.0}
    )
    run = train(config, tmp_path / "run", progress=False)
    dynamics = read_dynamics(tmp_path / "run" / "dynamics.npz")
    assert dynamics.records == 2 and dynamics.meta["method"] == "lora"
    assert np.isfinite(dynamics.gold_prob).all()
    assert ((dynamics.gold_prob >= 0) & (dynamics.gold_prob <= 1)).all()
    assert run.metrics["dynamics"]["pass"] == "training"


def test_lora_inference_pass_ends_at_the_saved_adapter(
    tmp_path: Path, tiny_bert: Path, data: Path
) -> None:
    # The inference pass runs the adapter merged into new weight tensors (MergedLoRA): its
    # last record is what the saved adapter predicts, and training is not touched by it.
    from nli_probe.data.split import prepare_data
    from nli_probe.models.load import load_model

    lora = {"r": 2, "alpha": 4, "dropout": 0.0}
    config = _config(
        tiny_bert, data, method="lora", epochs=2.0, dynamics_pass="inference", lora=dict(lora)
    )
    run = train(config, tmp_path / "run", progress=False)
    plain = train(
        _config(tiny_bert, data, method="lora", epochs=2.0, record_dynamics=False, lora=lora),
        tmp_path / "plain",
        progress=False,
    )
    assert run.metrics["eval"] == plain.metrics["eval"]
    dynamics = read_dynamics(tmp_path / "run" / "dynamics.npz")
    assert dynamics.records == 2 and dynamics.meta["pass"] == "inference"
    model = load_model(tmp_path / "run", device="cpu", precision="fp32", max_length=32)
    examples = prepare_data(config).train
    probs = np.array([p.probs for p in model.predict([e.pair for e in examples])])
    gold = dynamics.pairs.gold.astype(np.int64)
    np.testing.assert_allclose(dynamics.gold_prob[-1], probs[np.arange(len(gold)), gold], atol=1e-5)
    assert not np.allclose(dynamics.gold_prob[0], dynamics.gold_prob[-1])


def test_inference_pass_with_the_onednn_kernel_leaves_training_alone(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wide enough for the CPU kernel choice (nli_probe.models.cpu_linear), set to oneDNN: the
    # pass computes with it (merged LoRA layers too), training never does, so the run trains
    # exactly as without recording and its last record is what torch's kernel predicts.
    from nli_probe.data.split import prepare_data
    from nli_probe.models import cpu_linear
    from nli_probe.models.load import load_model

    if not cpu_linear.onednn_available():
        pytest.skip("this torch has no oneDNN")
    wide = make_tiny_classifier(tmp_path / "wide", arch="bert", hidden_size=256, num_layers=1)
    used: list[int] = []
    real = cpu_linear.onednn_linear

    def counted(*args: Any, **kwargs: Any) -> Any:
        used.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cpu_linear, "onednn_linear", counted)
    monkeypatch.setenv(cpu_linear.KERNEL_ENV, "onednn")
    lora = {"r": 2, "alpha": 4, "dropout": 0.0}
    config = _config(
        wide, data, method="lora", epochs=2.0, dynamics_pass="inference", lora=dict(lora)
    )
    run = train(config, tmp_path / "run", progress=False)
    assert used  # the pass ran oneDNN's products
    monkeypatch.setenv(cpu_linear.KERNEL_ENV, "torch")
    used.clear()
    plain = train(
        _config(wide, data, method="lora", epochs=2.0, record_dynamics=False, lora=lora),
        tmp_path / "plain",
        progress=False,
    )
    assert run.metrics["eval"] == plain.metrics["eval"]
    model = load_model(tmp_path / "run", device="cpu", precision="fp32", max_length=32)
    examples = prepare_data(config).train
    probs = np.array([p.probs for p in model.predict([e.pair for e in examples])])
    assert not used
    dynamics = read_dynamics(tmp_path / "run" / "dynamics.npz")
    gold = dynamics.pairs.gold.astype(np.int64)
    # Rounding apart (this wide random model's logits are large: up to 1e-5 here), the same.
    np.testing.assert_allclose(dynamics.gold_prob[-1], probs[np.arange(len(gold)), gold], atol=1e-4)
    assert np.abs(dynamics.gold_prob[0] - dynamics.gold_prob[-1]).max() > 1e-2


class _Interrupt:
    """Raises KeyboardInterrupt when the checkpoint of step `at` has been saved."""

    def __init__(self, at: int) -> None:
        from transformers import TrainerCallback

        stop = at

        class Callback(TrainerCallback):  # type: ignore[misc]
            def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
                if state.global_step == stop:
                    raise KeyboardInterrupt

        self.callback = Callback()


@pytest.mark.parametrize("pass_name", ["training", "inference"])
def test_resume_keeps_one_record_per_epoch(
    tmp_path: Path, tiny_roberta: Path, data: Path, pass_name: str
) -> None:
    # Checkpoints every 4 steps (6 per epoch): interrupted after step 8's checkpoint, within
    # epoch 2. The resumed run's records are the uninterrupted run's, one per epoch.
    keys = {"dynamics_pass": pass_name, "eval_strategy": "steps", "eval_steps": 4}
    if pass_name == "inference":
        keys["dynamics_steps"] = 2
    config = _config(tiny_roberta, data, **keys)
    whole = train(config, tmp_path / "whole", progress=False)
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        train(config, run, progress=False, callbacks=[_Interrupt(8).callback])
    assert (run / "dynamics-shards" / "rank-00000.npz").is_file()
    resumed = train(config, run, resume=True, progress=False)
    assert resumed.metrics["train"]["resumed_from"] == "checkpoint-8"
    expected = read_dynamics(tmp_path / "whole" / "dynamics.npz")
    found = read_dynamics(run / "dynamics.npz")
    steps = [6, 12, 18] if pass_name == "training" else [2, 4, 6, 8, 10, 12, 14, 16, 18]
    assert found.steps.tolist() == expected.steps.tolist() == steps
    np.testing.assert_allclose(found.gold_prob, expected.gold_prob, atol=1e-5)
    assert np.array_equal(found.predicted, expected.predicted)
    assert resumed.metrics["eval"] == pytest.approx(whole.metrics["eval"])


def test_dynamics_steps_need_the_inference_pass(tiny_bert: Path, data: Path) -> None:
    with pytest.raises(NLIProbeError, match=r"`dynamics_steps` = 3 needs `dynamics_pass` = 'inf"):
        _config(tiny_bert, data, dynamics_steps=3)
