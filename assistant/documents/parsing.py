"""Parse a parlement.brussels written question into a :class:`Document`.

The text is read as the web page exports it: a header (title, author,
addressee, dates), ``Question`` with its bulleted sub-questions, then
``Réponse``: an introduction, then ``Objectif N.N : …`` sections with their
minister(s) "porteur(s)", numbered ``Chantier N.N.N …`` sections (the word
"Chantier" may be missing, a heading may run into its paragraph, two numbers
may share one heading, two objectifs may share one heading), unnumbered
sub-headings, and closing paragraphs that answer the last sub-questions.

Everything is found from the shape of the text, never from this document's
line numbers or headings. Offsets always point into the original text.

The Dutch version of the page (``Schriftelijke vraag betreffende …``, ``Indiener(s)`` or
``van`` … ``aan`` …, ``Vraag``, ``Antwoord``) is read the same way; the language comes from
the page's labels (:mod:`assistant.documents.language`). An answer without objectifs,
numbered by sub-question, is cut into parts by :mod:`assistant.documents.answerparts`.

Sub-questions are the question's list items (``1.``, ``1-``, ``1)``, ``-``, ``•``, ``o``,
``·``, the same ``1.`` repeated before every item) or, when it has no list, its sentences
that end with ``?``. A page saved cut (the answer stops mid-sentence, or there is no
answer at all) is read as far as it goes and marked ``Metadata.incomplete``.

The header's fields are read by :mod:`assistant.documents.metadata`, the answer's
objectifs, chantiers and sub-headings by :mod:`assistant.documents.answerwalk`; this
module finds the question and the answer, the closing paragraphs, and assembles them.

Non-goals: HTML and PDF (see :mod:`assistant.documents.readers`, which turns them into this text)
and chunking (see :mod:`assistant.indexing.chunking`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import ParseError
from ..text.analyzer import tokenize
from .answerparts import split_answer_parts
from .answerwalk import AnswerWalk, Draft
from .document import Document, Metadata, Objectif, Section, SectionKind, SubQuestion
from .ids import document_id, with_id
from .language import detect_language
from .metadata import parse_metadata
from .plaintext import read_utf8
from .textrepair import Mapped, logical_lines

__all__ = ["parse_document", "parse_file", "ParseError"]


_QUESTION = re.compile(r"^(?:Question|Vraag)(?:\s*:)?(?=\s+[A-ZÀ-Ý«\"“]|\s*$)\s*")
_ANSWER = re.compile(r"^(?:R[ée]ponse|Antwoord)(?:\s*:)?(?=\s|$)\s*")
_SECOND_PERSON = re.compile(r"\b(?:vous|votre|vos)\b", re.IGNORECASE)
# A sub-question's list marker: a bullet, or a number followed by ".", ")" or "-".
_SUB_ITEM = re.compile(r"^(?:[-–•·→▪]|o(?= )|\d{1,2}\s?[.)\-–](?=\s))\s*")
_QUESTION_SENTENCE = re.compile(r"[^.?!]*?\?")
# How a complete answer ends: a sentence's final punctuation, a closing quote or bracket,
# or a link.
_COMPLETE_END = re.compile(r"(?:[.!?…:;»\"”’)\]]|https?://\S+)\s*$")


def _locate(lines: list[Mapped | None], doc_id: str) -> tuple[int, int]:
    """Indexes of the ``Question`` and ``Réponse`` lines; ParseError when one is missing."""
    q_at = next((i for i, ln in enumerate(lines) if ln and _QUESTION.match(ln.text)), None)
    a_at = next(
        (i for i, ln in enumerate(lines) if ln and i > (q_at or 0) and _ANSWER.match(ln.text)),
        None,
    )
    if q_at is not None and a_at is None and _header_is_a_question(lines[:q_at]):
        return q_at, len(lines)  # a page cut before its answer: no answer
    if q_at is None or a_at is None or a_at < q_at:
        missing = "« Question »" if q_at is None else "« Réponse » après la question"
        raise ParseError(
            f"{doc_id} : aucune ligne ne commence par {missing} ; donnez l'export texte "
            "d'une question écrite de parlement.brussels (en-tête, « Question … », puis "
            "« Réponse … »)"
        )
    return q_at, a_at


def _header_is_a_question(lines: list[Mapped | None]) -> bool:
    """Does the text before ``Question`` read as a written question's header?"""
    m = parse_metadata("\n".join(ln.text for ln in lines if ln))
    return bool(m.number and (m.title or m.author))


def _body_start(ln: Mapped, label: re.Pattern) -> int:
    """Where the text after a line's label (``Question``, ``Réponse``) starts."""
    end = label.match(ln.text).end()
    return ln.offsets[end] if end < len(ln) else ln.end


def _read_question(lines: list[Mapped | None], title: str) -> tuple[Draft, list[SubQuestion]]:
    """The question's draft and its bulleted sub-questions (numbered from 1)."""
    question = Draft(SectionKind.QUESTION, title=title)
    sub_questions: list[SubQuestion] = []
    for i, ln in enumerate(lines):
        if ln is None:
            question.add(None)
            continue
        if i == 0:
            question.body_start = _body_start(ln, _QUESTION)
        question.add(ln)
        item = _SUB_ITEM.match(ln.text)
        if item and i > 0:
            body = ln[item.end() :].strip()
            n = len(sub_questions) + 1
            sub_questions.append(SubQuestion(n, body.text, body.start, body.end))
    if not sub_questions:
        sub_questions = _question_sentences(question)
    return question, sub_questions


def _question_sentences(question: Draft) -> list[SubQuestion]:
    """The sentences ending with ``?`` of a question written without a list."""
    out: list[SubQuestion] = []
    for i, ln in enumerate(question.lines):
        if ln is None:
            continue
        label = _QUESTION.match(ln.text) if i == 0 else None
        skip = label.end() if label else 0
        for m in _QUESTION_SENTENCE.finditer(ln.text):
            body = ln[max(m.start(), skip) : m.end()].strip()
            if body.text:
                out.append(SubQuestion(len(out) + 1, body.text, body.start, body.end))
    return out


def _cut_short(lines: list[Mapped | None]) -> bool:
    """Does the answer stop mid-sentence (or is there none)?"""
    last = next((ln.text for ln in reversed(lines) if ln and ln.text.strip()), "")
    if not last or _ANSWER.fullmatch(last.strip()):
        return True
    return not _COMPLETE_END.search(last)


def _paragraphs(lines: list[Mapped | None]) -> list[list[Mapped]]:
    paras: list[list[Mapped]] = [[]]
    for ln in lines:
        if ln is None:
            paras.append([])
        else:
            paras[-1].append(ln)
    return [p for p in paras if p]


def _answers_member(text: str, sub_questions: tuple[SubQuestion, ...]) -> bool:
    """Does a closing paragraph speak to the member about one of their sub-questions?"""
    terms = set(tokenize(text))
    best = max((len(terms & set(tokenize(q.text))) for q in sub_questions), default=0)
    return (bool(_SECOND_PERSON.search(text)) and best >= 2) or best >= 4


def _split_closing(
    last: Draft, sub_questions: tuple[SubQuestion, ...], *, language: str = "fr"
) -> Draft | None:
    """Move the paragraphs after the last objectif's body that answer the member's last
    sub-questions out of ``last`` into the answer's conclusion (None if there are none).
    ``last`` keeps its first paragraph with a text: a ``Réponse`` or ``Antwoord`` label alone
    on its line (the answer after a blank line) is no paragraph of its own."""
    paras = _paragraphs(last.lines)
    first = 2 if paras and len(paras[0]) == 1 and _ANSWER.fullmatch(paras[0][0].text.strip()) else 1
    keep = len(paras)
    while keep > first:
        if not _answers_member(" ".join(p.text for p in paras[keep - 1]), sub_questions):
            break
        keep -= 1
    if keep == len(paras):
        return None
    title = "Antwoord — slot" if language == "nl" else "Réponse — conclusion"
    closing = Draft(SectionKind.CLOSING, title=title)
    for para in paras[keep:]:
        closing.lines.extend([*para, None])
    last.lines = [x for para in paras[:keep] for x in (*para, None)]
    return closing


def _sections(source: str, drafts: list[tuple[str, Draft]]) -> dict[str, Section]:
    """The answer's sections by id; a number seen twice keeps both, the second as -bis2."""
    by_id: dict[str, Section] = {}
    for sid, draft in drafts:
        if sid in by_id:
            n = 2
            while f"{sid}-bis{n}" in by_id:
                n += 1
            sid = f"{sid}-bis{n}"
        by_id[sid] = draft.section(source, sid)
    return by_id


def _objectifs(found: dict[str, dict], by_id: dict[str, Section]) -> tuple[Objectif, ...]:
    """One Objectif per number with sections; chantiers and sub-headings are carried by
    the ministers of their objectif (of the first one of a joint heading)."""
    out = []
    for num, info in found.items():
        head = by_id.get(f"objectif-{info['joint'][0]}")
        ministers = head.ministers if head else ()
        secs = tuple(
            replace(s, ministers=s.ministers or ministers)
            for s in by_id.values()
            if s.objectif == num
        )
        if not secs:
            continue
        out.append(
            Objectif(
                number=num,
                title=info["title"],
                ministers=ministers,
                start=info["start"],
                end=max(s.end for s in secs),
                joint_with=tuple(g for g in info["joint"] if g != num),
                sections=secs,
            )
        )
    return tuple(out)


def _walk_answer(lines: list[Mapped | None], language: str) -> AnswerWalk:
    title = "Antwoord — inleiding" if language == "nl" else "Réponse — introduction"
    intro = Draft(SectionKind.ANSWER_INTRO, title=title)
    intro.body_start = _body_start(lines[0], _ANSWER)
    walk = AnswerWalk(intro)
    for ln in lines:
        walk.feed(ln)
    return walk


def _names(metadata: Metadata, language: str) -> tuple[str, str]:
    """Titles of the header and question sections: "Question écrite n°517 — …"."""
    word = "Schriftelijke vraag" if language == "nl" else "Question écrite"
    name = f"{word} n°{metadata.number}" if metadata.number else word
    header = f"{name} — {'metadata' if language == 'nl' else 'métadonnées'}"
    return header, f"{name} — {metadata.title}".rstrip(" —")


def parse_document(source: str, *, doc_id: str) -> Document:
    """Parse the text of one written question. Raises :class:`ParseError` if it has none."""
    lines = logical_lines(source)
    q_at, a_at = _locate(lines, doc_id)
    header_text = "\n".join(ln.text for ln in lines[:q_at] if ln)
    labels = [ln.text for ln in (lines[q_at], *lines[a_at : a_at + 1]) if ln]
    language = detect_language("\n".join([header_text, *labels]))
    metadata = replace(parse_metadata(header_text), incomplete=_cut_short(lines[a_at:]))
    header_title, question_title = _names(metadata, language)
    header = Draft(SectionKind.METADATA, title=header_title)
    for ln in lines[:q_at]:
        header.add(ln)
    question, sub_questions = _read_question(lines[q_at:a_at], question_title)
    intro = closing = None
    objectifs: tuple[Objectif, ...] = ()
    if a_at < len(lines):
        walk = _walk_answer(lines[a_at:], language)
        closing = _split_closing(walk.drafts[-1][1], tuple(sub_questions), language=language)
        by_id = _sections(source, walk.drafts)
        intro = by_id["answer-intro"]
        objectifs = _objectifs(walk.objectifs, by_id)
    doc = Document(
        doc_id=doc_id,
        source=source,
        metadata=metadata,
        header=header.section(source, "metadata"),
        question=question.section(source, "question"),
        sub_questions=tuple(sub_questions),
        intro=intro,
        objectifs=objectifs,
        closing=closing.section(source, "closing") if closing else None,
        language=language,
    )
    return split_answer_parts(doc)


def parse_file(path: str | Path) -> Document:
    """Read a UTF-8 text file and parse it; its id is its series and number (else its stem)."""
    path = Path(path)
    doc = parse_document(read_utf8(path), doc_id=path.stem)
    return with_id(doc, document_id(doc, stem=path.stem))
