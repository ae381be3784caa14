"""How well a question's words name a document's people: its author, addressee and function.

« le ministre de la Mobilité », « la secrétaire d'État à l'Urbanisme », « de minister van
Mobiliteit », « la question de Mme Debaets » name a portfolio or a person; among documents
that say the same (« same question, different ministers ») the one whose metadata match
should come first. Each document's metadata (author, addressee and the addressee's
function) is analysed with both analyzers into bare stems (``mobilite`` and ``Mobiliteit``
both give ``mobil``); the question likewise. A document's match is the IDF-weighted sum of
the question's stems it holds, IDF over the documents' metadata (``ministre``,
``gouvernement``, ``bruxelles`` appear in every function and weigh nearly nothing), divided
by the IDF of a stem held by one document alone and capped at 1: one distinctive word (a
surname, a portfolio) is a full match.

Non-goals: no list of ministers or portfolios, no fuzzy name matching, no weighting of
the match against the passages' scores (see :mod:`assistant.search.searcher`,
``ranking.json``).
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from ..text.analyzer import LANGUAGES, fold, split_words, stopwords_of, tokenize

__all__ = ["MetadataIndex", "stems"]


def stems(text: str) -> frozenset[str]:
    """The bare stems of ``text`` under every analyzer, stop words of every language dropped.

    (A French "la" is no Dutch stop word: kept, it would match every French function.)
    """
    stop = frozenset().union(*(stopwords_of(language) for language in LANGUAGES))
    words = " ".join(w for w in split_words(text) if fold(w) not in stop)
    return frozenset(t for language in LANGUAGES for t in tokenize(words, language=language))


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class MetadataIndex:
    """Stems of each document's metadata, and each chunk's document row."""

    def __init__(self, chunks) -> None:
        rows: dict[str, int] = {}  # doc id -> document row
        texts: list[str] = []
        owner = []
        for c in chunks:
            if c.doc_id not in rows:
                rows[c.doc_id] = len(texts)
                texts.append(f"{c.doc_author}\n{c.doc_addressee}\n{c.doc_function}")
            owner.append(rows[c.doc_id])
        self.doc_ids = list(rows)
        self.chunk_doc = np.asarray(owner, dtype=np.int64)  # (n_chunks,) document row
        self._holders: dict[str, list[int]] = defaultdict(list)  # stem -> document rows
        for row, text in enumerate(texts):
            for stem in stems(text):
                self._holders[stem].append(row)
        self._unique = _idf(1, len(texts))

    def document_scores(self, question: str) -> np.ndarray:
        """(n_documents,) match of the question with each document's metadata, in [0, 1]."""
        n = len(self.doc_ids)
        out = np.zeros(n, dtype=np.float64)
        for stem in stems(question):
            holders = self._holders.get(stem)
            if holders:
                out[holders] += _idf(len(holders), n)
        return np.minimum(out / self._unique, 1.0) if n else out

    def chunk_scores(self, question: str) -> np.ndarray:
        """(n_chunks,) the match of each chunk's document."""
        return self.document_scores(question)[self.chunk_doc]
