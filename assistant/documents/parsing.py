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

The Dutch version of the page (``Schriftelijke vraag betreffende …``, ``van … aan …``,
``Vraag``, ``Antwoord``) is read the same way. An answer without objectifs, numbered by
sub-question, is cut into parts by :mod:`assistant.documents.answerparts`.

Non-goals: HTML and PDF (see :mod:`assistant.documents.readers`, which turns them into this text)
and chunking (see :mod:`assistant.indexing.chunking`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ParseError
from ..text.analyzer import fold, tokenize
from .answerparts import split_answer_parts
from .document import Document, Metadata, Objectif, Section, SubQuestion
from .textrepair import Mapped, logical_lines, repair

__all__ = ["parse_document", "parse_file", "ParseError"]


_QUESTION = re.compile(r"^(?:Question|Vraag)(?:\s*:)?(?=\s+[A-ZÀ-Ý«\"“]|\s*$)\s*")
_ANSWER = re.compile(r"^(?:R[ée]ponse|Antwoord)(?:\s*:)?(?=\s|$)\s*")
_OBJECTIF = re.compile(r"^Objectif\s+(\d+\.\d+)\s*:?\s*")
_JOINT = re.compile(r"\s+(?:&|et)\s+Objectif\s+(\d+\.\d+)\s*:?\s*")
_CHANTIER = re.compile(r"^(?:Chantiers?\s+)?(\d+\.\d+\.\d+)\.?(?=\s|$)\s*")
_MORE_NUMBERS = re.compile(r"\s+(?:et|&)\s+(\d+\.\d+\.\d+)\.?\s+")
_MINISTERS = re.compile(r"^Ministres?(?:\(s\))?\s+porteurs?(?:\(s\))?\s*:?\s*")
_LIST_ITEM = re.compile(r"^(?:[-–•→]|o(?= ))\s*")
_SENTENCE_BREAK = re.compile(r"\.\s+(?=[A-ZÀ-Ý])")
_TITLE_VERB = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]+(?:er|ir|re|oir)\b")
# Capitalised words ending like an infinitive that are not verbs.
_NOT_VERBS = frozenset(
    "autre centre chantier chiffre contre entre lettre membre ministre notre ordre outre premier "
    "dernier quartier secretaire titre votre".split()
)
_SECOND_PERSON = re.compile(r"\b(?:vous|votre|vos)\b", re.IGNORECASE)
_DATE = r"(\d{1,2}/\d{1,2}/\d{4})"


@dataclass
class _Builder:
    """Lines gathered for one section while walking the text."""

    kind: str
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


def _iso(date: str | None) -> str | None:
    if not date:
        return None
    d, m, y = date.split("/")
    return f"{y}-{int(m):02d}-{int(d):02d}"


def _slug(title: str, words: int = 5) -> str:
    tokens = [t for t in re.findall(r"[a-z0-9]+", fold(title)) if len(t) > 1]
    return "-".join(tokens[:words])


def _parse_metadata(text: str) -> Metadata:
    def find(pattern: str) -> str | None:
        m = re.search(pattern, text)
        return m.group(1).strip() if m else None

    title = (
        find(r"Question écrite concernant\s+(?:(?:le|la|les)\s+|l['’])?([^\n]+)")
        or find(r"Schriftelijke vraag (?:betreffende|over)\s+(?:(?:de|het)\s+)?([^\n]+)")
        or ""
    )
    who = re.search(
        r"(?m)^(?:de|van)\s+(.+?)\s+(?:à|aan)\s+(.+?),\s*(.+?)\s*"
        r"\((?:question|vraag)\s+n(?:°|r\.?)\s*(\d+)\)",
        text,
    )
    steps = tuple(
        (_iso(m.group(1)) or "", m.group(2).strip())
        for m in re.finditer(rf"(?m)^{_DATE}\s+(.+?)(?:\s+p\.\s?m\.)?\s*$", text)
    )
    return Metadata(
        title=title,
        author=who.group(1) if who else "",
        addressee=who.group(2) if who else "",
        addressee_function=who.group(3) if who else "",
        number=who.group(4) if who else (find(r"n°\s*(\d+)") or ""),
        received=_iso(find(rf"(?:Date de réception|Datum van ontvangst)\s*:\s*{_DATE}")),
        published=_iso(find(rf"(?:Date de publication|Datum van publicatie)\s*:\s*{_DATE}")),
        answered=_iso(find(rf"(?:Date de réponse|Datum van antwoord)\s*:\s*{_DATE}")),
        legislature=find(r"(?:Législature|Zittingsperiode)\s*:\s*(\d+/\d+)"),
        session=find(r"(?:Session|Zitting)\s*:\s*(\d+/\d+)"),
        steps=steps,
    )


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


def _section(doc_source: str, b: _Builder, section_id: str) -> Section:
    start, end = b.span()
    return Section(
        id=section_id,
        kind=b.kind,
        title=b.title,
        start=start,
        end=end,
        body_start=b.body_start if b.body_start is not None else start,
        text=repair(doc_source, start, end).text,
        numbers=b.numbers,
        objectif=b.objectif,
        ministers=b.ministers,
    )


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


def parse_document(source: str, *, doc_id: str) -> Document:
    """Parse the text of one written question. Raises :class:`ParseError` if it has none."""
    lines = logical_lines(source)
    q_at = next((i for i, ln in enumerate(lines) if ln and _QUESTION.match(ln.text)), None)
    a_at = next((i for i, ln in enumerate(lines) if ln and _ANSWER.match(ln.text)), None)
    if q_at is None or a_at is None or a_at < q_at:
        missing = "Question" if q_at is None else "Réponse"
        raise ParseError(
            f"{doc_id}: no line starting with {missing!r}; expected a written question "
            "exported from parlement.brussels (header, 'Question …', 'Réponse …')"
        )

    metadata = _parse_metadata("\n".join(ln.text for ln in lines[:q_at] if ln))
    language = "nl" if lines[q_at].text.startswith("Vraag") else "fr"
    word = "Schriftelijke vraag" if language == "nl" else "Question écrite"
    name = f"{word} n°{metadata.number}" if metadata.number else word
    header = _Builder(
        "metadata", title=f"{name} — {'metadata' if language == 'nl' else 'métadonnées'}"
    )
    for ln in lines[:q_at]:
        header.add(ln)
    question = _Builder("question", title=f"{name} — {metadata.title}".rstrip(" —"))
    sub_questions: list[SubQuestion] = []
    for i, ln in enumerate(lines[q_at:a_at]):
        if ln is None:
            question.add(None)
            continue
        if i == 0:
            label = _QUESTION.match(ln.text).end()
            question.body_start = ln.offsets[label] if label < len(ln) else ln.end
        question.add(ln)
        item = _LIST_ITEM.match(ln.text)
        if item and ln.text.startswith(("-", "–", "•")):
            body = ln[item.end() :].strip()
            n = len(sub_questions) + 1
            sub_questions.append(SubQuestion(n, body.text, body.start, body.end))

    builders: list[tuple[str, _Builder]] = []
    intro = _Builder(
        "answer-intro",
        title="Antwoord — inleiding" if language == "nl" else "Réponse — introduction",
    )
    first = lines[a_at]
    label = _ANSWER.match(first.text).end()
    intro.body_start = first.offsets[label] if label < len(first) else first.end
    current = intro
    builders.append(("answer-intro", intro))
    group: tuple[str, ...] = ()  # objectif numbers of the current (joint) heading
    objectifs: dict[str, dict] = {}
    after_blank = False
    in_ministers = False

    for ln in lines[a_at:]:
        if ln is None:
            current.add(None)
            after_blank, in_ministers = True, False
            continue
        text = ln.text
        m_obj = _OBJECTIF.match(text)
        m_ch = _CHANTIER.match(text)
        if m_obj:
            parts = _JOINT.split(text[m_obj.end() :])
            group = (m_obj.group(1), *parts[1::2])
            titles = [p.strip().rstrip(".") for p in parts[0::2]]
            for num, title in zip(group, titles, strict=True):
                objectifs[num] = {"title": title, "start": ln.start, "joint": group}
            current = _Builder("objectif", title=titles[0], objectif=group[0], numbers=(group[0],))
            current.body_start = ln.end
            builders.append((f"objectif-{group[0]}", current))
            current.add(ln)
            in_ministers = False
        elif group and _MINISTERS.match(text) and current.kind == "objectif":
            rest = text[_MINISTERS.match(text).end() :].strip(" :")
            current.ministers = (rest,) if rest else ()
            current.add(ln)
            in_ministers = True
        elif in_ministers and (_LIST_ITEM.match(text) or not current.ministers):
            current.ministers += (
                text[_LIST_ITEM.match(text).end() :] if _LIST_ITEM.match(text) else text,
            )
            current.add(ln)
        elif m_ch and any(m_ch.group(1).startswith(g + ".") for g in group):
            in_ministers = False
            rest = ln[m_ch.end() :]
            more = _MORE_NUMBERS.split(rest.text)
            numbers = (m_ch.group(1), *more[1::2])
            if len(numbers) > 1:  # "1.8.1. Accélérer … et 1.8.2. Stimuler …"
                title, body = " et ".join(p.strip().rstrip(".") for p in more[0::2]), None
            else:
                title, body = _split_run_in(rest)
            owner = next(g for g in group if numbers[0].startswith(g + "."))
            current = _Builder("chantier", title=title, numbers=numbers, objectif=owner)
            current.body_start = body.start if body else ln.end
            builders.append((f"chantier-{numbers[0]}", current))
            current.add(ln)
        elif group and _is_subheading(ln, after_blank):
            in_ministers = False
            title = text.rstrip(" .")
            current = _Builder("subsection", title=title, objectif=group[0])
            current.body_start = ln.end
            builders.append((f"section-{group[0]}-{_slug(title)}", current))
            current.add(ln)
        else:
            in_ministers = False
            current.add(ln)
        after_blank = False

    # The paragraphs after the last objectif's body that answer the member's last
    # sub-questions belong to the answer's conclusion, not to that objectif.
    closing = None
    last_id, last = builders[-1]
    paras = _paragraphs(last.lines)
    keep = len(paras)
    while keep > 1:
        if not _answers_member(" ".join(p.text for p in paras[keep - 1]), tuple(sub_questions)):
            break
        keep -= 1
    if keep < len(paras):
        closing = _Builder("closing", title="Réponse — conclusion")
        for para in paras[keep:]:
            closing.lines.extend([*para, None])
        last.lines = [x for para in paras[:keep] for x in (*para, None)]

    by_id: dict[str, Section] = {}
    for sid, b in builders:
        if sid in by_id:  # a number seen twice: keep both, the second gets a suffix
            n = 2
            while f"{sid}-bis{n}" in by_id:
                n += 1
            sid = f"{sid}-bis{n}"
        by_id[sid] = _section(source, b, sid)

    objectif_list = []
    for num, info in objectifs.items():
        head = by_id.get(f"objectif-{info['joint'][0]}")
        ministers = head.ministers if head else ()
        # Chantiers and sub-headings are carried by the ministers of their objectif.
        secs = tuple(
            replace(s, ministers=s.ministers or ministers)
            for s in by_id.values()
            if s.objectif == num
        )
        if not secs:
            continue
        objectif_list.append(
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
    doc = Document(
        doc_id=doc_id,
        source=source,
        metadata=metadata,
        header=_section(source, header, "metadata"),
        question=_section(source, question, "question"),
        sub_questions=tuple(sub_questions),
        intro=by_id["answer-intro"],
        objectifs=tuple(objectif_list),
        closing=_section(source, closing, "closing") if closing else None,
        language=language,
    )
    return split_answer_parts(doc)


def parse_file(path: str | Path) -> Document:
    """Read a UTF-8 text file and parse it; the document id is the file's stem."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_document(source, doc_id=path.stem)
