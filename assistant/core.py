"""The assistant's front door: load (or build) the index, search it.

``Assistant.load()`` finds the corpus and index folders, loads the encoder,
loads the persisted index, and rebuilds it with a one-line message when it is
missing, damaged or out of date. ``search()`` runs dense, BM25 or hybrid
(reciprocal-rank fusion) retrieval and returns :class:`Hit` values.

Non-goals: answers (a later module), filtering by document.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import IndexStale
from .fusion import ranking, rrf
from .query import clean_query
from .store import Built, build_index, load_index

__all__ = ["Assistant", "Hit", "SearchResult", "MODES", "default_corpus_dir", "default_index_dir"]

MODES = ("hybrid", "dense", "bm25")
_ROOT = Path(__file__).resolve().parent.parent


def default_corpus_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_CORPUS") or _ROOT / "corpus")


def default_index_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_INDEX") or _ROOT / "index")


@dataclass(frozen=True)
class Hit:
    rank: int  # 1-based
    chunk_id: str
    doc_id: str
    section_id: str
    section_label: str
    heading_path: str
    text: str
    score: float  # fused RRF score (hybrid), cosine (dense) or BM25 score (bm25)
    start: int  # [start, end) of the passage in the source document
    end: int
    ministers: tuple[str, ...] = ()
    dense_score: float | None = None  # cosine of query and passage, when computed
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

    def __init__(self, built: Built, encoder) -> None:
        self.built = built
        self.encoder = encoder
        self.chunks = built.chunks

    @classmethod
    def load(
        cls,
        *,
        corpus: str | Path | None = None,
        index: str | Path | None = None,
        model: str | None = None,
        encoder=None,
        rebuild: bool = False,
        progress: bool = True,
        log=lambda msg: print(msg, file=sys.stderr),
    ) -> Assistant:
        """Load the persisted index, building it first if needed (with a message saying why)."""
        corpus = Path(corpus) if corpus else default_corpus_dir()
        index = Path(index) if index else default_index_dir()
        if encoder is None:
            from .encoder import load_encoder

            encoder = load_encoder(model)
        built = None
        if not rebuild:
            try:
                built = load_index(corpus=corpus, index_dir=index, encoder=encoder)
            except IndexStale as why:
                log(f"Construction de l'index ({why}) …")
        if built is None:
            built = build_index(
                corpus=corpus, index_dir=index, encoder=encoder, progress=progress, warn=log
            )
            log(f"Index prêt : {len(built.chunks)} passages dans {index}.")
        return cls(built, encoder)

    def search(self, query: str, *, k: int = 5, mode: str = "hybrid") -> list[Hit]:
        """The ``k`` best passages for ``query``; raises QueryError on an unusable question."""
        return list(self.search_detailed(query, k=k, mode=mode).hits)

    def search_detailed(self, query: str, *, k: int = 5, mode: str = "hybrid") -> SearchResult:
        if mode not in MODES:
            raise ValueError(f"mode {mode!r} inconnu : choisissez parmi {', '.join(MODES)}")
        if not isinstance(k, int) or k < 1:
            raise ValueError(f"k doit être un entier ≥ 1 (reçu {k!r})")
        clean = clean_query(query)
        timings: dict[str, float] = {}
        n = len(self.chunks)
        pool = min(n, max(50, 10 * k))
        dense_scores = np.full(n, np.nan, dtype=np.float32)
        bm25_scores = None
        dense_rank: list[int] = []
        bm25_rank: list[int] = []

        if mode in ("dense", "hybrid"):
            t = time.perf_counter()
            qv = self.encoder.encode_queries([clean.text])
            timings["encode"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            scores, rows = self.built.dense.search(qv, pool)
            dense_scores[rows[0]] = scores[0]
            dense_rank = [int(r) for r in rows[0]]
            timings["dense"] = (time.perf_counter() - t) * 1000
        if mode in ("bm25", "hybrid"):
            t = time.perf_counter()
            bm25_scores = self.built.lexical.scores(clean.text)
            bm25_rank = ranking(bm25_scores, positive_only=True)[:pool]
            timings["bm25"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        if mode == "hybrid":
            fused = rrf([dense_rank, bm25_rank])
            order = sorted(fused, key=lambda row: (-fused[row], row))
            final = [(row, fused[row]) for row in order]
        elif mode == "dense":
            final = [(row, float(dense_scores[row])) for row in dense_rank]
        else:
            final = [(row, float(bm25_scores[row])) for row in bm25_rank]
        hits = []
        for rank, (row, score) in enumerate(final[:k], start=1):
            c = self.chunks[row]
            d = dense_scores[row]
            hits.append(
                Hit(
                    rank=rank,
                    chunk_id=c.id,
                    doc_id=c.doc_id,
                    section_id=c.section_id,
                    section_label=c.section_label,
                    heading_path=c.heading_path,
                    text=c.text,
                    score=float(score),
                    start=c.start,
                    end=c.end,
                    ministers=c.ministers,
                    dense_score=None if np.isnan(d) else float(d),
                    bm25_score=None if bm25_scores is None else float(bm25_scores[row]),
                )
            )
        timings["fusion"] = (time.perf_counter() - t) * 1000
        timings["search"] = timings.get("dense", 0) + timings.get("bm25", 0) + timings["fusion"]
        timings["total"] = timings["search"] + timings.get("encode", 0)
        return SearchResult(clean.text, tuple(hits), timings, clean.warnings)
