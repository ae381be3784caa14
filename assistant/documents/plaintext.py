"""Plain text and Markdown files, and the UTF-8 reading every text format shares.

Scope: :func:`read_utf8` reads a file as UTF-8 (:class:`ParseError` saying where it is
not); :func:`text_document` cuts a plain text or Markdown document into one ``text``
section per heading (``#``…, or a line underlined with ``===``/``---``), or one section
for the whole text when it has none.

Non-goals: Markdown rendering (lists, emphasis, links stay as written); written
questions (see :mod:`assistant.documents.parsing`).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ParseError
from .document import Document, Metadata, Section, SectionKind
from .language import detect_language
from .textrepair import repair

__all__ = ["read_utf8", "text_document"]

_HEADING = re.compile(r"(?m)^(#{1,6})[ \t]+(.+?)[ \t#]*$|^(.+)\n(?:=+|-+)[ \t]*$")


def read_utf8(path: Path) -> str:
    """The text of ``path``; :class:`ParseError` with the byte where it is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        raise ParseError(
            f"{path} : pas du texte UTF-8 (octet 0x{byte:02X} à la position {exc.start}) ; "
            "enregistrez le fichier en UTF-8 et réessayez"
        ) from None


def text_document(source: str, *, doc_id: str) -> Document:
    """A plain text or Markdown document: one ``text`` section per heading (or the whole)."""
    heads = [
        (m.start(), m.end(), (m.group(2) or m.group(3) or "").strip())
        for m in _HEADING.finditer(source)
    ]
    first_line = next((ln.strip("# \t") for ln in source.splitlines() if ln.strip()), doc_id)
    title = heads[0][2] if heads and not source[: heads[0][0]].strip() else first_line
    bounds = [(0, 0, "")] + heads if not heads or source[: heads[0][0]].strip() else heads
    sections = []
    for i, (start, body, head) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else len(source)
        a, b = start, end
        while a < b and source[a].isspace():
            a += 1
        while b > a and source[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        sid = f"section-{len(sections) + 1}"
        sections.append(
            Section(
                id=sid,
                kind=SectionKind.TEXT,
                title=head or (title if i == 0 else f"Partie {len(sections) + 1}"),
                start=a,
                end=b,
                body_start=max(a, min(body, b)),
                text=repair(source, a, b).text,
            )
        )
    if not sections:
        raise ParseError(f"{doc_id} : document vide ; ajoutez-y du texte ou retirez-le du corpus")
    header = Section("metadata", SectionKind.METADATA, title, 0, 0, 0, "")
    return Document(
        doc_id=doc_id,
        source=source,
        metadata=Metadata(title=title, author="", addressee="", addressee_function="", number=""),
        header=header,
        question=None,
        sub_questions=(),
        intro=None,
        objectifs=(),
        parts=tuple(sections),
        kind="text",
        language=detect_language(source),
    )
