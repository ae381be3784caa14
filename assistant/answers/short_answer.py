"""The short answer: the value a question wants, taken from the sentence quoted first.

"Quand l'accord-cadre a-t-il été conclu ?" quoting "L'accord-cadre sectoriel ICT a été
conclu en février 2020." gives the short answer "février 2020", shown in bold before the
quote (:func:`lead_with`) and given in the JSON with its character range in the
citation's excerpt (:class:`assistant.answers.values.ShortAnswer`).

Non-goals: no yes/no verdict here (see :mod:`assistant.answers.verdict`), no value
computed or converted: the short answer is a span of the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..search.intent import question_language
from ..search.metadata_match import stems
from ..search.portfolios import translations
from ..text.analyzer import fold, tokenize
from ..text.civilities import CIVILITIES
from .counted import counted_noun, stands_with
from .persons import INSTITUTION_WORDS
from .question_types import YEAR, AnswerType, asked_years, values
from .values import ShortAnswer

__all__ = ["asks_holder", "find_short_answer", "lead_with"]

# the order in which a question's wanted types are looked for, and the value types that
# answer each, the closest first ("Quel budget ?" takes an amount before a count)
_ORDER = (
    (AnswerType.PERCENT, (AnswerType.PERCENT,)),
    (AnswerType.AMOUNT, (AnswerType.AMOUNT, AnswerType.COUNT)),
    (
        AnswerType.COUNT,
        (AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.DURATION),
    ),
    (AnswerType.DATE, (AnswerType.DATE,)),
    (AnswerType.DURATION, (AnswerType.DURATION,)),
    (AnswerType.WHO, (AnswerType.WHO,)),
    (AnswerType.REFERENCE, (AnswerType.REFERENCE,)),
)


def find_short_answer(
    wants: frozenset[AnswerType],
    text: str,
    spans,
    *,
    citation: int,
    terms=frozenset(),
    question: str = "",
    best: tuple[int, int] | None = None,
) -> ShortAnswer | None:
    """The value of a wanted type in the quoted ``spans`` of ``text`` (None: none).

    A value the ``question`` itself names ("le PBEE") is no answer. Of several, the one
    said with the year the question asks for (« combien de plaintes en 2021 ? »: « 356 en
    2021 », not « 412 plaintes en 2022 »), then a count
    that stands with the noun the question counts (« combien de lits » : « 2.100 lits »,
    before « lits : 2.100 »; :func:`assistant.answers.counted.stands_with`), then the one
    in the ``best`` sentence (the span the reader chose; the others are its context), then
    the one closest to the question's ``terms`` (analysed, see
    :func:`assistant.text.analyzer.tokenize`) in its sentence (:func:`proximity`), then the
    first.
    """
    asked = fold(question)
    noun = counted_noun(question) if AnswerType.COUNT in wants else None
    language = question_language(question)

    # « combien de plaintes en 2021 ? »: the figure said with 2021, not « 412 … en 2022 »
    year = next(iter(asked_years(question)), None)

    def of_year(sentence: str, value) -> int:
        """1: the figure's clause (else its sentence's opening) says the year asked; -1:
        another year; 0: no year. « En 2022, 412 plaintes …, contre 356 en 2021 »."""
        lo = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, value.start)), default=0)
        m = _CLAUSE_BREAK.search(sentence, value.end)
        hi = m.start() if m else len(sentence)
        said = _A_YEAR.findall(sentence[lo:hi]) or _A_YEAR.findall(sentence[:lo])[:1]
        if not said:
            return 0
        return 1 if year in said else -1

    def counts_noun(sentence: str, value) -> int:
        if noun is None:
            return 0
        return stands_with(noun, sentence, value.start, value.end, language=language)

    if AnswerType.WHO in wants:  # « Qui est la ministre de la Mobilité ? »: her name
        for start, end in spans:
            found = _holder(text[start:end], question)
            if found is not None:
                a, b = start + found[0], start + found[1]
                return ShortAnswer(text=text[a:b], type=AnswerType.WHO.value, citation=citation,
                                   start=a, end=b)  # fmt: skip
    for wanted_type, accepted in _ORDER:
        if wanted_type not in wants:
            continue
        for value_type in accepted:
            found = [
                (
                    start + v.start,
                    start + v.end,
                    (
                        of_year(text[start:end], v) if year else 0,
                        counts_noun(text[start:end], v),
                        best is not None and best[0] <= start and end <= best[1],
                        proximity(text[start:end], v.start, v.end, terms),
                    ),
                )
                for start, end in spans
                for v in values(text[start:end])
                if v.type == value_type and fold(text[start + v.start : start + v.end]) not in asked
            ]
            if found:
                a, b, _ = max(found, key=lambda abp: abp[2])
                if value_type in _PARTS:
                    a, b = _part_asked(text, spans, a, b, terms, question, value_type)
                return ShortAnswer(text=text[a:b], type=value_type.value, citation=citation,
                                   start=a, end=b)  # fmt: skip
    return None


_A_YEAR = re.compile(rf"\b{YEAR}\b")
# where a figure's clause ends: punctuation, or a comparison with another year's figure
_CLAUSE_BREAK = re.compile(r"[,;:()]|\s(?:contre|tegenover|tegen|versus|against|et|and)\s")
# a number given as part of another: « 1 van de 12 meetstations », « 4 sur 15 », « Sur les
# 15 piscines que compte la Région, 4 sont fermées » (the sentence says the part), « 1.800
# places, dont 450 réservées aux familles » (a part the question must name)
_PARTS = (AnswerType.COUNT, AnswerType.AMOUNT)
_PART_OF = re.compile(r"^\s*(?:sur|des|parmi|van(?: de| het)?|op|of(?: the)?|out of)\s*$", re.I)
# the whole named first, with its article: « Sur les 15 piscines », « Van de 12 stations »
# (not « een bedrag van 5 miljoen euro », where « van » is no « out of »)
_WHOLE_FIRST = re.compile(
    r"\b(?:(?:sur|parmi)\s+(?:les\s+|ces\s+)?|(?:van|op)\s+(?:de|het)\s+|out of\s+(?:the\s+)?"
    r"|of the\s+)$",
    re.I,
)
_SUBSET = re.compile(r"^[^.;:]{0,80},\s*(?:dont|waarvan|waaronder|of which|including)\s*$", re.I)
_CLAUSE_END = re.compile(r"[,;:.]|\s(?:et|and|mais|maar)\s")
# between two parts of one list: « 1.020 door Net Brussel en 2.120 door de gemeenten »
_LISTED = re.compile(r"^[^.;:]{0,60}?(?:,|\s(?:en|et|and))\s*$", re.I)
# a question that asks for the whole: « combien de piscines compte la Région ? »
_TOTAL = re.compile(
    r"\b(?:au total|en tout|in totaal|in het totaal|in total|compte(?:nt)?|telt|tellen)\b", re.I
)


def _part_asked(
    text: str, spans, a: int, b: int, terms, question: str, kind: AnswerType
) -> tuple[int, int]:
    """[a, b) or, when that figure (of type ``kind``) is a whole its sentence gives a part of,
    the part's range (a figure of the same type): a part said right with it (« 1 van de 12
    meetstations ») unless the question asks for the total; a part said after the whole
    (« Sur les 15 piscines …, 4 sont fermées ») or a subset (« dont 450 réservées aux
    familles ») when the question names what only the part's own clause says."""
    span = next(((s, e) for s, e in spans if s <= a and b <= e), None)
    if span is None:
        return a, b
    s0, e0 = span
    sentence = text[s0:e0]
    figures = [
        (s0 + v.start, s0 + v.end)
        for v in values(sentence)
        if v.type == kind and not re.fullmatch(YEAR, sentence[v.start : v.end])
    ]
    total = bool(_TOTAL.search(question))

    def names_the_part(c: int, d: int) -> bool:  # a word of the question only its clause has
        rest = text[d:e0]
        cut = _CLAUSE_END.search(rest)
        own = _words_terms(rest[: cut.start()] if cut else rest)
        return bool((own & terms) - _words_terms(text[s0:c]))

    whole = _whole_of(text, figures, a, b)
    if whole is not None and not names_the_part(a, b):
        a, b = whole  # « 138 écoles …, dont 97 écoles fondamentales » for « combien d'écoles ? »
    for c, d in figures:
        if (c, d) == (a, b):
            continue
        if d <= a and _PART_OF.match(text[d:a]) and not total:
            return c, d  # « 1 van de 12 meetstations »
        if b <= c and _WHOLE_FIRST.search(text[s0:a]) and "," in text[b:c] and not total:
            if names_the_part(c, d):
                return c, d  # « Sur les 15 piscines …, 4 sont fermées » for « … fermées ? »
        if b <= c and _SUBSET.match(text[b:c]):
            # « waarvan 1.020 door Net Brussel en 2.120 door de gemeenten »: the parts listed
            prev_end = d
            for e, f in [(c, d), *(x for x in figures if x[0] > d)]:
                if e > c and not _LISTED.match(text[prev_end:e]):
                    break
                if names_the_part(e, f):
                    return e, f  # « dont 450 réservées aux familles » for « … pour les familles ? »
                prev_end = f
    return a, b


def _whole_of(text: str, figures, a: int, b: int) -> tuple[int, int] | None:
    """The figure that [a, b) is a listed part of (« 138 écoles …, dont 97 … et 41 … »: 138
    for 97 or 41), None when it is none's."""
    for c, d in figures:
        if d > a:
            break
        parts = [f for f in figures if f[0] >= d]
        if not parts or not _SUBSET.match(text[d : parts[0][0]]):
            continue
        prev = d
        for k, (e, f) in enumerate(parts):
            if k and not _LISTED.match(text[prev:e]):
                break
            if (e, f) == (a, b):
                return c, d
            prev = f
    return None


def _words_terms(text: str) -> frozenset[str]:
    return frozenset().union(*(_terms_of(m.group()) for m in _WORD.finditer(text)))


# « qui est … ? », « wie is … ? »: who holds something (not « qui a interrogé … ? »), on
# the folded question
_WHO_IS = re.compile(
    r"\b(?:qui (?:est|sont|etait|etaient|occupe)|wie (?:is|zijn|was|waren|bekleedt)|who is"
    r"|comment s'appelle|hoe heet)\b"
)
# an office a question may ask the holder of (French, Dutch), as the pages write them, and
# as the folded question writes them (no accents), each with its one name in both languages
_OFFICES = (
    ("minister-president", r"ministres?-pr[ée]sident(?:e|es|s)?|minister-president(?:en)?"),
    ("secretary", r"secr[ée]taires? d['’ ]\s*[ée]tat|staatssecretaris(?:sen)?"),
    ("college", r"membres? du coll[èe]ge(?: r[ée]uni)?|(?:lid|leden) van het verenigd college"),
    ("minister", r"ministres?|ministers?"),
)
_OFFICE = re.compile(
    "|".join(rf"(?P<{key.replace('-', '_')}>\b(?:{forms})\b)" for key, forms in _OFFICES),
    re.IGNORECASE,
)
# a person's name just before an office: « à Rudi Vervoort, Ministre-Président … »,
# « Nathalie Dewaele, Ministre … » (one to four capitalised words, particles between)
_NAME_BEFORE = re.compile(
    r"(?<![\w'’-])((?:[A-ZÀ-Ý][\w'’-]+\s+(?:(?:de|van|der|den|du|le|la|d['’])\s+)*){0,3}"
    r"[A-ZÀ-Ý][\w'’-]+)\s*,\s*$"
)
# words that open a name without being part of it (no name holds an institution's words:
# persons.INSTITUTION_WORDS)
_NOT_A_NAME_OPENER = CIVILITIES | frozenset(
    """le la les l un une het een selon pour par avec apres volgens voor door met aan""".split()
)
# words of the question after its office that name no portfolio
_NOT_PORTFOLIO = frozenset(
    """gouvernement region regering gewest bruxelles bruxellois brussels brusselse capitale
    hoofdstedelijk hoofdstedelijke actuel actuelle huidige""".split()
)


def asks_holder(question: str) -> bool:
    """Whether ``question`` asks who holds an office (« Qui est la ministre de la Mobilité
    ? », « Wie is de minister-president? »), which a page's header may answer."""
    return bool(_WHO_IS.search(fold(question))) and _OFFICE.search(question) is not None


def _holder(sentence: str, question: str) -> tuple[int, int] | None:
    """[start, end) of the name of the holder of an office ``question`` asks for (« qui est
    le ministre-président ? »), written just before that office in ``sentence`` (« Rudi
    Vervoort, Ministre-Président … »); None: none. The words the question puts after the
    office (« de la Mobilité ») must meet the sentence, in either language (« belast met
    Mobiliteit »)."""
    if not _WHO_IS.search(fold(question)):
        return None
    offices = {m.lastgroup: m for m in _OFFICE.finditer(question)}
    if not offices:
        return None
    portfolio = set()
    for m in offices.values():
        rest = question[m.end() :].split("?")[0]
        portfolio |= {t for t in stems(rest) if fold(t) not in _NOT_PORTFOLIO}
    if portfolio and not portfolio & (stems(sentence) | translations(sentence)):
        return None
    for m in _OFFICE.finditer(sentence):
        if m.lastgroup in offices:
            found = _name_before(sentence, m.start())
            if found is not None:
                return found
    return None


def _opens_no_name(word: str, following: str) -> bool:
    """Whether a capitalised ``word`` before a name is no part of it: a civility
    (« Monsieur », « De heer »), an article or a word that opens a sentence (« Selon »,
    « Volgens »), not a name's particle (« De Smet », « Van den Brandt »)."""
    folded = fold(word).rstrip(".")
    return folded in _NOT_A_NAME_OPENER or (folded == "de" and fold(following) == "heer")


def _name_before(text: str, at: int) -> tuple[int, int] | None:
    """[start, end) of the name that stands just before ``text[at:]`` (None: none), without
    its civility (« Monsieur »); none when it is an institution's (« Le Gouvernement … »)."""
    lo = max(0, at - 80)
    m = _NAME_BEFORE.search(text[lo:at])
    if m is None:
        return None
    start, end = lo + m.start(1), lo + m.end(1)
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and _opens_no_name(words[0].group(), words[1].group()):
        words.pop(0)
    if not words or any(fold(w.group()) in INSTITUTION_WORDS for w in words):
        return None
    return start + words[0].start(), end


def proximity(sentence: str, start: int, end: int, terms) -> float:
    """How close ``sentence[start:end]`` (a value) is to the question's ``terms``.

    The sum, over the terms the sentence holds outside the value, of 1 / the distance in
    words to the term's nearest occurrence (1: the next word): in "adoptée fin 2021, pour
    une entrée en vigueur en 2024", "2024" is the value near "vigueur", not "fin 2021".
    """
    before, after = {}, {}  # term -> its nearest distance on that side
    words = [(m.start(), _terms_of(m.group())) for m in _WORD.finditer(sentence)]
    first = next((i for i, (at, _) in enumerate(words) if at >= start), len(words))
    last = next((i for i, (at, _) in enumerate(words) if at >= end), len(words))
    for i, (_, found) in enumerate(words):
        if first <= i < last:
            continue
        d = first - i if i < first else i - last + 1
        for t in found & terms:
            side = before if i < first else after
            side[t] = min(side.get(t, d), d)
    nearest = {t: min(before.get(t, d), d) for t, d in after.items()} | {
        t: d for t, d in before.items() if t not in after
    }
    return sum(1 / d for d in nearest.values())


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=65536)
def _terms_of(word: str) -> frozenset[str]:
    return frozenset(tokenize(word))


# what the answer adds after a quote, not the document's words: kept out of the « »
_NOTES = re.compile(r"(?: \((?:en néerlandais|ministre\(s\) porteur\(s\) : [^()]*)\))+$")


def lead_with(short: ShortAnswer, answer: str) -> str:
    """``answer`` led by the short answer in bold: "**février 2020** — « … » [1]", the notes
    added after the quote (« (en néerlandais) », the ministers) left after the « »."""
    body, sep, marker = answer.rpartition(" [")
    if sep and "\n" not in answer:
        m = _NOTES.search(body)
        notes = m.group() if m else ""
        body = body[: len(body) - len(notes)]
        return f"**{short.text}** — « {body} »{notes} [{marker}"
    return f"**{short.text}** — {answer}"
