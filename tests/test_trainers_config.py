"""Trainer presets and overrides (`nli_probe.trainers.config`), LoRA targets: no torch needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from nli_probe.trainers import (
    config_from_dict,
    dump_toml,
    load_preset,
    preset_names,
    toml_value,
)
from nli_probe.trainers.config import TrainConfig
from nli_probe.trainers.targets import lora_targets

from nli_probe.errors import NLIProbeError


def test_builtin_presets_load() -> None:
    assert preset_names() == ["quick-full", "quick-lora", "roberta-snli-full", "roberta-snli-lora"]
    for name in preset_names():
        config = load_preset(name)
        assert config.name == name
        assert config.method == ("lora" if name.endswith("lora") else "full")


def test_study_presets_reproduce_the_study_data() -> None:
    for name in ("roberta-snli-full", "roberta-snli-lora"):
        config = load_preset(name)
        assert config.base_model == "roberta-base"
        assert config.train_data == ("snli:train",)
        assert config.eval_data == "snli:test"
        assert config.train_fraction == 0.5
        assert config.held_out == 0
    lora = load_preset("roberta-snli-lora")
    assert lora.learning_rate == 5e-4
    assert lora.epochs > load_preset("roberta-snli-full").epochs


def test_quick_presets_hold_out_part_of_dev() -> None:
    full, lora = load_preset("quick-full"), load_preset("quick-lora")
    assert full.base_model == "sentence-transformers/all-MiniLM-L6-v2"
    assert full.eval_data == "snli:dev" and full.held_out == 2000
    # Both quick presets evaluate the very same held-out pairs.
    for key in ("train_data", "eval_data", "held_out", "split_seed", "train_count", "sample_seed"):
        assert getattr(full, key) == getattr(lora, key), key


def test_quick_presets_train_on_the_rest_of_the_embedded_dev_set() -> None:
    from nli_probe.data.split import prepare_data

    config = load_preset("quick-full")
    assert config.train_data == ()  # no data folder needed: SNLI dev ships with nli-probe
    data = prepare_data(config)  # the tests' data folder is empty
    assert len(data.eval) == 2000 and len(data.train) == 4000
    assert not {e.pair for e in data.train} & {e.pair for e in data.eval}
    assert {e.source for e in data.train} == {"snli:dev"}
    assert data.summary["train"]["sources"] == ["snli:dev (not held out)"]
    assert data.summary["train"]["loaded"] == 9842 - 2000
    (read,) = data.summary["read"]
    assert read.startswith("snli:dev: the copy embedded in nli-probe")


def test_nothing_to_train_on_is_refused() -> None:
    with pytest.raises(NLIProbeError, match="nothing to train on"):
        load_preset("quick-full", ["held_out=0"])


def test_overrides_parse_values_and_dotted_keys() -> None:
    config = load_preset(
        "quick-lora",
        [
            "epochs=2",
            "lora.r=4",
            "lora.target_modules=query,key",
            'train_data=["a.jsonl", "b.jsonl"]',
            "eval_data=my dev.jsonl",
            "precision=fp32",
            "keep_best=false",
        ],
    )
    assert config.epochs == 2.0 and isinstance(config.epochs, float)
    assert config.lora.r == 4
    assert config.lora.target_modules == ("query", "key")
    assert config.train_data == ("a.jsonl", "b.jsonl")
    assert config.eval_data == "my dev.jsonl"
    assert config.precision == "fp32"
    assert config.keep_best is False


def test_unknown_preset_suggests_close_names() -> None:
    with pytest.raises(
        NLIProbeError, match=r"unknown preset 'quick-ful'.*did you mean 'quick-full'"
    ):
        load_preset("quick-ful")


def test_unknown_keys_suggest_close_names() -> None:
    with pytest.raises(NLIProbeError, match=r"unknown key 'epocs'.*did you mean 'epochs'"):
        load_preset("quick-full", ["epocs=2"])
    with pytest.raises(NLIProbeError, match=r"unknown key 'lora.rr'.*did you mean 'lora.r'"):
        load_preset("quick-full", ["lora.rr=2"])
    with pytest.raises(NLIProbeError, match=r"unknown key 'lroa.r'; did you mean 'lora.r'\?"):
        load_preset("quick-full", ["lroa.r=2"])
    with pytest.raises(NLIProbeError, match=r"not key=value"):
        load_preset("quick-full", ["epochs"])


def test_bad_values_are_named() -> None:
    with pytest.raises(NLIProbeError, match=r"`precision` = 'bf15'.*did you mean 'bf16'"):
        load_preset("quick-full", ["precision=bf15"])
    with pytest.raises(
        NLIProbeError, match=r"override 'batch_size=big': `batch_size` must be an integer"
    ):
        load_preset("quick-full", ["batch_size=big"])
    with pytest.raises(NLIProbeError, match=r"`train_fraction` must be more than 0 and at most 1"):
        load_preset("quick-full", ["train_fraction=1.5"])


def test_preset_file_path_and_toml_round_trip(tmp_path: Path) -> None:
    config = load_preset("roberta-snli-lora", ["lora.modules_to_save=classifier"])
    file = tmp_path / "mine.toml"
    file.write_text(dump_toml(config), encoding="utf-8")
    assert load_preset(str(file)) == config
    broken = tmp_path / "broken.toml"
    broken.write_text("epochs = = 2\n", encoding="utf-8")
    with pytest.raises(NLIProbeError, match="not valid TOML"):
        load_preset(str(broken))
    with pytest.raises(NLIProbeError, match="not found"):
        load_preset(str(tmp_path / "missing.toml"))


def test_config_toml_keeps_any_string(tmp_path: Path) -> None:
    # json.dumps wrote a non-BMP character as a surrogate pair (\ud83d\ude00), invalid in TOML.
    odd = 'runs/😀 "quoted" \\ back\tslash'
    config = load_preset(
        "quick-full", [f"description={toml_value(odd)}", f"train_data={toml_value([odd, 'b'])}"]
    )
    assert config.description == odd and config.train_data == (odd, "b")
    file = tmp_path / "config.toml"
    file.write_text(dump_toml(config), encoding="utf-8")
    assert load_preset(str(file)) == config
    assert "😀" in file.read_text(encoding="utf-8")


def test_defaults_without_a_preset() -> None:
    assert config_from_dict({}) == TrainConfig()


@pytest.mark.parametrize(
    ("model_type", "targets", "head"),
    [
        ("roberta", ("query", "value"), ("classifier",)),
        ("bert", ("query", "value"), ("classifier", "pooler")),
        ("mpnet", ("q", "v"), ("classifier",)),
        ("distilbert", ("q_lin", "v_lin"), ("pre_classifier", "classifier")),
        ("deberta-v2", ("query_proj", "value_proj"), ("pooler", "classifier")),
    ],
)
def test_lora_targets_per_architecture(
    model_type: str, targets: tuple[str, ...], head: tuple[str, ...]
) -> None:
    modules = [f"encoder.layer.0.attention.{name}" for name in targets] + list(head)
    found = lora_targets(model_type, modules)
    assert found.target_modules == targets
    assert found.modules_to_save == head


def test_lora_targets_overridable_and_checked() -> None:
    modules = ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.key"]
    modules += ["classifier", "bert.pooler"]
    found = lora_targets("bert", modules, target_modules=("key",))
    assert found.target_modules == ("key",)
    with pytest.raises(NLIProbeError, match=r"no module named 'qeury'.*did you mean 'query'"):
        lora_targets("bert", modules, target_modules=("qeury",))
    with pytest.raises(NLIProbeError, match=r"no built-in LoRA targets for model type 'gpt2'"):
        lora_targets("gpt2", modules)


def test_held_out_split_is_fixed_and_never_trained_on(tmp_path: Path) -> None:
    from nli_probe.trainers import evaluation_examples, held_out_split

    from nli_probe.data.split import prepare_data
    from tests.trainer_data import write_snli_jsonl

    write_snli_jsonl(tmp_path / "train.jsonl", 30, seed=1, no_gold=3)
    write_snli_jsonl(tmp_path / "dev.jsonl", 60, seed=2, no_gold=4)
    config = load_preset(
        "quick-full",
        [
            f"train_data=['{tmp_path / 'train.jsonl'}', '{tmp_path / 'dev.jsonl'}']",
            f"eval_data='{tmp_path / 'dev.jsonl'}'",
            "held_out=15",
            "train_count=40",
        ],
    )
    held, rest = held_out_split(config)
    assert len(held) == 15 and len(rest) == 45
    assert all(example.gold is not None for example in held + rest)
    assert [e.id for e in evaluation_examples(config)] == [e.id for e in held]
    # Stratified: the 60 gold dev pairs are 20 per label, so 5 of each are held out.
    assert sorted(int(e.gold) for e in held if e.gold is not None) == [0] * 5 + [1] * 5 + [2] * 5
    data = prepare_data(config)
    assert {e.pair for e in data.train}.isdisjoint({e.pair for e in data.eval})
    assert len(data.train) == 40
    # dev was also named as training data: its held-out pairs were kept out of training.
    assert data.summary["train"]["dropped_as_evaluated"] == 15
    assert data.summary["train"]["balance_before"]["counts"]["no gold"] == 3 + 4


def test_choice_lists_match_what_transformers_and_the_scores_give() -> None:
    from nli_probe.trainers.config import BEST_METRICS, LR_SCHEDULERS
    from nli_probe.trainers.eval_predictions import EvalRecorder
    from transformers.trainer_utils import SchedulerType

    assert set(LR_SCHEDULERS) <= {scheduler.value for scheduler in SchedulerType}

    from types import SimpleNamespace

    evaluated = SimpleNamespace(predictions=[[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]], label_ids=[0, 1])
    assert set(BEST_METRICS) - {"loss"} <= set(EvalRecorder()(evaluated))  # the Trainer's hook
