"""HTML and Markdown of one answer: the chat message and the source cards.

Every piece of document or user text placed in HTML goes through :func:`esc`; chat
messages go through :func:`md_text`, so Markdown markup in a document is shown as text.

Non-goals: the document tab (:mod:`.document_tab`), the page layout (:mod:`.layout`).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..answers.values import Answer, Citation, DocumentRef
    from ..documents.document import Document

__all__ = [
    "DOC_ICON",
    "EMPTY_SOURCES",
    "PANEL",
    "PANEL_CSS",
    "document_line",
    "esc",
    "excerpt_window",
    "highlighted",
    "iso_fr",
    "md_text",
    "ministers_line",
    "render_citation",
    "render_reply",
    "render_sources",
]

EMPTY_SOURCES = '<p class="empty">Les sources de la réponse s’afficheront ici.</p>'
# The classes of the HTML below (and of the Document tab), for the gr.HTML panels that show
# it: scoped to each panel by Gradio (css_template), so it applies however the app is launched.
PANEL_CSS = """
.sources, .doc { line-height: 1.5; font-size: 0.95rem; }
.source { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 0.6rem 0.8rem; margin: 0 0 0.7rem; background: var(--background-fill-primary); }
.source h4 { margin: 0 0 0.3rem; font-size: 1rem; }
.num { color: var(--color-accent); font-weight: 700; margin-right: 0.3rem; }
.meta, .empty { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 0.1rem 0; }
.excerpt, .text { white-space: pre-wrap; margin: 0.5rem 0; }
.excerpt { border-left: 3px solid var(--border-color-accent); padding-left: 0.6rem; }
mark { background: #fde68a; color: inherit; padding: 0 0.1em; border-radius: 3px; }
details { margin: 0.3rem 0; }  details details { margin-left: 1rem; }
summary { cursor: pointer; font-weight: 600; }  .maybe { color: #92400e; font-weight: 600; }
.doc-icon { display: inline-block; vertical-align: -0.1em; margin-right: 0.3em; }
.library { border-collapse: collapse; width: 100%; margin: 0 0 1rem; font-size: 0.9rem; }
.library td, .library th { border-bottom: 1px solid var(--border-color-primary);
  padding: 0.2rem 0.4rem; text-align: left; }
"""
# A page with a folded corner, drawn inline: no emoji font needed (headless browsers lack one).
DOC_ICON = (
    '<svg class="doc-icon" width="12" height="14" viewBox="0 0 12 14" aria-hidden="true" '
    'focusable="false" fill="none" stroke="currentColor" stroke-width="1.3" '
    'stroke-linejoin="round"><path d="M1.5 .8h6l3 3v9.4h-9z"/><path d="M7.5 .8v3h3"/></svg>'
)
PANEL = {"js_on_load": None, "css_template": PANEL_CSS}  # keywords of those gr.HTML panels


def esc(text: str) -> str:
    """Escape document or user text for HTML."""
    return html.escape(str(text))


def md_text(text: str) -> str:
    """Escape text for a Markdown chat message: HTML escaped, Markdown markup shown literally."""
    return re.sub(r"([\\`*_\[\]#|~$])", r"\\\1", html.escape(str(text), quote=False))


def highlighted(text: str, spans) -> str:
    """``text`` escaped, with ``<mark>`` around each ``[start, end)`` span."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start < end:
            out += [esc(text[pos:start]), "<mark>", esc(text[start:end]), "</mark>"]
            pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def excerpt_window(text: str, spans, context: int = 280) -> tuple[str, list]:
    """The part of ``text`` around ``spans`` (the start when there is none), spans shifted.

    The window is cut at line breaks (or spaces) and a cut is shown by "…".
    """
    spans = sorted((max(a, 0), min(b, len(text))) for a, b in spans if a < b)
    first, last = (spans[0][0], spans[-1][1]) if spans else (0, 0)
    lo, hi = max(0, first - context), min(len(text), last + context)
    if lo > 0:  # start at a line start if that keeps half the context, else after a space
        nl = text.find("\n", lo, first - context // 2)
        lo = nl + 1 if nl >= 0 else text.find(" ", lo, first) + 1
    if hi < len(text):
        nl = text.rfind("\n", last + context // 2, hi)
        hi = nl if nl >= 0 else max(text.rfind(" ", last, hi), last)
    while lo < first and text[lo] in "\n ":
        lo += 1
    head, tail = ("… " if lo > 0 else ""), (" …" if hi < len(text) else "")
    shift = len(head) - lo
    return head + text[lo:hi].rstrip() + tail, [(a + shift, b + shift) for a, b in spans]


def ministers_line(ministers) -> str:
    """ "Ministre(s) porteur(s) : …" in HTML, or "" when there is none."""
    if not ministers:
        return ""
    word = "Ministres porteurs" if len(ministers) > 1 else "Ministre porteur"
    return f'<p class="meta">{word} : {esc(" ; ".join(ministers))}</p>'


def iso_fr(iso: str | None) -> str:
    """ "2021-04-28" -> "28/04/2021"; "—" when unknown."""
    return "/".join(reversed(iso.split("-"))) if iso else "—"


def document_line(d: DocumentRef) -> str:
    """The document a citation comes from (a DocumentRef): number and title, author → addressee,
    date."""
    if not d.label:
        return ""
    who = " → ".join(x for x in (d.author, d.addressee) if x)
    bits = [f"<b>{esc(d.label)}</b>", esc(who), iso_fr(d.date) if d.date else ""]
    if d.incomplete:
        bits.append("page incomplète")
    return f'<p class="meta doc-ref">{DOC_ICON}{" · ".join(b for b in bits if b)}</p>'


def render_citation(c: Citation, docs: dict[str, Document]) -> str:
    """One source card: [n], labels, excerpt with highlights, the whole section to unfold."""
    parts = [
        f'<article class="source" id="source-{c.n}">',
        f'<h4><span class="num">[{c.n}]</span>{esc(c.section_label)}</h4>',
    ]
    parts.append(document_line(c.document))
    if c.heading_path and c.heading_path != c.section_label:
        parts.append(f'<p class="meta">{esc(c.heading_path)}</p>')
    if c.objectif_label:
        parts.append(f'<p class="meta">{esc(c.objectif_label)}</p>')
    parts.append(ministers_line(c.ministers))
    window, spans = excerpt_window(c.excerpt, c.highlights)
    parts.append(f'<div class="excerpt">{highlighted(window, spans)}</div>')
    try:
        section = esc(docs[c.doc_id].section(c.section_id).text)
        parts.append(f'<details><summary>Lire la section</summary><div class="text">{section}')
        parts.append("</div></details>")
    except KeyError:
        pass  # a passage of a document that is not in the corpus folder
    return "".join(parts) + "</article>"


def render_sources(answer: Answer, docs: dict[str, Document]) -> str:
    """The sources panel for one answer (or the "peut-être utile" passages of a refusal)."""
    if not answer.citations:
        return EMPTY_SOURCES
    head = '<p class="maybe">Aucune source ne répond ; passages peut-être utiles :</p>'
    cards = "".join(render_citation(c, docs) for c in answer.citations)
    return f'<div class="sources">{head if answer.abstained else ""}{cards}</div>'


def render_reply(answer: Answer) -> str:
    """The assistant's chat message (Markdown, every piece of text escaped)."""
    notes = []
    if answer.resolved_question and answer.resolved_question != answer.question:
        notes.append(f"<small>Question comprise : « {md_text(answer.resolved_question)} »</small>")
    notes += [f"<small>⚠️ {md_text(w)}</small>" for w in answer.warnings]
    if answer.note:
        notes.append(f"<small>ℹ️ {md_text(answer.note)}</small>")
    if answer.abstained:
        refusal = answer.answer.split("\n")[0]
        body = f"> ⚠️ **{md_text(refusal)}**"
        if answer.citations:
            body += "\n\n*Passages peut-être utiles :*\n" + "\n".join(
                f"- {md_text(f'[{c.n}] {c.section_label}')}" for c in answer.citations
            )
    else:
        body = md_text(answer.answer)
    return "\n\n".join([*notes, body])
