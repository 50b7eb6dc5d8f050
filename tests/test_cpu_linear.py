"""fp32 linear layers on a CPU run by the faster of torch's two kernels
(`nli_probe.models.cpu_linear`): same products up to rounding, the choice measured (or set by
`$NLI_PROBE_CPU_LINEAR`), the layers' own forward back after `with`."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
import torch
from torch.nn import functional

from nli_probe.errors import NLIProbeError
from nli_probe.models import cpu_linear
from nli_probe.models.cpu_linear import (
    KERNEL_ENV,
    MIN_WEIGHTS,
    CPULinear,
    choose,
    kernel_setting,
    onednn_available,
    onednn_linear,
)

needs_onednn = pytest.mark.skipif(not onednn_available(), reason="this torch has no oneDNN")


@pytest.fixture(autouse=True)
def _fresh_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpu_linear, "_CHOSEN", {})
    monkeypatch.delenv(KERNEL_ENV, raising=False)


def _timer(onednn_share: float, calls: list[tuple[int, int]]) -> Any:
    def timer(x: Any, weight: Any, bias: Any) -> dict[str, float]:
        calls.append(tuple(weight.shape))
        return {"torch": 1.0, "onednn": onednn_share}

    return timer


def _network(width: int = 256) -> Any:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(width, width), torch.nn.GELU(), torch.nn.Linear(width, 3)
    ).eval()


@needs_onednn
@pytest.mark.parametrize("shape", [(7, 384), (2, 5, 384), (0, 384)])
@pytest.mark.parametrize("bias", [True, False])
def test_onednn_computes_torchs_product(shape: tuple[int, ...], bias: bool) -> None:
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(*shape, generator=generator)
    weight = torch.randn(96, 384, generator=generator) / 20
    b = torch.randn(96, generator=generator) if bias else None
    with torch.inference_mode():
        torch.testing.assert_close(onednn_linear(x, weight, b), functional.linear(x, weight, b))
        # A view that is not contiguous (the first position of each row, as first_token takes)
        if x.dim() == 3:
            first = x[:, :1]
            torch.testing.assert_close(
                onednn_linear(first, weight, b), functional.linear(first, weight, b)
            )


def test_the_setting_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert kernel_setting() == "auto"
    monkeypatch.setenv(KERNEL_ENV, " OneDNN ")
    assert kernel_setting() == "onednn"
    monkeypatch.setenv(KERNEL_ENV, "onedn")
    with pytest.raises(NLIProbeError) as error:
        kernel_setting()
    message = str(error.value)
    assert KERNEL_ENV in message and "'onednn'" in message and "\n" not in message


def test_a_set_kernel_is_not_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    monkeypatch.setenv(KERNEL_ENV, "torch")
    choice = choose([(512, 512)], timer=_timer(0.1, calls))
    assert (choice.kernel, calls) == ("torch", [])
    assert KERNEL_ENV in choice.describe()
    monkeypatch.setenv(KERNEL_ENV, "onednn")
    monkeypatch.setattr(cpu_linear, "onednn_available", lambda: False)
    with pytest.raises(NLIProbeError, match="no oneDNN"):
        choose([(512, 512)])
    monkeypatch.setenv(KERNEL_ENV, "auto")
    assert choose([(512, 512)], timer=_timer(0.1, calls)).kernel == "torch"
    assert calls == []


@needs_onednn
def test_auto_takes_onednn_only_when_clearly_faster() -> None:
    calls: list[tuple[int, int]] = []
    fast = choose([(256, 256), (1024, 256)], timer=_timer(0.45, calls))
    assert fast.kernel == "onednn" and "0.45x" in fast.reason
    assert sorted(calls) == [(256, 256), (1024, 256)]
    # Measured once per process and set of shapes.
    assert choose([(1024, 256), (256, 256), (256, 256)], timer=_timer(0.1, calls)) is fast
    assert len(calls) == 2
    close = choose([(300, 300)], timer=_timer(0.95, calls))
    assert close.kernel == "torch" and "0.95x" in close.reason


@needs_onednn
def test_auto_keeps_torch_when_the_products_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpu_linear, "onednn_linear", lambda x, weight, bias: x @ weight.T * 2)
    choice = choose([(256, 256)], timer=_timer(0.1, []))
    assert choice.kernel == "torch" and "differ" in choice.reason


@needs_onednn
def test_auto_keeps_torch_when_onednn_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(x: Any, weight: Any, bias: Any) -> Any:
        raise RuntimeError("could not create a primitive\nmore detail")

    monkeypatch.setattr(cpu_linear, "onednn_linear", broken)
    choice = choose([(256, 256)], timer=_timer(0.1, []))
    assert choice.kernel == "torch"
    assert choice.reason == "auto: oneDNN failed here (could not create a primitive)"


@needs_onednn
def test_the_real_timing_returns_both_kernels() -> None:
    x, weight = torch.randn(8, 256), torch.randn(256, 256)
    times = cpu_linear._time_kernel(x, weight, None, rounds=2, calls=1)
    assert set(times) == {"torch", "onednn"} and all(t >= 0 for t in times.values())


def test_which_networks_have_a_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KERNEL_ENV, "torch")
    network = _network()
    assert CPULinear.of(network, device="cuda:0", fp32=True) is None
    assert CPULinear.of(network, device="cpu", fp32=False) is None
    assert CPULinear.of(_network(width=16), device="cpu", fp32=True) is None
    kernel = CPULinear.of(network, device="cpu", fp32=True)
    assert kernel is not None and kernel.layers == 1  # the 256x256 layer; the head is too small
    assert network[0].weight.numel() == MIN_WEIGHTS
    assert not kernel.active and kernel.linear is functional.linear
    with kernel:
        assert "forward" not in network[0].__dict__


@needs_onednn
def test_inside_with_the_large_layers_run_onednn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KERNEL_ENV, "onednn")
    network = _network()
    kernel = CPULinear.of(network, device="cpu", fp32=True)
    assert kernel is not None and kernel.active and kernel.linear is onednn_linear
    x = torch.randn(4, 9, 256, generator=torch.Generator().manual_seed(5))
    used: list[Any] = []
    real = cpu_linear.onednn_linear
    monkeypatch.setattr(cpu_linear, "onednn_linear", lambda *a: used.append(1) or real(*a))
    with torch.inference_mode():
        expected = network(x)
        with kernel:
            assert "forward" in network[0].__dict__ and "forward" not in network[2].__dict__
            got = network(x)
    assert used == [1]
    torch.testing.assert_close(got, expected)
    assert "forward" not in network[0].__dict__
    # Where autograd records, torch's own product runs (oneDNN's has no derivative).
    with kernel:
        out = network(x)
    assert out.grad_fn is not None and used == [1]
    # A forward another swap put there is left to it.
    other = network[0].forward = lambda input: input
    with kernel:
        assert network[0].__dict__["forward"] is other
    assert network[0].__dict__["forward"] is other


@needs_onednn
def test_the_engine_predicts_the_same_with_either_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nli_probe.models.load import load_model
    from tests.tiny_models import make_tiny_classifier

    folder = make_tiny_classifier(tmp_path / "wide", arch="bert", hidden_size=256, num_layers=1)
    pairs = [
        ("a man plays a guitar on the street", "a man plays music"),
        ("two dogs run in the park", "animals are outside"),
        ("a woman", "nobody is there"),
    ]
    results = {}
    for setting in ("torch", "onednn"):
        monkeypatch.setenv(KERNEL_ENV, setting)
        model = load_model(str(folder), device="cpu", precision="fp32")
        results[setting] = model.predict(pairs)
        kernel = model.cpu_linear
        assert kernel is not None and kernel.choice.kernel == setting
        assert kernel.layers > 0
    for a, b in zip(results["onednn"], results["torch"], strict=True):
        assert a.probs == pytest.approx(b.probs, abs=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bf16 is emulated on some CPUs: said in a warning
        half = load_model(str(folder), device="cpu", precision="bf16")
    assert half.cpu_linear is None


@needs_onednn
def test_merged_lora_layers_use_the_chosen_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    from nli_probe.trainers.merged_lora import MergedLoRA

    from tests.test_trainers_merged_lora import adapted_bert

    network = adapted_bert(width=256, layers=1)  # wide enough for oneDNN
    ids = torch.randint(1, 40, (3, 10), generator=torch.Generator().manual_seed(2))
    used: list[Any] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        used.append(1)
        return onednn_linear(*args, **kwargs)

    with torch.inference_mode():
        expected = network(input_ids=ids).logits
        with MergedLoRA(network, linear=counted) as merged:
            got = network(input_ids=ids).logits
    assert merged.layers == 2 and len(used) == 2
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)
