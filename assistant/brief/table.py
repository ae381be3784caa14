"""The chantier table as the user reads it: filtered rows, cells, CSV and Markdown.

The rows are :class:`~assistant.brief.status.ChantierRow` values; this module chooses
some of them (by objectif, minister porteur, status) and writes them out in
:data:`COLUMNS` order. A status is asked for by its display string ("reporté / retardé"),
as the app's dropdown and the chat's questions give it.

Non-goals: deciding a status (:mod:`assistant.brief.status`), sorting, paging.
"""

from __future__ import annotations

import csv
import io

from ..errors import QueryError
from ..text.analyzer import fold
from .status import ChantierRow, Status

__all__ = ["COLUMNS", "cells", "filter_rows", "to_csv", "to_markdown"]

COLUMNS = (
    "Objectif",
    "Chantier",
    "Titre",
    "Ministre(s) porteur(s)",
    "Statut",
    "Dates",
    "Montants",
    "Justification",
)


def _status(status: str) -> Status:
    try:
        return Status(status)
    except ValueError:
        raise QueryError(
            f"statut inconnu « {status} » : choisissez parmi {', '.join(Status)}"
        ) from None


def filter_rows(
    rows, *, objectif: str | None = None, minister: str | None = None, status: str | None = None
) -> list[ChantierRow]:
    """Rows of one objectif ("1.2"), whose ministers mention ``minister`` (accents and
    case ignored, e.g. "emploi"), and/or of one status; an empty filter keeps all."""
    out = list(rows)
    if objectif:
        out = [r for r in out if r.objectif == objectif]
    if minister:
        key = fold(minister)
        out = [r for r in out if any(key in fold(m) for m in r.ministers)]
    if status:
        wanted = _status(status)
        out = [r for r in out if r.status == wanted]
    return out


def cells(r: ChantierRow) -> list[str]:
    """One row as its cells, in :data:`COLUMNS` order."""
    return [
        r.objectif,
        r.number,
        r.title,
        " ; ".join(r.ministers),
        r.status.value,
        " ; ".join(r.dates),
        " ; ".join(r.amounts),
        r.status_sentence,
    ]


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (``=``, ``+``, ``-``, ``@`` first)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(rows) -> str:
    """The table as CSV (comma-separated, quoted as needed, header first); text that a
    spreadsheet would take for a formula is prefixed with ``'``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_inert(c) for c in cells(r)])
    return buf.getvalue()


def to_markdown(rows) -> str:
    """The table as a Markdown table (pipes and line breaks in cells escaped)."""

    def cell(x: str) -> str:
        return x.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(c) for c in cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"
