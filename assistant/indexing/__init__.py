"""Indexing: from parsed documents to the persisted index in ``index/``.

Owns the chunks (``chunking``: one per section, split when long, stable ids), the lexical
index (``lexical``: BM25 with bm25s), the dense backends (``dense``: FAISS flat and HNSW,
the NumPy oracle), the embedding cache by content hash (``embedcache``), the chunks' words
encoded as queries (``words``), building the index (``build``: parse, chunk, embed,
index), and saving and loading it atomically and checked, a reader never losing its
generation to a build (``store``).

Does not own: reading files (:mod:`assistant.documents`), the encoder
(:mod:`assistant.models`), ranking (:mod:`assistant.search`).
"""
