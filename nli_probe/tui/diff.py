"""See the edit: a variant's text with the words it changed highlighted against the original.

Shared by every pane that shows a perturbed pair (the Suites pane's cases, the playground, and
panes added later: adversarial examples, slices). Plain rich (no textual), so it renders the same
in any console and in tests.

    from nli_probe.tui.diff import edit_text, pair_edit

    edit_text("A man walks.", "A man strolls.")   # "A man ~~walks~~ strolls." (styled)
    pair_edit(premise, hypothesis, variant_premise, variant_hypothesis)  # "H: ..." / "P: ..."

Words are compared, not characters: a typo shows as the whole word replaced, which is what a
reader scans for. Punctuation counts as a word of its own (so `Paris.` -> `Paris today.` shows
one inserted word); whitespace is kept as it is in the variant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from rich.text import Text

__all__ = [
    "DELETED_STYLE",
    "INSERTED_STYLE",
    "Edit",
    "edit_text",
    "pair_edit",
    "word_edits",
]

INSERTED_STYLE = "bold black on yellow"
"""Words the variant has and the original had not (new or replacing others)."""
DELETED_STYLE = "strike dim red"
"""Words of the original the variant dropped, shown struck through where they stood."""

_TOKENS = re.compile(r"\w+(?:'\w+)*|[^\w\s]+|\s+")
"""Words (with inner apostrophes: `isn't`), runs of punctuation, runs of whitespace."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Edit:
    """How many words an edit inserted, deleted and replaced (a replacement counts once)."""

    inserted: int
    deleted: int
    replaced: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted or self.replaced)


def _words(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_edits(original: str, variant: str) -> Edit:
    """Counts of the word-level changes from `original` to `variant`."""
    a = [t for t in _words(original) if not t.isspace()]
    b = [t for t in _words(variant) if not t.isspace()]
    inserted = deleted = replaced = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "insert":
            inserted += j2 - j1
        elif op == "delete":
            deleted += i2 - i1
        elif op == "replace":
            replaced += max(i2 - i1, j2 - j1)
    return Edit(inserted=inserted, deleted=deleted, replaced=replaced)


def edit_text(original: str, variant: str, *, show_deleted: bool = True) -> Text:
    """`variant` with the words that differ from `original` highlighted.

    Args:
        original: the text before the edit.
        variant: the text after it.
        show_deleted: also show the dropped words, struck through, where they stood (off: the
            variant's own text only, with its new words highlighted).

    An emptied text shows as `(empty)`, struck originals before it when `show_deleted`.
    """
    a = _words(original)
    b = _words(variant)
    # Match on words only; whitespace tokens ride along with the word before them.
    a_words = [i for i, t in enumerate(a) if not t.isspace()]
    b_words = [j for j, t in enumerate(b) if not t.isspace()]
    matcher = SequenceMatcher(a=[a[i] for i in a_words], b=[b[j] for j in b_words], autojunk=False)
    text = Text()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace") and show_deleted:
            dropped = "".join(a[a_words[i1] : a_words[i2 - 1] + 1])
            text.append(dropped, style=DELETED_STYLE)
            text.append(" ")
        for k in range(j1, j2):
            index = b_words[k]
            style = "" if op == "equal" else INSERTED_STYLE
            text.append(b[index], style=style)
            following = b[index + 1] if index + 1 < len(b) and b[index + 1].isspace() else ""
            text.append(following)
    if not variant.strip():
        text.append("(empty)", style="italic dim")
    text.rstrip()
    return text


def pair_edit(
    premise: str,
    hypothesis: str,
    variant_premise: str,
    variant_hypothesis: str,
    *,
    show_deleted: bool = True,
) -> Text:
    """The edited side(s) of a pair, each labelled and highlighted: `H: ...`, `P: ...`.

    The hypothesis comes first (most edits target it, and it is the shorter side); a side left
    as it was is not shown. A variant identical to its original (a template probe's generated
    pair) shows its hypothesis plainly, marked `(unchanged)`.
    """
    lines: list[Text] = []
    if variant_hypothesis != hypothesis:
        lines.append(_side("H", hypothesis, variant_hypothesis, show_deleted))
    if variant_premise != premise:
        lines.append(_side("P", premise, variant_premise, show_deleted))
    if not lines:
        line = Text.assemble(("H: ", "bold"), variant_hypothesis)
        line.append("  (unchanged)", style="dim")
        lines.append(line)
    return Text("\n").join(lines)


def _side(label: str, original: str, variant: str, show_deleted: bool) -> Text:
    line = Text(f"{label}: ", style="bold")
    line.append_text(edit_text(original, variant, show_deleted=show_deleted))
    return line
