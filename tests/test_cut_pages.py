"""Which citations make the « page enregistrée incomplète » warning, on hand-built chunks.

A page saved cut stops in its answer: an answer quoting it may go on past the quote, and a
refusal whose closest passage is where the page stops may have its answer in the missing
part. A quote of its header (whole), or a refusal whose closest passage is elsewhere (a
question about something else: « Combien de trottinettes … ? »), says nothing of the cut.
"""

from __future__ import annotations

from types import SimpleNamespace

from assistant.answers.abstention import cut_pages
from assistant.answers.values import citation_of
from assistant.core import Assistant
from assistant.indexing.chunking import Chunk


def _chunk(doc_id: str, kind: str, *, incomplete: bool = False) -> Chunk:
    text = f"Un passage {kind} de {doc_id}."
    return Chunk(
        id=f"{doc_id}#{kind}", doc_id=doc_id, section_id=kind, part=1, kind=kind,
        section_label=kind, heading_path=kind, ministers=(), start=0, end=len(text), text=text,
        embed_text=text, doc_label=f"Page {doc_id}", doc_incomplete=incomplete,
    )  # fmt: skip


CHUNKS = [
    _chunk("cut", "metadata", incomplete=True),
    _chunk("cut", "question", incomplete=True),
    _chunk("cut", "answer-intro", incomplete=True),  # where the page stops
    _chunk("whole", "question"),
    _chunk("whole", "closing"),
]
ASSISTANT = SimpleNamespace(
    chunks=CHUNKS, searcher=SimpleNamespace(row_of={c.id: row for row, c in enumerate(CHUNKS)})
)


def _warnings(chunk_ids: list[str], *, abstained: bool) -> tuple[str, ...]:
    by_id = {c.id: c for c in CHUNKS}
    citations = [citation_of(n, by_id[i], ()) for n, i in enumerate(chunk_ids, 1)]
    kept = Assistant._cut_evidence(ASSISTANT, citations, abstained)
    return cut_pages(kept, abstained=abstained)


def test_an_answer_quoting_a_cut_page_s_answer_or_question_warns():
    for cited in (["cut#answer-intro"], ["whole#closing", "cut#question"]):
        (warning,) = _warnings(cited, abstained=False)
        assert warning == (
            "La page de « Page cut » a été enregistrée incomplète : "
            "la réponse peut continuer au-delà de ce qui est cité."
        )


def test_an_answer_from_a_cut_page_s_header_or_from_whole_pages_does_not_warn():
    assert _warnings(["cut#metadata"], abstained=False) == ()  # « Qui est l'auteur … ? »
    assert _warnings(["whole#question", "whole#closing"], abstained=False) == ()


def test_a_refusal_warns_only_when_its_closest_passage_is_where_a_cut_page_stops():
    (warning,) = _warnings(["cut#answer-intro", "whole#closing"], abstained=True)
    assert warning.endswith("la réponse peut se trouver dans la partie manquante.")
    # the cut page among the closest passages, first even, but not where it stops
    assert _warnings(["cut#question", "cut#answer-intro", "whole#closing"], abstained=True) == ()
    assert _warnings(["whole#closing", "cut#answer-intro"], abstained=True) == ()
    assert _warnings([], abstained=True) == ()
