"""Grounded abstention: the passages must mention the question's most specific term.

Each content word of the question gets a specificity, its Zipf frequency in everyday
French or Dutch (``wordfreq``, by the question's language): "crêpes" (3.6) is rarer than
"politique" (5.0). The most specific word under the fitted Zipf level
(:func:`grounding_threshold`) must appear in the passages the answer would quote from, as
the same Snowball stem or a stem sharing a long prefix with it (``subsidie`` for
``subsidies``); if it does not, the assistant abstains and says which word the documents
do not mention. The level is fitted on the dev split (``python -m evals.fit_grounding``,
stored with its dev figures in ``grounding.json``; ``null``: the check is off).

Non-goals: synonyms or translations (a Dutch word is not looked for in a French passage
under another form), word embeddings per word (too costly), the confidence-based
abstention (:mod:`assistant.answers.abstention`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..search.intent import question_language
from ..text.analyzer import fold, split_words, stopwords_of, tokenize

__all__ = ["Term", "grounding_threshold", "missing_term", "specific_terms", "unmentioned"]

_FITTED = Path(__file__).with_name("grounding.json")
# A stem matches a passage stem sharing this share of its letters as a prefix (at least 4).
_PREFIX_SHARE = 0.8


@lru_cache(maxsize=1)
def fitted() -> dict:
    """The fitted grounding: ``zipf_threshold``, its dev figures and the refit command."""
    return json.loads(_FITTED.read_text(encoding="utf-8"))


def grounding_threshold() -> float | None:
    """The Zipf level under which a question's word must be mentioned (None: no check)."""
    return fitted()["zipf_threshold"]


@dataclass(frozen=True)
class Term:
    """A content word of the question, its stem and its Zipf frequency (lower: rarer)."""

    word: str
    stem: str
    zipf: float


def specific_terms(question: str, *, language: str | None = None) -> list[Term]:
    """The question's content words, the most specific (rarest) first.

    Words ``wordfreq`` does not know (Zipf 0: "presidant", "arretées") are left out.
    """
    from wordfreq import zipf_frequency

    lang = language or question_language(question)
    stop = stopwords_of(lang)
    seen: dict[str, Term] = {}
    for word in split_words(question):
        if len(word) < 3 or word[0].isdigit() or fold(word) in stop or "'" in word:
            continue
        stem = tokenize(word, stopwords=False, language=lang)
        if not stem or stem[0] in seen:
            continue
        zipf = zipf_frequency(word, lang)
        if zipf > 0:  # a word wordfreq does not know is a typo or foreign as often as rare
            seen[stem[0]] = Term(word, stem[0], zipf)
    return sorted(seen.values(), key=lambda t: t.zipf)


def _mentioned(stem: str, stems: frozenset[str]) -> bool:
    if stem in stems:
        return True
    n = max(4, round(_PREFIX_SHARE * len(stem)))
    if len(stem) < n:
        return False
    return any(s[:n] == stem[:n] for s in stems if len(s) >= n)


def missing_term(
    question: str, texts: list[str], *, threshold: float | None
) -> tuple[Term | None, bool]:
    """The question's most specific term under ``threshold`` and whether ``texts`` lack it.

    ``(None, False)`` when no word is that specific (or ``threshold`` is None).
    """
    if threshold is None:
        return None, False
    lang = question_language(question)
    terms = [t for t in specific_terms(question, language=lang) if t.zipf < threshold]
    if not terms:
        return None, False
    stems = frozenset(s for text in texts for s in tokenize(text, stopwords=False, language=lang))
    best = terms[0]
    return best, not _mentioned(best.stem, stems)


def unmentioned(question: str, texts: list[str], *, threshold: float | None) -> str | None:
    """The question's most specific word when ``texts`` do not mention it, else None."""
    term, missing = missing_term(question, texts, threshold=threshold)
    return term.word if missing else None
