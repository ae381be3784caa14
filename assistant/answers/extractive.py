"""Extractive answers with numbered citations, and honest abstention.

From the best passages of a hybrid search, every sentence (cut on the repaired
text, see :mod:`assistant.text.sentences`) is scored against the question: cosine
of the question with the sentence's embedding (computed at index time) plus
the share of the question's content words the sentence contains (IDF-weighted;
a word the corpus never uses counts as missing). The answer quotes the best
sentence of each passage whose best sentence is close to the overall best (at
most three sources, grouped per source), with inline markers ``[1]``, ``[2]``.
Each :class:`Citation` carries its passage and the character offsets of the
sentences used.

When the evidence is too weak (:func:`evidence_score` under a threshold
chosen on the dev split of the evaluation set), the assistant abstains: it says
plainly that the document has no information on the question and lists the
closest passages as "peut-être utile".

Non-goals: no generated text here (see :mod:`assistant.answers.generated`), no paraphrase.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..text.analyzer import tokenize

__all__ = [
    "Answer",
    "Citation",
    "DocumentRef",
    "citation_of",
    "compose",
    "refusal",
    "evidence_score",
    "abstain_threshold",
]

MAX_SOURCES = 3  # sources quoted in one answer
MAX_CHARS = 500  # answer length budget (markers and labels included)
CLOSE = 0.02  # a passage joins the answer when its best sentence is this close to the best
COVERAGE_WEIGHT = 0.1  # weight of word coverage against the cosine in a sentence's score
RANK_WEIGHT = 0.05  # bonus of a sentence from the best passage (÷ rank for the others)
LEAD_IN_PENALTY = 0.03  # a sentence ending with ":" announces a list; it is not an answer
HEADING_PENALTY = 0.1  # a section's heading line answers only when its body says nothing
_ASKED = re.compile(r"\b(?:demand\w*|question\w*|interrog\w*|député\w*|asked|vraag\w*)", re.I)
# "Quelles aides…", "Qu'est-ce qui est fait pour…": a list is expected, from several sources
_LIST_QUESTION = re.compile(
    r"^\s*(?:quel(?:le)?s\b|qu['’]est-ce qui (?:est|a été) fait|que fait|y a-t-il des)", re.I
)
_WHO = re.compile(
    r"(?:^\s*qui\b|\b(?:par|à|de) qui\b|\bquel(?:le)?s? ministres?\b|\bporteurs?\b"
    r"|\bresponsables?\b|\bwie\b|\bwho\b)",
    re.I,
)
# Abstention: a logistic evidence score fitted on the dev split of the evaluation set, and
# the threshold that refuses at most 5 % of its answerable questions
# (python -m evals.answers --fit --features cosine). Of the feature sets tried on dev
# (cosine; +coverage; +oov; all three), the cosine alone refused the most unanswerable
# questions at that bound; coverage and the unknown-word share are reported, weight 0.
# Cosines depend on the model: the calibration holds for the model it was fitted on only;
# with another model the assistant does not abstain until it is refitted.
FEATURES = ("cosine", "coverage", "oov")
CALIBRATED_MODEL = "multilingual-e5-small"
ABSTAIN_WEIGHTS = {"bias": -24.555, "cosine": 28.547, "coverage": 0.0, "oov": 0.0}
ABSTAIN_THRESHOLD = 0.3261
# Words that only a French question has: OOV words count as evidence only in French.
_FRENCH = frozenset(
    "le la les des du une est sont pour au aux que qui quel quelle quels quelles dans sur "
    "avec ce cette il elle je comment combien quand où pourquoi l d qu y a-t-il".split()
)


@dataclass(frozen=True)
class DocumentRef:
    """The document a citation comes from, as the citation names it."""

    label: str = ""  # "Question écrite n°517 — Sommet social 2021"
    number: str = ""  # "517"
    title: str = ""
    author: str = ""  # the member who asked
    addressee: str = ""  # the minister asked
    date: str = ""  # ISO date of the answer (else publication, else reception)

    def to_json(self) -> dict:
        """JSON keys of the contract: the addressee is ``minister`` there."""
        return {
            "label": self.label,
            "number": self.number,
            "title": self.title,
            "author": self.author,
            "minister": self.addressee,
            "date": self.date,
        }


@dataclass(frozen=True)
class Citation:
    n: int  # the marker number, [n] in the answer
    chunk_id: str
    doc_id: str
    section_id: str
    section_label: str
    heading_path: str
    objectif_label: str  # "Objectif 1.2 — Soutenir les TPE et PME…", "" outside objectifs
    ministers: tuple[str, ...]  # the section's ministers "porteurs"
    excerpt: str  # the whole passage
    highlights: tuple[tuple[int, int], ...]  # [start, end) of the sentences used, in excerpt
    document: DocumentRef = field(default_factory=DocumentRef)  # the document it comes from

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "section_id": self.section_id,
            "section_label": self.section_label,
            "heading_path": self.heading_path,
            "objectif": self.objectif_label,
            "ministers": list(self.ministers),
            "excerpt": self.excerpt,
            "highlights": [list(h) for h in self.highlights],
            "document": self.document.to_json(),
        }


@dataclass(frozen=True)
class Answer:
    question: str  # the question as asked (cleaned)
    answer: str  # the answer text, with [n] markers
    abstained: bool
    citations: tuple[Citation, ...]  # when abstaining: the closest passages ("peut-être utile")
    hits: tuple = ()  # the search hits the answer was taken from
    timings_ms: dict[str, float] = field(default_factory=dict)
    resolved_question: str = ""  # the question searched (a follow-up resolved in context)
    evidence: dict[str, float] = field(default_factory=dict)  # the abstention features
    warnings: tuple[str, ...] = ()
    note: str = ""  # shown with the answer: why a generated answer fell back, for instance
    generation: dict = field(
        default_factory=dict
    )  # what the generator did (assistant.answers.generated)

    def to_json(self) -> dict:
        out = {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "hits": [h.to_json() for h in self.hits],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "resolved_question": self.resolved_question or self.question,
            "evidence": {k: round(v, 4) for k, v in self.evidence.items()},
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.note:
            out["note"] = self.note
        if self.generation:
            out["generation"] = self.generation
        return out


@dataclass(frozen=True)
class _Scored:
    row: int  # chunk row
    start: int  # in the chunk text
    end: int
    score: float
    cosine: float
    coverage: float


@lru_cache(maxsize=65536)
def _terms(sentence: str) -> frozenset[str]:
    """A sentence's terms, analysed once: the same sentences come back query after query."""
    return frozenset(tokenize(sentence))


def _coverage(weights: dict[str, float], sentence: str) -> float:
    """IDF-weighted share of the question's distinct terms (``weights``: term -> IDF) found."""
    total = sum(weights.values())
    if not total:
        return 0.0
    found = _terms(sentence)
    return sum(w for t, w in weights.items() if t in found) / total


def abstain_threshold(model_id: str) -> float | None:
    """The abstention threshold for answers built with ``model_id`` (None: not calibrated)."""
    return ABSTAIN_THRESHOLD if model_id == CALIBRATED_MODEL else None


def evidence_score(features: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """Logistic evidence that the document answers the question (0..1)."""
    w = weights or ABSTAIN_WEIGHTS
    z = w["bias"] + sum(w[k] * features[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-min(max(z, -50.0), 50.0)))


def unknown_share(question: str, *, known, idf) -> float:
    """IDF-weighted share of a French question's words that the corpus never uses.

    "Qui a gagné la coupe du monde de football ?" asks about words the corpus
    does not have; a question in another language says nothing this way (0).
    """
    words = re.findall(r"[\w']+", question.lower().replace("’", "'"))
    if not any(w.split("'")[0] in _FRENCH for w in words):
        return 0.0
    terms = set(tokenize(question))
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms if not known(t)) / total if total else 0.0


def _clip(text: str, budget: int) -> str:
    if len(text) <= budget:
        return text
    cut = text[: max(budget - 1, 20)].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _sentence_text(text: str) -> str:
    text = re.sub(r"^(?:[-–•→]|o(?= ))\s*", "", text.strip())
    return text[:1].upper() + text[1:] if text else text


def _short_label(label: str) -> str:
    """ "Chantier 1.2.2 — Créer …" -> "Chantier 1.2.2"; other labels cut at the dash."""
    return label.split(" — ")[0]


def compose(
    question: str,
    hits: list,
    *,
    chunks,
    query_vector: np.ndarray,
    sentence_vectors: np.ndarray,
    sentence_rows: dict[int, list[int]],
    sentence_spans: np.ndarray,
    idf,
    known,
    row_of: dict[str, int],
    passages: int = 5,
    threshold: float | None = None,
) -> tuple[str, bool, list[Citation], dict[str, float]]:
    """(answer text, abstained, citations, evidence features) for ``question`` and its hits."""
    q_weights = {t: idf(t) for t in set(tokenize(question))}  # term -> IDF, computed once
    asks_about_question = bool(_ASKED.search(question))
    scored: list[_Scored] = []
    for rank, hit in enumerate(hits[:passages], start=1):
        row = row_of[hit.chunk_id]
        chunk = chunks[row]
        if chunk.kind == "question" and not asks_about_question:
            continue  # the member's own question answers only "what was asked?"
        ids = sentence_rows.get(row, [])
        if not ids:
            continue
        cos = sentence_vectors[ids] @ query_vector
        for sid, c in zip(ids, cos, strict=True):
            _, start, end = (int(x) for x in sentence_spans[sid])
            cov = _coverage(q_weights, chunk.text[start:end])
            score = float(c) + COVERAGE_WEIGHT * cov + RANK_WEIGHT / rank
            if end <= chunk.body_offset:  # the section's own heading: a fallback only
                score -= HEADING_PENALTY
            elif chunk.text[start:end].rstrip().endswith(":"):
                score -= LEAD_IN_PENALTY
            scored.append(_Scored(row, start, end, score, float(c), cov))
    if not scored:
        return "", True, [], {"cosine": 0.0, "coverage": 0.0, "oov": 1.0, "confidence": 0.0}

    best = max(scored, key=lambda s: s.score)
    features = {
        "cosine": best.cosine,
        "coverage": max(s.coverage for s in scored),
        "oov": unknown_share(question, known=known, idf=idf),
    }
    features["confidence"] = evidence_score(features)
    if threshold is not None and features["confidence"] < threshold:
        return "", True, [], features

    # Best sentence per passage; passages close to the best one join the answer.
    per_row: dict[int, list[_Scored]] = {}
    for s in sorted(scored, key=lambda s: -s.score):
        per_row.setdefault(s.row, []).append(s)
    close = 3 * CLOSE if _LIST_QUESTION.search(question) else CLOSE
    chosen_rows = [row for row, ss in per_row.items() if ss[0].score >= best.score - close]
    seen_sections, rows = set(), []
    for row in chosen_rows:
        if chunks[row].section_id not in seen_sections:
            seen_sections.add(chunks[row].section_id)
            rows.append(row)
    rows = rows[:MAX_SOURCES]

    citations, parts = [], []
    budget = MAX_CHARS // len(rows)
    for n, row in enumerate(rows, start=1):
        chunk = chunks[row]
        used = [per_row[row][0]]
        second = per_row[row][1] if len(per_row[row]) > 1 else None
        if len(rows) == 1 and second and second.score >= best.score - CLOSE / 2:
            used.append(second)
        used.sort(key=lambda s: s.start)
        # a heading that runs into its paragraph is not quoted: the label names it
        quote = " ".join(
            _sentence_text(
                chunk.text[max(s.start, min(chunk.body_offset, s.end)) : s.end].lstrip(" :")
            )
            or _sentence_text(chunk.text[s.start : s.end])
            for s in used
        )
        if n == 1 and chunk.ministers and _WHO.search(question):
            quote += f" (ministre(s) porteur(s) : {' ; '.join(chunk.ministers)})"
        if len(rows) == 1:
            parts.append(f"{_clip(quote, budget - 5)} [{n}]")
        else:
            label = _short_label(chunk.section_label)
            parts.append(f"• {label} : {_clip(quote, budget - len(label) - 10)} [{n}]")
        citations.append(citation_of(n, chunk, tuple((s.start, s.end) for s in used)))
    return "\n".join(parts), False, citations, features


def citation_of(n: int, chunk, highlights=()) -> Citation:
    """Citation ``[n]`` of ``chunk``, with ``highlights`` as (start, end) in its text."""
    return Citation(
        n=n,
        chunk_id=chunk.id,
        doc_id=chunk.doc_id,
        section_id=chunk.section_id,
        section_label=chunk.section_label,
        heading_path=chunk.heading_path,
        objectif_label=chunk.objectif_label,
        ministers=chunk.ministers,
        excerpt=chunk.text,
        highlights=highlights,
        document=document_of(chunk),
    )


def document_of(chunk) -> DocumentRef:
    """What a citation says about the chunk's document."""
    return DocumentRef(
        label=chunk.doc_label,
        number=chunk.doc_number,
        title=chunk.doc_title,
        author=chunk.doc_author,
        addressee=chunk.doc_addressee,
        date=chunk.doc_date,
    )


def refusal(question: str, hits: list, chunks, row_of) -> tuple[str, list[Citation]]:
    """The abstention text and the closest passages, cited as "peut-être utile"."""
    q = question.strip().rstrip(" ?")
    lines = [f"Le document ne contient pas d'information sur ce point : « {q} »."]
    citations = [citation_of(n, chunks[row_of[h.chunk_id]], ()) for n, h in enumerate(hits[:3], 1)]
    if citations:
        lines.append("Passages peut-être utiles :")
        lines += [f"[{c.n}] {c.section_label}" for c in citations]
    return "\n".join(lines), citations
