"""Load and validate the evaluation questions (``evals/questions.jsonl``).

On load, every evidence span must occur in the corpus (whitespace- and
apostrophe-insensitive) and every gold section must exist in the parsed
documents; a bad file raises ``ValueError`` naming the line and the problem.

Non-goals: scoring (see :mod:`evals.metrics`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EvalQuestion", "load_questions", "QUESTIONS", "KINDS", "SPLITS"]

QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"
KINDS = ("citizen", "assistant parlementaire", "cross-section", "unanswerable", "other language")
SPLITS = ("dev", "heldout")
_FIELDS = {"id", "question", "kind", "gold_sections", "evidence", "answerable", "split"}


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    kind: str
    gold_sections: tuple[str, ...]
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
            "gold": list(self.gold_sections),
        }


def _loose(text: str) -> str:
    """Whitespace- and apostrophe-insensitive form used to find evidence spans."""
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def load_questions(path: Path = QUESTIONS, *, documents=None) -> list[EvalQuestion]:
    """Questions of ``path``; checked against ``documents`` (parsed) when given."""
    sources = [_loose(d.source) for d in documents or []]
    sections = {s.id for d in documents or [] for s in d.sections()}
    out: list[EvalQuestion] = []
    seen: set[str] = set()
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{Path(path).name}, ligne {n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: JSON invalide ({exc.msg})") from None
        if set(row) != _FIELDS:
            raise ValueError(f"{where}: champs {sorted(row)}, attendus {sorted(_FIELDS)}")
        q = EvalQuestion(
            id=row["id"],
            question=row["question"],
            kind=row["kind"],
            gold_sections=tuple(row["gold_sections"]),
            evidence=tuple(row["evidence"]),
            answerable=bool(row["answerable"]),
            split=row["split"],
        )
        where = f"{where} ({q.id})"
        if q.id in seen:
            raise ValueError(f"{where}: id {q.id} en double")
        seen.add(q.id)
        if q.kind not in KINDS or q.split not in SPLITS:
            raise ValueError(f"{where}: kind {q.kind!r} ou split {q.split!r} inconnu")
        if q.answerable != bool(q.gold_sections) or q.answerable != bool(q.evidence):
            raise ValueError(f"{where}: une question répondable a des sections et des preuves")
        if documents:
            for span in q.evidence:
                if not any(_loose(span) in s for s in sources):
                    raise ValueError(f"{where}: preuve introuvable dans le corpus: {span[:60]!r}")
            for sid in q.gold_sections:
                if sid not in sections:
                    raise ValueError(f"{where}: section {sid!r} inconnue")
        out.append(q)
    return out
