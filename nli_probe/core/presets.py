"""Presets: a TOML file of a config's keys (a built-in name or a path) plus `KEY=VALUE`
overrides, read into a frozen dataclass. One set of rules and one error style for every kind of
preset: the trainers' `TrainConfig` and the studies' `StudyConfig`.

- A preset is a built-in name (`NAME.toml` in the kind's folder) or a TOML file (a path ending
  in `.toml`, or any existing file). An unknown name is an error with a did-you-mean and the
  built-in names.
- Its keys are the dataclass's fields, and only those. A field whose default is a dataclass is a
  section: a TOML table in a file (`[lora]`), dotted keys in an override (`lora.r=16`).
- A value must fit its field's default: a string; an integer; a number (an integer is taken
  where a float is expected); true or false; a list of strings (a comma-separated string is
  taken too: `suites=robustness,logic`).
- An override is `KEY=VALUE`, applied in order after the file. VALUE is read as a TOML value
  where it parses (`epochs=2`, `train_data=["a.jsonl", "b.jsonl"]`, `title="A study"`), else
  as the text itself (`precision=bf16`, `eval_data=mine.jsonl`); a string key takes the text
  itself unless it is a TOML string (`title=2024` is "2024"). `toml_value` writes a value so
  that it reads back unchanged.
- A kind may hand some overrides on: in a study, `train.KEY=VALUE` is appended, as
  `KEY=VALUE`, to the `train_overrides` list (`scopes`).
- Errors name the place (the file, or `override 'KEY=VALUE'`), the key, what was found and what
  is valid, on one line: `quick.toml: unknown key 'epocs'; did you mean 'epochs'?`,
  ``override 'epochs=x': `epochs` must be a number, got 'x'``. Range checks on the finished
  config (the kind's `validate`) name the file.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar

from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError

T = TypeVar("T")

_KINDS = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


@dataclass(frozen=True, kw_only=True)
class PresetKind(Generic[T]):
    """How one kind of preset is found, read and checked."""

    what: str
    """What it is called in messages: "preset", "study preset"."""
    config: type[T]
    """The frozen dataclass a preset becomes."""
    folder: Callable[[], Path]
    """The folder of built-in presets."""
    example: str
    """Example overrides, for the message about a malformed one."""
    scopes: Mapping[str, str] = field(default_factory=dict)
    """Override prefix → list field: `PREFIX.KEY=VALUE` appends `KEY=VALUE` to that field."""
    override_hint: str = ""
    """Said after an unknown key in an override (e.g. where other keys go)."""
    suggest_also: tuple[str, ...] = ()
    """More names an unknown override key may be meant as (e.g. `train.epochs`)."""
    validate: Callable[[T, str], None] | None = None
    """Range checks on the finished config; given the preset's file."""

    def names(self) -> list[str]:
        """The built-in presets, sorted."""
        return sorted(path.stem for path in self.folder().glob("*.toml"))

    def path(self, name_or_path: str) -> Path:
        """The file of a built-in name, or the path given."""
        candidate = Path(name_or_path).expanduser()
        if candidate.suffix == ".toml" or candidate.is_file():
            if not candidate.is_file():
                raise NLIProbeError(f"{self.what} file {candidate} not found")
            return candidate
        builtin = self.folder() / f"{name_or_path}.toml"
        if builtin.is_file():
            return builtin
        names = self.names()
        raise NLIProbeError(
            f"unknown {self.what} {name_or_path!r}{did_you_mean(name_or_path, names)} "
            f"(built-in: {', '.join(names)}; or give a path to a .toml file)"
        )

    def load(self, name_or_path: str, overrides: Sequence[str] = ()) -> T:
        """A preset (built-in name or TOML path) with `KEY=VALUE` overrides applied.

        Raises:
            NLIProbeError: unknown preset, key or section (with a did-you-mean), unreadable
                TOML, a value of the wrong type or out of range.
        """
        path = self.path(name_or_path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise NLIProbeError(f"{path}: not valid TOML: {error}") from None
        raw.setdefault("name", path.stem)
        values = _read(self.config, raw, where=str(path), prefix="")
        for item in overrides:
            self._override(values, item)
        return self._build(values, where=str(path))

    def from_mapping(self, raw: Mapping[str, Any], *, where: str) -> T:
        """A config from a parsed preset (nested dict), checked like a file at `where`."""
        return self._build(_read(self.config, raw, where=where, prefix=""), where=where)

    def _override(self, values: dict[str, Any], item: str) -> None:
        key, sep, text = item.partition("=")
        key = key.strip()
        where = f"override {item!r}"
        if not sep or not key:
            raise NLIProbeError(f"{where} is not key=value (e.g. {self.example})")
        scope, dot, rest = key.partition(".")
        if dot and scope in self.scopes:
            target = self.scopes[scope]
            values[target] = (*values.get(target, _defaults(self.config)[target]), f"{rest}={text}")
            return
        *sections, leaf = key.split(".")
        cls: type = self.config
        into = values
        defaults = _defaults(cls)
        for section in sections:
            if section not in _sections(cls):
                self._unknown(key, where)
            cls = type(defaults[section])
            defaults = _defaults(cls)
            into = into.setdefault(section, {})
        if leaf not in defaults or leaf in _sections(cls):
            self._unknown(key, where)
        default = defaults[leaf]
        into[leaf] = _coerce(_parse(text.strip(), default), default, where=where, key=key)

    def _unknown(self, key: str, where: str) -> NoReturn:
        names = [*_key_names(self.config), *self.suggest_also]
        raise NLIProbeError(
            f"{where}: unknown key {key!r}{did_you_mean(key, names)}{self.override_hint}"
        )

    def _build(self, values: dict[str, Any], *, where: str) -> T:
        config = _construct(self.config, values)
        if self.validate is not None:
            self.validate(config, where)
        return config


def toml_value(value: str | list[str]) -> str:
    """A string or list of strings written as an override's VALUE that reads back unchanged
    (quotes, backslashes, `=` and non-ASCII text included)."""
    import tomli_w

    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def _defaults(cls: type) -> dict[str, Any]:
    """Each field's default value (default factories called)."""
    defaults: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):
        if spec.default is not dataclasses.MISSING:
            defaults[spec.name] = spec.default
        elif spec.default_factory is not dataclasses.MISSING:
            defaults[spec.name] = spec.default_factory()
    return defaults


def _sections(cls: type) -> list[str]:
    return [name for name, default in _defaults(cls).items() if dataclasses.is_dataclass(default)]


def _key_names(cls: type, prefix: str = "") -> list[str]:
    """Every key of `cls`, sections' keys dotted (`lora.r`), for suggestions."""
    names: list[str] = []
    for name, default in _defaults(cls).items():
        if dataclasses.is_dataclass(default):
            names += _key_names(type(default), f"{prefix}{name}.")
        else:
            names.append(prefix + name)
    return names


def _read(cls: type, raw: Mapping[str, Any], *, where: str, prefix: str) -> dict[str, Any]:
    """The values of a parsed file (or table) checked against `cls`'s fields."""
    defaults = _defaults(cls)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in defaults:
            names = [prefix + name for name in _key_names(cls)]
            raise NLIProbeError(
                f"{where}: unknown key {prefix + key!r}{did_you_mean(prefix + key, names)}"
            )
        default = defaults[key]
        if dataclasses.is_dataclass(default):
            if not isinstance(value, Mapping):
                raise NLIProbeError(
                    f"{where}: `{prefix + key}` must be a table ([{prefix + key}]), got {value!r}"
                )
            values[key] = _read(type(default), value, where=where, prefix=f"{prefix}{key}.")
        else:
            values[key] = _coerce(value, default, where=where, key=prefix + key)
    return values


def _construct(cls: type[T], values: Mapping[str, Any]) -> T:
    defaults = _defaults(cls)
    built = {
        key: _construct(type(defaults[key]), value)
        if dataclasses.is_dataclass(defaults[key])
        else value
        for key, value in values.items()
    }
    return cls(**built)


def _parse(text: str, default: Any) -> Any:
    """An override's VALUE: a TOML value where it parses, else the text (see the rules)."""
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    if isinstance(default, str) and not isinstance(value, str):
        return text
    return value


def _coerce(value: Any, default: Any, *, where: str, key: str) -> Any:
    kind = type(default)
    if kind is tuple:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise NLIProbeError(f"{where}: `{key}` must be a list of strings, got {value!r}")
    if kind is bool:
        if isinstance(value, bool):
            return value
    elif kind is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind is str:
        if isinstance(value, str):
            return value
    else:
        raise TypeError(f"presets cannot read fields of type {kind.__name__} ({key})")
    raise NLIProbeError(f"{where}: `{key}` must be {_KINDS[kind]}, got {value!r}")
