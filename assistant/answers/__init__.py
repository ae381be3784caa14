"""Answers: from ranked passages to an answer that quotes them, with citations.

Owns the values of an answer (``values``: :class:`Answer`, citations, abstention signals,
generation record), the extractive answer (``extractive``) and its abstention
(``abstention``), completing a short question from the previous one in a conversation
(``context``), answers read from the chantier table (``table_answers``), and the optional
generated answer: the OpenAI-compatible client (``llm``), the citation check
(``verification``) and the pipeline with its fallback (``generated``).

Does not own: ranking (:mod:`assistant.search`), the parliamentary brief
(:mod:`assistant.brief`), rendering (:mod:`assistant.web`).
"""
