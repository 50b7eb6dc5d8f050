"""`--threads` / `NLI_PROBE_THREADS`, and the machine line benchmarks print first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nli_probe import NLIProbeError
from nli_probe.cli import main
from nli_probe.models.hardware import (
    THREADS_ENV,
    cpu_has_amx,
    cpu_has_native_bf16,
    describe_machine,
    set_threads,
    threads_from,
)

# The real probes, kept before tests/conftest.py replaces them for every test.
REAL_PROBES = {"cpu_has_native_bf16": cpu_has_native_bf16, "cpu_has_amx": cpu_has_amx}


@pytest.fixture
def torch_threads() -> Iterator[None]:
    """Give torch its thread count back after the test."""
    import torch

    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_threads_from_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert threads_from(None) is None  # torch's own choice
    assert threads_from(3) == 3
    monkeypatch.setenv(THREADS_ENV, " 2 ")
    assert threads_from(None) == 2
    assert threads_from(1) == 1  # the option wins
    monkeypatch.setenv(THREADS_ENV, "two")
    with pytest.raises(
        NLIProbeError, match=r"\$NLI_PROBE_THREADS must be a whole number, got 'two'"
    ):
        threads_from(None)
    monkeypatch.setenv(THREADS_ENV, "0")
    with pytest.raises(NLIProbeError, match="at least 1, got 0"):
        threads_from(None)
    with pytest.raises(NLIProbeError, match="--threads must be at least 1"):
        threads_from(-1)


def test_set_threads_applies_to_torch(torch_threads: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert set_threads(1) == 1 == torch.get_num_threads()
    monkeypatch.setenv(THREADS_ENV, "2")
    assert set_threads(None) == 2 == torch.get_num_threads()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_commands_take_threads(
    how: str,
    torch_threads: None,
    tiny_roberta: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import torch

    torch.set_num_threads(2)
    argv = ["predict", "-m", str(tiny_roberta), "--no-cache", "A dog runs.", "An animal moves."]
    if how == "option":
        argv += ["--threads", "1"]
    else:
        monkeypatch.setenv(THREADS_ENV, "1")
    assert main(argv) == 0
    assert torch.get_num_threads() == 1
    capsys.readouterr()
    assert main([*argv, "--threads", "0"]) == 2
    assert "--threads" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["predict", "evaluate", "probe", "train", "study"])
def test_threads_is_offered_by_every_model_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--threads N" in capsys.readouterr().out


def test_machine_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nli_probe.models.hardware.cpu_capability", lambda: "AVX2")
    monkeypatch.setattr("nli_probe.models.hardware.cpu_model", lambda: "Some CPU")
    line = describe_machine()
    # conftest's probes
    assert line.startswith("machine: cpu AVX2 (Some CPU), native bf16 no, AMX no, ")
    assert "torch threads" in line
    assert "GPU none" in line or "bf16" in line.split("GPU", 1)[1]


def test_the_cpu_model_is_named() -> None:
    from nli_probe.models.hardware import cpu_model

    name = cpu_model()
    assert name and "\n" not in name


@pytest.mark.parametrize(
    ("probe", "torch_function"),
    [
        ("cpu_has_native_bf16", "torch.ops.mkldnn._is_mkldnn_bf16_supported"),
        ("cpu_has_amx", "torch.cpu._is_amx_tile_supported"),
    ],
)
def test_cpu_probes_ask_torch(
    probe: str, torch_function: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What torch reports, and False where torch cannot tell (an older or stripped build)."""
    import torch  # noqa: F401  (the patched names live under it)

    real = REAL_PROBES[probe]
    monkeypatch.setattr(torch_function, lambda: True)
    assert real() is True
    monkeypatch.setattr(torch_function, lambda: False)
    assert real() is False

    def missing() -> bool:
        raise RuntimeError("no such op")

    monkeypatch.setattr(torch_function, missing)
    assert real() is False
