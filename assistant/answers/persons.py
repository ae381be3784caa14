"""People named in a question, and whether the documents know them.

« Qu'a demandé Inès Lemaire ? » over documents where no Inès Lemaire asks or is named: the
nearest passages are some other member's, and quoting them would answer for her. A name
the question writes where a person's stands (:func:`names_in`: two to four capitalised
words after « a demandé », « selon », « à Mme »…, not an institution's) is known when it
is a document's author or addressee, or stands whole in a passage
(:func:`unknown_names`); otherwise the assistant says the documents do not speak of it,
as it does of any other missing subject.

Non-goals: no fuzzy matching (« Dewael » for « Dewaele » is not known), no name at the
very start of the question (every sentence starts with a capital), one-word names
(« Vervoort »: the ordinary grounding weighs them).
"""

from __future__ import annotations

import re

from ..text.analyzer import LANGUAGES, fold, tokenize

__all__ = ["names_in", "unknown_names"]

# a name as written in the question: two to four capitalised words, particles between
_NAME = re.compile(
    r"(?<![\w'’-])(?:[A-ZÀ-Ý][a-zà-ÿ'’-]+\s+(?:(?:de|van|der|den|du|le|la|d['’])\s+)*){1,3}"
    r"[A-ZÀ-Ý][a-zà-ÿ'’-]+"
)
# words of an institution's name, not of a person's (« la Région de Bruxelles-Capitale »)
_INSTITUTION = frozenset(
    """region gewest gouvernement regering parlement college commission commissie
    bruxelles-capitale brussels-hoofdstad bruxelles brussel brussels ministre minister
    strategie strategy plan communaute gemeenschap federation""".split()
)
_ARTICLE = re.compile(r"(?:\b(?:le|la|les|du|des|au|aux|het|een|un|une)|\bl['’])\s*$", re.I)
# what stands before a person's name in a question (folded): a verb of asking, answering or
# saying, a civility or an office, a preposition of whom (« de », « à », « par », « van »)
_BEFORE_A_PERSON = re.compile(
    r"\b(?:demande|repondu|repond|dit|ecrit|pose|interroge|interpelle|selon|d'apres|volgens"
    r"|vroeg|vraagt|antwoordde|antwoordt|zegt|zei|schreef|stelde|door|par|de|d'|a|aan|van"
    r"|pour|voor|m\.|mme|monsieur|madame|mevrouw|heer|deputee?|ministre|secretaire d'etat"
    r"|presidente?|minister|staatssecretaris|volksvertegenwoordiger|parlementslid|collega)\s*$"
)


def names_in(
    question: str, *, outside: str | None = None, people_only: bool = False
) -> tuple[str, ...]:
    """The people's names ``question`` writes (not at its very start, not inside
    ``outside``, a part of it such as its subject); with ``people_only``, only those that
    stand where a person stands (« a demandé X », « selon X », « à Mme X »), not a
    programme's name (« l'appel Open Soon », « stages First Actiris »)."""
    return tuple(
        m.group()
        for m in _NAME.finditer(question)
        if m.start() > 0
        and (outside is None or m.group() not in outside)
        and not _institution(question, m.start(), m.group())
        and (not people_only or _BEFORE_A_PERSON.search(fold(question[: m.start()])))
    )


def _institution(question: str, start: int, name: str) -> bool:
    """Whether the capitalised words at ``start`` name an institution or a thing, not a
    person: one of its words is an institution's, or an article stands before it."""
    if any(fold(w) in _INSTITUTION for w in name.split()):
        return True
    return bool(_ARTICLE.search(question[:start]))


def unknown_names(question: str, *, metadata, lexical, chunks) -> list[str]:
    """The names of :func:`names_in` that no document knows: no author or addressee of
    theirs (``metadata``: a :class:`~assistant.search.metadata_match.MetadataIndex`), and
    no passage of ``chunks`` holding the whole name (``lexical``: the index's
    :class:`~assistant.indexing.lexical.LexicalIndex`, to find the passages with its
    words)."""
    out = []
    for name in names_in(question, people_only=True):
        if metadata.documents_of(name):
            continue
        terms = {w: [t for lang in LANGUAGES for t in tokenize(w, language=lang)] for w in
                 name.split()}  # fmt: skip
        if all(any(lexical.knows(t) for t in ts) for ts in terms.values() if ts):
            folded = " ".join(fold(name).split())
            rows = (lexical.scores(name) > 0).nonzero()[0]
            if any(folded in " ".join(fold(chunks[r].text).split()) for r in rows):
                continue
        out.append(name)
    return out
