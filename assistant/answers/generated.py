"""Generated answers with a safety net: stream, verify, or fall back to the extractive answer.

:func:`stream_answer` first runs the extractive pipeline (search, abstention). When it
abstains, nothing is generated. Otherwise the numbered top passages go to the endpoint
(:mod:`assistant.answers.llm`); the draft is yielded as it streams; then it is checked
(:mod:`assistant.answers.verification`). The final :class:`Answer` is the generated one
when every sentence passes, else the extractive one with a visible ``note`` saying why
(endpoint down or slow, model abstained, a sentence not supported). Its
``generation`` field records what happened (model, outcome, draft, per-sentence checks).

Non-goals: retries, caching of completions, multi-turn prompts.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

from .extractive import _ASKED, Answer, Citation
from .llm import ABSTAIN_TOKEN, GeneratorConfig, GeneratorError, build_messages, stream_chat
from .verification import verify_answer

__all__ = ["stream_answer", "generate_answer", "passages_for", "NOTES"]

PASSAGES = 5  # numbered passages sent to the model
NOTES = {
    "abstained": "Pas de réponse générée : le document ne semble pas répondre à la question.",
    "model-abstained": "Le modèle de langage n'a pas trouvé de réponse dans les passages ; "
    "réponse extraite du document.",
    "error": "Le modèle de langage n'a pas répondu ({why}) ; réponse extraite du document.",
    "unverified": "La réponse générée n'a pas passé la vérification des citations ({why}) ; "
    "réponse extraite du document.",
}


def passages_for(assistant, hits) -> list[dict]:
    """The numbered passages of the prompt: ``[{"n", "source", "texte"}]`` for the top hits.

    The source names the document too: with many documents, "Réponse 2" alone is ambiguous.
    """
    out = []
    for n, h in enumerate(hits[:PASSAGES], start=1):
        chunk = assistant.chunks[assistant._row_of[h.chunk_id]]
        label = chunk.section_label
        source = f"{chunk.doc_label} — {label}" if chunk.doc_label else label
        out.append({"n": n, "source": source, "texte": chunk.text})
    return out


def _citations(assistant, hits, verification) -> tuple[Citation, ...]:
    """One citation per passage the answer cites, with the supporting sentences highlighted."""
    from .extractive import citation_of

    spans: dict[int, list[tuple[int, int]]] = {}
    for s in verification.sentences:
        if s.best is not None:
            n, a, b = s.best
            spans.setdefault(n, []).append((a, b))
        for n in s.cited:
            spans.setdefault(n, [])
    out = []
    for n in sorted(spans):
        chunk = assistant.chunks[assistant._row_of[hits[n - 1].chunk_id]]
        out.append(citation_of(n, chunk, tuple(sorted(set(spans[n])))))
    return tuple(out)


def _fallback(extractive: Answer, outcome: str, info: dict, **why) -> Answer:
    note = NOTES[outcome].format(**why)
    return dataclasses.replace(extractive, note=note, generation={"outcome": outcome, **info})


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
    info = {"model": config.model}  # not the endpoint: the JSON may reach API clients
    if extractive.abstained:
        yield _fallback(extractive, "abstained", info)
        return
    if not extractive.hits and extractive.citations:  # answered from the chantier table
        yield dataclasses.replace(extractive, generation={"outcome": "table", **info})
        return
    # the member's own question is not evidence, unless the user asks what was asked
    asks = bool(_ASKED.search(extractive.resolved_question or question))
    hits = [h for h in hits if asks or h.section_id != "question"][:PASSAGES]
    if not hits:
        yield _fallback(extractive, "model-abstained", info)
        return
    passages = passages_for(assistant, hits)
    messages = build_messages(extractive.resolved_question or extractive.question, passages)
    draft = ""
    try:
        for delta in stream_chat(config, messages):
            draft += delta
            yield draft
    except GeneratorError as exc:
        yield _fallback(extractive, "error", {**info, "draft": draft}, why=str(exc))
        return
    info["draft"] = draft
    info["generate_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    if not draft.strip() or ABSTAIN_TOKEN in draft.upper():
        yield _fallback(extractive, "model-abstained", info)
        return
    t = time.perf_counter()
    verification = verify_answer(
        draft,
        {p["n"]: p["texte"] for p in passages},
        assistant.encoder,
        labels={p["n"]: p["source"] for p in passages},
    )
    info["verification"] = verification.to_json()
    info["verify_ms"] = round((time.perf_counter() - t) * 1000, 1)
    if not verification.ok:
        yield _fallback(extractive, "unverified", info, why=verification.problems[0])
        return
    timings = {**extractive.timings_ms, "total": (time.perf_counter() - t0) * 1000}
    yield dataclasses.replace(
        extractive,
        answer=draft.strip(),
        citations=_citations(assistant, hits, verification),
        timings_ms=timings,
        generation={"outcome": "generated", **info},
    )


def generate_answer(assistant, question: str, *, config: GeneratorConfig, **kw) -> Answer:
    """The final answer of :func:`stream_answer` (the draft is not shown)."""
    final = None
    for item in stream_answer(assistant, question, config=config, **kw):
        final = item
    assert isinstance(final, Answer)
    return final
