"""Cut a parsed document into citable chunks: one per section, split when long.

One chunk per chantier, per unnumbered sub-heading, per objectif introduction,
and one each for the metadata header, the question, the answer's introduction
and its conclusion; one per numbered part of an answer given question by question, and
one per section of a plain text. Every chunk names its document (``doc_*`` fields).
A section longer than ``target`` characters (~1,500) is
split on paragraph boundaries (then lines, then sentences) into balanced parts;
no part exceeds ``limit`` (~2,000). Ids are stable across rebuilds:
``<doc>#chantier-1.2.2``, then ``<doc>#chantier-1.2.2-2`` for a second part.

The shown ``text`` is the repaired passage; the ``embed_text`` (embedded and
indexed) adds the heading path with full titles in front of it.

Non-goals: no overlap between chunks, no token counting (characters are a good
enough proxy for a 512-token encoder at these sizes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..documents.document import Document, Section, SectionKind, shorten
from ..documents.textrepair import Mapped, repair

__all__ = [
    "Chunk",
    "body_start",
    "chunk_document",
    "chunk_lines",
    "doc_fields",
    "ends_cut_page",
    "CHUNKER_VERSION",
]

# 9: an answer label alone on its line keeps its answer (parsing), a label with nothing
# after it gives no chunk; 8: doc_incomplete; 7: stable ids (qe-517), doc_language/series/function;
# 6: doc_minister renamed doc_addressee; 5: doc_* fields, answer parts, text
CHUNKER_VERSION = 9
# the sections that open on the page's label (« Question », « Antwoord »): nothing after it
# is no passage, where a chantier's heading alone is its text
_LABELLED = frozenset({SectionKind.QUESTION, SectionKind.ANSWER_INTRO})


@dataclass(frozen=True)
class Chunk:
    id: str  # "<doc>#chantier-1.2.2", "<doc>#chantier-1.2.2-2"
    doc_id: str
    section_id: str  # "chantier-1.2.2"
    part: int  # 1-based part of its section
    kind: str  # the section kind
    section_label: str  # "Chantier 1.2.2 — Créer une politique commerciale…"
    heading_path: str  # "Objectif 1.2 › Chantier 1.2.2 — Créer une politique commerciale…"
    ministers: tuple[str, ...]
    start: int  # [start, end) in the document's source
    end: int
    text: str  # the repaired passage, as shown
    embed_text: str  # heading path with full titles + text, as embedded and indexed
    body_offset: int = 0  # where the body starts in ``text`` (after the section heading)
    objectif_label: str = ""  # "Objectif 1.2 — Soutenir les TPE et PME…" for objectif sections
    objectif: str = ""  # "1.2"
    # The document the chunk comes from, so that every citation can name it:
    doc_label: str = ""  # "Question écrite n°517 — Sommet social 2021"
    doc_number: str = ""  # "517"
    doc_title: str = ""  # "Sommet social 2021"
    doc_author: str = ""  # "Bianca Debaets"
    doc_addressee: str = ""  # the addressee: "Rudi Vervoort"
    doc_date: str = ""  # ISO date of the answer (else publication, else reception)
    doc_language: str = ""  # "fr" or "nl"
    doc_series: str = ""  # "qe", "ccc"; "" for a plain text
    doc_function: str = ""  # the addressee's function: "Ministre … chargée de la Mobilité …"
    doc_incomplete: bool = False  # the page was saved cut: the answer may go on past it


def body_start(chunk: Chunk, start: int, end: int) -> int:
    """Where the sentence ``[start, end)`` of ``chunk.text`` starts without the heading it
    shares a line with (« Réponse    Depuis 2021, … » -> « Depuis 2021, … »): past the
    chunk's ``body_offset`` and the spaces and « : » after it; ``end`` when the sentence is
    all heading."""
    at = max(start, min(chunk.body_offset, end))
    while at < end and chunk.text[at] in " \t:":
        at += 1
    return at


def ends_cut_page(chunks: Sequence[Chunk], row: int) -> bool:
    """Whether ``chunks[row]`` is the last chunk of a page saved cut (the next chunk is
    another document's, or there is none): its last sentence may be unfinished
    (:func:`~assistant.text.sentences.mark_unfinished`)."""
    chunk = chunks[row]
    last = row + 1 == len(chunks) or chunks[row + 1].doc_id != chunk.doc_id
    return chunk.doc_incomplete and last


def _heading_path(doc: Document, s: Section, *, full: bool) -> str:
    cut = (lambda t: t) if full else shorten
    if s.kind in ("chantier", "subsection"):
        head = f"Objectif {s.objectif}"
        if full:
            head += f" : {doc.objectif(s.objectif).title}"
        return f"{head} › {s.label if not full else _full_label(s)}"
    if s.kind == "objectif":
        return f"Objectif {s.objectif} — {cut(s.title)}"
    if s.kind in ("answer-part", "text") and full:
        # sections of other documents carry the document's title: with many documents,
        # "Réponse 3" alone says nothing about what it answers
        return f"{doc.label} › {s.title}"
    return cut(s.title)


def _full_label(s: Section) -> str:
    if s.kind == "chantier":
        return f"Chantier {' et '.join(s.numbers)} : {s.title}"
    return s.title


def _pieces(text: Mapped, sep: str) -> list[Mapped]:
    out, pos = [], 0
    for m in re.finditer(sep, text.text):
        if m.start() > pos:
            out.append(text[pos : m.start()].strip())
        pos = m.end()
    out.append(text[pos:].strip())
    return [p for p in out if p.text]


def _sentences(text: Mapped) -> list[Mapped]:
    return _pieces(text, r"(?<=[.!?;])\s+(?=\S)")


def _hard_cut(text: Mapped, limit: int) -> list[Mapped]:
    out = []
    while len(text) > limit:
        at = text.text.rfind(" ", 0, limit)
        at = at if at > limit // 2 else limit
        out.append(text[:at].strip())
        text = text[at:].strip()
    return [*out, text] if text.text else out


def _refine(units: list[Mapped], threshold: float) -> list[Mapped]:
    """Split units longer than ``threshold`` on paragraphs, then lines, then sentences."""
    for sep in (r"\n\n", r"\n", None):
        units = [
            piece
            for u in units
            for piece in (
                (_pieces(u, sep) if sep else _sentences(u)) if len(u) > threshold else [u]
            )
        ]
    return units


def _partition(sizes: list[int], parts: int, sep: int = 2) -> list[int]:
    """Cut points splitting ``sizes`` into ``parts`` contiguous groups, minimising the largest.

    Linear partition by dynamic programming: ``best[k][j]`` is the smallest possible
    largest group when the first ``j`` units make ``k`` groups.
    """
    m = len(sizes)
    prefix = [0]
    for size in sizes:
        prefix.append(prefix[-1] + size)

    def cost(i: int, j: int) -> int:  # units i..j-1 in one group, with separators
        return prefix[j] - prefix[i] + sep * (j - i - 1)

    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(parts + 1)]
    cut = [[0] * (m + 1) for _ in range(parts + 1)]
    best[0][0] = 0
    for k in range(1, parts + 1):
        for j in range(k, m + 1):
            for i in range(k - 1, j):
                value = max(best[k - 1][i], cost(i, j))
                if value < best[k][j]:
                    best[k][j], cut[k][j] = value, i
    cuts, j = [], m
    for k in range(parts, 0, -1):
        cuts.append(j)
        j = cut[k][j]
    return sorted(cuts)


def split_text(text: Mapped, *, target: int = 1500, limit: int = 2000) -> list[Mapped]:
    """Balanced parts of about ``target`` characters, none over ``limit``.

    Cuts fall on paragraph boundaries when they can, then on lines, then on
    sentences, then between words.
    """
    if len(text) <= target:
        return [text]
    units = _refine([text], target)
    units = [piece for u in units for piece in (_hard_cut(u, limit) if len(u) > limit else [u])]
    sizes = [len(u) for u in units]
    fallback = None
    # The fewest parts whose largest is near the target (else under the limit).
    for parts in range(2, len(units) + 1):
        cuts = _partition(sizes, parts)
        groups = [units[i:j] for i, j in zip([0, *cuts[:-1]], cuts, strict=True)]
        pieces = [_rejoin(text, g) for g in groups]
        largest = max(len(p) for p in pieces)
        if largest <= target * 1.1:
            return pieces
        if fallback is None and largest <= limit:
            fallback = pieces
    return fallback or [_rejoin(text, [u]) for u in units]


def _rejoin(whole: Mapped, group: list[Mapped]) -> Mapped:
    """The exact slice of ``whole`` from the first unit's start to the last unit's end."""
    first = whole.offsets.index(group[0].offsets[0])
    last = len(whole.offsets) - 1 - whole.offsets[::-1].index(group[-1].offsets[-1])
    return whole[first : last + 1].strip()


def chunk_document(doc: Document, *, target: int = 1500, limit: int = 2000) -> list[Chunk]:
    """The chunks of ``doc``, in document order."""
    chunks: list[Chunk] = []
    for s in doc.sections():
        if s.kind in _LABELLED and s.body_start >= s.end:
            continue  # « Antwoord » alone, the page cut after it: no passage to find
        text = repair(doc.source, s.start, s.end)
        label = s.label
        path = _heading_path(doc, s, full=False)
        full_path = _heading_path(doc, s, full=True)
        objectif = (
            f"Objectif {s.objectif} — {shorten(doc.objectif(s.objectif).title)}"
            if s.objectif
            else ""
        )
        for part, piece in enumerate(split_text(text, target=target, limit=limit), start=1):
            suffix = f"-{part}" if part > 1 else ""
            chunks.append(
                Chunk(
                    id=f"{doc.doc_id}#{s.id}{suffix}",
                    doc_id=doc.doc_id,
                    section_id=s.id,
                    part=part,
                    kind=s.kind,
                    section_label=label,
                    heading_path=path,
                    ministers=s.ministers,
                    start=piece.start,
                    end=piece.end,
                    text=piece.text,
                    embed_text=f"{full_path}\n\n{piece.text}",
                    body_offset=next(
                        (i for i, off in enumerate(piece.offsets) if off >= s.body_start), 0
                    ),
                    objectif_label=objectif,
                    objectif=s.objectif or "",
                    **doc_fields(doc),
                )
            )
    return chunks


def doc_fields(doc: Document) -> dict[str, str | bool]:
    """The ``doc_*`` fields of every chunk of ``doc``."""
    m = doc.metadata
    return {
        "doc_label": doc.label,
        "doc_number": m.number,
        "doc_title": m.title,
        "doc_author": m.author,
        "doc_addressee": m.addressee,
        "doc_date": doc.date or "",
        "doc_language": doc.language,
        "doc_series": m.series,
        "doc_function": m.addressee_function,
        "doc_incomplete": m.incomplete,
    }


def chunk_lines(chunk: Chunk, *, min_chars: int = 30) -> list[str]:
    """The chunk's lines (bullets, paragraphs) worth a vector of their own, with the heading path.

    A question about one bullet of a long chantier ("ouvrir un magasin") matches
    that bullet better than the whole passage; the search takes the best line.
    """
    lines = [ln.strip() for ln in chunk.text.split("\n")]
    return [f"{chunk.heading_path}\n\n{ln}" for ln in lines if len(ln) >= min_chars]
