"""Generated answers with a safety net: stream, verify, or fall back to the extractive answer.

:func:`stream_answer` first runs the extractive pipeline (search, abstention). When it
abstains, nothing is generated. Otherwise the numbered top passages go to the endpoint
(:mod:`assistant.answers.llm`); the draft is yielded as it streams; then it is checked
(:mod:`assistant.answers.verification`). The final :class:`Answer` is the generated one
when every sentence passes, else the extractive one with a visible ``note`` saying why
(endpoint down or slow, model abstained, a sentence not supported). Its
``generation`` field (a :class:`~assistant.answers.values.GenerationRecord`) records what
happened (model, outcome, draft, per-sentence checks).

Non-goals: retries, caching of completions, multi-turn prompts.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

from .extractive import asks_what_was_asked
from .llm import ABSTAIN_TOKEN, GeneratorConfig, GeneratorError, build_messages, stream_chat
from .values import Answer, Citation, GenerationRecord, Outcome, citation_of
from .verification import verify_answer

__all__ = ["stream_answer", "generate_answer", "passages_for", "NOTES"]

PASSAGES = 5  # numbered passages sent to the model
NOTES = {  # the note of each fallback
    Outcome.ABSTAINED: "Pas de réponse générée : le document ne semble pas répondre à la question.",
    Outcome.MODEL_ABSTAINED: "Le modèle de langage n'a pas trouvé de réponse dans les passages ; "
    "réponse extraite du document.",
    Outcome.ERROR: "Le modèle de langage n'a pas répondu ({why}) ; réponse extraite du document.",
    Outcome.UNVERIFIED: "La réponse générée n'a pas passé la vérification des citations ({why}) ; "
    "réponse extraite du document.",
}


def passages_for(assistant, hits) -> list[dict]:
    """The numbered passages of the prompt: ``[{"n", "source", "texte"}]`` for the top hits.

    The source names the document too: with many documents, "Réponse 2" alone is ambiguous.
    """
    out = []
    for n, h in enumerate(hits[:PASSAGES], start=1):
        chunk = assistant.chunk(h.chunk_id)
        label = chunk.section_label
        source = f"{chunk.doc_label} — {label}" if chunk.doc_label else label
        out.append({"n": n, "source": source, "texte": chunk.text})
    return out


def _citations(assistant, hits, verification) -> tuple[Citation, ...]:
    """One citation per passage the answer cites, with the supporting sentences highlighted."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for s in verification.sentences:
        if s.best is not None:
            n, a, b = s.best
            spans.setdefault(n, []).append((a, b))
        for n in s.cited:
            spans.setdefault(n, [])
    out = []
    for n in sorted(spans):
        chunk = assistant.chunk(hits[n - 1].chunk_id)
        out.append(citation_of(n, chunk, tuple(sorted(set(spans[n])))))
    return tuple(out)


def _fallback(extractive: Answer, record: GenerationRecord, **why) -> Answer:
    note = NOTES[record.outcome].format(**why)
    return dataclasses.replace(extractive, note=note, generation=record)


def _prompt_hits(extractive: Answer, hits: list, question: str) -> list:
    """The hits numbered in the prompt: the member's own question is not evidence, unless
    the user asks what was asked."""
    asks = asks_what_was_asked(extractive.resolved_question or question)
    return [h for h in hits if asks or h.section_id != "question"][:PASSAGES]


def stream_answer(
    assistant,
    question: str,
    *,
    config: GeneratorConfig,
    k: int = 5,
    history=(),
    **filters,
) -> Iterator[str | Answer]:
    """Yield the draft text as it streams, then the final :class:`Answer` (always last)."""
    t0 = time.perf_counter()
    extractive = assistant.ask(question, k=max(k, PASSAGES), history=history, **filters)
    hits = list(extractive.hits)  # at least PASSAGES of them for the prompt
    extractive = dataclasses.replace(extractive, hits=extractive.hits[:k])  # as asked
    model = config.model  # not the endpoint: the JSON may reach API clients
    if extractive.abstained:
        yield _fallback(extractive, GenerationRecord(Outcome.ABSTAINED, model))
        return
    if not extractive.hits and extractive.citations:  # answered from the chantier table
        yield dataclasses.replace(extractive, generation=GenerationRecord(Outcome.TABLE, model))
        return
    hits = _prompt_hits(extractive, hits, question)
    if not hits:
        yield _fallback(extractive, GenerationRecord(Outcome.MODEL_ABSTAINED, model))
        return
    passages = passages_for(assistant, hits)
    messages = build_messages(extractive.resolved_question or extractive.question, passages)
    draft = ""
    try:
        for delta in stream_chat(config, messages):
            draft += delta
            yield draft
    except GeneratorError as exc:
        record = GenerationRecord(Outcome.ERROR, model, draft=draft)
        yield _fallback(extractive, record, why=str(exc))
        return
    generate_ms = round((time.perf_counter() - t0) * 1000, 1)
    record = GenerationRecord(Outcome.GENERATED, model, draft=draft, generate_ms=generate_ms)
    if not draft.strip() or ABSTAIN_TOKEN in draft.upper():
        yield _fallback(extractive, dataclasses.replace(record, outcome=Outcome.MODEL_ABSTAINED))
        return
    yield _checked(assistant, extractive, hits, passages, record, t0=t0)


def _checked(assistant, extractive: Answer, hits, passages, record, *, t0: float) -> Answer:
    """The generated answer when every sentence passes the citation check, else the fallback."""
    t = time.perf_counter()
    verification = verify_answer(
        record.draft,
        {p["n"]: p["texte"] for p in passages},
        assistant.encoder,
        labels={p["n"]: p["source"] for p in passages},
    )
    verify_ms = round((time.perf_counter() - t) * 1000, 1)
    record = dataclasses.replace(record, verification=verification, verify_ms=verify_ms)
    if not verification.ok:
        record = dataclasses.replace(record, outcome=Outcome.UNVERIFIED)
        return _fallback(extractive, record, why=verification.problems[0])
    timings = {**extractive.timings_ms, "total": (time.perf_counter() - t0) * 1000}
    return dataclasses.replace(
        extractive,
        answer=record.draft.strip(),
        citations=_citations(assistant, hits, verification),
        timings_ms=timings,
        generation=record,
        short_answer=None,  # the generated text does not lead with the extractive value
    )


def generate_answer(assistant, question: str, *, config: GeneratorConfig, **kw) -> Answer:
    """The final answer of :func:`stream_answer` (the draft is not shown)."""
    final = None
    for item in stream_answer(assistant, question, config=config, **kw):
        final = item
    assert isinstance(final, Answer)
    return final
