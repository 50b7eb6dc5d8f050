"""Attack suites gone wrong on the command line: each mistake is one line, exit status 2,
before any model is loaded where it can be."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import Cli


def _suite(tmp_path: Path, attack: str) -> Path:
    path = tmp_path / "adv.toml"
    path.write_text(f'name = "adv"\n\n[[probe]]\nname = "p"\ncapability = "c"\nattack = {attack}\n')
    return path


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        ('"deepwordbog"', "adv.toml:3: probe 'p': unknown attack 'deepwordbog'; did you mean"),
        ('{ recipe = "textfooler", neighbors = 5 }',
         "attack 'textfooler' has no argument 'neighbors'; did you mean 'neighbours'"),
        ('{ transformations = [{ name = "word_list", file = "nope.tsv" }], search = "greedy" }',
         "nope.tsv: no such word list"),
        ('{ transformations = ["chars"], search = { name = "beam", width = -1 } }',
         "width must be an integer of at least 1"),
    ],
)  # fmt: skip
def test_suite_mistakes_are_one_line_before_the_model_loads(
    cli: Cli, tmp_path: Path, pairs: Path, attack: str, message: str
) -> None:
    suite = _suite(tmp_path, attack)
    error = cli("probe", "-m", tmp_path / "no-such-model", "-s", suite, "-d", pairs).error
    assert message in error
    assert message in cli("suites", "validate", suite).err


def test_wordnet_without_its_data_is_refused_clearly(
    cli: Cli, tmp_path: Path, pairs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nltk

    monkeypatch.setattr(nltk.data, "path", [])
    suite = _suite(tmp_path, '"pwws"')
    error = cli("probe", "-m", tmp_path / "no-such-model", "-s", suite, "-d", pairs).error
    assert "NLTK's WordNet data, which is not installed: python -m nltk.downloader wordnet" in error


def test_a_sentence_encoder_that_cannot_load_stops_the_run_with_one_line(
    cli: Cli, tmp_path: Path, pairs: Path, tiny_roberta: Path
) -> None:
    missing = tmp_path / "no-encoder"
    missing.mkdir()
    suite = _suite(
        tmp_path,
        '{ transformations = ["chars"], search = "greedy", '
        f'constraints = [{{ name = "similarity", encoder = "{missing}" }}] }}',
    )
    error = cli("probe", "-m", tiny_roberta, "-s", suite, "-d", pairs, "--no-progress").error
    assert f"cannot load sentence encoder '{missing}'" in error
