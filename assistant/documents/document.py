"""The parsed written question: frozen values that cross module boundaries.

A :class:`Document` keeps its original text (``source``) and every
:class:`Section` keeps ``[start, end)`` offsets into it, so any excerpt can be
traced back to the source and highlighted. ``Section.text`` is the repaired
text of that span (see :mod:`assistant.documents.textrepair`).

Non-goals: no parsing here (see :mod:`assistant.documents.parsing`), no chunking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["SectionKind", "Metadata", "SubQuestion", "Section", "Objectif", "Document", "shorten"]


class SectionKind(StrEnum):
    """What a section is, in the order they appear in a written question.

    Values are the strings stored in chunk files and JSON (a member compares equal to
    its string). ``ANSWER_PART`` is one numbered part of an answer given question by
    question, ``TEXT`` a section of a plain text or Markdown document (see
    :mod:`assistant.documents.answerparts` and :mod:`assistant.documents.readers`).
    """

    METADATA = "metadata"
    QUESTION = "question"
    ANSWER_INTRO = "answer-intro"
    OBJECTIF = "objectif"
    CHANTIER = "chantier"
    SUBSECTION = "subsection"
    ANSWER_PART = "answer-part"
    CLOSING = "closing"
    TEXT = "text"


def shorten(title: str, limit: int = 80) -> str:
    """Cut a title at a word boundary, with an ellipsis, for labels."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


@dataclass(frozen=True)
class Metadata:
    title: str  # "Sommet social 2021"
    author: str  # "Bianca Debaets"
    addressee: str  # "Rudi Vervoort"
    addressee_function: str  # "Ministre-Président du Gouvernement …"
    number: str  # "517"
    received: str | None = None  # ISO dates: "2021-03-01"
    published: str | None = None
    answered: str | None = None
    legislature: str | None = None  # "19/24"
    session: str | None = None  # "20/21"
    steps: tuple[tuple[str, str], ...] = ()  # (("2021-03-09", "Recevable"), …)
    series: str = ""  # "qe" (Parliament), "ccc" (Commission communautaire commune); "" for text
    incomplete: bool = False  # the page was saved cut (mid-answer, or before the answer)


@dataclass(frozen=True)
class SubQuestion:
    n: int  # 1-based, in the order of the question
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    id: str  # "chantier-1.2.2", "objectif-1.7", "section-2.4-soutenir-la-…", "closing"
    kind: SectionKind  # a plain string of the same value compares equal
    title: str
    start: int  # [start, end) in Document.source: heading and body
    end: int
    body_start: int  # where the body starts (after a heading, or a run-in heading)
    text: str  # repaired text of [start, end)
    numbers: tuple[str, ...] = ()  # ("1.8.1", "1.8.2") for a combined heading
    objectif: str | None = None  # number of the objectif it belongs to
    ministers: tuple[str, ...] = ()

    @property
    def number(self) -> str | None:
        return self.numbers[0] if self.numbers else None

    @property
    def label(self) -> str:
        """How a citation names this section."""
        title = shorten(self.title)
        if self.kind == SectionKind.CHANTIER:
            nums = " et ".join(self.numbers)
            word = "Chantiers" if len(self.numbers) > 1 else "Chantier"
            return f"{word} {nums} — {title}" if title else f"{word} {nums}"
        if self.kind == SectionKind.OBJECTIF:
            return f"Objectif {self.objectif} — {title}"
        return title


@dataclass(frozen=True)
class Objectif:
    number: str  # "2.2"
    title: str
    ministers: tuple[str, ...]
    start: int  # the heading line
    end: int  # end of its last section
    joint_with: tuple[str, ...] = ()  # ("2.3",) for "Objectif 2.2 : … & Objectif 2.3 : …"
    sections: tuple[Section, ...] = ()  # intro, chantiers and sub-headings, in order

    @property
    def chantiers(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == SectionKind.CHANTIER)


@dataclass(frozen=True)
class Document:
    doc_id: str  # "qe-517": series and number (see assistant.documents.ids), else the file stem
    source: str  # the original text, as read
    metadata: Metadata
    header: Section
    question: Section | None  # None for a plain text document
    sub_questions: tuple[SubQuestion, ...]
    intro: Section | None
    objectifs: tuple[Objectif, ...]
    closing: Section | None = None
    parts: tuple[Section, ...] = ()  # numbered answer parts, or the sections of a plain text
    kind: str = "written-question"  # or "text" (plain text / Markdown)
    language: str = "fr"  # "fr" or "nl"
    _by_id: dict[str, Section] = field(default_factory=dict, repr=False, compare=False)

    def sections(self) -> list[Section]:
        """Every section once, in the order of the source."""
        seen: dict[str, Section] = {}
        for s in (self.header, self.question, self.intro, *self.parts):
            if s is not None and s.end > s.start:
                seen[s.id] = s
        for obj in self.objectifs:
            for s in obj.sections:
                seen.setdefault(s.id, s)
        if self.closing is not None:
            seen[self.closing.id] = self.closing
        return sorted(seen.values(), key=lambda s: s.start)

    def section(self, section_id: str) -> Section:
        if not self._by_id:
            self._by_id.update({s.id: s for s in self.sections()})
        try:
            return self._by_id[section_id]
        except KeyError:
            raise KeyError(
                f"pas de section « {section_id} » dans {self.doc_id} ; les identifiants "
                f"connus commencent par : {', '.join(list(self._by_id)[:5])}, …"
            ) from None

    @property
    def date(self) -> str | None:
        """The document's date (ISO): the answer's, else the publication's, else reception."""
        m = self.metadata
        return m.answered or m.published or m.received

    @property
    def label(self) -> str:
        """How a citation names the document: "Question écrite n°517 — Sommet social 2021"."""
        if self.kind == "text":
            return self.metadata.title or self.doc_id
        word = "Schriftelijke vraag" if self.language == "nl" else "Question écrite"
        number = f" n°{self.metadata.number}" if self.metadata.number else ""
        return f"{word}{number} — {self.metadata.title}".rstrip(" —")

    def objectif(self, number: str) -> Objectif:
        for obj in self.objectifs:
            if obj.number == number:
                return obj
        raise KeyError(f"pas d'objectif {number} dans {self.doc_id}")
