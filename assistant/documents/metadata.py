"""The header of a written question: title, author, addressee, number, dates.

Scope: :func:`parse_metadata` reads the lines before ``Question`` (or ``Vraag``) of
the French or Dutch export and returns a :class:`Metadata`; dates become ISO
(``2021-03-01``). A field the header lacks is empty (or None for a date).

Both shapes of the published pages are read: French ``de`` / ``à`` and Dutch
``Indiener(s)`` (or ``van``) / ``aan``, on their own lines or run in; the number as
``(question n°N)``, ``(Vragen nr N)`` or ``(vraag nr. N)``; the dates as ``Date de
réception``, ``Datum ontvangst`` or ``Datum van ontvangst``. The series is ``ccc`` when
the question is sent to the Collège réuni (Verenigd College) of the Commission
communautaire commune, else ``qe`` (a written question to the Government).

Non-goals: the question and the answer (see :mod:`assistant.documents.parsing`).
"""

from __future__ import annotations

import re

from .document import Metadata

__all__ = ["parse_metadata", "iso_date", "series_of"]

DATE = r"(\d{1,2}/\d{1,2}/\d{4})"  # "9/3/2021"
_WHO = re.compile(
    r"(?m)^(?:de|van|Indiener\(s\)|Indiener|Auteur\(s\))\s+(.+?)\s+(?:à|aan)\s+(.+?),\s*(.+?)\s*"
    r"\((?i:question|vragen|vraag)\s+n(?:°|r\.?)\s*(\d+)\)"
)
_CCC = re.compile(
    r"Collège réuni|Verenigd College|Commission communautaire commune"
    r"|Gemeenschappelijke Gemeenschapscommissie",
    re.IGNORECASE,
)


def series_of(header: str) -> str:
    """ "ccc" for a question to the Commission communautaire commune, else "qe"."""
    return "ccc" if _CCC.search(header) else "qe"


def iso_date(date: str | None) -> str | None:
    """ "9/3/2021" -> "2021-03-09"; None or "" -> None."""
    if not date:
        return None
    d, m, y = date.split("/")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def parse_metadata(text: str) -> Metadata:
    """The metadata of a header (the text before the question)."""

    def find(pattern: str) -> str | None:
        m = re.search(pattern, text)
        return m.group(1).strip() if m else None

    title = (
        find(r"Question écrite concernant\s+(?:(?:le|la|les)\s+|l['’])?([^\n]+)")
        or find(r"Schriftelijke vraag (?:betreffende|over)\s+(?:(?:de|het)\s+)?([^\n]+)")
        or ""
    )
    who = _WHO.search(text)
    steps = tuple(
        (iso_date(m.group(1)) or "", m.group(2).strip())
        for m in re.finditer(rf"(?m)^{DATE}\s+(.+?)(?:\s+p\.\s?m\.)?\s*$", text)
    )
    return Metadata(
        title=title,
        author=who.group(1) if who else "",
        addressee=who.group(2) if who else "",
        addressee_function=who.group(3) if who else "",
        number=who.group(4) if who else (find(r"n°\s*(\d+)") or ""),
        received=iso_date(find(rf"(?:Date de réception|Datum (?:van )?ontvangst)\s*:\s*{DATE}")),
        published=iso_date(
            find(rf"(?:Date de publication|Datum (?:van )?publicatie)\s*:\s*{DATE}")
        ),
        answered=iso_date(find(rf"(?:Date de réponse|Datum (?:van )?antwoord)\s*:\s*{DATE}")),
        legislature=find(r"(?:Législature|Zittingsperiode)\s*:\s*(\d+/\d+)"),
        session=find(r"(?:Session|Zitting)\s*:\s*(\d+/\d+)"),
        steps=steps,
        series=series_of(text),
    )
