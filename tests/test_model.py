"""`load_model` and `TransformersModel` on tiny random checkpoints (no download)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nli_probe import Label, NLIProbeError, load_model
from nli_probe.errors import NLIProbeWarning
from nli_probe.models.label_map import resolve_label_map
from nli_probe.models.precision import Precision
from tests.tiny_models import (
    TWO_WAY_LABELS,
    make_tiny_classifier,
    make_tiny_lora_adapter,
)

PAIRS = [
    ("A man is sleeping in the park.", "Nobody is sleeping."),
    ("Two dogs are running on the beach.", "Some dogs are outside."),
    ("A woman plays the guitar.", "A woman is playing music with a red guitar near a tree."),
    ("a", "a"),
]


def _softmax_columns(folder: Path, pairs: list[tuple[str, str]]) -> list[list[float]]:
    """The raw per-column probabilities, computed the plain transformers way."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    network = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    inputs = tokenizer(
        [p for p, _ in pairs], [h for _, h in pairs], padding=True, return_tensors="pt"
    )
    with torch.inference_mode():
        result: list[list[float]] = network(**inputs).logits.softmax(-1).tolist()
    return result


@pytest.mark.parametrize("arch", ["roberta", "bert"])
def test_predictions_match_plain_transformers(tmp_path: Path, arch: str) -> None:
    folder = make_tiny_classifier(tmp_path / arch, arch=arch)
    model = load_model(folder, device="cpu")
    assert model.name == arch
    assert model.precision is Precision.FP32
    assert model.settings["precision"] == "fp32"
    assert model.settings["source"] == f"checkpoint:{folder}"
    assert model.settings["labels"].startswith("3way:entailment=ENTAILMENT")
    predictions = model.predict(PAIRS)
    expected = _softmax_columns(folder, PAIRS)
    for prediction, columns in zip(predictions, expected, strict=True):
        assert prediction.probs == pytest.approx(tuple(columns), abs=1e-5)
    # Batch composition and order do not change a pair's prediction (dynamic padding is masked).
    alone = [model.predict([pair])[0] for pair in PAIRS]
    for a, b in zip(predictions, alone, strict=True):
        assert a.probs == pytest.approx(b.probs, abs=1e-5)
    assert model.predict([]) == []


def test_columns_are_mapped_through_id2label(tmp_path: Path) -> None:
    # roberta-large-mnli's order: contradiction, neutral, entailment.
    folder = make_tiny_classifier(tmp_path, labels=("contradiction", "neutral", "entailment"))
    model = load_model(folder, device="cpu")
    columns = _softmax_columns(folder, PAIRS)
    for prediction, column in zip(model.predict(PAIRS), columns, strict=True):
        assert prediction.probs[Label.CONTRADICTION] == pytest.approx(column[0], abs=1e-5)
        assert prediction.probs[Label.NEUTRAL] == pytest.approx(column[1], abs=1e-5)
        assert prediction.probs[Label.ENTAILMENT] == pytest.approx(column[2], abs=1e-5)


@pytest.mark.parametrize(
    "names",
    [
        ("entailment", "neutral", "contradiction"),
        ("neutral", "contradiction", "entailment"),
        ("CONTRADICTION", "Entailment", "neutral"),
    ],
)
def test_every_column_order_gives_the_same_labels(
    tiny_roberta: Path, names: tuple[str, ...]
) -> None:
    reference = load_model(tiny_roberta, device="cpu").predict(PAIRS)
    relabelled = load_model(tiny_roberta, device="cpu", label_names=names).predict(PAIRS)
    lowered = [name.lower() for name in names]
    for ref, new in zip(reference, relabelled, strict=True):
        # Column i of the network was "entailment/neutral/contradiction"[i]; now it is names[i].
        for column, name in enumerate(lowered):
            assert new.probs[Label[name.upper()]] == pytest.approx(ref.probs[column])


def test_generic_label_names_are_refused_with_the_fix(tmp_path: Path) -> None:
    folder = make_tiny_classifier(tmp_path, labels=("LABEL_0", "LABEL_1", "LABEL_2"))
    with pytest.raises(NLIProbeError, match="LABEL_0, LABEL_1, LABEL_2") as caught:
        load_model(folder, device="cpu")
    assert "--label-names entailment,neutral,contradiction" in str(caught.value)
    model = load_model(folder, device="cpu", label_names=["contradiction", "neutral", "entailment"])
    assert model.label_map.columns == (Label.CONTRADICTION, Label.NEUTRAL, Label.ENTAILMENT)


def test_label_name_problems() -> None:
    with pytest.raises(NLIProbeError, match="did you mean 'contradiction'"):
        resolve_label_map({0: "entailment", 1: "neutral", 2: "contradictoin"})
    with pytest.raises(NLIProbeError, match="neither a 3-way"):
        resolve_label_map({0: "entailment", 1: "entailment", 2: "neutral"})
    with pytest.raises(NLIProbeError, match="3 output columns but 2 label names"):
        resolve_label_map({0: "a", 1: "b", 2: "c"}, label_names=["entailment", "neutral"])
    two = resolve_label_map({"0": "not_entailment", "1": "entailment"})
    assert two.two_way
    assert two.columns == (Label.NEUTRAL, Label.ENTAILMENT)


def test_two_way_model(tmp_path: Path) -> None:
    folder = make_tiny_classifier(tmp_path, arch="bert", labels=TWO_WAY_LABELS)
    model = load_model(folder, device="cpu")
    assert model.two_way
    columns = _softmax_columns(folder, PAIRS)
    for prediction, column in zip(model.predict(PAIRS), columns, strict=True):
        assert prediction.probs[Label.CONTRADICTION] == 0.0
        assert prediction.probs[Label.ENTAILMENT] == pytest.approx(column[0], abs=1e-5)
        assert prediction.probs[Label.NEUTRAL] == pytest.approx(column[1], abs=1e-5)
        assert prediction.label in (Label.ENTAILMENT, Label.NEUTRAL)


def test_lora_adapter_folder(tmp_path: Path) -> None:
    base = make_tiny_classifier(tmp_path / "base")
    adapter = make_tiny_lora_adapter(tmp_path / "adapter", base)
    plain = load_model(base, device="cpu")
    adapted = load_model(adapter, device="cpu")
    assert adapted.source.kind == "adapter"
    assert adapted.source.base == str(base)
    assert adapted.fingerprint != plain.fingerprint
    ours = adapted.predict(PAIRS)
    assert [p.probs for p in ours] != [p.probs for p in plain.predict(PAIRS)]
    # Same numbers as peft's own (unmerged) forward pass.
    import torch
    from peft import PeftModel
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    network = PeftModel.from_pretrained(
        AutoModelForSequenceClassification.from_pretrained(base), adapter
    ).eval()
    tokenizer = AutoTokenizer.from_pretrained(base)
    inputs = tokenizer(
        [p for p, _ in PAIRS], [h for _, h in PAIRS], padding=True, return_tensors="pt"
    )
    with torch.inference_mode():
        expected = network(**inputs).logits.softmax(-1).tolist()
    for prediction, column in zip(ours, expected, strict=True):
        assert prediction.probs == pytest.approx(tuple(column), abs=1e-4)


def test_fingerprint_covers_what_changes_predictions(tmp_path: Path) -> None:
    a = make_tiny_classifier(tmp_path / "a", seed=0)
    copy = tmp_path / "copy"
    shutil.copytree(a, copy)
    b = make_tiny_classifier(tmp_path / "b", seed=1)
    base = load_model(a, device="cpu")
    assert load_model(copy, device="cpu").fingerprint == base.fingerprint  # content, not path
    assert load_model(b, device="cpu").fingerprint != base.fingerprint  # weights
    assert load_model(a, device="cpu", max_length=64).fingerprint != base.fingerprint
    with pytest.warns(NLIProbeWarning, match="emulated"):  # no native bf16 (conftest)
        assert load_model(a, device="cpu", precision="bf16").fingerprint != base.fingerprint
    assert (
        load_model(a, device="cpu", label_names=["neutral", "entailment", "contradiction"])
    ).fingerprint != base.fingerprint
    # A different tokenizer (one more vocabulary entry) changes it too.
    config = json.loads((copy / "tokenizer.json").read_text())
    config["model"]["vocab"]["zebra"] = len(config["model"]["vocab"])
    (copy / "tokenizer.json").write_text(json.dumps(config))
    assert load_model(copy, device="cpu").fingerprint != base.fingerprint


def test_bf16_autocast_on_cpu_stays_close_to_fp32(
    tiny_bert: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_native_bf16", lambda: True)
    fp32 = load_model(tiny_bert, device="cpu", precision="fp32").predict(PAIRS)
    model = load_model(tiny_bert, device="cpu", precision="bf16")
    assert model.network.classifier.weight.dtype == torch.bfloat16  # cast once, at load
    assert model.network.bert.embeddings.word_embeddings.weight.dtype == torch.float32
    bf16 = model.predict(PAIRS)
    for a, b in zip(fp32, bf16, strict=True):
        assert sum(b.probs) == pytest.approx(1.0, abs=1e-6)
        assert b.probs == pytest.approx(a.probs, abs=0.05)
    # The same numbers as plain autocast over the fp32 network, pair by pair.
    network = AutoModelForSequenceClassification.from_pretrained(tiny_bert).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_bert)
    for premise, hypothesis in PAIRS:
        ours = model.predict([(premise, hypothesis)])[0]  # batch of one: same shapes, same sums
        inputs = tokenizer(premise, hypothesis, return_tensors="pt")
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
            probs = network(**inputs).logits.float().softmax(-1)[0].tolist()
        assert ours.probs == pytest.approx(tuple(probs), abs=1e-6)


def test_truncation_to_max_length(tiny_roberta: Path) -> None:
    model = load_model(tiny_roberta, device="cpu", max_length=16)
    long = ("a dog " * 200, "a cat " * 200)
    assert len(model.predict([long, PAIRS[0]])) == 2


def test_loading_problems(tmp_path: Path, tiny_roberta: Path) -> None:
    with pytest.raises(NLIProbeError, match="does not exist"):
        load_model(tmp_path / "missing")
    sibling = tmp_path / "tiny_robert"
    shutil.copytree(tiny_roberta, tmp_path / "tiny_roberta")
    with pytest.raises(NLIProbeError, match="did you mean"):
        load_model(sibling)
    pickled = tmp_path / "pickled"
    shutil.copytree(tiny_roberta, pickled)
    (pickled / "model.safetensors").rename(pickled / "pytorch_model.bin")
    with pytest.raises(NLIProbeError, match="only safetensors"):
        load_model(pickled)
    (tmp_path / "empty").mkdir()
    with pytest.raises(NLIProbeError, match="neither a model checkpoint"):
        load_model(tmp_path / "empty")
    with pytest.raises(NLIProbeError, match="unknown precision 'bf61'"):
        load_model(tiny_roberta, precision="bf61")
    with pytest.raises(NLIProbeError, match="unknown device"):
        load_model(tiny_roberta, device="tpu")


def test_hub_name_offline_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # The variable is read when huggingface_hub is imported; patch the value it read.
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    with pytest.raises(NLIProbeError, match=r"no-such-nli-model.*not a local folder"):
        load_model("no-such-user/no-such-nli-model")


def test_pair_lengths_are_token_counts_and_tokenize_once(tiny_roberta: Path) -> None:
    from nli_probe import predict

    model = load_model(tiny_roberta, device="cpu")
    tokenizer = model.tokenizer
    lengths = model.pair_lengths(PAIRS)
    assert lengths == [len(tokenizer(p, h)["input_ids"]) for p, h in PAIRS]
    calls: list[int] = []
    original = model._tokenize
    model._tokenize = lambda pairs: calls.append(len(pairs)) or original(pairs)  # type: ignore[method-assign]
    through_engine = predict(model, PAIRS, batch_size=2)
    assert calls == [len(PAIRS)]  # once, in pair_lengths; predict reused the encodings
    assert not model._pending
    direct = load_model(tiny_roberta, device="cpu").predict(PAIRS)
    for a, b in zip(through_engine, direct, strict=True):
        assert a.probs == pytest.approx(b.probs, abs=1e-5)  # batches differ, so padding does


def test_device_selection_on_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from nli_probe.models.device import resolve_device, resolve_precision

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert resolve_device(None) == "cpu"
    assert resolve_device("auto") == "cpu"
    assert resolve_precision(None, "cpu") is Precision.FP32
    with pytest.raises(NLIProbeError, match="no CUDA GPU"):
        resolve_device("cuda:0")
    with pytest.raises(NLIProbeError, match="mps is not available"):
        resolve_device("mps")
