from __future__ import annotations

import lzma
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Tiny random checkpoints as session fixtures (`tiny_roberta`, `tiny_bert`) for every test file.
from tests.tiny_models import tiny_bert, tiny_roberta

__all__ = ["tiny_bert", "tiny_roberta"]

# Lists every skip; with --allowed-skips (scripts/check) fails on one not on the allow-list.
pytest_plugins = ["tests.skip_policy"]

REPO = Path(__file__).resolve().parent.parent
REAL_DATA_ENV = "NLI_PROBE_TEST_DATA"


def real_data_folder() -> Path | None:
    """The real NLI data folder (`$NLI_PROBE_TEST_DATA`, else ../shared/data beside the
    repository) when it holds SNLI dev; None in a clone without one."""
    folder = Path(os.environ.get(REAL_DATA_ENV) or REPO.parent / "shared" / "data")
    return folder if (folder / "snli_1.0" / "snli_1.0_dev.jsonl").is_file() else None


def pytest_report_header(config: pytest.Config) -> str:
    folder = real_data_folder()
    if folder is None:
        return (
            f"real data folder: none (set ${REAL_DATA_ENV}); tests marked real_data are "
            "deselected, every other test uses the SNLI dev copy embedded in nli-probe"
        )
    return f"real data folder: {folder}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Not skipped: deselected, so the summary line counts them ("N deselected") and the header
    # says why. They check the readers against files that cannot ship with the package.
    if real_data_folder() is not None:
        return
    deselected = [item for item in items if item.get_closest_marker("real_data")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("real_data")]


@pytest.fixture(autouse=True)
def _empty_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test starts as in a fresh clone: `$NLI_PROBE_DATA` names an empty folder, so data
    set names resolve to the embedded copy and never to a user's own data folder."""
    monkeypatch.setenv("NLI_PROBE_DATA", str(tmp_path_factory.getbasetemp() / "no-data-folder"))
    yield


@pytest.fixture(autouse=True)
def cpu_without_native_bf16(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs as on a CPU without native bf16 or AMX (`auto` precision is fp32), so
    results do not depend on the machine the tests run on; precision tests patch the probes
    themselves (tests/test_precision.py)."""
    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_native_bf16", lambda: False)
    monkeypatch.setattr("nli_probe.models.hardware.cpu_has_amx", lambda: False)
    monkeypatch.setattr("nli_probe.models.hardware.cuda_supports_bf16", lambda: False)
    monkeypatch.setattr("nli_probe.models.device._WARNED", set())  # each test sees its own warnings


@pytest.fixture(scope="session")
def snli_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder laid out like the official `snli_1.0.zip`, holding SNLI dev as the embedded
    copy has it (every field the readers use, no parse trees)."""
    from nli_probe.data.folder import embedded_path

    embedded = embedded_path("snli:dev")
    assert embedded is not None
    folder = tmp_path_factory.mktemp("data")
    (folder / "snli_1.0").mkdir()
    (folder / "snli_1.0" / "snli_1.0_dev.jsonl").write_bytes(lzma.decompress(embedded.read_bytes()))
    return folder


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real data folder (tests using it are marked `real_data`)."""
    folder = real_data_folder()
    assert folder is not None, "mark the test real_data: it is deselected without a data folder"
    return folder
