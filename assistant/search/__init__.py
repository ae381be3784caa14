"""Search: from a question to ranked passages (:class:`Hit`).

Owns the question checks (``query``), the document filters (``filters``), rank fusion
(``fusion``: z-score, reciprocal rank, the hybrid mix of dense and BM25 scores) and the
searcher over a loaded index.

Does not own: building the index (:mod:`assistant.indexing`), answers
(:mod:`assistant.answers`).
"""
