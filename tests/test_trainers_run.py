"""`nli_probe.trainers.train` end to end on tiny random RoBERTa/BERT models: full and LoRA runs,
the run folder, loading through the engine, reuse, resume, and bad input."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pytest
from nli_probe.trainers import TrainConfig, config_from_dict, evaluation_examples, train

from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError
from tests.tiny_models import tiny_bert, tiny_roberta
from tests.trainer_data import write_snli_jsonl

__all__ = ["tiny_bert", "tiny_roberta"]  # pytest fixtures, re-exported for this module

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trainer_data")
    write_snli_jsonl(folder / "train.jsonl", 30, seed=1, no_gold=3)
    write_snli_jsonl(folder / "dev.jsonl", 24, seed=2, no_gold=2)
    return folder


def _config(base: Path, data: Path, **overrides: Any) -> TrainConfig:
    raw: dict[str, Any] = {
        "name": "tiny",
        "base_model": str(base),
        "train_data": [str(data / "train.jsonl")],
        "eval_data": str(data / "dev.jsonl"),
        "held_out": 12,
        "epochs": 2.0,
        "batch_size": 8,
        "learning_rate": 1e-3,
        "precision": "fp32",
        "logging_steps": 1,
        "max_length": 32,
    }
    lora = overrides.pop("lora", None)
    raw.update(overrides)
    if lora is not None:
        raw["lora"] = lora
    return config_from_dict(raw)


def _engine_accuracy(model_dir: Path, config: TrainConfig) -> float:
    from nli_probe.models.load import load_model

    model = load_model(model_dir, device="cpu", precision="fp32", max_length=config.max_length)
    assert model.label_map.columns == (Label.ENTAILMENT, Label.NEUTRAL, Label.CONTRADICTION)
    assert not model.two_way
    examples = evaluation_examples(config)
    predictions = model.predict([example.pair for example in examples])
    correct = sum(p.label == e.gold for p, e in zip(predictions, examples, strict=True))
    return correct / len(examples)


def test_full_roberta_run_folder_and_engine(tmp_path: Path, tiny_roberta: Path, data: Path) -> None:
    config = _config(tiny_roberta, data)
    result = train(config, tmp_path / "run", progress=False)
    root = result.run_dir
    assert result.model_dir == root  # the run folder is the model
    for name in ("config.toml", "data_summary.json", "training_log.jsonl"):
        assert (root / name).is_file(), name
    assert (root / "README.md").read_text().startswith("# tiny: ")
    assert (result.model_dir / "model.safetensors").is_file()
    assert json.loads((result.model_dir / "config.json").read_text())["id2label"] == {
        "0": "entailment",
        "1": "neutral",
        "2": "contradiction",
    }
    summary = json.loads((root / "data_summary.json").read_text())
    # 33 train rows + the 12 gold dev rows not held out (dev's no-gold rows are never
    # evaluated nor trained on); train's 3 no-gold rows are dropped.
    assert summary["train"]["balance_before"]["counts"]["no gold"] == 3
    assert summary["train"]["after_filter"] == 30 + 12
    assert summary["eval"]["pairs"] == 12
    log = [json.loads(line) for line in (root / "training_log.jsonl").read_text().splitlines()]
    assert any("loss" in entry for entry in log)
    assert [entry["epoch"] for entry in log if "eval_accuracy" in entry] == [1.0, 2.0]
    metrics = json.loads((root / "metrics.json").read_text())
    assert metrics == result.metrics
    assert metrics["train"]["steps"] == 12  # 42 pairs / batch 8 (6 batches) x 2 epochs
    assert metrics["best_checkpoint"].startswith("checkpoints/checkpoint-")
    # The engine loads the folder without options and scores exactly what the trainer did.
    assert _engine_accuracy(result.model_dir, config) == pytest.approx(result.accuracy)
    # The final (best) model's own evaluation is kept, and is what the engine predicts.
    best_step = int(metrics["best_checkpoint"].rsplit("-", 1)[1])
    assert metrics["eval_predictions"] == {
        "file": "eval_predictions.jsonl",
        "step": best_step,
        "precision": "fp32",
        "device": "cpu",
        "max_length": 32,
    }
    _assert_eval_predictions_are_the_engines(result.model_dir, config)


def _assert_eval_predictions_are_the_engines(run_dir: Path, config: TrainConfig) -> None:
    from nli_probe.models.load import load_model

    lines = (run_dir / "eval_predictions.jsonl").read_text().splitlines()
    saved = {row["id"]: row["probs"] for row in map(json.loads, lines)}
    examples = evaluation_examples(config)
    assert sorted(saved) == sorted(example.id for example in examples)
    model = load_model(run_dir, device="cpu", precision="fp32", max_length=config.max_length)
    for example, prediction in zip(
        examples, model.predict([e.pair for e in examples]), strict=True
    ):
        assert saved[example.id] == pytest.approx(prediction.probs, abs=1e-5)


def test_study_reuses_the_trainers_evaluation(tmp_path: Path, tiny_bert: Path, data: Path) -> None:
    """Each held-out pair is predicted once per model: the study puts the trainer's final
    predictions into its cache, and the engine makes no model call for them."""
    import io

    from rich.console import Console

    from nli_probe.models.cache import PredictionCache
    from nli_probe.models.engine import run_predictions
    from nli_probe.models.load import load_model
    from nli_probe.study.backend import Backend

    config = _config(tiny_bert, data, epochs=1.0)
    run_dir = train(config, tmp_path / "run", progress=False).run_dir
    examples = evaluation_examples(config)
    backend = Backend(Console(file=io.StringIO()))
    with PredictionCache(tmp_path / "cache.sqlite") as cache:
        other = load_model(run_dir, device="cpu", max_length=64)  # not what the trainer ran
        assert backend.reuse_training_predictions(other, str(run_dir), examples, cache) == 0
        model = load_model(run_dir, device="cpu", max_length=32)
        assert backend.reuse_training_predictions(model, str(run_dir), examples, cache) == 12
        result = run_predictions(model, [e.pair for e in examples], cache=cache)
    assert (result.cached, result.computed) == (12, 0)


def test_lora_bert_saves_adapter_only(tmp_path: Path, tiny_bert: Path, data: Path) -> None:
    config = _config(tiny_bert, data, method="lora", lora={"r": 4, "alpha": 8})
    result = train(config, tmp_path / "run", progress=False)
    files = {path.name for path in result.model_dir.iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "config.json"} <= files
    assert "model.safetensors" not in files
    adapter = json.loads((result.model_dir / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == str(tiny_bert)
    assert set(adapter["target_modules"]) == {"query", "value"}
    assert "classifier" in adapter["modules_to_save"]
    assert result.metrics["trainable_parameters"] < result.metrics["total_parameters"]
    assert _engine_accuracy(result.model_dir, config) == pytest.approx(result.accuracy)
    _assert_eval_predictions_are_the_engines(result.model_dir, config)  # adapter merged or not


def test_finished_run_is_reused_and_guarded(tmp_path: Path, tiny_bert: Path, data: Path) -> None:
    config = _config(tiny_bert, data, epochs=1.0)
    first = train(config, tmp_path / "run", progress=False)
    again = train(config, tmp_path / "run", progress=False)
    assert again.reused and not first.reused
    assert again.metrics == first.metrics
    with pytest.raises(NLIProbeError, match=r"another config \(differs in: learning_rate\)"):
        train(_config(tiny_bert, data, epochs=1.0, learning_rate=0.1), tmp_path / "run")


def test_resume_continues_from_the_last_checkpoint(
    tmp_path: Path, tiny_roberta: Path, data: Path
) -> None:
    from transformers import TrainerCallback

    class Interrupt(TrainerCallback):  # type: ignore[misc]
        def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            raise KeyboardInterrupt

    config = _config(tiny_roberta, data, epochs=3.0)
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        train(config, run, progress=False, callbacks=[Interrupt()])
    assert sorted(path.name for path in (run / "checkpoints").iterdir()) == ["checkpoint-6"]
    assert not (run / "metrics.json").exists()
    with pytest.raises(NLIProbeError, match=r"interrupted run .*checkpoint-6.*--resume"):
        train(config, run, progress=False)
    result = train(config, run, resume=True, progress=False)
    assert result.resumed_from is not None and result.resumed_from.endswith("checkpoint-6")
    assert result.metrics["train"]["resumed_from"] == "checkpoint-6"
    assert result.metrics["train"]["steps"] == 18
    log = [json.loads(line) for line in (run / "training_log.jsonl").read_text().splitlines()]
    steps = [entry["step"] for entry in log if "loss" in entry]
    assert steps == list(range(1, 19))  # steps 1-6 once, before the interruption; 7-18 after
    assert [entry["epoch"] for entry in log if "eval_accuracy" in entry] == [1.0, 2.0, 3.0]


def test_full_disk_leaves_earlier_checkpoints(
    tmp_path: Path, tiny_roberta: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transformers import Trainer

    original = Trainer._save_checkpoint
    calls = {"n": 0}

    def failing_save(self: Any, model: Any, trial: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second checkpoint: half written, then the disk is full
            folder = Path(self.args.output_dir) / f"checkpoint-{self.state.global_step}"
            folder.mkdir(parents=True)
            (folder / "model.safetensors").write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        original(self, model, trial)

    monkeypatch.setattr(Trainer, "_save_checkpoint", failing_save)
    config = _config(tiny_roberta, data)
    run = tmp_path / "run"
    with pytest.raises(
        NLIProbeError, match=r"disk full .*checkpoints kept: checkpoint-6.*--resume"
    ):
        train(config, run, progress=False)
    assert (run / "checkpoints" / "checkpoint-6" / "trainer_state.json").is_file()
    monkeypatch.setattr(Trainer, "_save_checkpoint", original)
    result = train(config, run, resume=True, progress=False)
    assert result.metrics["train"]["resumed_from"] == "checkpoint-6"
    assert (run / "checkpoints" / "checkpoint-12" / "trainer_state.json").is_file()


def test_missing_data_file_is_named(tmp_path: Path, tiny_bert: Path, data: Path) -> None:
    config = _config(tiny_bert, data, train_data=[str(tmp_path / "nope.jsonl")])
    with pytest.raises(NLIProbeError, match=r"nope\.jsonl"):
        train(config, tmp_path / "run", progress=False)


def test_incompatible_or_missing_base_model(tmp_path: Path, data: Path) -> None:
    from transformers import T5Config

    T5Config(d_model=8, num_layers=1, num_heads=1, d_kv=4, d_ff=8).save_pretrained(tmp_path / "t5")
    with pytest.raises(NLIProbeError, match="encoder-decoder"):
        train(_config(tmp_path / "t5", data), tmp_path / "run", progress=False)
    with pytest.raises(NLIProbeError, match=r"base model .*nowhere.* not found"):
        train(_config(tmp_path / "nowhere", data), tmp_path / "run2", progress=False)


def test_lora_unknown_target_module(tmp_path: Path, tiny_bert: Path, data: Path) -> None:
    config = _config(tiny_bert, data, method="lora", lora={"target_modules": ["qeury"]})
    with pytest.raises(NLIProbeError, match=r"no module named 'qeury'.*did you mean 'query'"):
        train(config, tmp_path / "run", progress=False)


def test_cli_train(
    tmp_path: Path, tiny_bert: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from nli_probe.cli import main

    preset = tmp_path / "tiny.toml"
    preset.write_text(
        f'base_model = "{tiny_bert}"\nprecision = "fp32"\nbatch_size = 8\nepochs = 1.0\n'
        f"held_out = 12\nmax_length = 32\n",
        encoding="utf-8",
    )
    args = ["train", str(preset), f"train_data=['{data / 'train.jsonl'}']"]
    args += [f"eval_data={data / 'dev.jsonl'}", "--no-progress", "-o", str(tmp_path / "run")]
    assert main(args) == 0
    assert "trained: " in capsys.readouterr().out
    assert main(args) == 0
    assert "reused finished run" in capsys.readouterr().out
    assert main(["train", "quick-fll"]) == 2
    assert "did you mean 'quick-full'" in capsys.readouterr().err


def test_bf16_autocast_on_cpu(
    tmp_path: Path, tiny_bert: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_native_bf16", lambda: True)
    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_amx", lambda: True)
    config = _config(tiny_bert, data, precision="auto", epochs=1.0)  # auto: bf16 with AMX
    result = train(config, tmp_path / "run", progress=False)
    assert result.metrics["precision"] == "bf16"
    assert result.metrics["precision_reason"].endswith("has AMX")
    assert 0.0 <= result.accuracy <= 1.0
    # Saved weights stay fp32 (autocast computes in bf16, the master weights are fp32).
    from safetensors import safe_open

    with safe_open(str(result.model_dir / "model.safetensors"), "pt") as weights:
        assert all(str(weights.get_tensor(key).dtype) == "torch.float32" for key in weights.keys())  # noqa: SIM118


def test_deberta_v1_lora_falls_back_to_peft_targets() -> None:
    # DeBERTa v1 has one fused `in_proj` per attention layer, no query_proj/value_proj (that is
    # v2): the table leaves it out, so peft's own map and the model's head modules decide.
    from nli_probe.trainers.build import head_modules
    from nli_probe.trainers.targets import lora_targets
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import DebertaConfig, DebertaForSequenceClassification

    model = DebertaForSequenceClassification(
        DebertaConfig(
            vocab_size=50,
            hidden_size=16,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=32,
            num_labels=3,
        )
    )
    names = [name for name, _ in model.named_modules()]
    assert head_modules(model) == ("pooler", "classifier")
    found = lora_targets("deberta", names, head_modules=head_modules(model))
    assert found.target_modules == ("in_proj",)
    assert found.modules_to_save == ("pooler", "classifier")
    wrapped = get_peft_model(
        model,
        LoraConfig(
            task_type=TaskType.SEQ_CLS,
            target_modules=list(found.target_modules),
            modules_to_save=list(found.modules_to_save),
        ),
    )
    adapted = [name for name, _ in wrapped.named_modules() if name.endswith("in_proj.lora_A")]
    assert len(adapted) == 2  # one per layer
    # Architectures with a table row keep it; BERT's head is its classifier and its pooler.
    modules = ["bert.encoder.layer.0.attention.self.query", "x.value", "classifier", "bert.pooler"]
    bert = lora_targets("bert", modules, head_modules=("classifier",))
    assert bert.modules_to_save == ("classifier", "pooler")
