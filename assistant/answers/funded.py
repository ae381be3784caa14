"""An amount must be the amount of what was asked: « le budget consacré à la culture » is not
answered by « le plan numérique (budget de 2,9 millions€) ».

A question that asks for a sum of money names what it is for: « quel est le budget consacré
à la culture », « le montant de la prime », « quel budget pour les écoles ».
:func:`funded_words` reads it (« culture », « prime », « écoles »): the content words
after the preposition, or after « pour » / « consacré à » when the phrase has one (« le
budget de la Région pour la culture » is for « culture »), no adjective, determiner or
money word. A quoted sentence that holds an amount answers the question only when it names
one of them (the same stem or a long shared prefix), or its passage's label does, or the
sentence it continues does (« L'appel Open Soon soutient les commerces. Il dispose de
400.000€ »); when none does, :func:`unfunded` returns the first and the assistant says the
documents give no amount for it.

A passage in another language than the question cannot be checked word for word (no
translation offline): a quote that holds one is trusted, as for counts
(:mod:`assistant.answers.counted`).

Non-goals: « combien coûte X » (X is the verb's subject, often a pronoun), amounts asked
without a « for what » (« quel est le montant total ? »), the Dutch questions that
:func:`~assistant.answers.question_types.wanted` does not read as amounts (« wat is het
bedrag van … »), synonyms (« culture » and
« secteur culturel » share a prefix; « musées » is not « culture »).
"""

from __future__ import annotations

import re

from ..search.intent import question_language
from ..text.analyzer import fold, stopwords_of
from .counted import names_word
from .question_types import AnswerType, values, wanted
from .quote_context import continues

__all__ = ["funded_noun", "funded_words", "unfunded"]

_MONEY = (
    r"budgets?|montants?|co[uû]ts?|prix|subsides?|subventions?|enveloppes?|financements?"
    r"|moyens|bedrag(?:en)?|kostprijs|subsidies?|middelen|financiering"
)
# words between the money word and the preposition: « le budget annuel total consacré à »
_BETWEEN = (
    r"annuels?|annuelles?|totale?s?|globale?s?|prévue?s?|consacrée?s?|allouée?s?|octroyée?s?"
    r"|dégagée?s?|disponibles?|destinée?s?|régionale?s?|réservée?s?|jaarlijkse?"
    r"|voorziene?|uitgetrokken"
)
_FOR = (  # the longer first; each ends on a space or an apostrophe
    r"(?:à la|à l['’]|aux|au|à|pour(?: les| la| le| l['’])?|de la|de l['’]|du|des|de|d['’]"
    r"|van(?: de| het)?|voor(?: de| het)?|aan(?: de| het)?)(?:\s+|(?<=['’]))"
)
_FUNDED = re.compile(
    rf"\b(?:{_MONEY})\b(?:\s+(?:{_BETWEEN})\b)*\s+{_FOR}((?:[^\W\d_][\w'’-]*\s*){{1,6}})",
    re.I,
)
# words before the noun, passed over: « le budget des nouvelles écoles »
_BEFORE_NOUN = frozenset(
    "nouveaux nouvelles nouveau nouvelle autres ces ses leurs nos vos cette ce cet son sa"
    " premiers premieres grands grandes petits petites nieuwe andere deze die dit zijn haar"
    " hun la le les l un une de het een".split()
)
# the words that say what the money is for, inside the phrase read
_PURPOSE = re.compile(
    r"pour|consacree?s?|allouee?s?|destinee?s?|reservee?s?|voor|aan|bestemd", re.I
)
_NEXT_COMPLEMENT = frozenset(
    "par en dans sur depuis avec selon entre durant pendant door in op sinds met volgens"
    " tijdens".split()
)
_MONEY_WORD = re.compile(rf"(?:{_MONEY}|{_BETWEEN})", re.I)


def funded_words(question: str) -> list[str]:
    """What ``question`` asks the amount of: the content words after the preposition
    (« culture » for « Quel est le budget consacré à la culture par la Région … ? »,
    « appel », « Open », « Soon » for « … le budget de l'appel Open Soon ? »); [] when it
    asks for no amount or names no « for what »."""
    if AnswerType.AMOUNT not in wanted(question):
        return []
    m = _FUNDED.search(question)
    if m is None:
        return []
    lang = question_language(question)
    stop = stopwords_of(lang)
    words = m.group(1).split()
    # « le budget de la Région pour la culture »: what it is for, not who pays
    purpose = [k for k, w in enumerate(words) if _PURPOSE.fullmatch(fold(w))]
    if purpose:
        words = words[purpose[0] + 1 :]
    # the phrase ends where another complement starts: « … à la culture par la Région en 2021 »
    end = next((k for k, w in enumerate(words) if fold(w) in _NEXT_COMPLEMENT), len(words))
    words = words[:end]
    out = []
    for word in words:
        word = re.sub(r"^[ldLD]['’]", "", word)
        folded = fold(word)
        if (
            len(word) > 1
            and folded not in _BEFORE_NOUN
            and folded not in stop
            and not _MONEY_WORD.fullmatch(word)
        ):
            out.append(word)
    return out[:3]


def funded_noun(question: str) -> str | None:
    """The first of :func:`funded_words` (the one a refusal names), or None."""
    words = funded_words(question)
    return words[0] if words else None


def _has_amount(sentence: str) -> bool:
    return any(v.type is AnswerType.AMOUNT for v in values(sentence))


def unfunded(question: str, quotes) -> str | None:
    """The noun ``question`` asks the amount of when no quoted sentence with an amount names
    one of :func:`funded_words` (nor its label, nor the sentence it continues); None when it
    asks for no such amount, when one does, when no quoted sentence holds an amount (another
    check says so), or when a quote is in another language. ``quotes``: each with ``label``,
    ``sentences`` and ``language`` ("" for the question's)."""
    words = funded_words(question)
    if not words:
        return None
    lang = question_language(question)
    if any(q.language and q.language != lang for q in quotes):
        return None

    def named(text: str) -> bool:
        return any(names_word(w, text, language=lang) for w in words)

    found = False
    for q in quotes:
        for j, s in enumerate(q.sentences):
            if not _has_amount(s):
                continue
            found = True
            before = q.sentences[j - 1] if j else ""
            if named(s) or named(q.label) or (continues(s, before) and named(before)):
                return None
    return words[0] if found else None
