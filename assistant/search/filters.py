"""Restrict a search to some documents: by document, author, minister, date range.

:class:`Filters` is checked against each chunk's ``doc_*`` fields (see
:mod:`assistant.indexing.chunking`). Names match without regard to case or accents, on a part of
the name ("vervoort" finds "Rudi Vervoort"); the minister is the document's addressee or
one of the section's ministers "porteurs"; the document is its id or its number; dates
are ISO (``2021-04-28``) or ``28/04/2021`` and bound the document's date (the answer's,
else the publication's, else reception) inclusively. Each field is cleaned like the
question (NFC; control, bidi, zero-width characters and lone surrogates removed; whitespace
collapsed), must be text and is bounded (:data:`MAX_FILTER_CHARS`); a bad value raises
:class:`QueryError` in French.

Non-goals: boolean queries, fuzzy names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from ..errors import QueryError
from ..text.analyzer import fold

__all__ = ["Filters", "MAX_FILTER_CHARS", "clean_field", "parse_date"]

MAX_FILTER_CHARS = 200
_DROPPED = ("Cc", "Cf", "Cs")  # control; zero-width, bidi and format; lone surrogates


def clean_field(value: object, *, name: str, max_chars: int = MAX_FILTER_CHARS) -> str:
    """``value`` as clean text ("" for None); QueryError when not text or too long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise QueryError(f"Le champ {name} doit être du texte, pas {type(value).__name__}.")
    if len(value) > 4 * max_chars:  # refused before any work on a huge value
        raise QueryError(f"Le champ {name} dépasse {max_chars} caractères ({len(value)}).")
    kept = "".join(  # whitespace controls (tab, newline) become spaces, the others go
        " " if ch.isspace() else ch
        for ch in value
        if ch.isspace() or unicodedata.category(ch) not in _DROPPED
    )
    text = unicodedata.normalize("NFC", kept)
    text = " ".join(text.split())
    if len(text) > max_chars:
        raise QueryError(f"Le champ {name} dépasse {max_chars} caractères ({len(text)}).")
    return text


def parse_date(text: str | None, *, name: str = "date") -> str | None:
    """``text`` as an ISO date, or None when empty; QueryError (in French) when invalid."""
    text = clean_field(text, name=name, max_chars=40)
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
        r"(\d{1,2})/(\d{1,2})/(\d{4})", text
    )
    try:
        if not m:
            raise ValueError
        a, b, c = (int(x) for x in m.groups())
        d = date(a, b, c) if len(m.group(1)) == 4 else date(c, b, a)
    except ValueError:
        raise QueryError(
            f"{name} invalide « {text} » : écrivez AAAA-MM-JJ ou JJ/MM/AAAA."
        ) from None
    return d.isoformat()


def _norm(text: str) -> str:
    return " ".join(fold(text or "").split())


@dataclass(frozen=True)
class Filters:
    document: str | None = None  # doc id or number
    author: str | None = None
    minister: str | None = None
    date_from: str | None = None  # ISO, inclusive
    date_to: str | None = None

    @classmethod
    def of(cls, *, document=None, author=None, minister=None, date_from=None, date_to=None):
        """Filters from user input (blank means no filter); QueryError on a bad date range."""
        f = cls(
            document=clean_field(document, name="document") or None,
            author=clean_field(author, name="auteur") or None,
            minister=clean_field(minister, name="ministre") or None,
            date_from=parse_date(date_from, name="Date de début"),
            date_to=parse_date(date_to, name="Date de fin"),
        )
        if f.date_from and f.date_to and f.date_from > f.date_to:
            raise QueryError(
                f"Période vide : la date de début ({f.date_from}) suit la date de fin "
                f"({f.date_to})."
            )
        return f

    def __bool__(self) -> bool:
        return any((self.document, self.author, self.minister, self.date_from, self.date_to))

    def matches(self, chunk) -> bool:
        if self.document and self.document not in (chunk.doc_id, chunk.doc_number):
            return False
        if self.author and _norm(self.author) not in _norm(chunk.doc_author):
            return False
        if self.minister:
            names = [chunk.doc_addressee, *chunk.ministers]
            if not any(_norm(self.minister) in _norm(n) for n in names):
                return False
        if self.date_from or self.date_to:
            when = chunk.doc_date
            if not when:
                return False
            if self.date_from and when < self.date_from:
                return False
            if self.date_to and when > self.date_to:
                return False
        return True

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}
