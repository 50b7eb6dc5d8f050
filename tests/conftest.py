from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tiny random checkpoints as session fixtures (`tiny_roberta`, `tiny_bert`) for every test file.
from tests.tiny_models import tiny_bert, tiny_roberta

__all__ = ["tiny_bert", "tiny_roberta"]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real NLI data folder (../shared/data beside the repository, or NLI_PROBE_TEST_DATA).

    It is never committed; see ../shared/data/MANIFEST.md for what it holds."""
    folder = Path(os.environ.get("NLI_PROBE_TEST_DATA", REPO.parent / "shared" / "data"))
    if not (folder / "snli_1.0" / "snli_1.0_dev.jsonl").is_file():
        pytest.skip(f"real NLI data not found at {folder} (set NLI_PROBE_TEST_DATA)")
    return folder
