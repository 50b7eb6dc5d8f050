"""CheckList interop (the `checklist` extra): CheckList's `Perturb` functions as nli-probe
perturbations, offline.

    from checklist.perturb import Perturb  # after nli_probe.probing.checklist.interop.load()
    from nli_probe.probing.checklist.interop import checklist_perturbation

    typos = checklist_perturbation(Perturb.add_typos, target="hypothesis")
    names = checklist_perturbation(Perturb.change_names, target="both")

Running CheckList's own MFT/INV/DIR tests and test suites against our models is in
`nli_probe.probing.checklist.run`.

CheckList 0.0.11 needs care to import on a machine without internet access, and this module
takes it without touching site-packages:

- `checklist.perturb` imports `pattern.en`, whose WordNet module downloads the NLTK WordNet
  corpora at import time and fails offline. CheckList's perturbations never use WordNet, so
  when those corpora are missing `load()` puts a stand-in module under that name before the
  import (the real one is used when the corpora are installed).
- CheckList's viewer modules raise warnings on import (IPython deprecations, unclosed files);
  `load()` silences them for the import only, so that `-W error` runs still work.
- Several `Perturb` functions take a spaCy `Doc`. CheckList expects `en_core_web_sm`, which is
  not on PyPI; `english_pipeline()` uses it (or any installed English pipeline) when present and
  otherwise builds an offline stand-in: spaCy's rule-based English tokenizer, punctuation
  tagged as `PUNCT`, and an entity ruler that finds CheckList's own first/last names (PERSON)
  and cities/countries (GPE). That is enough for `punctuation`, `strip_punctuation`,
  `change_names`, `change_location` and `change_number`. `add_negation` and
  `remove_negation` need a dependency parse and are refused without a real pipeline.
"""

from __future__ import annotations

import importlib
import random
import sys
import types
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

import numpy as np

from nli_probe.core.example import Example
from nli_probe.core.labels import Label
from nli_probe.errors import NLIProbeError
from nli_probe.probing.perturbation import Perturbation, Target, Variant, check_target

INSTALL_HINT = "install the extra: pip install 'nli-probe[checklist]'"

DOC_FUNCTIONS = frozenset(
    {"punctuation", "strip_punctuation", "change_names", "change_location", "change_number",
     "add_negation", "remove_negation"}
)  # fmt: skip
"""`Perturb` functions that take a spaCy `Doc` rather than a string."""

PARSER_FUNCTIONS = frozenset({"add_negation", "remove_negation"})
"""`Perturb` functions that read a dependency parse (need a real English pipeline)."""

_WORDNET_MODULE = "pattern.text.en.wordnet"
_WORDNET_CORPORA = ("corpora/wordnet", "corpora/wordnet_ic", "corpora/sentiwordnet")


def load() -> types.ModuleType:
    """Import CheckList offline and return its `checklist.perturb` module.

    The test types (`checklist.test_types`), suites (`checklist.test_suite`), expectations
    (`checklist.expect`) and editor (`checklist.editor`) are imported too, so that user code can
    import them directly afterwards. Raises `NLIProbeError` when CheckList is not installed.
    """
    with warnings.catch_warnings():
        # IPython deprecations and unclosed lexicon files in CheckList's own modules.
        warnings.simplefilter("ignore")
        try:
            importlib.import_module("checklist")
        except ImportError as error:
            raise NLIProbeError(f"CheckList is not installed ({error}); {INSTALL_HINT}") from None
        if _WORDNET_MODULE not in sys.modules and not _wordnet_installed():
            sys.modules[_WORDNET_MODULE] = _wordnet_stand_in()
        for name in ("checklist.expect", "checklist.test_types", "checklist.test_suite"):
            importlib.import_module(name)
        importlib.import_module("checklist.editor")
        return importlib.import_module("checklist.perturb")


def editor() -> Any:
    """CheckList's template `Editor`, built offline (its lexicons load from the package; its
    masked-language-model suggestions need the Hugging Face hub and are not offline)."""
    load()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # it leaves its lexicon files open
        return importlib.import_module("checklist.editor").Editor()


def wordnet_stubbed() -> bool:
    """Whether `load()` replaced pattern's WordNet module (the NLTK corpora are missing)."""
    module = sys.modules.get(_WORDNET_MODULE)
    return module is not None and getattr(module, "NLI_PROBE_STAND_IN", False)


def _wordnet_installed() -> bool:
    try:
        nltk_data = importlib.import_module("nltk.data")
    except ImportError:
        return False
    try:
        for corpus in _WORDNET_CORPORA:
            nltk_data.find(corpus)
    except LookupError:
        return False
    return True


def _wordnet_stand_in() -> types.ModuleType:
    module = types.ModuleType(_WORDNET_MODULE, "nli-probe's stand-in: NLTK WordNet is missing")
    module.NLI_PROBE_STAND_IN = True  # type: ignore[attr-defined]

    def __getattr__(name: str) -> Any:
        raise AttributeError(
            f"pattern's WordNet ({name}) is unavailable: the NLTK WordNet corpora are not "
            "installed (nltk.download('wordnet'), 'wordnet_ic', 'sentiwordnet' where online)"
        )

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


def english_pipeline() -> Any:
    """A spaCy English pipeline for CheckList's `Doc` perturbations: an installed
    `en_core_web_*` model if there is one, else the offline stand-in described above."""
    spacy = importlib.import_module("spacy")
    for model in ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf"):
        try:
            return spacy.load(model)
        except OSError:
            continue
    return _offline_pipeline(spacy)


def _offline_pipeline(spacy: Any) -> Any:
    perturb = load()
    language = importlib.import_module("spacy.language").Language
    if not language.has_factory("nli_probe_punctuation"):
        language.component("nli_probe_punctuation", func=_tag_punctuation)
    nlp = spacy.blank("en")
    nlp.add_pipe("nli_probe_punctuation")
    ruler = nlp.add_pipe("entity_ruler")
    data = perturb.Perturb.data
    places = set(data["city"]) | set(data["country"])
    stop_words = importlib.import_module("spacy.lang.en.stop_words").STOP_WORDS
    # Names that are also places ("Jordan") count as places; names that are also common words
    # ("An", "Will", "May") would turn every capitalised sentence start into a person.
    first = sorted(
        name
        for name in set(data["name"]["men"]) | set(data["name"]["women"])
        if name not in places and name.lower() not in stop_words
    )
    person = [
        {"label": "PERSON", "pattern": [{"TEXT": {"IN": first}}]},
        {
            "label": "PERSON",
            "pattern": [{"TEXT": {"IN": first}}, {"TEXT": {"IN": list(data["name"]["last"])}}],
        },
    ]
    ruler.add_patterns(person + [{"label": "GPE", "pattern": name} for name in sorted(places)])
    nlp.meta["name"] = "nli_probe_offline"
    return nlp


def _tag_punctuation(doc: Any) -> Any:
    for token in doc:
        if token.is_punct:
            token.pos_ = "PUNCT"
    return doc


Implied = Label | None | Literal["keep"]
"""The label a CheckList variant implies: "keep" (the example's gold: an invariance edit), a
`Label`, or None (unknown)."""


def checklist_perturbation(
    function: Callable[..., Any],
    *,
    target: Target = "hypothesis",
    label: Implied = "keep",
    name: str | None = None,
    nlp: Any = None,
    **arguments: Any,
) -> Perturbation:
    """Wrap a CheckList `Perturb` function (or any function in its style) as a perturbation.

    Args:
        function: e.g. `Perturb.add_typos`, `Perturb.contractions`, `Perturb.change_names`:
            text (or spaCy `Doc`) in, a string, a list of strings or None out.
        target: the side to edit. With "both", premise and hypothesis are edited as one text
            (joined by a newline), so a name or place changes the same way on both sides.
        label: what a variant implies: "keep" (the original gold), a `Label`, or None.
        name: the perturbation's name (default: `checklist.<function name>`).
        nlp: the spaCy pipeline for `Doc` functions (default: `english_pipeline()`).
        **arguments: passed to `function` on every call (e.g. `typos=2`).

    CheckList draws from NumPy's global generator; each call is seeded from the example's own
    `rng` and the global state is restored afterwards, so runs are reproducible per example.
    """
    check_target(target)
    function_name = getattr(function, "__name__", "perturb")
    needs_doc = function_name in DOC_FUNCTIONS
    pipeline = nlp
    if needs_doc and pipeline is None:
        pipeline = english_pipeline()
    if function_name in PARSER_FUNCTIONS and "parser" not in getattr(pipeline, "pipe_names", ()):
        raise NLIProbeError(
            f"CheckList's {function_name} reads a dependency parse: it needs a spaCy English "
            "pipeline with a parser (e.g. en_core_web_sm), and none is installed"
        )

    def edit(text: str, rng: random.Random) -> list[str]:
        with _numpy_seeded(rng.getrandbits(32)), warnings.catch_warnings():
            # pattern (under add_negation) opens its lexicons lazily and never closes them.
            warnings.simplefilter("ignore", ResourceWarning)
            value = function(pipeline(text) if needs_doc else text, **arguments)
        return [out for out in _strings(value, function_name) if out != text]

    def apply(example: Example, rng: random.Random) -> Iterator[Variant]:
        gold = example.gold if label == "keep" else label
        if target == "both":
            for text in edit(f"{example.premise}\n{example.hypothesis}", rng):
                parts = text.split("\n")
                if len(parts) == 2 and all(part.strip() for part in parts):
                    yield Variant(premise=parts[0], hypothesis=parts[1], label=gold)
            return
        original = example.premise if target == "premise" else example.hypothesis
        for text in edit(original, rng):
            if target == "premise":
                yield Variant(premise=text, hypothesis=example.hypothesis, label=gold)
            else:
                yield Variant(premise=example.premise, hypothesis=text, label=gold)

    return Perturbation(
        name=name or f"checklist.{function_name}",
        target=target,
        apply=apply,
        description=f"CheckList Perturb.{function_name}",
    )


def _strings(value: Any, function_name: str) -> Iterable[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | np.ndarray):
        return [str(item) for item in value if item]
    raise NLIProbeError(
        f"CheckList function {function_name} returned a {type(value).__name__}; a perturbation "
        "function must return a string, a list of strings or None (do not pass meta=True)"
    )


@contextmanager
def _numpy_seeded(seed: int) -> Iterator[None]:
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)
