"""The values an answer is made of: :class:`Answer`, its citations and what produced it.

* :class:`Citation` (one numbered source, with the sentences used highlighted) and the
  :class:`DocumentRef` it names, built from a chunk by :func:`citation_of`;
* :class:`AbstentionSignals`: the evidence the abstention decision weighed;
* :class:`GenerationRecord`: what the optional generator did (:class:`Outcome`, draft,
  sentence checks);
* :class:`Answer`, whose ``to_json()`` is the contract of ``ask --json`` and the app's
  ``/ask``.

Non-goals: computing any of them (see :mod:`assistant.answers.extractive`,
:mod:`assistant.answers.abstention`, :mod:`assistant.answers.generated`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .verification import Verification

__all__ = [
    "AbstentionSignals",
    "Answer",
    "Citation",
    "DocumentRef",
    "GenerationRecord",
    "Outcome",
    "ShortAnswer",
    "citation_of",
    "document_of",
]


@dataclass(frozen=True)
class DocumentRef:
    """The document a citation comes from, as the citation names it."""

    label: str = ""  # "Question écrite n°517 — Sommet social 2021"
    number: str = ""  # "517"
    title: str = ""
    author: str = ""  # the member who asked
    addressee: str = ""  # the minister asked
    date: str = ""  # ISO date of the answer (else publication, else reception)
    language: str = "fr"  # the document's language: "fr" or "nl"
    incomplete: bool = False  # its page was saved cut: the answer may go on past it

    def to_json(self) -> dict:
        """JSON keys of the contract: the addressee is ``minister`` there."""
        return {
            "label": self.label,
            "number": self.number,
            "title": self.title,
            "author": self.author,
            "minister": self.addressee,
            "date": self.date,
            "language": self.language,
            "incomplete": self.incomplete,
        }


@dataclass(frozen=True)
class Citation:
    n: int  # the marker number, [n] in the answer
    chunk_id: str
    doc_id: str
    section_id: str
    section_label: str
    heading_path: str
    objectif_label: str  # "Objectif 1.2 — Soutenir les TPE et PME…", "" outside objectifs
    ministers: tuple[str, ...]  # the section's ministers "porteurs"
    excerpt: str  # the whole passage
    highlights: tuple[tuple[int, int], ...]  # [start, end) of the sentences used, in excerpt
    document: DocumentRef = field(default_factory=DocumentRef)  # the document it comes from

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "section_id": self.section_id,
            "section_label": self.section_label,
            "heading_path": self.heading_path,
            "objectif": self.objectif_label,
            "ministers": list(self.ministers),
            "excerpt": self.excerpt,
            "highlights": [list(h) for h in self.highlights],
            "document": self.document.to_json(),
        }


@dataclass(frozen=True)
class AbstentionSignals:
    """What the abstention decision weighed (:mod:`assistant.answers.abstention`)."""

    cosine: float  # of the question and the best-scored sentence (+ the other-language offset)
    word_share: float  # best IDF-weighted share of the question's words found in a sentence
    unknown_share: float  # IDF-weighted share of a French question's words the corpus lacks
    confidence: float  # the logistic evidence score (0..1) of the three

    def features(self) -> dict[str, float]:
        """The features under the fitted weights' names ("coverage" is the word share)."""
        return {"cosine": self.cosine, "coverage": self.word_share, "oov": self.unknown_share}

    def to_json(self) -> dict[str, float]:
        """The ``"evidence"`` object of the JSON contract (its key names kept)."""
        values = {**self.features(), "confidence": self.confidence}
        return {k: round(v, 4) for k, v in values.items()}


@dataclass(frozen=True)
class ShortAnswer:
    """The value an answer leads with (:mod:`assistant.answers.short_answer`)."""

    text: str  # "février 2020"; for a yes/no question the verdict: "Oui", "Non", "Pas encore"
    type: str  # its answer type (assistant.answers.question_types.AnswerType value)
    citation: int  # the marker [n] of the citation whose excerpt holds it
    start: int  # [start, end) in that citation's excerpt (yes/no: the sentence that says it)
    end: int

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "type": self.type,
            "citation": self.citation,
            "start": self.start,
            "end": self.end,
        }


class Outcome(StrEnum):
    """What became of a generated answer (``generation.outcome`` in the JSON)."""

    GENERATED = "generated"  # the generated answer passed the checks and is shown
    ABSTAINED = "abstained"  # the extractive pipeline abstained: nothing was generated
    MODEL_ABSTAINED = "model-abstained"  # the model found no answer in the passages
    ERROR = "error"  # the endpoint failed (down, slow, unreadable)
    UNVERIFIED = "unverified"  # a sentence failed the citation check
    TABLE = "table"  # answered from the chantier table: nothing to generate


@dataclass(frozen=True)
class GenerationRecord:
    """What the generator did for one answer (:mod:`assistant.answers.generated`)."""

    outcome: Outcome
    model: str  # the model name (not the endpoint: the JSON may reach API clients)
    draft: str | None = None  # the text the model streamed, when it was asked
    generate_ms: float | None = None
    verification: Verification | None = None  # the per-sentence checks, when run
    verify_ms: float | None = None

    def to_json(self) -> dict:
        out: dict = {"outcome": self.outcome.value, "model": self.model}
        if self.draft is not None:
            out["draft"] = self.draft
        if self.generate_ms is not None:
            out["generate_ms"] = self.generate_ms
        if self.verification is not None:
            out["verification"] = self.verification.to_json()
        if self.verify_ms is not None:
            out["verify_ms"] = self.verify_ms
        return out


@dataclass(frozen=True)
class Answer:
    question: str  # the question as asked (cleaned)
    answer: str  # the answer text, with [n] markers
    abstained: bool
    citations: tuple[Citation, ...]  # when abstaining: the closest passages ("peut-être utile")
    hits: tuple = ()  # the search hits the answer was taken from
    timings_ms: dict[str, float] = field(default_factory=dict)
    resolved_question: str = ""  # the question searched (completed from the previous one)
    abstention: AbstentionSignals | None = None  # None for an answer from the chantier table
    warnings: tuple[str, ...] = ()
    note: str = ""  # shown with the answer: why a generated answer fell back, for instance
    generation: GenerationRecord | None = None  # None when no generator was asked
    short_answer: ShortAnswer | None = None  # the value the answer leads with, when found

    def to_json(self) -> dict:
        out = {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "hits": [h.to_json() for h in self.hits],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "resolved_question": self.resolved_question or self.question,
            "evidence": self.abstention.to_json() if self.abstention else {},
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.note:
            out["note"] = self.note
        if self.generation:
            out["generation"] = self.generation.to_json()
        out["short_answer"] = self.short_answer.to_json() if self.short_answer else None
        return out


def citation_of(n: int, chunk, highlights=()) -> Citation:
    """Citation ``[n]`` of ``chunk``, with ``highlights`` as (start, end) in its text."""
    return Citation(
        n=n,
        chunk_id=chunk.id,
        doc_id=chunk.doc_id,
        section_id=chunk.section_id,
        section_label=chunk.section_label,
        heading_path=chunk.heading_path,
        objectif_label=chunk.objectif_label,
        ministers=chunk.ministers,
        excerpt=chunk.text,
        highlights=highlights,
        document=document_of(chunk),
    )


def document_of(chunk) -> DocumentRef:
    """What a citation says about the chunk's document."""
    return DocumentRef(
        label=chunk.doc_label,
        number=chunk.doc_number,
        title=chunk.doc_title,
        author=chunk.doc_author,
        addressee=chunk.doc_addressee,
        date=chunk.doc_date,
        language=chunk.doc_language,
        incomplete=chunk.doc_incomplete,
    )
