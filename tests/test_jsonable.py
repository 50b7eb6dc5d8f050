"""`JsonRecord`: type-driven JSON round trip and clear errors on malformed values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from nli_probe.core.jsonable import JsonRecord
from nli_probe.errors import NLIProbeError


@dataclass(frozen=True, kw_only=True)
class Inner(JsonRecord):
    low: float
    high: float


@dataclass(frozen=True, kw_only=True)
class Outer(JsonRecord):
    name: str
    count: int
    value: float | None = None
    triple: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rows: tuple[tuple[int, ...], ...] = ()
    inner: Inner | None = None
    by_name: Mapping[str, Inner] = field(default_factory=dict)
    flag: bool = False


def test_round_trip_of_nested_values() -> None:
    value = Outer(
        name="m",
        count=3,
        value=0.5,
        triple=(0.1, 0.2, 0.7),
        rows=((1, 2), (3,)),
        inner=Inner(low=0.0, high=1.0),
        by_name={"a": Inner(low=0.1, high=0.2)},
        flag=True,
    )
    data = value.to_json()
    assert data["triple"] == [0.1, 0.2, 0.7]
    assert data["by_name"] == {"a": {"low": 0.1, "high": 0.2}}
    assert Outer.from_json(data) == value


def test_missing_fields_take_defaults_and_unknown_ones_are_ignored() -> None:
    assert Outer.from_json({"name": "m", "count": 1, "later": 5}) == Outer(name="m", count=1)


def test_integers_are_accepted_as_floats() -> None:
    assert Outer.from_json({"name": "m", "count": 1, "value": 1}).value == 1.0


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"name": 3, "count": 1}, "Outer.name"),
        ({"name": "m", "count": 1.5}, "Outer.count"),
        ({"name": "m", "count": 1, "value": "x"}, "Outer.value"),
        ({"name": "m", "count": 1, "inner": [1]}, "Outer.inner"),
        ({"name": "m", "count": 1, "rows": {"a": 1}}, "Outer.rows"),
        ({"name": "m", "count": 1, "triple": [1, 2]}, "Outer.triple"),
        ({"name": "m"}, "Outer"),
    ],
)
def test_malformed_values_name_the_field(data: dict[str, object], where: str) -> None:
    with pytest.raises(NLIProbeError, match=where):
        Outer.from_json(data)
