"""« Que répond le ministre à la question 1290 ? »: the opening of that page's answer.

A question that names a written question by its number
(:meth:`~assistant.search.metadata_match.MetadataIndex.numbered_documents`) or its member or
minister by name (« qu'a demandé Sophie Lambert ? »,
:meth:`~assistant.search.metadata_match.MetadataIndex.pages_of_people`) and asks for
nothing more than its answer (« quelle est la réponse à la question 1021 ? », « wat is het
antwoord op vraag nr. 1133? ») or its question (« que demande la question 214 ? »)
names no subject for the reader to look for: the sentence nearest such a question is any
sentence. :func:`lead_rows` gives instead the first sentences of that page's answer (of its
question when it asks what was asked), the way a reader would open the page. A question
with a subject of its own (« … à la question 1290 sur le budget ? ») is left to the reader,
searched inside that page.

Non-goals: a summary (the page's own first sentences, nothing rewritten), pages that the
question does not name by number.
"""

from __future__ import annotations

import re

from ..search.intent import question_language
from ..text.analyzer import LANGUAGES, tokenize
from ..text.civilities import is_civility

__all__ = ["LEAD_SENTENCES", "asks_only_for_the_page", "lead_rows"]

LEAD_SENTENCES = 2  # sentences quoted from each page

# the words of a question that asks for a page as a whole, in both languages: what it asks
# for (its answer, its question) and who writes them
_PAGE_WORDS = """réponse réponses répond répondu répondre répondait antwoord antwoordt
antwoordde antwoorden beantwoord beantwoordde ministre ministres minister ministers
secrétaire état staatssecretaris membre collège lid college question questions écrite
vraag vragen schriftelijke demande demandé demandait vraagt vroeg gevraagd dit dire disait
zegt zei contient bevat texte tekst quoi wat parle porte gaat over sujet onderwerp
député députée parlementaire volksvertegenwoordiger n° nr nrs numéro nummer"""
_PAGE_TERMS = frozenset(t for lang in LANGUAGES for t in tokenize(_PAGE_WORDS, language=lang))

# the sections a page's answer opens with, in order of preference
_ANSWER_KINDS = ("answer-intro", "answer-part", "objectif", "chantier", "subsection", "closing")


def asks_only_for_the_page(question: str, numbers, *, names: str = "") -> bool:
    """Whether ``question`` asks for nothing but a page named by one of ``numbers`` or by
    its people's ``names`` (« qu'a demandé Sophie Lambert ? »): no word of its own beyond
    the words that ask for an answer or a question."""
    lang = question_language(question)
    civil = " ".join(w for w in re.findall(r"[^\W\d_]+\.?", question) if is_civility(w))
    named = set(tokenize(f"{names} {civil}", language=lang))
    left = set(tokenize(question, language=lang)) - _PAGE_TERMS - set(numbers) - named
    return not left


def lead_rows(
    doc_ids, *, chunks, of_chunk, spans, asked: bool, answered: bool = False
) -> list[tuple[int, list[tuple[int, int]]]]:
    """For each document of ``doc_ids`` (in order), the chunk row its answer opens with and
    the spans of its first :data:`LEAD_SENTENCES` sentences of body text; its question's
    instead when ``asked``, and both (question first) when ``asked`` and ``answered``
    (« qu'a demandé le député et qu'a répondu le ministre ? »). ``of_chunk``: chunk row ->
    sentence ids; ``spans``: (m, 3) chunk row, start, end of each sentence."""
    groups = [("question",)] if asked else []
    if answered or not asked:
        groups.append(_ANSWER_KINDS)
    out = []
    for doc_id in doc_ids:
        for wanted in groups:
            lead = _lead(doc_id, wanted, chunks=chunks, of_chunk=of_chunk, spans=spans)
            if lead is not None:
                out.append(lead)
    return out


def _lead(doc_id, wanted, *, chunks, of_chunk, spans) -> tuple[int, list[tuple[int, int]]] | None:
    """The first chunk of ``doc_id`` among the kinds ``wanted`` (in their order) with body
    text, and its first sentences; None when it has none."""
    rows = [r for r, c in enumerate(chunks) if c.doc_id == doc_id and c.kind in wanted]
    rows.sort(key=lambda r: (wanted.index(chunks[r].kind), r))
    for row in rows:
        body = [
            (int(spans[sid][1]), int(spans[sid][2]))
            for sid in of_chunk.get(row, [])
            if int(spans[sid][2]) > chunks[row].body_offset
        ]
        if body:
            return row, body[:LEAD_SENTENCES]
    return None
