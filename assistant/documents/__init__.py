"""Documents: from a file in the corpus folder to a parsed :class:`Document`.

Owns the document model (``document``: ``Document``, ``Metadata``, ``Section``…), the line
repair that keeps offsets into the source (``textrepair``), the written-question parser
(``parsing``, with the header's fields in ``metadata`` and the walk over the answer's
objectifs and chantiers in ``answerwalk``), the readers of each file format (``readers``
picks one by suffix: ``html``, ``pdf``, ``plaintext`` for text and Markdown), the cutting
of an answer into its numbered parts (``answerparts``), and the
corpus folder (``corpus``: listing, hashing, the one loop that reads every document;
``library``: add, list, remove).

Does not own: chunking and indexing (:mod:`assistant.indexing`), word analysis
(:mod:`assistant.text`).
"""
