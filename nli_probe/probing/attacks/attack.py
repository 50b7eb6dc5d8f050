"""`Attack`: transformations, constraints and a search, aimed at one side of the pair.

    from nli_probe import Attack, Probe, get_constraint, get_search, get_transformation

    attack = Attack(
        name="typos-beam",
        transformations=[get_transformation("chars", edits=["swap", "keyboard"])],
        constraints=[get_constraint("stopwords"), get_constraint("max_words", count=2)],
        search=get_search("beam", width=3),
        target="hypothesis",
        query_budget=300,
    )
    probe = Probe(name="typos-beam", capability="typos", attack=attack)

Recipes are attack factories registered by name (`get_attack("deepwordbug", query_budget=200)`;
built-ins in `nli_probe.probing.attacks.recipes`). In a TOML suite, `attack` is a recipe's name,
a table naming one with its arguments, or a table of parts (see `attack_from_toml`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from nli_probe.core.registry import Registry
from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError
from nli_probe.probing.attacks.constraint import CONSTRAINTS, Constraint
from nli_probe.probing.attacks.search import SEARCHES, Search
from nli_probe.probing.attacks.transformation import TRANSFORMATIONS, Transformation
from nli_probe.probing.perturbation import Target, check_target


@dataclass(frozen=True, kw_only=True, slots=True, init=False)
class Attack:
    """A model-in-the-loop search for an edit that changes the prediction."""

    name: str
    transformations: tuple[Transformation, ...]
    """Where replacement words come from (their candidates are pooled)."""
    constraints: tuple[Constraint, ...]
    """Which words may change and which candidates are kept; candidate rules run in order,
    each on what the ones before it kept (put an expensive one, `similarity`, last)."""
    search: Search
    target: Target
    """The side whose words are edited: "hypothesis" (TextAttack's NLI recipes), "premise"
    or "both"."""
    query_budget: int | None
    """Most model queries per pair, the first prediction included (None: no limit)."""
    description: str

    def __init__(
        self,
        *,
        name: str,
        transformations: Iterable[Transformation],
        constraints: Iterable[Constraint] = (),
        search: Search,
        target: Target = "hypothesis",
        query_budget: int | None = None,
        description: str = "",
    ) -> None:
        # A custom __init__ so users may pass lists; the stored values are immutable tuples.
        transformations = tuple(transformations)
        constraints = tuple(constraints)
        if not name or any(c.isspace() for c in name):
            raise NLIProbeError(f"attack name must be non-empty without spaces, got {name!r}")
        if not transformations:
            raise NLIProbeError(f"attack {name!r} needs at least one transformation")
        for what, values, kind in (
            ("transformation", transformations, Transformation),
            ("constraint", constraints, Constraint),
        ):
            for part in values:
                if not isinstance(part, kind):
                    raise NLIProbeError(
                        f"attack {name!r}: a {what} must be a {kind.__name__}, "
                        f"got {type(part).__name__}"
                    )
        if not isinstance(search, Search):
            raise NLIProbeError(f"attack {name!r}: search must be a Search, got {search!r}")
        check_target(target)
        if query_budget is not None and (
            isinstance(query_budget, bool) or not isinstance(query_budget, int) or query_budget < 2
        ):
            raise NLIProbeError(
                f"attack {name!r}: query_budget must be an integer of at least 2 (the first "
                f"prediction and one candidate), got {query_budget!r}"
            )
        fields: tuple[tuple[str, object], ...] = (
            ("name", name),
            ("transformations", transformations),
            ("constraints", constraints),
            ("search", search),
            ("target", target),
            ("query_budget", query_budget),
            ("description", description),
        )
        for key, value in fields:
            object.__setattr__(self, key, value)

    def describe(self) -> str:
        """Its parts on one line, for reports."""
        parts = [
            " + ".join(t.description or t.name for t in self.transformations),
            *(c.description or c.name for c in self.constraints),
            self.search.description or self.search.name,
            f"edits the {self.target}" if self.target != "both" else "edits both sides",
        ]
        if self.query_budget is not None:
            parts.append(f"at most {self.query_budget} queries a pair")
        return "; ".join(parts)


ATTACKS: Registry[Attack] = Registry(
    "attack", builtin_packages=("nli_probe.probing.attacks.recipes",)
)
"""Every registered attack recipe, by name."""

register_attack = ATTACKS.register
"""Decorator: `@register_attack("name")` on a factory returning an `Attack`."""


def get_attack(name: str, **args: object) -> Attack:
    """Build the registered attack recipe `name` with keyword `args` (`NLIProbeError` if
    unknown or if the arguments do not fit)."""
    return ATTACKS.build(name, args)


_PART_KEYS = ("name", "transformations", "constraints", "search", "target", "query_budget")


def attack_from_toml(value: Any, *, where: str) -> Attack:
    """An attack from a TOML suite's `attack` value:

    - a recipe's name: `attack = "deepwordbug"`;
    - a recipe with arguments: `attack = { recipe = "deepwordbug", query_budget = 200 }`;
    - parts: a table with `transformations` (a list of names or tables), `constraints` (the
      same), `search` (a name or a table), and optionally `name`, `target`, `query_budget`.
    """
    if isinstance(value, str):
        return ATTACKS.build(value, {}, where=where)
    if not isinstance(value, Mapping):
        raise NLIProbeError(
            f"{where}: attack must be a recipe name or a table, got {type(value).__name__} "
            f"{value!r}"
        )
    args = dict(value)
    if "recipe" in args:
        recipe = args.pop("recipe")
        if not isinstance(recipe, str):
            raise NLIProbeError(f"{where}: attack `recipe` must be a name, got {recipe!r}")
        return ATTACKS.build(recipe, args, where=where)
    for key in args:
        if key not in _PART_KEYS:
            hint = did_you_mean(key, [*_PART_KEYS, "recipe"])
            raise NLIProbeError(
                f"{where}: unknown attack key {key!r}{hint} (a recipe: `recipe`, arguments; "
                f"parts: {', '.join(_PART_KEYS)})"
            )
    if "transformations" not in args or "search" not in args:
        raise NLIProbeError(
            f"{where}: an attack table needs `recipe`, or `transformations` and `search`"
        )
    try:
        return Attack(
            name=_text(args.get("name", "attack"), "name", where),
            transformations=_parts(args["transformations"], TRANSFORMATIONS, where),
            constraints=_parts(args.get("constraints", []), CONSTRAINTS, where),
            search=_part(args["search"], SEARCHES, where),
            target=_text(args.get("target", "hypothesis"), "target", where),  # type: ignore[arg-type]
            query_budget=args.get("query_budget"),
        )
    except NLIProbeError as error:
        message = str(error)
        raise NLIProbeError(
            message if message.startswith(where) else f"{where}: {message}"
        ) from None


def _text(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str):
        raise NLIProbeError(f"{where}: attack `{key}` must be a string, got {value!r}")
    return value


def _parts(value: Any, registry: Registry[Any], where: str) -> list[Any]:
    if not isinstance(value, list):
        raise NLIProbeError(
            f"{where}: attack {registry.kind}s must be a list of names or tables, got {value!r}"
        )
    return [_part(item, registry, where) for item in value]


def _part(value: Any, registry: Registry[Any], where: str) -> Any:
    if isinstance(value, str):
        return registry.build(value, {}, where=where)
    if isinstance(value, Mapping):
        args = dict(value)
        name = args.pop("name", None)
        if isinstance(name, str):
            return registry.build(name, args, where=where)
    raise NLIProbeError(
        f"{where}: a {registry.kind} must be a name or a table with `name`, got {value!r}"
    )
