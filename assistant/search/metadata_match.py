"""How well a question's words name a document's people: its author, addressee and function.

« le ministre de la Mobilité », « la secrétaire d'État à l'Urbanisme », « de minister van
Mobiliteit », « la question de Mme Debaets » name a portfolio or a person; among documents
that say the same (« same question, different ministers ») the one whose metadata match
should come first. Each document's metadata (author, addressee and the addressee's
function) is analysed with both analyzers into bare stems (``Mobilité`` and ``Mobiliteit``
both give ``mobil``), stop words of either language dropped.

A question word found in ``df`` of the ``N`` documents' metadata weighs
``max(0, 1 - (df - 1) / (N / 2))²``: 1 when one document holds it (a surname, a portfolio),
nothing from half of the documents on (``Ministre``, ``Bruxelles-Capitale``). A word
counts once (the best of its stems under the two analyzers); a document's match is the
sum over the question's words, capped at 1. Over one document, or words every document
shares, all documents match alike and the ranking does not change.

Non-goals: no list of ministers or portfolios, no fuzzy name matching, no weighting of
the match against the passages' scores (see :mod:`assistant.search.searcher`,
``ranking.json``).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..text.analyzer import LANGUAGES, fold, split_words, stopwords_of, tokenize

__all__ = ["MetadataIndex", "stems", "word_stems"]


def word_stems(text: str) -> list[frozenset[str]]:
    """For each word of ``text`` (stop words of every language dropped), its stems.

    (A French "la" is no Dutch stop word: kept, it would match every French function.)
    """
    stop = frozenset().union(*(stopwords_of(language) for language in LANGUAGES))
    return [
        frozenset(t for language in LANGUAGES for t in tokenize(w, language=language))
        for w in split_words(text)
        if fold(w) not in stop
    ]


def stems(text: str) -> frozenset[str]:
    """The bare stems of ``text`` under every analyzer, stop words of every language dropped."""
    return frozenset().union(*word_stems(text))


def _weight(df: int, n: int) -> float:
    return max(0.0, 1 - (df - 1) / (n / 2)) ** 2


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

    def document_scores(self, question: str) -> np.ndarray:
        """(n_documents,) match of the question with each document's metadata, in [0, 1]."""
        n = len(self.doc_ids)
        out = np.zeros(n, dtype=np.float64)
        for word in set(word_stems(question)):
            best = np.zeros(n, dtype=np.float64)  # the word's best stem, per document
            for stem in word:
                holders = self._holders.get(stem)
                if holders:
                    best[holders] = np.maximum(best[holders], _weight(len(holders), n))
            out += best
        return np.minimum(out, 1.0)

    def chunk_scores(self, question: str) -> np.ndarray:
        """(n_chunks,) the match of each chunk's document."""
        return self.document_scores(question)[self.chunk_doc]
