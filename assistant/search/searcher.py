"""Search a loaded index: four modes over the passages, ranked :class:`Hit` values.

:class:`Searcher` owns the loaded index (the ``Built`` value of
:mod:`assistant.indexing.store`) and the encoder, and runs one of :data:`MODES`:

* ``hybrid`` (default): z-score fusion of BM25 and a dense score that mixes the cosine with
  the whole passage and with its best line (:func:`assistant.search.fusion.hybrid`), plus
  the match of the question with the passage's document metadata
  (:mod:`assistant.search.metadata_match`, weight fitted in ``ranking.json``); a content
  question leaves the metadata headers out (:mod:`assistant.search.intent`), a passage
  in another language than the question is not penalised for sharing no word with it, and
  each passage gains a share of its document's best scores
  (:func:`assistant.search.fusion.document_evidence`, share fitted in ``ranking.json``);
  BM25 also scores the words of the other language's passages that the question's words
  stand for (:mod:`assistant.search.translation`, weight fitted in ``ranking.json``);
* ``rrf``: reciprocal-rank fusion of BM25 and the passage cosine (baseline);
* ``dense``: passage cosine only; ``bm25``: BM25 only.

Without filters each retriever brings its best ``POOL`` passages; with
:class:`~assistant.search.filters.Filters`, every allowed passage is scored, exactly. A
question that names a written question by its number (« la réponse à la question 1021 »,
:meth:`~assistant.search.metadata_match.MetadataIndex.numbered_documents`) is searched in
the pages of that number, as if filtered by document (unless a document filter is set).

Non-goals: cleaning the question (:mod:`assistant.search.query`), loading or building the
index (:mod:`assistant.indexing.store`), answers (:mod:`assistant.answers`).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import QueryError
from ..indexing.words import WordVectors
from .filters import Filters
from .fusion import document_evidence, hybrid, ranking, rrf
from .intent import Intent, intent_of, question_language
from .metadata_match import MetadataIndex
from .translation import Translator

__all__ = ["Hit", "MODES", "POOL", "Retrieval", "SearchResult", "Searcher", "allowed_rows"]

MODES = ("hybrid", "dense", "bm25", "rrf")
POOL = 200  # candidates per retriever; fixed so that top-5 == top-10[:5]
# Chosen on the dev split of evals/questions.jsonl (python -m evals --split dev):
DENSE_WEIGHT = 0.6  # weight of the dense z-score against BM25's in the hybrid
LINE_WEIGHT = 0.4  # share of the best line's cosine in a chunk's dense score
RANKING = Path(__file__).with_name("ranking.json")  # fitted by python -m evals.multidoc --fit


@lru_cache(maxsize=1)
def fitted_metadata_weight() -> float:
    """The weight of the metadata match in the hybrid score (``ranking.json``)."""
    return float(json.loads(RANKING.read_text(encoding="utf-8"))["metadata_weight"])


@lru_cache(maxsize=1)
def fitted_language_offset() -> float | None:
    """What is added to the cosine of a passage in the other language than the question's
    (``ranking.json``; None: the difference of the two languages' mean cosines)."""
    value = json.loads(RANKING.read_text(encoding="utf-8")).get("language_offset")
    return None if value is None else float(value)


@lru_cache(maxsize=1)
def fitted_translation_weight() -> float:
    """The weight of the cross-lingual query terms' BM25 scores (``ranking.json``; 0: off)."""
    value = json.loads(RANKING.read_text(encoding="utf-8")).get("translation_weight", 0.0)
    return float(value)


@lru_cache(maxsize=1)
def fitted_document_share() -> float:
    """The share of a document's other evidence added to each passage (``ranking.json``)."""
    return float(json.loads(RANKING.read_text(encoding="utf-8")).get("document_share", 0.0))


def allowed_rows(chunks, filters: Filters) -> np.ndarray:
    """(n,) bool: the chunks that ``filters`` keeps."""
    return np.fromiter((filters.matches(c) for c in chunks), dtype=bool, count=len(chunks))


@dataclass(frozen=True)
class Hit:
    rank: int  # 1-based
    chunk_id: str
    doc_id: str
    section_id: str
    section_label: str
    heading_path: str
    text: str
    score: float  # hybrid: fused z-score; rrf: RRF score; dense: cosine; bm25: BM25 score
    start: int  # [start, end) of the passage in the source document
    end: int
    ministers: tuple[str, ...] = ()
    dense_score: float | None = None  # cosine of query and passage, when computed
    line_score: float | None = None  # cosine of query and the passage's best line
    bm25_score: float | None = None

    def to_json(self) -> dict:
        return {
            "rank": self.rank,
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "section_id": self.section_id,
            "section_label": self.section_label,
            "heading_path": self.heading_path,
            "text": self.text,
            "score": round(float(self.score), 6),
            "start": self.start,
            "end": self.end,
            "ministers": list(self.ministers),
        }


@dataclass(frozen=True)
class SearchResult:
    query: str  # the cleaned query that was searched
    hits: tuple[Hit, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Retrieval:
    """One search as the answers need it: the hits, timings (ms) and the query vector."""

    hits: tuple[Hit, ...]
    timings_ms: dict[str, float]
    query_vector: np.ndarray | None  # (1, dim); None in ``bm25`` mode


@dataclass(frozen=True)
class _Scores:
    """Per-chunk scores (n,), NaN where not scored; None when the mode does not use them."""

    passage: np.ndarray | None = None  # cosine of the query and the passage
    line: np.ndarray | None = None  # cosine of the query and the passage's best line
    bm25: np.ndarray | None = None


def _check(*, k, mode: str) -> None:
    if mode not in MODES:
        raise QueryError(f"mode {mode!r} inconnu : choisissez parmi {', '.join(MODES)}")
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise QueryError(f"k doit être un entier ≥ 1 (reçu {k!r})")


def _totals(timings: dict[str, float], stages: tuple[str, ...]) -> dict[str, float]:
    timings["search"] = sum(timings.get(x, 0.0) for x in stages)
    timings["total"] = timings["search"] + timings.get("encode", 0.0)
    return timings


class Searcher:
    """The four search modes over one loaded index."""

    def __init__(self, built, encoder, *, metadata_weight: float | None = None) -> None:
        self.built = built
        self.encoder = encoder
        self.chunks = built.chunks
        self.row_of = {c.id: row for row, c in enumerate(self.chunks)}  # chunk id -> row
        self.metadata = MetadataIndex(self.chunks)
        self.metadata_weight = (
            fitted_metadata_weight() if metadata_weight is None else metadata_weight
        )
        self._header = np.fromiter(
            (c.kind == "metadata" for c in self.chunks), dtype=bool, count=len(self.chunks)
        )
        self._language = np.asarray([c.doc_language for c in self.chunks], dtype=object)
        self._doc = np.asarray([c.doc_id for c in self.chunks], dtype=object)
        self.document_share = fitted_document_share()
        self.language_offset = fitted_language_offset()
        self.translation_weight = fitted_translation_weight()
        # the question's words as queries: shared with the grounding (one encoding each)
        self.word_vectors = WordVectors(encoder, words=built.words)
        self._translator: Translator | None | bool = False  # False: not computed yet
        self._translator_lock = threading.Lock()

    def chunk(self, chunk_id: str):
        """The :class:`~assistant.indexing.chunking.Chunk` of that id (KeyError if unknown)."""
        return self.chunks[self.row_of[chunk_id]]

    def search(
        self, text: str, *, k: int, mode: str, objectif: str | None, filters: Filters | None = None
    ) -> Retrieval:
        """The ``k`` best passages for an already cleaned question, in ``mode``."""
        _check(k=k, mode=mode)
        timings: dict[str, float] = {}
        qv = None
        passage = line = bm25 = None
        # With filters, every allowed passage is a candidate (not only the best POOL overall)
        allowed = allowed_rows(self.chunks, filters) if filters else None
        # « la réponse à la question 1021 »: that page's passages, like a document filter
        named = self.metadata.numbered_documents(text)
        if named and not (filters and filters.document):
            of_named = np.isin(self._doc, list(named))
            allowed = of_named if allowed is None else allowed & of_named
        if mode != "bm25":
            t = time.perf_counter()
            qv = self.encoder.encode_queries([text])
            timings["encode"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            passage, line = self._dense(qv, allowed=allowed)
            if allowed is not None:
                passage[~allowed] = np.nan
                line[~allowed] = np.nan
            timings["dense"] = (time.perf_counter() - t) * 1000
        if mode != "dense":
            also = ()
            if mode == "hybrid" and self.translation_weight:
                t = time.perf_counter()
                also = self.translations(text)
                if self._translator:  # a stage only on an index in both languages
                    timings["translate"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            bm25 = self.built.lexical.scores(text, also=also, weight=self.translation_weight)
            if allowed is not None:
                bm25 = np.where(allowed, bm25, 0.0)
            timings["bm25"] = (time.perf_counter() - t) * 1000
        if allowed is not None and not allowed.any():
            return Retrieval((), _totals(timings, ("dense", "translate", "bm25")), qv)

        t = time.perf_counter()
        scores = _Scores(passage, line, bm25)
        rows, ranked_by = self._rank(mode, scores, text)
        if objectif:
            rows = [r for r in rows if self.chunks[r].objectif == objectif]
        hits = tuple(
            self._hit(rank, row, ranked_by, scores) for rank, row in enumerate(rows[:k], start=1)
        )
        timings["fusion"] = (time.perf_counter() - t) * 1000
        return Retrieval(hits, _totals(timings, ("dense", "translate", "bm25", "fusion")), qv)

    def translations(self, text: str) -> tuple[tuple[str, str], ...]:
        """``(word, language)``: the other language's words that the words of ``text`` stand
        for (:mod:`assistant.search.translation`); none when the weight is 0 or the passages
        are in one language."""
        if not self.translation_weight:
            return ()
        if self._translator is False:
            with self._translator_lock:
                if self._translator is False:
                    self._translator = Translator.of(
                        self.chunks, self.built.words, self.word_vectors
                    )
        if self._translator is None:
            return ()
        pairs = self._translator.pairs(text, question_language(text))
        # « école » and « écoles » may both pair with « scholen »: its scores count once
        return tuple(dict.fromkeys((p.translation, p.language) for p in pairs))

    def _rank(self, mode: str, s: _Scores, text: str = "") -> tuple[list[int], np.ndarray]:
        """(rows best first, the (n,) scores they are ranked by) in ``mode``."""
        if mode == "bm25":
            return ranking(s.bm25, positive_only=True), s.bm25
        if mode == "dense":
            rows = ranking(np.nan_to_num(s.passage, nan=-2.0))
            return [r for r in rows if not np.isnan(s.passage[r])], s.passage
        bm25_rows = ranking(s.bm25, positive_only=True)[:POOL]
        cand = sorted(set(np.flatnonzero(~np.isnan(s.passage)).tolist()) | set(bm25_rows))
        if mode == "hybrid" and intent_of(text) is Intent.CONTENT:
            kept = [r for r in cand if not self._header[r]]
            cand = kept or cand  # a corpus of headers alone still answers
        cand_arr = np.asarray(cand, dtype=np.int64)
        if mode == "rrf":
            fused_map = rrf([ranking(np.nan_to_num(s.passage, nan=-2.0))[:POOL], bm25_rows])
            fused = np.asarray([fused_map.get(r, 0.0) for r in cand])
        else:
            fused = hybrid(
                s.passage[cand_arr],
                s.line[cand_arr],
                s.bm25[cand_arr],
                line_weight=LINE_WEIGHT,
                dense_weight=DENSE_WEIGHT,
                neutral=self._language[cand_arr] != question_language(text),
                offset=self.language_offset,
            )
            if self.metadata_weight:
                fused = fused + self.metadata_weight * self.metadata.chunk_scores(text)[cand_arr]
            fused = document_evidence(fused, self._doc[cand_arr], share=self.document_share)
        scores = np.full(len(self.chunks), np.nan)
        scores[cand_arr] = fused
        return [cand[i] for i in ranking(fused)], scores

    def _dense(
        self, qv: np.ndarray, *, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of the query with each chunk, and with its best line (NaN: not scored).

        Without ``allowed``, the best POOL chunks and 4 × POOL lines of the index; with it
        (a boolean mask of chunks, for filters), every allowed chunk and line, exactly, even
        when the index is approximate.
        """
        n = len(self.chunks)
        chunk_cos = np.full(n, np.nan)
        line_cos = np.full(n, -np.inf)
        lines = self.built.lines
        if allowed is not None:
            rows = np.flatnonzero(allowed)
            chunk_cos[rows] = self.built.dense.scores_of(qv, rows)
            if lines.count:
                owners = self.built.line_owner
                line_rows = np.flatnonzero(allowed[owners])
                np.maximum.at(line_cos, owners[line_rows], lines.scores_of(qv, line_rows))
        else:
            scores, rows = self.built.dense.search(qv, min(n, POOL))
            found = rows[0] >= 0  # an approximate index may return fewer rows (-1)
            chunk_cos[rows[0][found]] = scores[0][found]
            if lines.count:
                scores, rows = lines.search(qv, min(lines.count, 4 * POOL))
                found = rows[0] >= 0
                np.maximum.at(line_cos, self.built.line_owner[rows[0][found]], scores[0][found])
        line_cos[np.isinf(line_cos)] = np.nan
        return chunk_cos, line_cos

    def _hit(self, rank: int, row: int, ranked_by: np.ndarray, s: _Scores) -> Hit:
        c = self.chunks[row]

        def val(a):
            return None if a is None or np.isnan(a[row]) else float(a[row])

        return Hit(
            rank=rank,
            chunk_id=c.id,
            doc_id=c.doc_id,
            section_id=c.section_id,
            section_label=c.section_label,
            heading_path=c.heading_path,
            text=c.text,
            score=float(ranked_by[row]),
            start=c.start,
            end=c.end,
            ministers=c.ministers,
            dense_score=val(s.passage),
            line_score=val(s.line),
            bm25_score=val(s.bm25),
        )
