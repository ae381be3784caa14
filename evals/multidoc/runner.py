"""Run the multi-document evaluation: its own index, each question searched and answered.

:func:`prepare_corpus` gathers the bundled ``corpus/`` and ``evals/multidoc/documents/``
into one folder (``index/multidoc/corpus``, gitignored; files copied only when they
changed) and :func:`load_assistant` builds or loads its index beside it
(``index/multidoc/index``). :func:`run` asks every question twice: a hybrid search (the
documents of the first ten passages, and the passages themselves) and the answer. Each
:class:`MultiDocRow` says whether the right document came first, whether an evidence span
is in one of the first five passages, whether it is quoted in the answer, and whether the
assistant refused. :func:`summarise` turns rows into the figures of one split.

Non-goals: rendering (:mod:`evals.multidoc.report`), fitting (:mod:`evals.multidoc.fit`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evals.dataset import _loose
from evals.metrics import distinct, evidence_hit_at, hit_at, mrr_at

from .dataset import BUNDLED, DOCUMENTS, MultiDocQuestion

__all__ = ["MultiDocRow", "WORKDIR", "load_assistant", "prepare_corpus", "run", "summarise"]

WORKDIR = BUNDLED.parent / "index" / "multidoc"  # gitignored, like index/


def prepare_corpus(dest: Path, *, sources=(BUNDLED, DOCUMENTS)) -> Path:
    """``dest`` holding exactly the files of ``sources`` (copied when changed); returns it."""
    dest.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path] = {}
    for folder in sources:
        for f in sorted(Path(folder).iterdir()):
            if f.is_file() and not f.name.startswith("."):
                if f.name in wanted:
                    raise ValueError(f"deux fichiers {f.name} dans {sources}: renommez-en un")
                wanted[f.name] = f
    for f in dest.iterdir():
        if f.name not in wanted and f.is_file():
            f.unlink()
    for name, src in wanted.items():
        target = dest / name
        if not target.exists() or target.read_bytes() != src.read_bytes():
            shutil.copyfile(src, target)
    return dest


def load_assistant(*, workdir: Path = WORKDIR, encoder=None, log=print):
    """The assistant over the multi-document corpus (its index built on first use)."""
    from assistant import Assistant

    corpus = prepare_corpus(workdir / "corpus")
    return Assistant.load(
        corpus=corpus, index=workdir / "index", encoder=encoder, progress=False, log=log
    )


@dataclass(frozen=True)
class MultiDocRow:
    """What the assistant did with one question of the set."""

    q: MultiDocQuestion
    ranked_docs: tuple[str, ...]  # distinct document ids of the first ten passages
    doc_first: float  # 1.0 when the gold document is the first passage's (answerable only)
    doc_mrr: float
    evidence_at_5: float  # an evidence span inside one of the first five passages
    evidence_in_answer: bool
    abstained: bool
    cited_docs: tuple[str, ...]
    answer: str

    def to_json(self) -> dict:
        return {
            **self.q.row_fields(),
            "doc_first": self.doc_first,
            "doc_mrr": self.doc_mrr,
            "evidence@5": self.evidence_at_5,
            "evidence_in_answer": self.evidence_in_answer,
            "abstained": self.abstained,
            "ranked_docs": list(self.ranked_docs),
            "cited_docs": list(self.cited_docs),
            "answer": self.answer,
        }


def search_row(assistant, q: MultiDocQuestion) -> tuple[tuple[str, ...], float, float, float]:
    """(ranked document ids, doc first, doc MRR, evidence@5) of a hybrid search for ``q``."""
    hits = assistant.search(q.question, k=10)
    ranked = tuple(distinct([h.doc_id for h in hits]))
    if not q.answerable:
        return ranked, 0.0, 0.0, 0.0
    gold = {q.gold_doc}
    first = hit_at([h.doc_id for h in hits], gold, 1)
    texts = [h.text for h in hits]
    return ranked, first, mrr_at(list(ranked), gold), evidence_hit_at(texts, q.evidence, 5, _loose)


def row(assistant, q: MultiDocQuestion, *, answers: bool = True) -> MultiDocRow:
    ranked, first, mrr, evidence = search_row(assistant, q)
    if answers:
        a = assistant.ask(q.question)
        text, abstained = a.answer, a.abstained
        cited = tuple(distinct([c.doc_id for c in a.citations])) if not abstained else ()
    else:
        text, abstained, cited = "", False, ()
    loose = _loose(text).lower()
    return MultiDocRow(
        q=q,
        ranked_docs=ranked,
        doc_first=first,
        doc_mrr=mrr,
        evidence_at_5=evidence,
        evidence_in_answer=any(_loose(e).lower() in loose for e in q.evidence),
        abstained=abstained,
        cited_docs=cited,
        answer=text,
    )


def run(
    assistant,
    questions: list[MultiDocQuestion],
    *,
    answers: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[MultiDocRow]:
    """One :class:`MultiDocRow` per question (``answers=False``: search only, no ``ask``)."""
    out = []
    for n, q in enumerate(questions, start=1):
        out.append(row(assistant, q, answers=answers))
        if progress:
            progress(n, len(questions))
    return out


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def summarise(rows: list[MultiDocRow]) -> dict:
    """The figures of ``rows``: right document first, evidence@5, in answer, abstention."""
    ans = [r for r in rows if r.q.answerable]
    absent = [r for r in rows if not r.q.answerable]
    refused = [r for r in rows if r.abstained]
    right_refusals = sum(r.abstained for r in absent)
    kinds = sorted({r.q.kind for r in ans})
    return {
        "n": len(rows),
        "answerable": len(ans),
        "absent": len(absent),
        "doc_first": _mean(r.doc_first for r in ans),
        "doc_mrr": _mean(r.doc_mrr for r in ans),
        "evidence@5": _mean(r.evidence_at_5 for r in ans),
        "evidence_in_answer": _mean(r.evidence_in_answer for r in ans),
        "abstention_precision": right_refusals / len(refused) if refused else 1.0,
        "abstention_recall": right_refusals / len(absent) if absent else 1.0,
        "wrong_refusals": sum(r.abstained for r in ans),
        "doc_first_by_kind": {k: _mean(r.doc_first for r in ans if r.q.kind == k) for k in kinds},
    }


def by_split(rows: list[MultiDocRow]) -> dict[str, dict]:
    """:func:`summarise` for each split, then for all of them."""
    splits = sorted({r.q.split for r in rows})
    out = {s: summarise([r for r in rows if r.q.split == s]) for s in splits}
    out["all"] = summarise(rows)
    return out
