"""The parliamentary brief: coverage, chantier table and drafts, in one value.

``build_brief(assistant)`` reads the first written question of the corpus (or
the one named by ``doc_id``) and returns a :class:`Brief`; ``to_json()`` and
``to_markdown()`` are what ``python -m assistant brief`` prints and what the
app's "Suivi parlementaire" tab offers for download.

Non-goals: several written questions in one brief; editing verdicts by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..documents.corpus import corpus_files, default_corpus_dir, read_documents
from ..documents.document import Document
from ..documents.readers import read_document
from ..errors import CorpusError
from .coverage import SubQuestionCoverage, cover
from .drafts import Draft, document_name, drafts_for, number_label
from .status import ChantierRow, status_table
from .table import to_markdown

__all__ = ["Brief", "build_brief", "load_document"]


@dataclass(frozen=True)
class Brief:
    doc: Document
    coverage: tuple[SubQuestionCoverage, ...]
    rows: tuple[ChantierRow, ...]
    drafts: tuple[Draft, ...]

    @property
    def title(self) -> str:
        """The brief's title: « Suivi de la question écrite n°517 — Sommet social 2021 », a
        Dutch page's « Suivi de la schriftelijke vraag nr. 2104 — … »."""
        title = self.doc.metadata.title
        return f"Suivi de la {document_name(self.doc)}" + (f" — {title}" if title else "")

    def to_json(self) -> dict:
        m = self.doc.metadata
        return {
            "doc_id": self.doc.doc_id,
            "question": {
                "label": document_name(self.doc),
                "number": m.number,
                "title": m.title,
                "author": m.author,
                "addressee": m.addressee,
            },
            "coverage": [c.to_json() for c in self.coverage],
            "chantiers": [r.to_json() for r in self.rows],
            "drafts": [d.to_json() for d in self.drafts],
        }

    def to_markdown(self, rows=None) -> str:
        """The whole brief as Markdown (``rows``: a filtered table, default all)."""
        m = self.doc.metadata
        out = [
            f"# {self.title}",
            "",
            f"De {m.author} à {m.addressee}. Réponse du {m.answered or '—'}.",
            "",
        ]
        if m.incomplete:
            out += [
                "La page a été enregistrée incomplète : la réponse peut continuer au-delà de ce "
                "qui est lu ici, et une sous-question dite sans réponse y être répondue.",
                "",
            ]
        out += ["## Couverture des sous-questions", ""]
        for sub in self.coverage:
            out.append(f"### {sub.n}. {sub.verdict.upper()}")
            out.append("")
            for pv in sub.parts:
                out.append(f"- **{pv.part.label} — {pv.verdict}** : {pv.part.text}")
                out.append(f"  - {pv.reason}")
                for s in pv.support:
                    out.append(f"  - *{s.section_label}* : « {' '.join(s.quoted.split())} »")
            out.append("")
        out += ["## État des chantiers", ""]
        shown = self.rows if rows is None else rows
        if shown:
            out.append(to_markdown(shown))
        elif self.rows:
            out += ["Aucun chantier ne correspond aux filtres.", ""]
        else:
            out += ["La réponse n'est pas organisée en chantiers : pas de tableau.", ""]
        out += ["## Projets de questions de suivi", ""]
        for i, d in enumerate(self.drafts, start=1):
            out += [f"### {i}. {d.subject} ({d.reason})", "", f"À : {d.addressee}", "", d.text, ""]
        if not self.drafts:
            out += ["Aucun point ouvert : rien n'est resté sans réponse ou répondu en partie, rien "
                    "n'a été renvoyé, aucun chantier n'est retardé sans cause.", ""]  # fmt: skip
        return "\n".join(out)


def load_document(corpus=None, doc_id: str | None = None) -> Document:
    """A written question of the corpus folder: ``doc_id`` (id, file stem or number), or
    by default the first written question with sub-questions (file names in order)."""
    files = corpus_files(Path(corpus) if corpus else default_corpus_dir())
    known = []
    if doc_id is not None and (named := [p for p in files if p.stem == doc_id]):
        return read_document(named[0])  # a file named so: its parse error is the answer
    for path, doc in read_documents(files):
        known.append(f"{path.stem} ({number_label(doc)})" if doc.metadata.number else path.stem)
        if doc_id is None and doc.kind == "written-question" and doc.sub_questions:
            return doc
        if doc_id is not None and doc_id in (doc.metadata.number, doc.doc_id):
            return doc
    if doc_id is None:
        raise CorpusError("aucune question écrite avec des sous-questions dans le corpus")
    raise CorpusError(
        f"document {doc_id!r} introuvable dans le corpus (disponibles : "
        f"{', '.join(known) or 'aucun'})"
    )


def build_brief(assistant, *, doc: Document | None = None, doc_id: str | None = None) -> Brief:
    """The brief of one written question indexed by ``assistant`` (real model for coverage)."""
    doc = doc or load_document(assistant.corpus, doc_id)
    rows = status_table(doc)
    coverage = cover(assistant, doc, rows)
    return Brief(doc, tuple(coverage), tuple(rows), tuple(drafts_for(doc, coverage, rows)))
