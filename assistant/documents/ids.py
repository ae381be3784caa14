"""Stable, unique document ids: ``qe-517``, ``ccc-214``, ``qe-1021-nl``.

Scope: a written question is named by its series and number (:func:`document_id`), so
the same question keeps its id whatever its file is called, and a question of the
Commission communautaire commune (``ccc-214``) never collides with the Parliament's
question of the same number (``qe-214``). A document without a number (a plain text, a
page cut before its header) keeps its file's stem. Within one corpus,
:class:`IdRegistry` makes ids unique: a second document with the same id gets its
language appended (the Dutch page of a question already there in French:
``qe-1021-nl``), else (another copy of the same page) its file stem; files are read in name order,
so the outcome does not depend on the file system.

Non-goals: choosing which of two saved copies of one page to keep (both are kept).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .document import Document

__all__ = ["document_id", "with_id", "IdRegistry"]

_UNSAFE = re.compile(r"[^a-z0-9-]+")


def document_id(doc: Document, *, stem: str) -> str:
    """``<series>-<number>`` for a numbered written question, else ``stem``."""
    m = doc.metadata
    if doc.kind != "written-question" or not m.number:
        return stem
    return f"{_UNSAFE.sub('-', (m.series or 'qe').lower())}-{m.number}"


def with_id(doc: Document, doc_id: str) -> Document:
    """``doc`` under another id (nothing else changes)."""
    return doc if doc.doc_id == doc_id else replace(doc, doc_id=doc_id, _by_id={})


class IdRegistry:
    """The ids given so far in one corpus; :meth:`claim` returns a free one."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.languages: dict[str, set[str]] = {}  # base id -> languages it was given in

    def claim(self, doc: Document, *, stem: str) -> str:
        base = doc.doc_id
        seen = self.languages.setdefault(base, set())
        candidates = [base]
        if doc.language not in seen:  # the same question in another language
            candidates.append(f"{base}-{doc.language}")
        candidates.append(stem)  # else another copy: named by its file
        n = 2
        while all(c in self.taken for c in candidates):
            candidates.append(f"{stem}-{n}")
            n += 1
        chosen = next(c for c in candidates if c not in self.taken)
        seen.add(doc.language)
        self.taken.add(chosen)
        return chosen
