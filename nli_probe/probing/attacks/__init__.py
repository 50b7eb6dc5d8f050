"""Adversarial attacks: with the model in the loop, search for a small edit of a pair that the
model gets right which changes its prediction while a meaning-preserving constraint set holds.

An attack is a probe kind (`Probe(attack=...)`); its parts are registered by name like
perturbations and expectations, so suites compose their own in Python or TOML:

- transformations (`transformation.py`, built-ins in `transformations/`): the replacements a word
  may get: character edits, WordNet synonyms, the model's input-embedding neighbours, a word list;
- constraints (`constraint.py`, built-ins in `constraints/`): which words may change and which
  candidates are kept: words changed, stopwords, shared words, edit distance, sentence similarity;
- searches (`search.py`, built-ins in `searches/`): greedy by word importance, beam search;
- recipes (`attack.py`, built-ins in `recipes/`): named attacks made of the three, such as
  `deepwordbug` and `textfooler`.

`runner.py` runs the searches of many pairs in step: every candidate of a step, across all the
pairs, goes to the engine (and its prediction cache) in one length-sorted call.
"""
