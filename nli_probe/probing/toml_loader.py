"""TOML suites: registered perturbations, expectations and templates combined by name.

    name = "my-suite"
    description = "typos and negation"

    [[probe]]
    name = "typos-hypothesis"
    capability = "robustness"
    perturbation = { name = "typos", n = 2, target = "hypothesis" }
    expectation = "same_label"

    [[probe]]
    name = "negation"
    capability = "negation"
    perturbation = "negate_hypothesis"
    expectation = "label"

    [[probe]]
    name = "overlap"
    capability = "heuristics"
    template = { name = "hans_lexical_overlap", n = 50 }

    [[probe]]
    name = "typos-attack"
    capability = "typos"
    attack = { recipe = "deepwordbug", query_budget = 200 }

`perturbation`, `expectation` and `template` are a registered name, or a table with `name` and
the factory's keyword arguments. `perturbation` defaults to `identity` and `expectation` to
`label`. `attack` is an attack recipe's name, a table naming one (`recipe`) with its arguments,
or a table of parts (see `nli_probe.probing.attacks.attack.attack_from_toml`). Every mistake is
an `NLIProbeError` naming the file, the probe's line and name, and where a name is unknown, the
closest known ones (`nli-probe suites ls --all` lists them).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from nli_probe.core.registry import Registry
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.attack import attack_from_toml
from nli_probe.probing.expectation import EXPECTATIONS
from nli_probe.probing.perturbation import PERTURBATIONS
from nli_probe.probing.probe import Probe
from nli_probe.probing.suite import Suite
from nli_probe.probing.template import TEMPLATES

T = TypeVar("T")

_SUITE_KEYS = ("name", "description", "probe")
_PROBE_KEYS = (
    "name",
    "capability",
    "description",
    "perturbation",
    "expectation",
    "template",
    "attack",
)
_PROBE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*probe[ \t]*\]\]", re.MULTILINE)


def load_toml_suite(path: Path) -> Suite:
    """Read a TOML suite file; `NLIProbeError` with file, line and probe on any mistake."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NLIProbeError(f"{path}: cannot read suite file ({error})") from None
    return parse_toml_suite(text, where=str(path))


def parse_toml_suite(text: str, *, where: str = "<toml>") -> Suite:
    """Build a suite from TOML text; `where` names the source in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line L, column C)".
        raise NLIProbeError(f"{where}: invalid TOML: {error}") from None
    _check_keys(data, _SUITE_KEYS, where=where, what="suite")
    name = _string(data, "name", where=where, required=True)
    probes_data = data.get("probe", [])
    if not isinstance(probes_data, list) or not probes_data:
        raise NLIProbeError(f"{where}: a suite needs at least one [[probe]] table")
    lines = [text.count("\n", 0, match.start()) + 1 for match in _PROBE_HEADER.finditer(text)]
    probes = []
    for index, item in enumerate(probes_data):
        line = lines[index] if index < len(lines) else None
        place = f"{where}:{line}" if line is not None else where
        probes.append(_probe(item, place=place, index=index))
    try:
        return Suite(
            name=name, description=_string(data, "description", where=where), probes=probes
        )
    except NLIProbeError as error:
        raise NLIProbeError(f"{where}: {error}") from None


def _probe(data: Any, *, place: str, index: int) -> Probe:
    if not isinstance(data, Mapping):
        raise NLIProbeError(f"{place}: probe #{index + 1} must be a table")
    label = f"probe #{index + 1}"
    if isinstance(data.get("name"), str):
        label = f"probe {data['name']!r}"
    where = f"{place}: {label}"
    _check_keys(data, _PROBE_KEYS, where=where, what="probe")
    name = _string(data, "name", where=where, required=True)
    perturbation = _build(data.get("perturbation"), PERTURBATIONS, "perturbation", where=where)
    expectation = _build(data.get("expectation"), EXPECTATIONS, "expectation", where=where)
    template = _build(data.get("template"), TEMPLATES, "template", where=where)
    options: dict[str, Any] = {}
    if perturbation is not None:
        options["perturbation"] = perturbation
    if expectation is not None:
        options["expectation"] = expectation
    if data.get("attack") is not None:
        options["attack"] = attack_from_toml(data["attack"], where=where)
    try:
        return Probe(
            name=name,
            capability=_string(data, "capability", where=where, required=True),
            description=_string(data, "description", where=where),
            template=template,
            **options,
        )
    except NLIProbeError as error:
        raise NLIProbeError(f"{where}: {error}") from None


def _build(value: Any, registry: Registry[T], kind: str, *, where: str) -> T | None:
    if value is None:
        return None
    if isinstance(value, str):
        name, args = value, {}
    elif isinstance(value, Mapping):
        args = dict(value)
        name = args.pop("name", None)
        if not isinstance(name, str):
            raise NLIProbeError(f"{where}: {kind} table needs a `name` string")
    else:
        raise NLIProbeError(
            f"{where}: {kind} must be a name or a table with `name`, "
            f"got {type(value).__name__} {value!r}"
        )
    return registry.build(name, args, where=where)


def _check_keys(
    data: Mapping[str, Any], allowed: tuple[str, ...], *, where: str, what: str
) -> None:
    for key in data:
        if key not in allowed:
            hint = did_you_mean(key, list(allowed))
            raise NLIProbeError(
                f"{where}: unknown {what} key {key!r}{hint} (allowed: {', '.join(allowed)})"
            )


def _string(data: Mapping[str, Any], key: str, *, where: str, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise NLIProbeError(f"{where}: missing `{key}`")
        return ""
    if not isinstance(value, str):
        raise NLIProbeError(f"{where}: `{key}` must be a string, got {value!r}")
    return value
