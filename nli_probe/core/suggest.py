"""The one did-you-mean rule, for every error about an unknown name (a preset, a key, a metric,
a column, a data set, a perturbation, a model folder ...).

The rule: up to `MOST` known names whose `difflib` similarity to the unknown one is at least
`CUTOFF` (difflib's own default), closest first. The message part is always
`; did you mean 'a' or 'b'?`, placed right after the unknown name, before any list of what is
valid.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

MOST = 3
"""At most this many suggestions."""
CUTOFF = 0.6
"""Least similarity (difflib's ratio, 0 to 1) for a known name to be suggested."""


def close_names(word: str, known: Iterable[str]) -> list[str]:
    """The known names close to `word`, closest first (at most `MOST`)."""
    return difflib.get_close_matches(word, list(known), n=MOST, cutoff=CUTOFF)


def did_you_mean(word: str, known: Iterable[str], *, show: Callable[[str], str] = repr) -> str:
    """`"; did you mean 'a' or 'b'?"` for the known names close to `word`, else `""`.

    `show` writes each suggestion (quoted by default; a model folder is shown as its path).
    """
    close = close_names(word, known)
    return f"; did you mean {' or '.join(show(name) for name in close)}?" if close else ""
