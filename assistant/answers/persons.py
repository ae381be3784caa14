"""People named in a question, and whether the documents know them.

« Qu'a demandé Inès Lemaire ? » over documents where no Inès Lemaire asks or is named: the
nearest passages are some other member's, and quoting them would answer for her. A name
the question writes where a person's stands (:func:`names_in`: two to four capitalised
words after « a demandé », « selon », « à Mme »…, not an institution's) is known when it
is a document's author or addressee, or its last name stands in a passage
(:func:`unknown_names`); otherwise the assistant says the documents do not speak of it,
as it does of any other missing subject.

Non-goals: no fuzzy matching (« Dewael » for « Dewaele » is not known), no check that a
first name goes with the last name a passage holds (« Jan Peeters » is known when a
Liesbeth Peeters is), the question's
first word (every sentence starts with a capital), one-word names without a civility
(« Vervoort »: the ordinary grounding weighs them).
"""

from __future__ import annotations

import re

from ..text.analyzer import LANGUAGES, fold, tokenize
from ..text.civilities import CIVILITIES, is_civility

__all__ = ["INSTITUTION_WORDS", "names_in", "unknown_names"]

# a name as written in the question: two to four capitalised words (« Pierre-Yves »,
# « LAMBERT »), particles between
_WORD = (
    r"(?:M\.|Dhr\.|Mevr\.|[A-ZÀ-Ý](?:[a-zà-ÿ'’]+|[A-ZÀ-Ý'’]{5,})"
    r"(?:-[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’]*)*)"
)  # not an acronym (« RPA Mediapark », « PAD »), a name in capitals (« LAMBERT ») is one
_NAME = re.compile(
    rf"(?<![\w'’-])(?:{_WORD}\s+(?:(?:de|van|der|den|du|le|la|d['’])\s+)*){{1,3}}{_WORD}"
)
# words of an institution's name, not of a person's (« la Région de Bruxelles-Capitale »),
# folded; short_answer's holders are read with the same list
INSTITUTION_WORDS = frozenset(
    """region gewest gouvernement regering parlement college commission commissie
    bruxelles-capitale brussels-hoofdstad bruxelles brussel brussels ministre minister
    strategie strategy plan communaute gemeenschap federation""".split()
)
_ARTICLE = re.compile(r"(?:\b(?:le|la|les|du|des|au|aux|het|een|un|une)|\bl['’])\s*$", re.I)
# what stands before a person's name in a question (folded): a verb of asking, answering or
# saying, a civility or an office, a preposition of whom (« de », « à », « par », « van »)
_BEFORE_A_PERSON = re.compile(
    r"\b(?:(?:demand|repond|ecri|pos|depos|interrog|interpell|adress|envoy|vroeg|vraag"
    r"|antwoord|schre|stelde|gesteld|diende|ingediend)\w*|dit|dire|selon|d'apres|volgens|zegt"
    r"|zei|door|par|de|d'|a|aan|van|pour|voor|deputee?"
    r"|ministre|secretaire d'etat|presidente?|minister|staatssecretaris|volksvertegenwoordiger"
    rf"|parlementslid|collega|{'|'.join(sorted(CIVILITIES, key=len, reverse=True))})\.?\s*$"
)


def names_in(
    question: str, *, outside: str | None = None, people_only: bool = False
) -> tuple[str, ...]:
    """The people's names ``question`` writes, civilities left out (« Mme Lambert » is
    « Lambert »; a single word only after a civility), not its first word, not inside
    ``outside`` (a part of it such as its subject); with ``people_only``, only those that
    stand where a person stands (« a demandé X », « selon X », « à Mme X »), not a
    programme's name (« l'appel Open Soon », « stages First Actiris »)."""
    out = []
    for m in _NAME.finditer(question):
        words, start = m.group().split(), m.start()
        if start == 0 and not is_civility(words[0]):
            words = words[1:]  # the sentence's first word: a capital of its own (« Selon »)
            start = question.find(words[0], len(m.group().split()[0])) if words else start
        civil = [w for w in words if is_civility(w)]
        name = " ".join(w for w in words if w not in civil)
        if (
            name
            and (len(name.split()) > 1 or civil)
            and (outside is None or name not in outside)
            and not _institution(question, start, name)
            and (civil or not people_only or _BEFORE_A_PERSON.search(fold(question[:start])))
        ):
            out.append(name)
    return tuple(out)


def _institution(question: str, start: int, name: str) -> bool:
    """Whether the capitalised words at ``start`` name an institution or a thing, not a
    person: one of its words is an institution's, or an article stands before it."""
    if any(fold(w) in INSTITUTION_WORDS for w in name.split()):
        return True
    return bool(_ARTICLE.search(question[:start]))


def unknown_names(question: str, *, metadata, lexical) -> list[str]:
    """The names of :func:`names_in` that no document knows: no author or addressee of
    theirs (``metadata``: a :class:`~assistant.search.metadata_match.MetadataIndex`), and a
    last name that no passage holds (``lexical``: the index's
    :class:`~assistant.indexing.lexical.LexicalIndex`; « le ministre Maron » knows « Alain
    Maron »). A question written in capitals has no name to tell."""
    letters = [ch for ch in question if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > len(letters) / 2:
        return []
    out = []
    for name in names_in(question, people_only=True):
        if metadata.documents_of(name):
            continue
        last = name.split()[-1]
        terms = [t for lang in LANGUAGES for t in tokenize(last, language=lang)]
        if terms and any(lexical.knows(t) for t in terms):
            continue
        out.append(name)
    return out
