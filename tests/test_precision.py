"""`auto` precision decided by the hardware, for every combination, with the probes patched."""

from __future__ import annotations

import tomllib
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from nli_probe import NLIProbeError
from nli_probe.errors import NLIProbeWarning
from nli_probe.models.precision import Precision, choose_precision, parse_precision

REPO = Path(__file__).resolve().parent.parent
Machine = Callable[..., None]
FP32, BF16, FP16 = Precision.FP32, Precision.BF16, Precision.FP16


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> Machine:
    """Set what the hardware probes answer: machine(native_bf16=..., amx=..., gpu_bf16=...)."""

    def patch(*, native_bf16: bool = False, amx: bool = False, gpu_bf16: bool = False) -> None:
        monkeypatch.setattr("nli_probe.models.hardware.cpu_has_native_bf16", lambda: native_bf16)
        monkeypatch.setattr("nli_probe.models.hardware.cpu_has_amx", lambda: amx)
        monkeypatch.setattr("nli_probe.models.hardware.cuda_supports_bf16", lambda: gpu_bf16)
        monkeypatch.setattr("nli_probe.models.hardware.cpu_capability", lambda: "TESTCPU")

    return patch


# (device, native bf16, AMX, GPU bf16, requested, training) -> expected precision
AUTO_CASES = [
    # A CPU without native bf16 (AVX2): fp32 for everything.
    ("cpu", False, False, False, "auto", False, FP32),
    ("cpu", False, False, False, "auto", True, FP32),
    # AVX-512 (BF16) without AMX: bf16 measured slower, so fp32.
    ("cpu", True, False, False, "auto", False, FP32),
    ("cpu", True, False, False, "auto", True, FP32),
    # AMX: bf16 measured about 1.9x faster.
    ("cpu", True, True, False, None, False, BF16),
    ("cpu", True, True, False, "auto", True, BF16),
    # CUDA: mixed precision for training (bf16, else fp16); fp32 inference until measured.
    ("cuda", False, False, True, "auto", True, BF16),
    ("cuda:1", False, False, False, "auto", True, FP16),
    ("cuda", False, False, True, "auto", False, FP32),
    ("cuda", False, False, False, None, False, FP32),
    ("mps", True, True, False, "auto", False, FP32),
    ("mps", False, False, False, "auto", True, FP32),
]


@pytest.mark.parametrize(
    ("device", "native", "amx", "gpu_bf16", "asked", "training", "want"), AUTO_CASES
)
def test_auto_is_decided_by_the_hardware(
    machine: Machine,
    device: str,
    native: bool,
    amx: bool,
    gpu_bf16: bool,
    asked: str | None,
    training: bool,
    want: Precision,
) -> None:
    from nli_probe.models.device import precision_choice

    machine(native_bf16=native, amx=amx, gpu_bf16=gpu_bf16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # auto never warns
        choice = precision_choice(asked, device, training=training)
    assert choice.precision is want
    assert choice.reason.startswith("auto: ")
    assert choice.warning is None
    assert choice.describe().startswith(f"{want} (auto: ")


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize(("native", "amx"), [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize("asked", ["fp32", "bf16"])
def test_explicit_choices_on_cpu_are_kept(
    machine: Machine, training: bool, native: bool, amx: bool, asked: str
) -> None:
    from nli_probe.models.device import precision_choice

    machine(native_bf16=native, amx=amx)
    if asked == "bf16" and not native:
        with pytest.warns(NLIProbeWarning) as caught:
            choice = precision_choice(asked, "cpu", training=training)
        (warning,) = caught
        text = str(warning.message)
        assert "\n" not in text
        assert "bf16 is emulated on this CPU (TESTCPU)" in text
        assert "60x slower" in text and "precision=fp32" in text
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            choice = precision_choice(asked, "cpu", training=training)
    assert choice.precision is parse_precision(asked)
    assert choice.reason == "asked for"


def test_explicit_choices_on_gpu_and_their_errors(machine: Machine) -> None:
    from nli_probe.models.device import precision_choice

    machine(gpu_bf16=True)
    assert precision_choice("bf16", "cuda").precision is BF16
    assert precision_choice("fp16", "cuda", training=True).precision is FP16
    machine(gpu_bf16=False)
    with pytest.raises(NLIProbeError, match=r"does not support bf16; use fp16, fp32 or auto"):
        precision_choice("bf16", "cuda:0")
    assert precision_choice("fp16", "cuda").precision is FP16
    with pytest.raises(NLIProbeError, match="trains only on a CUDA GPU"):
        precision_choice("fp16", "cpu", training=True)
    with pytest.warns(NLIProbeWarning, match="fp16 is emulated"):
        assert precision_choice("fp16", "cpu").precision is FP16  # inference: slow but runs
    with pytest.raises(NLIProbeError, match="unknown precision 'bf61'"):
        precision_choice("bf61", "cpu")


def test_choose_precision_is_pure() -> None:
    choice = choose_precision("auto", device="cpu", cpu_bf16=True, cpu_amx=True, gpu_bf16=False)
    assert choice.precision is BF16
    assert choice.describe() == "bf16 (auto: this CPU has AMX)"
    assert parse_precision("BF16") is BF16
    assert parse_precision("float32") is FP32
    assert parse_precision("auto") is None


def test_trainer_resolution_follows_the_machine(
    machine: Machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nli_probe.trainers.arguments import resolve_precision

    monkeypatch.setattr("nli_probe.models.hardware.cuda_available", lambda: False)
    monkeypatch.setattr("torch.backends.mps.is_available", lambda: False)
    machine(native_bf16=True, amx=True)
    assert resolve_precision("auto").precision is BF16
    machine(native_bf16=True, amx=False)
    assert resolve_precision("auto").precision is FP32
    monkeypatch.setattr("nli_probe.models.hardware.cuda_available", lambda: True)
    machine(gpu_bf16=False)
    assert resolve_precision("auto").precision is FP16


def test_model_records_the_choice_in_its_fingerprint(machine: Machine, tiny_bert: Path) -> None:
    from nli_probe import load_model

    machine(native_bf16=True, amx=True)
    fast = load_model(tiny_bert, device="cpu")
    assert fast.precision is BF16
    assert fast.settings["precision"] == "bf16"
    assert fast.precision_choice.reason == "auto: this CPU (TESTCPU) has AMX"
    machine(native_bf16=True, amx=False)
    plain = load_model(tiny_bert, device="cpu")
    assert plain.precision is FP32
    assert plain.fingerprint != fast.fingerprint  # cached predictions of the two never mix
    assert plain.fingerprint == load_model(tiny_bert, device="cpu", precision="fp32").fingerprint


def test_no_builtin_preset_or_study_names_a_fixed_half_precision() -> None:
    """A fixed bf16/fp16 runs 25-60x slower on a CPU without native bf16 (issue 12): every
    built-in trainer preset and study leaves the choice to `auto`."""
    files = [
        *sorted((REPO / "trainers" / "presets").glob("*.toml")),
        *sorted((REPO / "nli_probe" / "study" / "presets").glob("*.toml")),
    ]
    assert len(files) >= 6
    for file in files:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
        assert raw.get("precision", "auto") not in {"bf16", "fp16"}, file
        for key in ("train_overrides", "full_overrides", "lora_overrides"):
            for item in raw.get(key, []):
                assert not item.replace(" ", "").startswith("precision="), (file, item)


def test_cli_prints_the_choice_once_and_warns_in_one_line(
    machine: Machine, tiny_roberta: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from nli_probe.cli import main

    machine(native_bf16=False)
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"premise": "A dog runs.", "hypothesis": "An animal moves."}\n' * 3)
    args = ["predict", "--model", str(tiny_roberta), "--file", str(pairs), "--no-cache"]
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # as outside pytest, which makes warnings errors
        assert main([*args, "--precision", "bf16"]) == 0
    err = capsys.readouterr().err.splitlines()
    warned = [line for line in err if line.startswith("nli-probe: warning:")]
    assert len(warned) == 1
    assert "bf16 is emulated" in warned[0] and "precision=fp32" in warned[0]
    assert [line for line in err if line.startswith("precision:")] == [
        "precision: bf16 (asked for)"
    ]
    assert main(args) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith("precision:")] == [
        "precision: fp32 (auto: this CPU (TESTCPU) has no native bf16)"
    ]
