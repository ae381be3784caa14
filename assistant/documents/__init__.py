"""Documents: from a file in the corpus folder to a parsed :class:`Document`.

Owns the document model (``document``: ``Document``, ``Metadata``, ``Section``…), the line
repair that keeps offsets into the source (``textrepair``), the written-question parser
(``parsing``), the readers of each file format (``readers``: text export, HTML, PDF,
Markdown), the cutting of an answer into its numbered parts (``answerparts``), and the
corpus folder (``corpus``: listing, hashing, the one loop that reads every document;
``library``: add, list, remove).

Does not own: chunking and indexing (:mod:`assistant.indexing`), word analysis
(:mod:`assistant.text`).
"""
