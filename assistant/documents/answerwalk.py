"""The walk over an answer's lines that finds its objectifs, chantiers and sub-headings.

Scope: :class:`AnswerWalk` is fed the logical lines of an answer, one by one, from
the ``Réponse`` line on (``None`` for a blank line). It opens a new :class:`Draft`
at each ``Objectif N.N : …`` heading (two objectifs may share one heading), reads
the minister(s) "porteur(s)" that follow it, opens one at each numbered chantier of
the current objectif (the word "Chantier" may be missing, a heading may run into
its paragraph, two numbers may share one heading) and at each unnumbered
sub-heading; any other line goes to the open draft. Everything is found from the
shape of the text, never from line numbers.

Non-goals: the header and the question, the closing paragraphs and the final
:class:`Section` ids (see :mod:`assistant.documents.parsing`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.analyzer import fold
from .document import Section, SectionKind
from .textrepair import Mapped, repair

__all__ = ["AnswerWalk", "Draft", "LIST_ITEM"]

_OBJECTIF = re.compile(r"^Objectif\s+(\d+\.\d+)\s*:?\s*")
_JOINT = re.compile(r"\s+(?:&|et)\s+Objectif\s+(\d+\.\d+)\s*:?\s*")
_CHANTIER = re.compile(r"^(?:Chantiers?\s+)?(\d+\.\d+\.\d+)\.?(?=\s|$)\s*")
_MORE_NUMBERS = re.compile(r"\s+(?:et|&)\s+(\d+\.\d+\.\d+)\.?\s+")
_MINISTERS = re.compile(r"^Ministres?(?:\(s\))?\s+porteurs?(?:\(s\))?\s*:?\s*")
LIST_ITEM = re.compile(r"^(?:[-–•→]|o(?= ))\s*")
_SENTENCE_BREAK = re.compile(r"\.\s+(?=[A-ZÀ-Ý])")
_TITLE_VERB = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]+(?:er|ir|re|oir)\b")
# Capitalised words ending like an infinitive that are not verbs.
_NOT_VERBS = frozenset(
    "autre centre chantier chiffre contre entre lettre membre ministre notre ordre outre premier "
    "dernier quartier secretaire titre votre".split()
)


@dataclass
class Draft:
    """Lines gathered for one section while walking the text."""

    kind: SectionKind
    title: str = ""
    numbers: tuple[str, ...] = ()
    objectif: str | None = None
    ministers: tuple[str, ...] = ()
    lines: list[Mapped | None] = field(default_factory=list)
    body_start: int | None = None

    def add(self, line: Mapped | None) -> None:
        if line is None and (not self.lines or self.lines[-1] is None):
            return
        self.lines.append(line)

    def span(self) -> tuple[int, int]:
        real = [ln for ln in self.lines if ln is not None and ln.text]
        return real[0].start, real[-1].end

    def section(self, source: str, section_id: str) -> Section:
        start, end = self.span()
        return Section(
            id=section_id,
            kind=self.kind,
            title=self.title,
            start=start,
            end=end,
            body_start=self.body_start if self.body_start is not None else start,
            text=repair(source, start, end).text,
            numbers=self.numbers,
            objectif=self.objectif,
            ministers=self.ministers,
        )


def _slug(title: str, words: int = 5) -> str:
    tokens = [t for t in re.findall(r"[a-z0-9]+", fold(title)) if len(t) > 1]
    return "-".join(tokens[:words])


def _split_run_in(rest: Mapped) -> tuple[str, Mapped | None]:
    """Cut a heading that runs into its paragraph: (title, body or None)."""
    text = rest.text
    cut = None
    m = re.search(r"\s*:\s+", text)
    if m and len(text[m.end() :].split()) >= 3:
        cut = (m.start(), m.end())
    for pattern in (r"\s+(?=(?:[Cc]f\.|[Vv]oir)\s)", _SENTENCE_BREAK.pattern):
        m2 = re.search(pattern, text)
        if m2 and (cut is None or m2.start() < cut[0]):
            keep = 1 if pattern == _SENTENCE_BREAK.pattern else 0  # keep the full stop
            cut = (m2.start() + keep, m2.end())
    if cut is None:
        return text.rstrip(" .").strip(), None
    return text[: cut[0]].rstrip(" .:").strip(), rest[cut[1] :].strip() or None


def _is_subheading(line: Mapped, after_blank: bool) -> bool:
    text = line.text
    first = fold(text.split(" ", 1)[0])
    return (
        after_blank
        and len(text) <= 200
        and bool(_TITLE_VERB.match(text))
        and first not in _NOT_VERBS
        and not _SENTENCE_BREAK.search(text.rstrip(". "))
    )


class AnswerWalk:
    """Cut an answer into drafts, line by line: :meth:`feed` each line, then read
    ``drafts`` (id, draft) in order and ``objectifs`` (number -> title, start, joint)."""

    def __init__(self, intro: Draft) -> None:
        self.current = intro
        self.drafts: list[tuple[str, Draft]] = [("answer-intro", intro)]
        self.group: tuple[str, ...] = ()  # objectif numbers of the current (joint) heading
        self.objectifs: dict[str, dict] = {}
        self.after_blank = False
        self.in_ministers = False

    def feed(self, ln: Mapped | None) -> None:
        if ln is None:
            self.current.add(None)
            self.after_blank, self.in_ministers = True, False
            return
        text = ln.text
        m_ch = _CHANTIER.match(text)
        if m := _OBJECTIF.match(text):
            self._objectif(ln, m)
        elif self.group and self.current.kind == SectionKind.OBJECTIF and _MINISTERS.match(text):
            self._ministers(ln)
        elif self.in_ministers and (LIST_ITEM.match(text) or not self.current.ministers):
            self._more_ministers(ln)
        elif m_ch and any(m_ch.group(1).startswith(g + ".") for g in self.group):
            self._chantier(ln, m_ch)
        elif self.group and _is_subheading(ln, self.after_blank):
            self._subheading(ln)
        else:
            self.in_ministers = False
            self.current.add(ln)
        self.after_blank = False

    def _open(self, section_id: str, draft: Draft, ln: Mapped, body_start: int) -> None:
        draft.body_start = body_start
        self.current = draft
        self.drafts.append((section_id, draft))
        draft.add(ln)
        self.in_ministers = False

    def _objectif(self, ln: Mapped, m: re.Match) -> None:
        parts = _JOINT.split(ln.text[m.end() :])
        self.group = (m.group(1), *parts[1::2])
        titles = [p.strip().rstrip(".") for p in parts[0::2]]
        for num, title in zip(self.group, titles, strict=True):
            self.objectifs[num] = {"title": title, "start": ln.start, "joint": self.group}
        first = self.group[0]
        draft = Draft(SectionKind.OBJECTIF, title=titles[0], objectif=first, numbers=(first,))
        self._open(f"objectif-{first}", draft, ln, ln.end)

    def _ministers(self, ln: Mapped) -> None:
        rest = ln.text[_MINISTERS.match(ln.text).end() :].strip(" :")
        self.current.ministers = (rest,) if rest else ()
        self.current.add(ln)
        self.in_ministers = True

    def _more_ministers(self, ln: Mapped) -> None:
        item = LIST_ITEM.match(ln.text)
        self.current.ministers += (ln.text[item.end() :] if item else ln.text,)
        self.current.add(ln)

    def _chantier(self, ln: Mapped, m: re.Match) -> None:
        rest = ln[m.end() :]
        more = _MORE_NUMBERS.split(rest.text)
        numbers = (m.group(1), *more[1::2])
        if len(numbers) > 1:  # "1.8.1. Accélérer … et 1.8.2. Stimuler …"
            title, body = " et ".join(p.strip().rstrip(".") for p in more[0::2]), None
        else:
            title, body = _split_run_in(rest)
        owner = next(g for g in self.group if numbers[0].startswith(g + "."))
        draft = Draft(SectionKind.CHANTIER, title=title, numbers=numbers, objectif=owner)
        self._open(f"chantier-{numbers[0]}", draft, ln, body.start if body else ln.end)

    def _subheading(self, ln: Mapped) -> None:
        title = ln.text.rstrip(" .")
        first = self.group[0]
        draft = Draft(SectionKind.SUBSECTION, title=title, objectif=first)
        self._open(f"section-{first}-{_slug(title)}", draft, ln, ln.end)
