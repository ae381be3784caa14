"""The *Document* tab: the list of all documents and the unfoldable contents of each.

Every text of a document is escaped; every section unfolds (``<details>``) to its text.

Non-goals: the sources of an answer (:mod:`.render`), editing the corpus (the CLI's
``add``/``remove``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..documents.corpus import read_corpus
from .render import esc, iso_fr, ministers_line

if TYPE_CHECKING:
    from ..documents.document import Document, Objectif

__all__ = ["load_documents", "render_document", "render_library"]


def _fold(title: str, text: str, extra: str = "") -> str:
    """A ``<details>`` whose summary is ``title`` and whose body is ``text`` (both escaped)."""
    return (
        f"<details><summary>{esc(title)}</summary>{extra}"
        f'<div class="text">{esc(text)}</div></details>'
    )


def _objectif(obj: Objectif) -> str:
    """One objectif folded: its ministers, its presentation and its chantiers."""
    joint = f" (avec l’objectif {', '.join(obj.joint_with)})" if obj.joint_with else ""
    inner = [ministers_line(obj.ministers)]
    for s in obj.sections:
        label = "Présentation de l’objectif" if s.kind == "objectif" else s.label
        inner.append(_fold(label, s.text))
    return (
        f"<details><summary>Objectif {esc(obj.number)} — {esc(obj.title)}"
        f"{esc(joint)}</summary>{''.join(inner)}</details>"
    )


def _head(doc: Document) -> list[str]:
    """Title, author and addressee, dates, and the page header of a written question."""
    m, date = doc.metadata, iso_fr
    word = "Schriftelijke vraag" if doc.language == "nl" else "Question écrite"
    return [
        f'<div class="doc" id="doc-{esc(doc.doc_id)}"><h2>{word} n°{esc(m.number)} — '
        f"{esc(m.title)}</h2>",
        f'<p class="meta">De <b>{esc(m.author)}</b> à <b>{esc(m.addressee)}</b>, '
        f"{esc(m.addressee_function)}</p>",
        f'<p class="meta">Reçue le {date(m.received)} · réponse du {date(m.answered)} · '
        f"publiée le {date(m.published)} · législature {esc(m.legislature or '—')}, "
        f"session {esc(m.session or '—')}</p>",
        _fold("Métadonnées (en-tête de la page)", doc.header.text),
    ]


def render_document(doc: Document) -> str:
    """The table of contents of one written question; every entry unfolds its text."""
    if doc.kind == "text":
        out = [f'<div class="doc" id="doc-{esc(doc.doc_id)}"><h2>{esc(doc.label)}</h2>']
        out += [_fold(s.title, s.text) for s in doc.sections()]
        return "".join(out) + "</div>"
    out = _head(doc)
    subs = "".join(f"<li>{esc(s.text)}</li>" for s in doc.sub_questions)
    out.append(f'<h3>La question</h3><ol class="subs">{subs}</ol>')
    out.append(_fold("Lire la question entière", doc.question.text))
    out.append("<h3>La réponse</h3>")
    out.append(_fold(doc.intro.title, doc.intro.text))
    out += [_fold(s.title, s.text) for s in doc.parts]
    out += [_objectif(obj) for obj in doc.objectifs]
    if doc.closing is not None:
        out.append(_fold(doc.closing.title, doc.closing.text))
    return "".join(out) + "</div>"


def render_library(docs: dict[str, Document]) -> str:
    """The list of all documents: number, title, author, minister, date; each opens below."""
    rows = []
    for d in sorted(docs.values(), key=lambda d: d.date or "", reverse=True):
        m = d.metadata
        rows.append(
            f'<tr><td><a href="#doc-{esc(d.doc_id)}">{esc(m.number or "—")}</a></td>'
            f"<td>{esc(d.label if d.kind == 'text' else m.title)}</td><td>{esc(m.author or '—')}"
            f"</td><td>{esc(m.addressee or '—')}</td><td>{iso_fr(d.date)}</td>"
            f"<td>{esc(d.language)}</td></tr>"
        )
    head = (
        "<tr><th>n°</th><th>Titre</th><th>Auteur</th><th>Ministre</th><th>Date</th><th></th></tr>"
    )
    return (
        f'<div class="doc"><h2>{len(docs)} document(s)</h2><table class="library">{head}'
        f"{''.join(rows)}</table></div>"
    )


def load_documents(corpus: str | Path | None) -> dict[str, Document]:
    """The parsed documents of the corpus folder, by document id (unparsable files skipped)."""
    warn = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    return {doc.doc_id: doc for _, doc in read_corpus(corpus, warn=warn)}
