"""The handlers behind the chat and the ``/ask`` endpoints, each answer inside one gate slot.

:func:`ask_json` is the ``/ask`` contract (``Answer.to_json()`` or ``{"error": "…"}``);
:func:`chat_turn` and :func:`chat_turn_stream` are one chat exchange, extractive or
generated (the draft streamed, then the checked answer). When a :class:`~.gate.Gate` is
given, one slot covers the whole answer: the search, the generation stream and the
verification of its sentences. Errors become a French message, never a traceback.

Non-goals: the layout (:mod:`.layout`), answering itself (:mod:`assistant.answers`).
"""

from __future__ import annotations

import traceback
from contextlib import nullcontext
from typing import TYPE_CHECKING

from ..errors import AssistantError, QueryError
from ..search.filters import Filters, clean_field
from .render import EMPTY_SOURCES, md_text, render_reply, render_sources

if TYPE_CHECKING:
    from .gate import Gate

__all__ = ["ASKED_KEPT", "MAX_K", "UNEXPECTED", "ask_json", "chat_turn", "chat_turn_stream"]

MAX_K = 20
# previous questions kept in a session's state: ``ask`` reads only the last one, and the
# list grew by one question per turn for as long as the session lived (issue 15, §5)
ASKED_KEPT = 10
UNEXPECTED = "Une erreur inattendue s’est produite ; réessayez ou reformulez la question."
DRAFTING = "<small>Réponse en cours de génération…</small>"


def _slot(gate: Gate | None):
    """One slot of ``gate`` for the whole answer (nothing to take when there is no gate)."""
    return gate.slot() if gate is not None else nullcontext()


def ask_json(
    assistant,
    question,
    k=5,
    objectif="",
    *,
    max_chars=1000,
    objectifs=None,
    generator=None,
    filters: dict | None = None,
    gate: Gate | None = None,
) -> dict:
    """The ``/ask`` contract: ``Answer.to_json()``, or ``{"error": "<message en français>"}``."""
    if not isinstance(question, str):
        return {"error": "La question doit être du texte."}
    if len(question) > max_chars:
        return {"error": f"La question dépasse {max_chars} caractères ({len(question)})."}
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        return {"error": f"k doit être un entier entre 1 et {MAX_K} (reçu {k!r})."}
    try:
        objectif = clean_field(objectif, name="objectif", max_chars=20)
    except QueryError as exc:
        return {"error": str(exc)}
    if objectif and objectifs is not None and objectif not in objectifs:
        return {"error": f"Objectif inconnu « {objectif} » : {', '.join(objectifs)} ou vide."}
    try:
        kw = {"k": k, "objectif": objectif or None, "filters": Filters.of(**(filters or {}))}
        with _slot(gate):
            if generator is not None:
                from ..answers.generated import generate_answer

                return generate_answer(assistant, question, config=generator, **kw).to_json()
            return assistant.ask(question, **kw).to_json()
    except AssistantError as exc:  # a bad question, or Busy ("réessayez")
        return {"error": str(exc)}
    except Exception:  # never a traceback to the client
        traceback.print_exc()
        return {"error": UNEXPECTED}


def _opening(message, chat, asked, max_chars: int) -> tuple:
    """(message cut one past the cap, chat with the user's message, previous questions)."""
    message = (message if isinstance(message, str) else "")[: max_chars + 1]
    chat = [*(chat or []), {"role": "user", "content": md_text(message)}]
    return message, chat, list(asked or [])[-(ASKED_KEPT - 1) :]  # room for this turn's


def _checked(message: str, max_chars: int, filters, objectif) -> dict:
    """The filters and objectif as ``ask`` keywords; QueryError when one is bad."""
    if len(message) > max_chars:
        raise QueryError(f"La question dépasse {max_chars} caractères : raccourcissez-la.")
    kw = {"objectif": clean_field(objectif, name="objectif", max_chars=20) or None}
    return kw | ({"filters": Filters.of(**filters)} if filters else {})


def chat_turn(
    assistant,
    docs,
    message,
    chat,
    asked,
    objectif="",
    *,
    max_chars=1000,
    filters=None,
    gate: Gate | None = None,
):
    """One chat exchange: (cleared textbox, messages, previous questions, sources panel).

    ``asked`` holds the previous questions as the assistant understood them, so that a
    chain of short questions ("et pour les jeunes ?", "et pour les artisans ?") keeps its frame.
    """
    message, chat, asked = _opening(message, chat, asked, max_chars)
    sources = EMPTY_SOURCES
    try:
        kw = _checked(message, max_chars, filters, objectif)
        with _slot(gate):
            answer = assistant.ask(message, history=asked, **kw)
    except AssistantError as exc:  # a bad question, or Busy ("réessayez")
        reply = md_text(str(exc))
    except Exception:  # logged here; the user gets a plain message, never a traceback
        traceback.print_exc()
        reply = md_text(UNEXPECTED)
    else:
        reply, sources = render_reply(answer), render_sources(answer, docs)
        asked.append(answer.resolved_question or answer.question)
    return "", [*chat, {"role": "assistant", "content": reply}], asked, sources


def chat_turn_stream(
    assistant,
    docs,
    message,
    chat,
    asked,
    objectif="",
    *,
    generator,
    max_chars=1000,
    filters=None,
    gate: Gate | None = None,
):
    """Like :func:`chat_turn`, with a generated answer streamed into the chat, then checked.

    Yields (textbox, messages, previous questions, sources) as the draft grows; the last
    one holds the checked answer (or the extractive one with a note saying why). The gate
    slot is held from the search to the last sentence checked.
    """
    from ..answers.generated import stream_answer

    message, chat, asked = _opening(message, chat, asked, max_chars)

    def state(content: str, sources: str = EMPTY_SOURCES) -> tuple:
        return "", [*chat, {"role": "assistant", "content": content}], asked, sources

    try:
        kw = _checked(message, max_chars, filters, objectif)
        with _slot(gate):
            for item in stream_answer(assistant, message, config=generator, history=asked, **kw):
                if isinstance(item, str):
                    yield state(f"{md_text(item)} ▌\n\n{DRAFTING}")
                else:
                    asked.append(item.resolved_question or item.question)
                    yield state(render_reply(item), render_sources(item, docs))
    except AssistantError as exc:  # a bad question, or Busy ("réessayez")
        yield state(md_text(str(exc)))
    except Exception:  # logged here; the user gets a plain message, never a traceback
        traceback.print_exc()
        yield state(md_text(UNEXPECTED))
