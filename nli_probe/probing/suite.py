"""`Suite`: a named collection of probes.

A suite file is a Python module that defines `suite = Suite(...)`:

    # my_suite.py
    from nli_probe import Probe, Suite, get_expectation, get_perturbation

    suite = Suite(
        name="my-suite",
        description="what my model must survive",
        probes=[
            Probe(name="typos", capability="robustness",
                  perturbation=get_perturbation("typos", target="hypothesis"),
                  expectation=get_expectation("same_label")),
        ],
    )

or a TOML file naming registered perturbations and expectations (see
`nli_probe.probing.toml_loader`).
`nli_probe.probing.loader.load_suite` reads either, or finds a built-in suite by name; built-in
suites are the modules of `nli_probe.suites` (the repository's `suites/` folder), written the
same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nli_probe.errors import NLIProbeError
from nli_probe.probing.probe import Probe


@dataclass(frozen=True, kw_only=True, slots=True, init=False)
class Suite:
    """Named probes; probe names are unique within a suite."""

    name: str
    probes: tuple[Probe, ...]
    description: str

    def __init__(self, *, name: str, probes: Iterable[Probe], description: str = "") -> None:
        # A custom __init__ so users may pass a list; the stored value is an immutable tuple.
        probes = tuple(probes)
        if not name or any(c.isspace() for c in name):
            raise NLIProbeError(f"suite name must be non-empty without spaces, got {name!r}")
        seen: set[str] = set()
        for index, probe in enumerate(probes):
            if not isinstance(probe, Probe):
                raise NLIProbeError(
                    f"suite {name!r}: probe #{index + 1} is a {type(probe).__name__}, not a Probe"
                )
            if probe.name in seen:
                raise NLIProbeError(f"suite {name!r}: two probes are named {probe.name!r}")
            seen.add(probe.name)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "probes", probes)
        object.__setattr__(self, "description", description)

    def probe(self, name: str) -> Probe:
        """The probe called `name`; `NLIProbeError` naming the known ones if absent."""
        for probe in self.probes:
            if probe.name == name:
                return probe
        known = ", ".join(probe.name for probe in self.probes) or "none"
        raise NLIProbeError(f"suite {self.name!r} has no probe {name!r} (probes: {known})")
