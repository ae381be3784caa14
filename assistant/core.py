"""The assistant's front door: load (or build) the index, search it.

``Assistant.load()`` finds the corpus and index folders, loads the encoder,
loads the persisted index, and rebuilds it with a one-line message when it is
missing, damaged or out of date. ``search()`` runs one of four modes and
returns :class:`Hit` values:

* ``hybrid`` (default): z-score fusion of BM25 and a dense score that mixes
  the cosine with the whole passage and with its best line;
* ``rrf``: reciprocal-rank fusion of BM25 and the passage cosine (baseline);
* ``dense``: passage cosine only; ``bm25``: BM25 only.

``filters`` (:class:`~assistant.search.filters.Filters`) restricts a search to some documents;
then every allowed passage is scored, not only the best ``POOL``.

Non-goals: answers (see :mod:`assistant.answers.extractive`).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .answers.context import resolve_followup
from .answers.extractive import Answer, abstain_threshold, compose, refusal
from .documents.corpus import default_corpus_dir, read_corpus
from .errors import IndexStale
from .indexing.store import Built, build_index, default_index_dir, load_index
from .search.filters import Filters
from .search.fusion import ranking, rrf, zscore
from .search.query import clean_query

__all__ = [
    "Answer",
    "Assistant",
    "Hit",
    "SearchResult",
    "MODES",
    "default_corpus_dir",
    "default_index_dir",
]

MODES = ("hybrid", "dense", "bm25", "rrf")
POOL = 200  # candidates per retriever; fixed so that top-5 == top-10[:5]
# Chosen on the dev split of evals/questions.jsonl (python -m evals --split dev):
DENSE_WEIGHT = 0.6  # weight of the dense z-score against BM25's in the hybrid
LINE_WEIGHT = 0.4  # share of the best line's cosine in a chunk's dense score


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


class Assistant:
    """Search over an indexed corpus of written questions."""

    def __init__(self, built: Built, encoder, *, corpus: Path | None = None) -> None:
        self.built = built
        self.encoder = encoder
        self.corpus = corpus  # the folder the index was built from
        self.chunks = built.chunks
        self._row_of = {c.id: row for row, c in enumerate(self.chunks)}
        self._sentence_rows: dict[int, list[int]] = {}
        for sid, row in enumerate(built.sentence_spans[:, 0].tolist()):
            self._sentence_rows.setdefault(row, []).append(sid)

    @classmethod
    def load(
        cls,
        *,
        corpus: str | Path | None = None,
        index: str | Path | None = None,
        model: str | None = None,
        encoder=None,
        rebuild: bool = False,
        backend: str | None = None,
        progress: bool = True,
        log=lambda msg: print(msg, file=sys.stderr),
    ) -> Assistant:
        """Load the persisted index, building it first if needed (with a message saying why).

        ``backend``: the dense index type, ``auto`` (by size, the default) or one of
        ``assistant.indexing.dense.BACKENDS``; an index of another type is rebuilt (embeddings are
        reused from its cache).
        """
        corpus = Path(corpus) if corpus else default_corpus_dir()
        index = Path(index) if index else default_index_dir()
        if encoder is None:
            from .models.encoder import load_encoder

            encoder = load_encoder(model)
        built = None
        if not rebuild:
            try:
                built = load_index(corpus=corpus, index_dir=index, encoder=encoder, backend=backend)
            except IndexStale as why:
                log(f"Construction de l'index ({why}) …")
        if built is None:
            built = build_index(
                corpus=corpus,
                index_dir=index,
                encoder=encoder,
                backend=backend,
                progress=progress,
                warn=log,
            )
            log(f"Index prêt : {len(built.chunks)} passages dans {index}.")
        return cls(built, encoder, corpus=corpus)

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        mode: str = "hybrid",
        objectif: str | None = None,
        filters: Filters | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``; raises QueryError on an unusable question.

        ``objectif="1.2"`` keeps only the passages of that objectif; ``filters`` only those
        of some documents (by document, author, minister, dates: :class:`Filters`).
        """
        return list(
            self.search_detailed(query, k=k, mode=mode, objectif=objectif, filters=filters).hits
        )

    def search_detailed(
        self,
        query: str,
        *,
        k: int = 5,
        mode: str = "hybrid",
        objectif: str | None = None,
        filters: Filters | None = None,
    ) -> SearchResult:
        """Like :meth:`search`, with the cleaned query, timings (ms) and warnings."""
        clean = clean_query(query)
        hits, timings, _ = self._search(
            clean.text, k=k, mode=mode, objectif=objectif, filters=filters
        )
        return SearchResult(clean.text, hits, timings, clean.warnings)

    def ask(
        self,
        question: str,
        *,
        k: int = 5,
        history: list[str] | tuple[str, ...] = (),
        objectif: str | None = None,
        filters: Filters | None = None,
    ) -> Answer:
        """An extractive answer with numbered citations, or an honest abstention.

        ``history`` holds the previous questions of a conversation: a short
        follow-up ("et pour les jeunes ?") is resolved against the last one.
        """
        t0 = time.perf_counter()
        clean = clean_query(question)
        previous = next((h for h in reversed(history) if h and h.strip()), None)
        resolved = resolve_followup(clean.text, previous)
        # "Quels chantiers sont en retard ?": from the chantier table
        table = self._table_answer(resolved, objectif, filters, t0)
        if table is not None:
            return table
        hits, timings, qv = self._search(
            resolved, k=max(k, 5), mode="hybrid", objectif=objectif, filters=filters
        )
        t = time.perf_counter()
        text, abstained, citations, evidence = compose(
            resolved,
            list(hits),
            chunks=self.chunks,
            query_vector=qv[0],
            sentence_vectors=self.built.sentence_vectors,
            sentence_rows=self._sentence_rows,
            sentence_spans=self.built.sentence_spans,
            idf=self.built.lexical.idf,
            known=self.built.lexical.knows,
            row_of=self._row_of,
            threshold=abstain_threshold(self.encoder.id),
        )
        if abstained:
            text, citations = refusal(clean.text, list(hits), self.chunks, self._row_of)
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        return Answer(
            question=clean.text,
            answer=text,
            abstained=abstained,
            citations=tuple(citations),
            hits=tuple(hits[:k]),
            timings_ms=timings,
            resolved_question=resolved,
            evidence=evidence,
            warnings=clean.warnings,
        )

    def status_rows(self) -> list:
        """The chantier table (:mod:`assistant.brief.status`) of the corpus's documents, cached."""
        if getattr(self, "_status_rows", None) is None:
            from .brief.status import status_table

            docs = read_corpus(self.corpus) if self.corpus else []
            self._status_rows = [row for _, doc in docs for row in status_table(doc)]
        return self._status_rows

    def _table_answer(
        self, question: str, objectif: str | None, filters: Filters | None, t0: float
    ) -> Answer | None:
        from dataclasses import replace

        from .answers.tables import table_answer, table_query

        if table_query(question) is None:  # before reading the corpus for the table
            return None
        rows = [r for r in self.status_rows() if not objectif or r.objectif == objectif]
        if filters:
            allowed = {(c.doc_id, c.section_id) for c in self.chunks if filters.matches(c)}
            rows = [r for r in rows if (r.doc_id, r.section_id) in allowed]
        answer = table_answer(question, rows, self.chunks)
        if answer is None:
            return None
        total = (time.perf_counter() - t0) * 1000
        timings = {"encode": 0.0, "search": 0.0, "answer": total, "total": total}
        return replace(answer, timings_ms=timings)

    def _search(
        self, text: str, *, k: int, mode: str, objectif: str | None, filters: Filters | None = None
    ) -> tuple[tuple[Hit, ...], dict[str, float], np.ndarray | None]:
        """(hits, timings in ms, query vector or None) for an already cleaned question."""
        if mode not in MODES:
            raise ValueError(f"mode {mode!r} inconnu : choisissez parmi {', '.join(MODES)}")
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k doit être un entier ≥ 1 (reçu {k!r})")
        timings: dict[str, float] = {}
        n = len(self.chunks)
        chunk_cos = line_cos = bm25 = qv = None
        # With filters, every allowed passage is a candidate (not only the best POOL overall)
        allowed = allowed_rows(self.chunks, filters) if filters else None

        if mode != "bm25":
            t = time.perf_counter()
            qv = self.encoder.encode_queries([text])
            timings["encode"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            chunk_cos, line_cos = self._dense(qv, allowed=allowed)
            if allowed is not None:
                chunk_cos[~allowed] = np.nan
                line_cos[~allowed] = np.nan
            timings["dense"] = (time.perf_counter() - t) * 1000
        if mode != "dense":
            t = time.perf_counter()
            bm25 = self.built.lexical.scores(text)
            if allowed is not None:
                bm25 = np.where(allowed, bm25, 0.0)
            timings["bm25"] = (time.perf_counter() - t) * 1000
        if allowed is not None and not allowed.any():
            timings["search"] = sum(timings.get(x, 0.0) for x in ("dense", "bm25"))
            timings["total"] = timings["search"] + timings.get("encode", 0.0)
            return (), timings, qv

        t = time.perf_counter()
        if mode == "bm25":
            rows = ranking(bm25, positive_only=True)
            scores = bm25
        elif mode == "dense":
            rows = [
                r for r in ranking(np.nan_to_num(chunk_cos, nan=-2.0)) if not np.isnan(chunk_cos[r])
            ]
            scores = chunk_cos
        else:
            bm25_rows = ranking(bm25, positive_only=True)[:POOL]
            cand = sorted(set(np.flatnonzero(~np.isnan(chunk_cos)).tolist()) | set(bm25_rows))
            cand_arr = np.asarray(cand, dtype=np.int64)
            floor = np.nanmin(chunk_cos)  # a row only BM25 found gets the pool's lowest cosine
            dense_c = np.nan_to_num(chunk_cos[cand_arr], nan=floor)
            line_c = line_cos[cand_arr]
            mixed = np.where(
                np.isnan(line_c),
                dense_c,
                (1 - LINE_WEIGHT) * dense_c + LINE_WEIGHT * np.nan_to_num(line_c),
            )
            if mode == "rrf":
                fused_map = rrf([ranking(np.nan_to_num(chunk_cos, nan=-2.0))[:POOL], bm25_rows])
                fused = np.asarray([fused_map.get(r, 0.0) for r in cand])
            else:
                fused = zscore([mixed, bm25[cand_arr]], [DENSE_WEIGHT, 1 - DENSE_WEIGHT])
            scores = np.full(n, np.nan)
            scores[cand_arr] = fused
            rows = [cand[i] for i in ranking(fused)]
        if objectif:
            rows = [r for r in rows if self.chunks[r].objectif == objectif]
        hits = tuple(
            self._hit(rank, row, scores, chunk_cos, line_cos, bm25)
            for rank, row in enumerate(rows[:k], start=1)
        )
        timings["fusion"] = (time.perf_counter() - t) * 1000
        timings["search"] = sum(timings.get(x, 0.0) for x in ("dense", "bm25", "fusion"))
        timings["total"] = timings["search"] + timings.get("encode", 0.0)
        return hits, timings, qv

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

    def _hit(self, rank, row, scores, chunk_cos, line_cos, bm25) -> Hit:
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
            score=float(scores[row]),
            start=c.start,
            end=c.end,
            ministers=c.ministers,
            dense_score=val(chunk_cos),
            line_score=val(line_cos),
            bm25_score=val(bm25),
        )
