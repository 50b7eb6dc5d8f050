"""The one set of preset rules (`nli_probe.core.presets`), on a small config of its own, and
that the trainers' and the studies' presets follow them alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nli_probe.trainers.config import PRESETS

from nli_probe import NLIProbeError
from nli_probe.core.presets import PresetKind, toml_value
from nli_probe.study.config import STUDY_PRESETS


@dataclass(frozen=True, kw_only=True)
class Section:
    r: int = 8
    names: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Config:
    name: str = "custom"
    title: str = ""
    count: int = 1
    rate: float = 0.5
    flag: bool = False
    items: tuple[str, ...] = ()
    passed_on: tuple[str, ...] = ()
    section: Section = field(default_factory=Section)


def _validate(config: Config, where: str) -> None:
    if config.count < 0:
        raise NLIProbeError(f"{where}: `count` must be 0 or more, got {config.count}")


@pytest.fixture
def kind(tmp_path: Path) -> PresetKind[Config]:
    (tmp_path / "base.toml").write_text(
        'title = "Base"\ncount = 2\nitems = ["a"]\n[section]\nr = 4\n', encoding="utf-8"
    )
    return PresetKind(
        what="test preset",
        config=Config,
        folder=lambda: tmp_path,
        example="count=2",
        scopes={"on": "passed_on"},
        validate=_validate,
    )


def test_a_file_and_overrides_in_order(kind: PresetKind[Config]) -> None:
    config = kind.load("base", ["count=3", "section.r=16", "count=4", "on.x=1", "on.y=a b"])
    assert config == Config(
        name="base",
        title="Base",
        count=4,
        items=("a",),
        passed_on=("x=1", "y=a b"),
        section=Section(r=16),
    )


@pytest.mark.parametrize(
    ("override", "field_name", "value"),
    [
        ("title=2024", "title", "2024"),  # a string key takes the text, not the TOML integer
        ('title="A study"', "title", "A study"),  # ... or a TOML string, unquoted
        ("title=a=b", "title", "a=b"),
        ("rate=1", "rate", 1.0),  # an integer where a float goes
        ("rate=0.25", "rate", 0.25),
        ("flag=true", "flag", True),
        ("items=x, y", "items", ("x", "y")),  # comma-separated
        ('items=["x", "y,z"]', "items", ("x", "y,z")),  # a TOML list
        ("items=", "items", ()),
    ],
)
def test_override_values(
    kind: PresetKind[Config], override: str, field_name: str, value: object
) -> None:
    assert getattr(kind.load("base", [override]), field_name) == value


def test_toml_value_reads_back_unchanged(kind: PresetKind[Config]) -> None:
    for text in ['a "quoted" \\ path', "runs/😀", "12", "true", "x=y"]:
        assert kind.load("base", [f"title={toml_value(text)}"]).title == text
    assert kind.load("base", [f"items={toml_value(['a,b', 'c'])}"]).items == ("a,b", "c")


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("cout=2", r"^override 'cout=2': unknown key 'cout'; did you mean 'count'\?$"),
        ("sektion.r=2", r"^override 'sektion.r=2': unknown key 'sektion.r'; did you mean"),
        ("section.rr=2", r"unknown key 'section.rr'; did you mean 'section.r'"),
        ("section=2", r"unknown key 'section'"),
        ("count=many", r"^override 'count=many': `count` must be an integer, got 'many'$"),
        ("count=1.5", r"`count` must be an integer, got 1.5"),
        ("flag=yes", r"`flag` must be true or false, got 'yes'"),
        ("rate=fast", r"`rate` must be a number, got 'fast'"),
        ("items=[1, 2]", r"`items` must be a list of strings, got \[1, 2\]"),
        ("count", r"^override 'count' is not key=value \(e.g. count=2\)$"),
        ("count=-1", r"base.toml: `count` must be 0 or more, got -1$"),
    ],
)
def test_override_errors(kind: PresetKind[Config], override: str, message: str) -> None:
    with pytest.raises(NLIProbeError, match=message):
        kind.load("base", [override])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cont = 1\n", r"base.toml: unknown key 'cont'; did you mean 'count'\?"),
        ("[section]\nrr = 1\n", r"unknown key 'section.rr'; did you mean 'section.r'"),
        ("section = 1\n", r"`section` must be a table \(\[section\]\), got 1"),
        ("title = 5\n", r"base.toml: `title` must be a string, got 5"),
        ("count = \n", r"base.toml: not valid TOML"),
    ],
)
def test_file_errors_name_the_file(
    kind: PresetKind[Config], tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "base.toml").write_text(text, encoding="utf-8")
    with pytest.raises(NLIProbeError, match=message):
        kind.load("base")


def test_presets_by_name_or_path(kind: PresetKind[Config], tmp_path: Path) -> None:
    assert kind.names() == ["base"]
    assert kind.load(str(tmp_path / "base.toml")).count == 2
    with pytest.raises(NLIProbeError, match=r"unknown test preset 'bsae'; did you mean 'base'\?"):
        kind.load("bsae")
    with pytest.raises(NLIProbeError, match=r"test preset file .*missing.toml not found"):
        kind.load(str(tmp_path / "missing.toml"))


def test_trainer_and_study_presets_follow_the_same_rules() -> None:
    """The same mistake gets the same kind of message from both kinds of preset."""
    for kind, key in ((PRESETS, "epochs"), (STUDY_PRESETS, "resamples")):
        with pytest.raises(NLIProbeError, match=rf"^override '{key}x=1': unknown key '{key}x'"):
            kind.load("quick" if kind is STUDY_PRESETS else "quick-full", [f"{key}x=1"])
    with pytest.raises(NLIProbeError, match="`description` must be a string, got 5"):
        PRESETS.from_mapping({"description": 5}, where="x")
    with pytest.raises(NLIProbeError, match="`description` must be a string, got 5"):
        STUDY_PRESETS.from_mapping({"description": 5}, where="x")
    study = STUDY_PRESETS.load("quick", ['title="A title"', "description=2024"])
    assert (study.title, study.description) == ("A title", "2024")
