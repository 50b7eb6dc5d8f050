"""`JsonRecord`: the JSON round trip every score value shares.

Score values (metric reports, calibration, agreement breakdowns, comparisons) are frozen
dataclasses whose fields are plain numbers, strings, None, tuples, string-keyed mappings and other
records. The report writer stores them in `Report.extra` and the TUI reads them back, so one
generic, type-driven conversion keeps every value's JSON shape and its Python shape in step:
adding a field to a record adds it to the JSON without touching a hand-written encoder.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, Self

from nli_probe.errors import NLIProbeError


class JsonRecord:
    """Mixin for frozen dataclasses: `to_json()` and `from_json()` follow the field types."""

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-ready dicts, lists, numbers, strings and None."""
        return {
            field.name: _encode(getattr(self, field.name))
            for field in dataclasses.fields(self)  # type: ignore[arg-type]
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild a record written by `to_json`; fields absent from `data` keep their
        defaults, so values saved by older versions still load."""
        return typing.cast(Self, _decode_record(cls, data, cls.__name__))


def _encode(value: Any) -> Any:
    if isinstance(value, JsonRecord):
        return value.to_json()
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    return value


def _decode_record(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise NLIProbeError(f"{where}: expected an object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name in data:
            values[field.name] = _decode(
                hints[field.name], data[field.name], f"{where}.{field.name}"
            )
    try:
        return cls(**values)
    except TypeError as error:
        raise NLIProbeError(f"{where}: {error}") from None


def _decode(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _decode(inner, value, where)
    if isinstance(hint, type) and issubclass(hint, JsonRecord):
        return _decode_record(hint, value, where)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise NLIProbeError(f"{where}: expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
        if len(value) != len(args):
            raise NLIProbeError(f"{where}: expected {len(args)} items, got {len(value)}")
        return tuple(
            _decode(arg, item, f"{where}[{i}]")
            for i, (arg, item) in enumerate(zip(args, value, strict=True))
        )
    if origin in (Mapping, dict, typing.Mapping) or (
        isinstance(origin, type) and issubclass(origin, Mapping)
    ):
        if not isinstance(value, Mapping):
            raise NLIProbeError(f"{where}: expected an object, got {type(value).__name__}")
        return {str(key): _decode(args[1], item, f"{where}.{key}") for key, item in value.items()}
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise NLIProbeError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise NLIProbeError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise NLIProbeError(f"{where}: expected a string, got {value!r}")
        return value
    if hint is bool:
        return bool(value)
    if hint is Any:
        return value
    raise TypeError(f"{where}: JsonRecord cannot decode fields of type {hint!r}")
