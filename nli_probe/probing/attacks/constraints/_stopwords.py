"""nli-probe's English stopword list: function words (articles, pronouns, prepositions,
conjunctions, auxiliaries, negations and a few adverbs that carry grammar more than meaning),
written for nli-probe. Editing one of these rarely keeps a sentence's meaning, so the attacks
leave them alone by default."""

from __future__ import annotations

_WORDS = """
    a an the this that these those some any each every all both either neither no none
    i me my mine myself we us our ours ourselves you your yours yourself yourselves
    he him his himself she her hers herself it its itself they them their theirs themselves
    who whom whose which what whatever whoever when where why how
    am is are was were be been being have has had having do does did doing done
    will would shall should can could may might must ought
    not nor never n't
    and or but if then else than because as since so though although while whereas unless
    until till once whether
    of at by for with about against between into through during before after above below
    to from up down in out on off over under again further around along across among
    behind beside besides beyond near toward towards upon within without onto via per
    there here now just only also too very such same other another own more most less
    few many much several
    s t d ll m o re ve y
"""

STOPWORDS: frozenset[str] = frozenset(_WORDS.split())
"""Lower-case English stopwords (the contraction fragments `s`, `t`, `ll` ... included, as
word splitting leaves them after an apostrophe)."""
