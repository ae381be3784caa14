"""Lexical search: BM25 (``bm25s``) over French-analysed terms.

Terms come from :func:`assistant.text.analyzer.tokenize` (accent and apostrophe
folding, French stop words, Snowball stemming), so ``écoles``, ``ecole`` and
``l'école`` meet. The index is saved as bm25s's own folder of JSON and ``.npy``
files (no pickle).

Non-goals: no phrase or proximity scoring, no query expansion.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..text.analyzer import tokenize

__all__ = ["LexicalIndex"]


class LexicalIndex:
    """BM25 over a list of texts; rows are the texts' positions."""

    def __init__(self, retriever, count: int) -> None:
        self._bm25 = retriever
        self.count = count
        self._df: dict[str, int] | None = None

    @classmethod
    def build(cls, texts: list[str], *, k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        import bm25s

        corpus = [tokenize(t) or [""] for t in texts]
        retriever = bm25s.BM25(k1=k1, b=b)
        retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for ``query`` (zeros when no term is known)."""
        terms = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        if not terms:
            return np.zeros(self.count, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency of a term; an unknown term gets the highest."""
        if self._df is None:
            indptr = np.asarray(self._bm25.scores["indptr"])
            df = np.diff(indptr)  # the score matrix is CSC by term: nonzeros = documents
            self._df = {t: int(df[i]) for t, i in self._bm25.vocab_dict.items() if i < len(df)}
        df = self._df.get(term, 0)
        return float(np.log(1 + (self.count - df + 0.5) / (df + 0.5)))

    def knows(self, term: str) -> bool:
        """Is ``term`` (an analysed term) in the indexed texts?"""
        return term in self._bm25.vocab_dict

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, *, count: int) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25.load(str(folder), load_corpus=False, mmap=False)
        num_docs = int(retriever.scores["num_docs"])
        if num_docs != count:
            raise ValueError(f"index BM25 de {num_docs} lignes, attendu {count}")
        return cls(retriever, count)
