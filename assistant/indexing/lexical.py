"""Lexical search: BM25 (``bm25s``) over terms analysed in each text's own language.

Each text is analysed by :func:`assistant.text.analyzer.tokenize` with its document's
language (French: our stop words and Snowball French; Dutch: spaCy's Dutch stop words and
Snowball Dutch, its compounds split into their parts too), and every term is prefixed by
that language (``fr:ecol``, ``nl:school``), so that a French and a Dutch stem never meet by
accident and each keeps its own document frequency. A question, whose language is not
known, is analysed with every analyzer: its ``fr:`` terms meet the French texts, its ``nl:``
terms the Dutch ones. Over French texts alone this is exactly French BM25. The index is
saved as bm25s's own folder of JSON and ``.npy`` files (no pickle).

A French question meets a Dutch text through shared names, numbers and cognates, and
through the Dutch words its own words are paired with (:meth:`LexicalIndex.scores`'s
``also``, chosen by :mod:`assistant.search.translation`); the dense retriever is
multilingual.

Non-goals: no phrase or proximity scoring, no choice of the cross-lingual words.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..text.analyzer import ANALYZER_VERSION, LANGUAGES, tokenize

__all__ = ["LexicalIndex", "analyse", "query_terms", "ANALYZER_VERSION"]


def analyse(text: str, language: str = "fr") -> list[str]:
    """The indexed terms of a text in ``language``: ``["fr:ecol", …]``; a Dutch compound
    adds its parts' (``nl:rusthuisbed``, ``nl:rusthuis``, ``nl:bed``)."""
    return [f"{language}:{t}" for t in tokenize(text, language=language, compounds=True)]


def query_terms(query: str) -> list[str]:
    """The terms of a question, analysed with every language's analyzer (duplicates kept)."""
    return [t for language in LANGUAGES for t in analyse(query, language)]


class LexicalIndex:
    """BM25 over a list of texts; rows are the texts' positions."""

    def __init__(self, retriever, count: int) -> None:
        self._bm25 = retriever
        self.count = count
        self._df: dict[str, int] | None = None

    @classmethod
    def build(
        cls,
        texts: list[str],
        *,
        languages: list[str] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> LexicalIndex:
        """BM25 over ``texts``, each analysed in its ``languages`` entry (default French)."""
        import bm25s

        languages = languages or ["fr"] * len(texts)
        if len(languages) != len(texts):
            raise ValueError(f"{len(languages)} langues pour {len(texts)} textes")
        corpus = [analyse(t, lang) or [""] for t, lang in zip(texts, languages, strict=True)]
        retriever = bm25s.BM25(k1=k1, b=b)
        retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    def scores(self, query: str, *, also=(), weight: float = 1.0) -> np.ndarray:
        """BM25 score of every row for ``query`` (zeros when no term is known), plus
        ``weight`` × the scores of the words ``also``, ``(word, language)`` pairs each
        analysed in its language (the cross-lingual terms, :mod:`assistant.search.translation`)."""
        out = self._scores([t for t in query_terms(query) if t in self._bm25.vocab_dict])
        if weight and also:
            extra = [t for word, lang in also for t in analyse(word, lang)]
            out = out + weight * self._scores([t for t in extra if t in self._bm25.vocab_dict])
        return out

    def _scores(self, terms: list[str]) -> np.ndarray:
        if not terms:
            return np.zeros(self.count, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def _doc_freq(self, term: str) -> int:
        """Texts holding ``term`` (a bare analysed term: the largest over the languages)."""
        if self._df is None:
            indptr = np.asarray(self._bm25.scores["indptr"])
            df = np.diff(indptr)  # the score matrix is CSC by term: nonzeros = documents
            self._df = {t: int(df[i]) for t, i in self._bm25.vocab_dict.items() if i < len(df)}
        if ":" in term:
            return self._df.get(term, 0)
        return max(self._df.get(f"{language}:{term}", 0) for language in LANGUAGES)

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency of a term; an unknown term gets the highest.

        ``term`` is bare (``ecol``: the most frequent of ``fr:ecol``, ``nl:ecol``) or prefixed.
        """
        df = self._doc_freq(term)
        return float(np.log(1 + (self.count - df + 0.5) / (df + 0.5)))

    def knows(self, term: str) -> bool:
        """Is ``term`` (an analysed term, bare or prefixed) in the indexed texts?"""
        if ":" in term:
            return term in self._bm25.vocab_dict
        return any(f"{language}:{term}" in self._bm25.vocab_dict for language in LANGUAGES)

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
