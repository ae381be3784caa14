"""How well a question's words name a document's people: its author, addressee and function.

« le ministre de la Mobilité », « la secrétaire d'État à l'Urbanisme », « de minister van
Mobiliteit », « la question de Mme Debaets » name a portfolio or a person; among documents
that say the same (« same question, different ministers ») the one whose metadata match
should come first. Each document's metadata (author, addressee and the addressee's
function) is analysed with both analyzers into bare stems (``Mobilité`` and ``Mobiliteit``
both give ``mobil``), stop words of either language dropped, and the portfolios it names
are given their names in the other language too (:mod:`assistant.search.portfolios`:
« belast met Leefmilieu » also matches « la ministre de l'Environnement »).

A question word found in ``df`` of the ``N`` documents' metadata weighs
``max(0, 1 - (df - 1) / (N / 2))²``: 1 when one document holds it (a surname, a portfolio),
nothing from half of the documents on (``Ministre``, ``Bruxelles-Capitale``). A word
counts once (the best of its stems under the two analyzers); a document's match is the
sum over the question's words, capped at 1. The people's names count in any question; the
words of the function only in a question that names an office (:func:`names_an_office`),
and only its stems of :data:`MIN_FUNCTION_STEM` letters or more (or whole words: « Eau »).
A question that names a written question by its number (« la question 1021 », « vraag nr.
214 », :func:`numbers_named`) fully matches the pages of that number.
Over one document, or words every document shares, all documents match alike and the
ranking does not change.

Non-goals: no list of ministers, no fuzzy name matching, no weighting of
the match against the passages' scores (see :mod:`assistant.search.searcher`,
``ranking.json``).
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from ..text.analyzer import LANGUAGES, fold, split_words, stopwords_of, tokenize
from ..text.civilities import CIVILITY
from .portfolios import translations

__all__ = [
    "MIN_FUNCTION_STEM",
    "MetadataIndex",
    "names_an_office",
    "numbers_named",
    "stems",
    "word_stems",
]


def word_stems(text: str) -> list[frozenset[str]]:
    """For each word of ``text`` (stop words of every language dropped), its stems.

    (A French "la" is no Dutch stop word: kept, it would match every French function.)
    """
    stop = frozenset().union(*(stopwords_of(language) for language in LANGUAGES))
    return [
        frozenset(t for language in LANGUAGES for t in tokenize(w, language=language))
        for w in split_words(text)
        if fold(w) not in stop
    ]


def stems(text: str) -> frozenset[str]:
    """The bare stems of ``text`` under every analyzer, stop words of every language dropped."""
    return frozenset().union(*word_stems(text))


# a member of a government named by their office: the words of a function count only then
# (not « les autorités compétentes », « le collège des bourgmestre et échevins »)
_OFFICE = re.compile(
    r"\b(?:ministres?|ministers?|secrétaires? d['’ ]\s*[ée]tat|staatssecretaris(?:sen)?"
    r"|membres? du (?:collège réuni|collège|gouvernement)|lid van het verenigd college"
    r"|regeringslid|collegelid)\b"
    # « porteur » as the bundled answers use it: « le ministre porteur », « porteur de l'objectif »
    r"|\bporteurs? (?:de l['’]objectif|du chantier)",
    re.IGNORECASE,
)


# « la question 1021 », « la question écrite n°517 », « vraag nr. 214 », « les questions
# 1401 et 1402 »: pages by their number. Not « la sous-question 2 », « question 1.1 »,
# « vraag 1.000 euro », « la question 2021-2022 ».
_MARKER = r"(?:n[°º.]\s*|no\.?\s*|nrs?\.?\s*|num[ée]ros?\s+|nummers?\s+|#\s*)"
_NUMBERED = re.compile(
    r"(?<![\w-])(?:questions?(?P<written>\s+[ée]crites?)?|(?P<schriftelijke>schriftelijke\s+)?"
    r"vra(?:ag|gen))\s+(?P<marker>" + _MARKER + r")?"
    r"(?P<numbers>\d{1,5}(?:\s*(?:,|et|en|and|&)\s*" + _MARKER + r"?\d{1,5})*)"
    r"(?![.,/-]?\d|\s\d{3}\b)",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_YEARS = range(1990, 2036)  # « les questions 2021 »: a year, unless written « n°2021 »


# a last name after a civility: « Mme Lambert », « M. Vervoort », « mevrouw Wuyts »
_CIVIL_NAME = re.compile(CIVILITY + r"\s+(?:[A-ZÀ-Ý][\w'’-]+\s+)?([A-ZÀ-Ý][\w'’-]+)")


def numbers_named(question: str) -> frozenset[str]:
    """The numbers of the written questions ``question`` names (« la question 1021 »). A
    number under 100 or one that reads as a year counts only with a mark (« n°45 », « la
    question écrite 45 »): « la question 3 du député » is a sub-question."""
    out = set()
    for m in _NUMBERED.finditer(question):
        marked = bool(m["written"] or m["schriftelijke"] or m["marker"])
        for digits in _DIGITS.findall(m["numbers"]):
            number = digits.lstrip("0") or "0"
            if marked or (len(number) >= 3 and int(number) not in _YEARS):
                out.add(number)
    return frozenset(out)


def names_an_office(question: str) -> bool:
    """Whether ``question`` names a member by their office (« la ministre de la Mobilité »,
    « de staatssecretaris voor Huisvesting »): only then do its words meet the functions
    (« logements » alone asks about housing, not about the Housing secretary of State)."""
    return bool(_OFFICE.search(question))


# A function's stems shorter than this are left out, unless the stem is a word of it
# (« Eau »): a word stemmed that short meets unrelated words under the other language's
# stemmer (Dutch « Gezondheid » gives « zon », as does « zones »)
MIN_FUNCTION_STEM = 4


def _weight(df: int, n: int) -> float:
    return max(0.0, 1 - (df - 1) / (n / 2)) ** 2


class MetadataIndex:
    """Stems of each document's metadata, and each chunk's document row."""

    def __init__(self, chunks) -> None:
        rows: dict[str, int] = {}  # doc id -> document row
        names: list[str] = []
        functions: list[str] = []
        owner = []
        people: list[tuple[tuple[frozenset[str], ...], ...]] = []  # per document, its names
        names_of: list[tuple[str, ...]] = []  # the same names, as written
        numbers: list[str] = []
        for c in chunks:
            if c.doc_id not in rows:
                rows[c.doc_id] = len(names)
                numbers.append((getattr(c, "doc_number", "") or "").lstrip("0"))
                names.append(f"{c.doc_author}\n{c.doc_addressee}")
                functions.append(c.doc_function)
                people.append(
                    tuple(tuple(word_stems(p)) for p in (c.doc_author, c.doc_addressee) if p)
                )
                names_of.append(tuple(p for p in (c.doc_author, c.doc_addressee) if p))
            owner.append(rows[c.doc_id])
        self._people = people
        self._names_of = names_of
        self._numbers = np.asarray(numbers, dtype=object)
        self.doc_ids = list(rows)
        self.chunk_doc = np.asarray(owner, dtype=np.int64)  # (n_chunks,) document row
        # stem -> document rows: of the people's names, of the functions (portfolios)
        self._names: dict[str, list[int]] = defaultdict(list)
        self._functions: dict[str, list[int]] = defaultdict(list)
        for row, (name, function) in enumerate(zip(names, functions, strict=True)):
            for stem in stems(name):
                self._names[stem].append(row)
            words = {fold(w) for w in split_words(function)}
            for stem in stems(function) | translations(function):
                if len(stem) >= MIN_FUNCTION_STEM or stem in words:
                    self._functions[stem].append(row)

    def document_scores(self, question: str) -> np.ndarray:
        """(n_documents,) match of the question with each document's metadata, in [0, 1]."""
        n = len(self.doc_ids)
        out = np.zeros(n, dtype=np.float64)
        maps = (self._names, self._functions) if names_an_office(question) else (self._names,)
        for word in set(word_stems(question)):
            best = np.zeros(n, dtype=np.float64)  # the word's best stem, per document
            for stem in word:
                for holding in maps:
                    holders = holding.get(stem)
                    if holders:
                        best[holders] = np.maximum(best[holders], _weight(len(holders), n))
            out += best
        named = numbers_named(question)
        if named:  # « la question 1021 »: its page, whatever its people
            out[np.isin(self._numbers, list(named))] = 1.0
        return np.minimum(out, 1.0)

    def numbered_documents(self, question: str) -> frozenset[str]:
        """The ids of the documents whose number the question names (« la question 1021 »;
        two series may share a number: « 214 » is ccc-214 and qe-214). Empty otherwise."""
        named = numbers_named(question)
        if not named:
            return frozenset()
        return frozenset(d for d, n in zip(self.doc_ids, self._numbers, strict=True) if n in named)

    def named_documents(self, question: str, *, at_least: float = 0.5) -> frozenset[str]:
        """The ids of the documents the question names: by their number (« la question
        1021 », :func:`numbers_named`); else by their addressee or author: by their
        office (« la ministre de la Mobilité », :func:`names_an_office`), those it matches best
        when that match is at least ``at_least`` (set by hand, not fitted) and not every
        document shares it; else those whose author's or addressee's whole name it holds
        (« Marc Wouters », not « Saint-Pierre » for Pierre-Yves Lux), or their last name
        after a civility (« Mme Lambert »). Empty otherwise."""
        if not self.doc_ids:
            return frozenset()
        numbered = self.numbered_documents(question)
        if numbered and len(numbered) < len(self.doc_ids):
            return numbered
        if names_an_office(question):
            scores = self.document_scores(question)
            best = float(scores.max())
            top = scores >= best - 1e-9
            if best < at_least or top.all():
                return frozenset()
            return frozenset(d for d, t in zip(self.doc_ids, top.tolist(), strict=True) if t)
        return self.people_named(question)

    def _people_in(self, question: str):
        """``(document id, person as written)`` for each author or addressee ``question``
        names: by whole name (« Marc Wouters », not « Saint-Pierre » for Pierre-Yves Lux),
        or by last name after a civility (« Mme Lambert »)."""
        asked = stems(question)
        surnames = stems(" ".join(_CIVIL_NAME.findall(question)))
        for d, names, people in zip(self.doc_ids, self._people, self._names_of, strict=True):
            for name, person in zip(names, people, strict=True):
                if name and (all(word & asked for word in name) or name[-1] & surnames):
                    yield d, person

    def people_named(self, question: str) -> frozenset[str]:
        """The ids of the documents whose author or addressee ``question`` names
        (:meth:`_people_in`); empty when every document is named so."""
        named = {d for d, _ in self._people_in(question)}
        return frozenset(named) if len(named) < len(self.doc_ids) else frozenset()

    def pages_of_people(self, question: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """The pages of every person ``question`` names (by whole name, or a civility and
        their last name), those of all of them when it names several (« qu'a répondu Rudi
        Vervoort à Sophie Lambert ? »: the pages where both are), with those people's names
        as the documents write them; nothing when it names nobody, or every page is theirs."""
        pages: dict[str, set[str]] = {}  # a person (folded) -> their pages
        written: dict[str, str] = {}
        for d, person in self._people_in(question):
            key = fold(person)
            pages.setdefault(key, set()).add(d)
            written[key] = person
        if not pages:
            return frozenset(), ()
        common = frozenset(set.intersection(*pages.values()))
        if not common or len(common) == len(self.doc_ids):
            return frozenset(), ()
        return common, tuple(written[k] for k in sorted(pages))

    def documents_of(self, name: str) -> frozenset[str]:
        """The ids of the documents whose author or addressee ``name`` names: each of its
        words is one of theirs, as the same stem (« Lemaire » or « Inès Lemaire »)."""
        asked = [w for w in word_stems(name) if w]
        if not asked:
            return frozenset()
        return frozenset(
            d
            for d, people in zip(self.doc_ids, self._people, strict=True)
            if any(person and all(any(w & p for p in person) for w in asked) for person in people)
        )

    def surnames_in(self, text: str) -> frozenset[str]:
        """The ids of the documents whose author's or addressee's last name ``text`` holds
        as a word, in any case (« lambert », « Dewaele »: a name written alone)."""
        asked = stems(text)
        return frozenset(
            d
            for d, people in zip(self.doc_ids, self._people, strict=True)
            if any(person and len(min(person[-1], key=len, default="")) >= 3
                   and person[-1] & asked for person in people)
        )  # fmt: skip

    def chunk_scores(self, question: str) -> np.ndarray:
        """(n_chunks,) the match of each chunk's document."""
        return self.document_scores(question)[self.chunk_doc]
