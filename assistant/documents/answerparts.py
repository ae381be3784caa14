"""Answers given question by question: cut them into one section per numbered part.

Many written questions are answered without objectifs, sub-question by sub-question:
``1. …``, ``2. …`` at the start of a line, or ``En réponse à votre première question, …``
(``In antwoord op uw eerste vraag`` in Dutch). :func:`split_answer_parts` turns the
answer of such a :class:`Document` (introduction and conclusion included) into an
introduction and ``answer-part`` sections ``reponse-1``, ``reponse-2``…, each titled with
the sub-question it answers when the numbers match.

Non-goals: answers with objectifs and chantiers (see :mod:`assistant.documents.parsing`), nested
numbering (a list inside a part stays in its part).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .document import Document, Section, SectionKind, shorten
from .textrepair import repair

__all__ = ["split_answer_parts", "ORDINALS"]

_NUMBERED = re.compile(r"(?m)^[ \t]*(\d{1,2})[.)][ \t]+(?=\S)")
ORDINALS = {
    "premier": 1, "première": 1, "eerste": 1,
    "deuxième": 2, "second": 2, "seconde": 2, "tweede": 2,
    "troisième": 3, "derde": 3,
    "quatrième": 4, "vierde": 4,
    "cinquième": 5, "vijfde": 5,
    "sixième": 6, "zesde": 6,
    "septième": 7, "zevende": 7,
    "huitième": 8, "achtste": 8,
    "dernière": 0, "laatste": 0,  # 0: the one after the previous part
}  # fmt: skip
_ORDINAL = re.compile(
    r"(?im)^[ \t]*(?:(?:en\s+(?:réponse|ce\s+qui\s+concerne)|pour\s+ce\s+qui\s+(?:est|concerne)"
    r"|quant)\s+(?:à\s+)?(?:votre|la)|(?:in\s+antwoord\s+op|wat\s+betreft|met\s+betrekking\s+tot)"
    r"\s+(?:uw|de))\s+(" + "|".join(ORDINALS) + r")\s+(?:question|vraag)"
)


def _markers(text: str, base: int) -> list[tuple[int, int, int]]:
    """(number, start, body start) of each part, from numbered lines or ordinal phrases."""
    seq, want = [], 1
    for m in _NUMBERED.finditer(text):
        if int(m.group(1)) == want:
            seq.append((want, base + m.start(), base + m.end()))
            want += 1
    if len(seq) >= 2:
        return seq
    seq = []
    for m in _ORDINAL.finditer(text):
        n = ORDINALS[m.group(1).lower()] or (seq[-1][0] + 1 if seq else 1)
        if not seq or n > seq[-1][0]:
            seq.append((n, base + m.start(), base + m.start()))
    return seq if len(seq) >= 2 else []


def _trim(source: str, start: int, end: int) -> tuple[int, int]:
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return start, end


def split_answer_parts(doc: Document) -> Document:
    """``doc`` with its answer cut into numbered parts (unchanged when it has none)."""
    if doc.objectifs or doc.intro is None or doc.parts:
        return doc
    start = doc.intro.body_start
    end = max(doc.intro.end, doc.closing.end if doc.closing else 0)
    found = _markers(doc.source[start:end], start)
    if not found:
        return doc
    word = "Antwoord" if doc.language == "nl" else "Réponse"
    subs = {q.n: q.text for q in doc.sub_questions}
    parts = []
    for i, (n, a, body) in enumerate(found):
        b = found[i + 1][1] if i + 1 < len(found) else end
        a, b = _trim(doc.source, a, b)
        title = f"{word} {n}" + (f" — {shorten(subs[n], 70)}" if n in subs else "")
        parts.append(
            Section(
                id=f"reponse-{n}",
                kind=SectionKind.ANSWER_PART,
                title=title,
                start=a,
                end=b,
                body_start=max(a, min(body, b)),
                text=repair(doc.source, a, b).text,
            )
        )
    a, b = _trim(doc.source, doc.intro.start, found[0][1])
    intro = replace(doc.intro, start=a, end=b, text=repair(doc.source, a, b).text)
    return replace(doc, intro=intro, closing=None, parts=tuple(parts), _by_id={})
