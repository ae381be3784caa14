"""The answer's sentences that support a part of a sub-question.

For one :class:`~assistant.brief.parts.Part`, the retriever's sentence vectors (the real
model, :attr:`Assistant.built`) give the answer's sentences close to the part in meaning:
sentences of the answer's bodies (outside the question itself and the headings), sharing
the part's content words, within :data:`CLOSE` of the best cosine, at most
:data:`MAX_SUPPORT`. The answer's introduction and conclusion get a small prior
(:data:`GENERAL_PRIOR`): they answer the general sub-questions.

Non-goals: the verdict (:mod:`assistant.brief.coverage`), any search outside one document.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..indexing.chunking import body_start, ends_cut_page
from ..text.analyzer import terms, tokenize
from ..text.sentences import mark_unfinished
from .parts import Part

__all__ = [
    "SupportingSentence",
    "answer_sentences",
    "supporting_sentences",
    "paragraph",
    "query_text",
]

# Words of the question's frame, not of its topic, by the document's language.
_FRAME = {
    "fr": frozenset(
        tokenize(
            "pouvez vous nous dire indiquer préciser détailler faire point quel quelle quels "
            "quelles comment dans mesure lesquels affirmative effectivement cette ces cet "
            "derniers cadre stratégie 2030 go4brussels sommet social gouvernement objectifs "
            "mesures mise œuvre"
        )
    ),
    "nl": frozenset(
        tokenize(
            "kunt kan u mij meedelen graag vernomen vernemen volgende welk welke hoeveel hoe "
            "wanneer waarom wat daarvoor daarbij hiervoor precies concreet regering maatregelen",
            language="nl",
        )
    ),
}
MAX_SUPPORT = 3  # sentences cited per part
CLOSE = 0.03  # a sentence supports a part when its cosine is this close to the part's best
# The answer's introduction and conclusion answer the general sub-questions; the objectif
# sections give the chantiers' details. A small prior for the former, in cosine units.
GENERAL_SECTIONS = ("answer-intro", "closing")
GENERAL_PRIOR = 0.02


@dataclass(frozen=True)
class SupportingSentence:
    """A sentence of the answer quoted in support of a part's verdict."""

    chunk_id: str
    section_id: str
    section_label: str
    ministers: tuple[str, ...]
    sentence: str  # the chunk's text[start:end], as read
    start: int  # [start, end) of the sentence in the chunk's text (its label left out)
    end: int
    score: float  # cosine of the part and the sentence
    cut: bool = False  # the page was saved cut in this sentence: it may be unfinished

    @property
    def quoted(self) -> str:
        """The sentence as quoted: where the page was saved cut, its unfinished words
        dropped and « […] » said (:func:`mark_unfinished`)."""
        return mark_unfinished(self.sentence) if self.cut else self.sentence


def _topic(text: str, language: str = "fr") -> frozenset[str]:
    return frozenset(tokenize(text, language=language)) - _FRAME[language]


def query_text(part: Part, first: Part) -> str:
    """The text searched for a part: later parts lean on the first one ("ces derniers")."""
    return part.text if part.n == 1 else f"{first.text} {part.text}"


def answer_sentences(assistant, doc_id: str) -> list[tuple[int, int, int, int]]:
    """(sentence id, chunk row, start, end) of every sentence of the answer's bodies."""
    out = []
    for sid, (row, a, b) in enumerate(assistant.built.sentence_spans.tolist()):
        chunk = assistant.chunks[row]
        if chunk.doc_id != doc_id or chunk.section_id in ("question", "metadata"):
            continue
        if b > chunk.body_offset:  # a heading alone is not an answer
            out.append((sid, row, a, b))
    return out


def supporting_sentences(
    assistant, part: Part, first: Part, qv, sentences
) -> list[SupportingSentence]:
    """The answer's sentences closest to the part in meaning that share its words.

    A sentence qualifies when it shares two of the part's own content words (one for a
    part of three words or fewer), or
    (for a later part) one of them and one of the first part's, whose subject it carries.
    Words are those of the document's language (French, or Dutch: its stemmer and stop
    words, so that « welk », « werd » or « een » are no content words).
    """
    language = "fr"
    if sentences and assistant.chunks[sentences[0][1]].doc_language == "nl":
        language = "nl"
    own = _topic(part.text, language)
    # later parts speak of the first one's subject through pronouns ("ces derniers", "leur")
    context = _topic(first.text, language) if part.n > 1 else frozenset()
    need = 1 if len(own) <= 3 else 2  # one of a short part's content words, else two
    vectors = assistant.built.sentence_vectors
    scored: list[SupportingSentence] = []
    for sid, row, a, b in sentences:
        chunk = assistant.chunks[row]
        sentence = chunk.text[a:b]
        words = terms(sentence, language)  # analysed once for all the parts
        shared, leaned = len(words & own), bool(words & context)
        if not (shared >= need or (leaned and (shared or not own))):
            continue
        cos = float(np.dot(vectors[sid], qv))
        cos += GENERAL_PRIOR if chunk.section_id in GENERAL_SECTIONS else 0.0
        # « Réponse    Depuis 2021, … »: the sentence without the label it shares a line with
        start = body_start(chunk, a, b)
        if start >= b:
            start = a
        # the page was saved cut in this sentence: quoted marked « […] »
        cut = ends_cut_page(assistant.chunks, row) and not chunk.text[b:].strip()
        scored.append(
            SupportingSentence(
                chunk.id,
                chunk.section_id,
                chunk.section_label,
                chunk.ministers,
                chunk.text[start:b],
                start,
                b,
                cos,
                cut,
            )
        )
    scored.sort(key=lambda s: -s.score)
    if not scored:
        return []
    best = scored[0].score
    return [s for s in scored if s.score >= best - CLOSE][:MAX_SUPPORT]


def paragraph(chunks_by_id, s: SupportingSentence) -> str:
    """The line of the chunk that holds a supporting sentence (its paragraph)."""
    text = chunks_by_id[s.chunk_id].text
    lo = text.rfind("\n", 0, s.start) + 1
    hi = text.find("\n", s.end)
    return text[lo : hi if hi >= 0 else len(text)]
