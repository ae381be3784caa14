"""The multi-document evaluation set: questions over many written questions, FR and NL.

``evals/multidoc/documents/`` holds written questions in the shapes parlement.brussels
publishes (plain-text exports, two saved HTML pages; French and Dutch; two "same
question, different ministers" pairs; a Commission communautaire commune question
sharing its number with a Parliament one; one page cut mid-answer). With the bundled
``corpus/`` document they are the corpus of this set, read by :func:`read_documents`.

``evals/multidoc/questions.jsonl`` has one question a line, with the field names of
``evals/questions.jsonl`` where they mean the same thing: ``id``, ``question``, ``kind``
(one of :data:`KINDS`), ``gold_doc`` (the id of the document that answers it, None when
the corpus does not), ``evidence`` (spans copied verbatim from that document),
``answerable`` and ``split`` (``dev`` / ``heldout``, alternating within each kind).

:func:`load_questions` validates the file (a bad line raises ``ValueError`` naming the
line and the problem) and, given the documents, checks that every gold document exists
and that every evidence span occurs in it (whitespace- and apostrophe-insensitive, as
in :mod:`evals.dataset`).

Non-goals: running the evaluation or scoring (the evaluation runner does that).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from evals.dataset import SPLITS, _loose

__all__ = [
    "MultiDocQuestion",
    "load_questions",
    "read_documents",
    "QUESTIONS",
    "DOCUMENTS",
    "KINDS",
    "SPLITS",
]

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "questions.jsonl"
DOCUMENTS = HERE / "documents"
BUNDLED = HERE.parent.parent / "corpus"
KINDS = (
    "fr-fr",  # a French question about a French document
    "fr-nl",  # a French question about a document that exists only in Dutch
    "nl-nl",  # a Dutch question about a Dutch document
    "minister",  # names a minister or portfolio among "same question" documents
    "document",  # about the document itself: who asked, to whom, when
    "absent",  # a fact no document gives (answerable false)
)
_FIELDS = ("id", "question", "kind", "gold_doc", "evidence", "answerable", "split")


@dataclass(frozen=True)
class MultiDocQuestion:
    id: str
    question: str
    kind: str
    gold_doc: str | None
    evidence: tuple[str, ...]
    answerable: bool
    split: str

    def row_fields(self) -> dict:
        """What every evaluation record says about its question (report JSON keys)."""
        return {
            "id": self.id,
            "split": self.split,
            "kind": self.kind,
            "answerable": self.answerable,
            "question": self.question,
            "gold": self.gold_doc,
        }


def read_documents(folders=(BUNDLED, DOCUMENTS)) -> list:
    """The parsed documents of the set (the bundled corpus and the fixtures), in order."""
    from assistant.documents.corpus import read_corpus

    return [doc for folder in folders for _, doc in read_corpus(Path(folder))]


def _question(row: dict) -> MultiDocQuestion:
    return MultiDocQuestion(
        id=row["id"],
        question=row["question"],
        kind=row["kind"],
        gold_doc=row["gold_doc"],
        evidence=tuple(row["evidence"]),
        answerable=bool(row["answerable"]),
        split=row["split"],
    )


def _check(q: MultiDocQuestion, where: str, sources: dict[str, str] | None) -> None:
    if q.kind not in KINDS or q.split not in SPLITS:
        raise ValueError(f"{where}: kind {q.kind!r} ou split {q.split!r} inconnu")
    if q.answerable != (q.gold_doc is not None) or q.answerable != bool(q.evidence):
        raise ValueError(
            f"{where}: une question répondable a un document et des preuves, "
            "une question sans réponse n'en a pas"
        )
    if q.answerable != (q.kind != "absent"):
        raise ValueError(f"{where}: seules les questions « absent » sont sans réponse")
    if sources is None or q.gold_doc is None:
        return
    if q.gold_doc not in sources:
        raise ValueError(f"{where}: document {q.gold_doc!r} inconnu ({len(sources)} lus)")
    for span in q.evidence:
        if _loose(span) not in sources[q.gold_doc]:
            raise ValueError(f"{where}: preuve introuvable dans {q.gold_doc}: {span[:60]!r}")


def load_questions(path: Path = QUESTIONS, *, documents=None) -> list[MultiDocQuestion]:
    """Questions of ``path``; checked against ``documents`` (parsed) when given."""
    sources = None if documents is None else {d.doc_id: _loose(d.source) for d in documents}
    out: list[MultiDocQuestion] = []
    seen: set[str] = set()
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{Path(path).name}, ligne {n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: JSON invalide ({exc.msg})") from None
        if not isinstance(row, dict) or set(row) != set(_FIELDS):
            got = sorted(row) if isinstance(row, dict) else type(row).__name__
            raise ValueError(f"{where}: champs {got}, attendus {list(_FIELDS)}")
        q = _question(row)
        where = f"{where} ({q.id})"
        if q.id in seen:
            raise ValueError(f"{where}: id {q.id} en double")
        seen.add(q.id)
        _check(q, where, sources)
        out.append(q)
    return out
