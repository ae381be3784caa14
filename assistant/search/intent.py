"""What a question is about: the document itself (who asked, to whom, when) or its content.

The metadata header of a written question ("De X à Y, Ministre …", its dates and number)
answers questions *about the document*: « Qui a posé cette question ? », « À quel ministre
a-t-elle été envoyée ? », « Quand a-t-on répondu ? », « Wie heeft de vraag ingediend? ».
A question about the content that merely names the minister (« Que répond le ministre de
la Mobilité sur les radars ? ») must not be answered with the header line, so the searcher
leaves the header out of the ranking of a content question.

:func:`question_language` guesses the question's language from its stop words, so that
the fusion does not penalise a passage in the other language for sharing no word with it.

Non-goals: no classifier (a few cue words, analysed like the text, in each language),
no intent beyond these two.
"""

from __future__ import annotations

import re
from enum import StrEnum

from ..text.analyzer import LANGUAGES, fold, stopwords_of, tokenize

__all__ = ["Intent", "intent_of", "question_language"]


class Intent(StrEnum):
    DOCUMENT = "document"  # who asked, to whom, when, which number: the metadata header
    CONTENT = "content"  # everything else: the question's and the answer's text


# Folded word patterns that ask about the document: its author, addressee, dates, number.
_CUES = {
    "fr": (
        r"^qui\b",  # "qui" as the question's first word, not a relative pronoun
        r"\bpar qui\b",
        r"\bqui a (?:pose|interroge|ecrit|depose|repondu)",
        r"\bquand\b",
        r"\bdates?\b",
        r"\ba quel(?:le)?s? (?:ministre|secretaire|membre|depute)",
        r"\ba qui\b",
        r"\b(?:adressee?s?|envoyee?s?|posee?s?|deposee?s?|introduite?s?|publiee?s?|recue?s?)\b",
        r"\bauteure?s?\b",
        r"\bnumero\b",
        r"\blegislature\b",
    ),
    "nl": (
        r"^wie\b",
        r"\bdoor wie\b",
        r"\bwanneer\b",
        r"\bdatum\b",
        r"\baan welke (?:minister|staatssecretaris)",
        r"\baan wie\b",
        r"\b(?:ingediend|gesteld|gericht|verstuurd|gepubliceerd|ontvangen|beantwoord)\b",
        r"\bindieners?\b",
        r"\bnummer\b",
        r"\bzittingsperiode\b",
    ),
}
_CUE = re.compile("|".join(p for patterns in _CUES.values() for p in patterns))


def intent_of(question: str) -> Intent:
    """:attr:`Intent.DOCUMENT` when the question asks who asked, to whom, when or its number."""
    return Intent.DOCUMENT if _CUE.search(fold(question)) else Intent.CONTENT


def question_language(question: str) -> str:
    """The language whose stop words the question uses most ("fr" on a tie)."""
    words = [fold(w) for w in tokenize(question, stem=False, stopwords=False)]
    counts = {lang: sum(w in stopwords_of(lang) for w in words) for lang in LANGUAGES}
    return max(LANGUAGES, key=lambda lang: (counts[lang], lang == "fr"))
