"""Text analysis shared by every stage: folding, tokenizing, sentence spans.

``analyzer``: accent and elision folding, French stop words and Snowball stemming, the
tokens BM25 indexes and the parser, filters and brief compare; ``sentences``: sentence
spans with offsets into a passage.

Does not own: documents (:mod:`assistant.documents`) or any index (:mod:`assistant.indexing`).
"""
