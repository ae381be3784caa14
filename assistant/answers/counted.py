"""A count must count what was asked: « combien de zones … ? » is not answered by « 8.430
redevances sur des zones de livraison ».

A question that asks for a number of things (« combien de X », « quel est le nombre de X »,
« hoeveel X ») names what it counts: X, the first word after it (:func:`counted_noun`). A
quoted figure (in digits or in words) answers it only when X stands next to it, as the
same stem or a long shared prefix: in the two words after it (« 1.200 nouveaux logements »)
or the five before it (« logements inoccupés : 2.874 », « le nombre de logements s'élève à
2.874 »).
When no quoted figure does, the documents give a number of something else
(:func:`uncounted`), and the assistant says so instead of quoting it.

A passage in another language than the question cannot be checked word for word (no
translation offline): a quote that holds one is trusted.

Non-goals: amounts and percentages (« combien coûte », « quel pourcentage »: their unit is
the answer's, not a noun of the question), durations (« combien de temps »), units written
differently (« mètres carrés » and « m² »).
"""

from __future__ import annotations

import re

from ..search.intent import question_language
from ..text.analyzer import fold, tokenize
from .question_types import SPELLED_NUMBERS, AnswerType, values, wanted

__all__ = ["counted_noun", "uncounted"]

_COUNTED = re.compile(
    r"\b(?:combien\b(?:\s+[\w'’-]+){0,3}?\s+(?:de\b|d['’])|(?:quel (?:est le |était le )?"
    r"|le )nombre (?:de\b|d['’])|hoeveel|het aantal)\s*([^\W\d_][\w²³-]*)",
    re.I,
)
# what « combien de » / « hoeveel » also asks without counting a noun of the question
_NOT_COUNTED = frozenset(
    "temps fois jours mois annees ans semaines heures tijd keer dagen maanden jaren weken uren"
    " bedraagt bedragen kost kosten is zijn was waren werd werden wordt worden".split()
)
_WORD = re.compile(r"[^\W_]+(?:[.,]\d+)*")
_FIGURE = re.compile(
    rf"(?<![\d.,/])\d+(?:[  .]\d{{3}})*(?:,\d+)?(?![\d/])|\b(?:{SPELLED_NUMBERS})\b", re.I
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_AFTER, _BEFORE = 2, 5  # words on each side of a figure where its noun may stand
_PREFIX_SHARE = 0.8


def counted_noun(question: str) -> str | None:
    """The word ``question`` counts (« zones » for « Combien de zones de livraison … ? »);
    None when it asks for no number of things."""
    asked = wanted(question)
    if AnswerType.COUNT not in asked or asked & {AnswerType.AMOUNT, AnswerType.PERCENT}:
        return None
    m = _COUNTED.search(question)
    if m is None or fold(m.group(1)) in _NOT_COUNTED:
        return None
    return m.group(1)


def _same(stem: str, word: str, language: str) -> bool:
    got = tokenize(word, stopwords=False, language=language)
    if not got:
        return False
    n = max(4, round(_PREFIX_SHARE * len(stem)))
    return got[0] == stem or (len(stem) >= n and len(got[0]) >= n and got[0][:n] == stem[:n])


def counts(noun: str, sentence: str, *, language: str) -> bool:
    """Whether a figure of ``sentence`` stands with ``noun`` (the window of the docstring)."""
    stem = tokenize(noun, stopwords=False, language=language)
    if not stem:
        return True
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(sentence)]
    dates = [(v.start, v.end) for v in values(sentence) if v.type is AnswerType.DATE]
    for m in _FIGURE.finditer(sentence):
        start, end = m.span()
        if _YEAR.fullmatch(m.group()) or any(a <= start < b for a, b in dates):
            continue  # « en 2022 », « 31 décembre »: when, not how many
        after = [w for a, _, w in words if a >= end][:_AFTER]
        before = [w for _, b, w in words if b <= start][-_BEFORE:]
        if any(_same(stem[0], w, language) for w in (*after, *before)):
            return True
    return False


def uncounted(question: str, quotes) -> str | None:
    """The noun ``question`` counts when none of the quoted sentences (``quotes``: each with
    ``sentences`` and ``language``, "" for the question's) has a figure of it; None when it
    asks for no count, when one does, or when a quote is in another language."""
    noun = counted_noun(question)
    if noun is None or not quotes:
        return None
    lang = question_language(question)
    if any(q.language and q.language != lang for q in quotes):
        return None
    if any(counts(noun, s, language=lang) for q in quotes for s in q.sentences):
        return None
    return noun
