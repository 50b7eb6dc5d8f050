"""The hostile pass over the CLI (issue 14), repeatable: every case runs the real command line
(`nli_probe.cli.main` in-process, or `python -m nli_probe` where what reaches the terminal
matters) on tiny random models and small files.

A fixable error must come out as exactly one line, `nli-probe: error: ...`, with exit status 2
and no traceback: `Result.error` checks that and returns the line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nli_probe.cli import main
from tests.tiny_models import (
    build_tiny_tokenizer,
    make_tiny_classifier,
    make_tiny_encoder,
    make_tiny_lora_adapter,
)

REPO = Path(__file__).resolve().parents[2]
LABELS = ("entailment", "neutral", "contradiction")


@dataclass(frozen=True)
class Result:
    status: int
    out: str
    err: str

    @property
    def error(self) -> str:
        """The one error line (asserting there is exactly one, exit status 2, no traceback)."""
        lines = self.err.strip().splitlines()
        assert self.status == 2, f"exit {self.status}, stderr:\n{self.err}"
        assert "Traceback" not in self.err, self.err
        assert len(lines) == 1, f"expected one line, got:\n{self.err}"
        assert lines[0].startswith("nli-probe: error: "), lines[0]
        return lines[0]

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("nli-probe: warning:")]


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    """Run `nli-probe ARGS...` in this process (with a cache of its own); returns a `Result`."""

    def run(*argv: str | Path) -> Result:
        args = [str(arg) for arg in argv]
        if args and args[0] in {"evaluate", "probe", "predict"} and "--no-cache" not in args:
            args += ["--cache", str(tmp_path / "cache.sqlite3")]
        status = main(args)
        captured = capsys.readouterr()
        return Result(status=status, out=captured.out, err=captured.err)

    return run


@pytest.fixture
def process(tmp_path: Path) -> Cli:
    """Run `python -m nli_probe ARGS...` in a subprocess: what a user's terminal shows."""

    def run(*argv: str | Path) -> Result:
        env = {**os.environ, "NLI_PROBE_CACHE_DIR": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "nli_probe", *map(str, argv)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
            check=False,
        )
        return Result(status=done.returncode, out=done.stdout, err=done.stderr)

    return run


def write_pairs(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """SNLI-layout jsonl: (id, premise, hypothesis, gold) per row, five agreeing annotators."""
    path.write_text(
        "".join(
            json.dumps(
                {
                    "pairID": pair_id,
                    "sentence1": premise,
                    "sentence2": hypothesis,
                    "gold_label": gold,
                    "annotator_labels": [gold] * 5,
                }
            )
            + "\n"
            for pair_id, premise, hypothesis, gold in rows
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 SNLI-layout pairs in the tiny tokenizer's words."""
    subjects = ("a man", "a woman", "two children", "a dog", "the girl")
    places = ("in the park", "on the street", "at the beach", "near the water")
    rows = [
        (
            str(index),
            f"{subjects[index % 5]} is playing {places[index % 4]} .",
            f"{subjects[(index + 1) % 5]} is sleeping outside .",
            LABELS[index % 3],
        )
        for index in range(20)
    ]
    return write_pairs(tmp_path_factory.mktemp("data") / "pairs.jsonl", rows)


@pytest.fixture(scope="session")
def models(tiny_roberta: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelFolders]:
    """Broken and unusual model folders, built once (treat them as read-only)."""
    root = tmp_path_factory.mktemp("hostile-models")
    no_tokenizer = root / "no-tokenizer"
    shutil.copytree(tiny_roberta, no_tokenizer)
    for file in no_tokenizer.glob("tokenizer*"):
        file.unlink()
    foreign = root / "foreign-tokenizer"
    shutil.copytree(no_tokenizer, foreign)
    build_tiny_tokenizer("roberta", words=()).save_pretrained(foreign)  # the 5 specials only
    truncated = root / "truncated"
    shutil.copytree(tiny_roberta, truncated)
    weights = truncated / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    garbage = root / "garbage"
    shutil.copytree(tiny_roberta, garbage)
    (garbage / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not json at all!")
    generic = make_tiny_classifier(root / "generic", labels=("LABEL_0", "LABEL_1", "LABEL_2"))
    encoder = make_tiny_encoder(root / "encoder")
    encoder_lora = make_tiny_lora_adapter(root / "encoder-lora", encoder, labels=LABELS)
    lora = make_tiny_lora_adapter(root / "lora", tiny_roberta)
    broken_lora = root / "broken-lora"
    shutil.copytree(lora, broken_lora)
    adapter = broken_lora / "adapter_model.safetensors"
    adapter.write_bytes(adapter.read_bytes()[:100])
    yield ModelFolders(
        tiny=tiny_roberta,
        no_tokenizer=no_tokenizer,
        foreign_tokenizer=foreign,
        truncated=truncated,
        garbage=garbage,
        generic=generic,
        encoder=encoder,
        encoder_lora=encoder_lora,
        lora=lora,
        broken_lora=broken_lora,
    )


@dataclass(frozen=True)
class ModelFolders:
    tiny: Path
    no_tokenizer: Path
    foreign_tokenizer: Path
    truncated: Path
    garbage: Path
    generic: Path
    encoder: Path
    encoder_lora: Path
    lora: Path
    broken_lora: Path
