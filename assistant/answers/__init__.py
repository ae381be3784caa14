"""Answers: from ranked passages to an answer that quotes them, with citations.

Owns the extractive answer and its abstention (``extractive``), completing a follow-up
question from the previous one in a conversation (``context``), answers read from the
chantier table (``tables``), and the optional generated answer: the OpenAI-compatible
client (``llm``), the citation check (``verification``) and the pipeline with its
fallback (``generated``).

Does not own: ranking (:mod:`assistant.search`), the parliamentary brief
(:mod:`assistant.brief`), rendering (:mod:`assistant.web`).
"""
