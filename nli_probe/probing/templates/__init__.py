"""Built-in templates: probes that generate their own labelled examples from sentence frames
and small word lists (`_words.py`), for the inferences a model should get right by
construction: HANS-style syntactic heuristics, comparatives, taxonomy, temporal order and
coreference.

Every module here is imported the first time a template name is looked up.
"""
