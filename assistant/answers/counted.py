"""A count must count what was asked: « combien de zones … ? » is not answered by « 8.430
redevances sur des zones de livraison ».

A question that asks for a number of things (« combien de X », « combien y a-t-il de X »,
« quel est le nombre de X », « hoeveel X ») names what it counts: X, the first word after
it that is no adjective or determiner (« combien de nouveaux arbres » counts « arbres »;
:func:`counted_noun`). A quoted figure (in digits or in words) answers it only when X
stands next to it, as the same stem or a long shared prefix: in the two words after it
(« 1.200 nouveaux logements ») or the five before it (« logements inoccupés : 2.874 »), one-
letter elisions and scales (« d' », « million ») not counted; or when the sentence says
« le nombre de X » (« le nombre de places créées est de 120 »); or when the figure's
sentence names no X but continues one that does (« … de nouveaux commerces. Il y a eu 31
lauréats »: a renaming, which word matching cannot check). When no quoted figure does,
the documents give a number of something else (:func:`uncounted`), and the assistant says
so instead of quoting it.

A Dutch compound counts what its last part counts (« hoeveel rusthuisbedden » is answered
by « 2.100 bedden », and « hoeveel bedden » by « 15.204 rusthuisbedden »).

A passage in another language than the question cannot be checked word for word (no
translation offline): a quote that holds one is trusted.

A count of people is one of the noun asked: « 350 ménages » does not say how many
« personnes ».

Non-goals: amounts and percentages (« combien coûte », « quel pourcentage »: their unit is
the answer's, not a noun of the question), durations and measures (« combien de temps »,
« combien de place », « combien de mètres carrés »: units written differently, « m² »).
"""

from __future__ import annotations

import re

from ..search.intent import question_language
from ..text.analyzer import fold, tokenize
from .question_types import NUMBER, SPELLED_NUMBERS, YEAR, AnswerType, values, wanted
from .quote_context import continues

__all__ = ["counted_noun", "counts", "names_word", "stands_with", "uncounted"]

# « combien de », « combien y a-t-il de », « combien compte-t-on de », « hoeveel »: then the
# words from which the noun is taken
_COUNTED = re.compile(
    r"\b(?:combien(?:\s+(?:y\s+(?:en\s+)?a-t-il|[\w'’]+-(?:t-)?(?:il|elle|on|ils|elles))"
    r"(?:\s+eu)?)?\s+(?:de\b|d['’])|(?:quel (?:est le |était le )?|le )nombre (?:de\b|d['’])"
    r"|hoeveel\b|het aantal\b)\s*((?:[^\W\d_][\w²³-]*\s*){1,3})",
    re.I,
)
# what « combien de » / « hoeveel » also asks without counting a noun of the question: a
# duration, a measure (« combien de place » is room, « combien de places » seats)
_NOT_COUNTED = frozenset(
    "temps fois jours mois annees ans semaines heures tijd keer dagen maanden jaren weken uren"
    " place espace surface superficie metres kilometres hectares plaats ruimte oppervlakte"
    " meter vierkante entre van".split()
)
# words before the noun, passed over: « combien de nouveaux arbres », « hoeveel nieuwe bomen »
_BEFORE_NOUN = frozenset(
    "nouveaux nouvelles nouveau nouvelle supplementaires autres ces ses leurs nos vos premiers"
    " premieres grands grandes petits petites jeunes nieuwe extra andere bijkomende deze die"
    " zijn haar hun".split()
)
_ARTICLES_NL = frozenset("de het een".split())  # « hoeveel bedroeg de subsidie »: a verb
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*")  # digits apart from letters: « 12km »
# a figure; a year followed by a figure is two (« in 2023 450 laadpalen »)
_FIGURE = re.compile(
    rf"{YEAR}(?=[  ]\d)|(?<![\d.,/]){NUMBER}(?![\d/])|\b(?:{SPELLED_NUMBERS})\b", re.I
)
_NUMBER_OF = re.compile(r"\b(?:nombre|aantal) (?:de |d['’]|des |van |van de )?([^\W\d_]+)", re.I)
_SCALE = frozenset("million millions milliard milliards miljoen miljard mio".split())
_AFTER, _BEFORE = 2, 5  # words on each side of a figure where its noun may stand
_PREFIX_SHARE = 0.8


def counted_noun(question: str) -> str | None:
    """The word ``question`` counts (« zones » for « Combien de zones de livraison … ? »);
    None when it asks for no number of things."""
    asked = wanted(question)
    if AnswerType.COUNT not in asked or asked & {AnswerType.AMOUNT, AnswerType.PERCENT}:
        return None
    m = _COUNTED.search(question)
    if m is None:
        return None
    words = m.group(1).split()
    dutch = fold(m.group(0)).startswith(("hoeveel", "het aantal"))
    if dutch and len(words) > 1 and fold(words[1]) in _ARTICLES_NL:
        return None  # « hoeveel bedroeg de subsidie? », « hoeveel kost het? »
    for word in words:
        folded = fold(word)
        if folded in _NOT_COUNTED:
            return None
        if folded not in _BEFORE_NOUN:
            return word
    return None


def _stems(word: str, language: str) -> tuple[str, ...]:
    """The stem of ``word``, and in Dutch the stem of its head too: a compound is a kind of
    its last part (``rusthuisbedden`` are ``bedden``; :mod:`assistant.text.compounds`)."""
    got = tokenize(word, stopwords=False, language=language, compounds=language == "nl")
    if not got:
        return ()
    return (got[0], got[-1]) if language == "nl" and len(got) > 1 else (got[0],)


def _same(stems: tuple[str, ...], word: str, language: str) -> bool:
    """Whether ``word`` has one of ``stems`` (or shares a long prefix with one).

    A compound of the question is met by the same compound, or by its head standing alone
    (``rusthuisbedden``: ``bedden``), never by another compound with that head
    (``ziekenhuisbedden`` are other beds) nor by one sharing its modifier (``rusthuizen``).
    A simple word of the question is met by a compound of the sentence that it heads
    (``bedden``: ``rusthuisbedden``)."""
    got = _stems(word, language)
    if not got:
        return False
    if len(stems) > 1:  # a compound of the question
        return got[0] in stems
    (stem,) = stems
    n = max(4, round(_PREFIX_SHARE * len(stem)))
    return any(g == stem or (len(stem) >= n and len(g) >= n and g[:n] == stem[:n]) for g in got)


def _figures(sentence: str) -> list[tuple[int, int]]:
    """The spans of the figures of ``sentence`` that say how many (not « en 2022 », not
    « 31 décembre »: when)."""
    dates = [(v.start, v.end) for v in values(sentence) if v.type is AnswerType.DATE]
    return [
        m.span()
        for m in _FIGURE.finditer(sentence)
        if not re.fullmatch(YEAR, m.group()) and not any(a <= m.start() < b for a, b in dates)
    ]


def names_word(noun: str, sentence: str, *, language: str) -> bool:
    """Whether ``sentence`` names ``noun``: a word of it with the same stem, or a stem
    sharing a long prefix with it (``_PREFIX_SHARE`` of its letters, at least 4)."""
    stems = _stems(noun, language)
    return bool(stems) and any(_same(stems, w, language) for w in _WORD.findall(sentence))


def _continued(noun: str, before: str, sentence: str, *, language: str) -> bool:
    """Whether the figure of ``sentence`` may count ``noun`` named in the sentence it
    continues: « Open Soon soutenant l'ouverture de nouveaux commerces. Il y a eu 31
    lauréats en 2020 »: the figure's own sentence names no ``noun`` (it renames it), the
    one before does, and ``sentence`` opens on an anaphor or follows a lead-in (« : »)."""
    return (
        bool(_figures(sentence))
        and continues(sentence, before)
        and names_word(noun, before, language=language)
        and not names_word(noun, sentence, language=language)
    )


def counts(noun: str, sentence: str, *, language: str) -> bool:
    """Whether a figure of ``sentence`` stands with ``noun`` (the window of the docstring),
    or the sentence gives « le nombre de NOUN » / « het aantal NOUN » and a figure."""
    stems = _stems(noun, language)
    if not stems:
        return True
    figures = _figures(sentence)
    if figures and any(_same(stems, w, language) for w in _NUMBER_OF.findall(sentence)):
        return True  # « le nombre de places d'accueil créées est de 120 »
    return any(stands_with(noun, sentence, a, b, language=language) for a, b in figures)


def stands_with(noun: str, sentence: str, start: int, end: int, *, language: str) -> int:
    """Whether ``noun`` stands next to the figure ``sentence[start:end]``: 2 in the two words
    after it (« 15.204 erkende bedden »), 1 in the five before it (« bedden in 141
    rusthuizen »: more likely another noun's figure), 0 if not; one-letter elisions and
    scales not counted."""
    stems = _stems(noun, language)
    if not stems:
        return 0
    # one-letter elisions (« d' », « s' ») and scales (« 1 million de ») take no place
    words = [
        (m.start(), m.end(), m.group())
        for m in _WORD.finditer(sentence)
        if len(m.group()) > 1 and fold(m.group()) not in _SCALE
    ]
    after = [w for a, _, w in words if a >= end][:_AFTER]
    if any(_same(stems, w, language) for w in after):
        return 2
    before = [w for _, b, w in words if b <= start][-_BEFORE:]
    return int(any(_same(stems, w, language) for w in before))


def uncounted(question: str, quotes) -> str | None:
    """The noun ``question`` counts when none of the quoted sentences (``quotes``: each with
    ``sentences`` and ``language``, "" for the question's) has a figure of it; None when it
    asks for no count, when one does, or when a quote is in another language."""
    noun = counted_noun(question)
    if noun is None or not any(q.sentences for q in quotes):
        return None
    lang = question_language(question)
    if any(q.language and q.language != lang for q in quotes):
        return None
    for q in quotes:
        for j, s in enumerate(q.sentences):
            if counts(noun, s, language=lang) or (
                j and _continued(noun, q.sentences[j - 1], s, language=lang)
            ):
                return None
    return noun
