"""A name → factory table with did-you-mean errors, shared by perturbations, expectations and
templates.

Factories (not ready objects) are registered so that suites, TOML ones included, can pass
arguments by name: `registry.build("typos", {"rate": 0.1})` checks the arguments against the
factory's signature before calling it, and every mistake becomes an `NLIProbeError` saying
which name, which argument and what is valid.

Built-ins register themselves when their module is imported; a registry imports the modules of
its `builtin_packages` the first time a name is looked up, so adding a built-in module needs no
edit to a shared list.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from nli_probe.core.suggest import did_you_mean
from nli_probe.errors import NLIProbeError

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Registry(Generic[T]):
    """Named factories of one kind of thing (`kind` is used in messages: "perturbation")."""

    def __init__(self, kind: str, *, builtin_packages: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}
        self._builtin_packages = builtin_packages
        self._loaded = False

    def register(self, name: str) -> Callable[[F], F]:
        """Decorator registering a factory under `name`; a second, different factory under the
        same name is refused (two plugins silently shadowing each other is a bug)."""
        if not name or name != name.strip() or any(c.isspace() for c in name):
            raise ValueError(f"{self.kind} name must be non-empty without spaces, got {name!r}")

        def decorate(factory: F) -> F:
            old = self._factories.get(name)
            if old is not None and _qualified(old) != _qualified(factory):
                raise ValueError(f"{self.kind} {name!r} is already registered by {_qualified(old)}")
            self._factories[name] = factory
            return factory

        return decorate

    def names(self) -> list[str]:
        """Every registered name, sorted."""
        self._load_builtins()
        return sorted(self._factories)

    def factory(self, name: str, *, where: str = "") -> Callable[..., T]:
        """The factory registered as `name`; `NLIProbeError` with a did-you-mean otherwise."""
        self._load_builtins()
        try:
            return self._factories[name]
        except KeyError:
            raise NLIProbeError(self._unknown(name, where)) from None

    def build(self, name: str, args: Mapping[str, Any] | None = None, *, where: str = "") -> T:
        """Call the factory `name` with keyword `args`, checking them against its signature."""
        factory = self.factory(name, where=where)
        args = dict(args or {})
        params = _keyword_params(factory)
        unknown = [key for key in args if key not in params]
        if unknown:
            key = unknown[0]
            hint = did_you_mean(key, list(params))
            takes = ", ".join(params) or "no arguments"
            raise NLIProbeError(
                f"{_prefix(where)}{self.kind} {name!r} has no argument {key!r}{hint} "
                f"(takes: {takes})"
            )
        missing = [key for key, param in params.items() if param.default is param.empty]
        missing = [key for key in missing if key not in args]
        if missing:
            raise NLIProbeError(
                f"{_prefix(where)}{self.kind} {name!r} needs argument {missing[0]!r}"
            )
        try:
            return factory(**args)
        except NLIProbeError as error:
            raise NLIProbeError(f"{_prefix(where)}{self.kind} {name!r}: {error}") from None
        except (TypeError, ValueError) as error:
            # Factories check their own values; a wrong type from a TOML file lands here.
            raise NLIProbeError(
                f"{_prefix(where)}{self.kind} {name!r}: bad arguments {args!r} ({error})"
            ) from None

    def describe(self, name: str) -> str:
        """The first paragraph of the factory's docstring, on one line."""
        doc = inspect.getdoc(self.factory(name)) or ""
        return " ".join(doc.split("\n\n", 1)[0].split())

    def signature(self, name: str) -> str:
        """The factory's keyword arguments with defaults, e.g. `rate=0.05, target='hypothesis'`."""
        params = _keyword_params(self.factory(name))
        return ", ".join(
            key if p.default is p.empty else f"{key}={p.default!r}" for key, p in params.items()
        )

    def _unknown(self, name: str, where: str) -> str:
        known = self.names()
        hint = did_you_mean(name, known)
        listing = ", ".join(known[:30]) + (", ..." if len(known) > 30 else "")
        return f"{_prefix(where)}unknown {self.kind} {name!r}{hint} (known: {listing or 'none'})"

    def _load_builtins(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for package_name in self._builtin_packages:
            try:
                package = importlib.import_module(package_name)
            except ModuleNotFoundError as error:
                if error.name != package_name:
                    raise
                continue  # an optional built-in package not written (yet)
            for info in pkgutil.iter_modules(package.__path__):
                if not info.name.startswith("_"):
                    importlib.import_module(f"{package_name}.{info.name}")


def _keyword_params(factory: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    params = inspect.signature(factory).parameters
    return {
        key: p for key, p in params.items() if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    }


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


def _qualified(factory: Callable[..., Any]) -> str:
    module = getattr(factory, "__module__", "?")
    return f"{module}.{getattr(factory, '__qualname__', repr(factory))}"
