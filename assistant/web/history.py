"""The chat's history as a client sends it back: checked once, refused in one line.

Gradio validates the chat component's value (its ``data_model``) before any handler runs;
a malformed history of thousands of messages made it print thousands of pydantic errors
and a traceback for one request. :func:`chatbot` builds the chat with a data model that
checks the history (at most :data:`MAX_MESSAGES` messages, each a valid message) and, when
it is wrong, logs one line and refuses the request with a French message, no traceback.
The page itself never sends such a history; a hand-made client may.

Non-goals: the chat's layout (:mod:`.questions_tab`), repairing a history.
"""

from __future__ import annotations

import functools
import sys

__all__ = ["BAD_HISTORY", "MAX_MESSAGES", "chatbot"]

MAX_MESSAGES = 400  # 200 exchanges: more than a conversation in the page ever holds
BAD_HISTORY = (
    "Historique de conversation invalide : cliquez sur « Nouvelle conversation » et "
    "reposez la question."
)


@functools.cache
def _classes():
    """(data model, preprocess), built once: gradio is imported only when needed.

    A ``gr.Error`` raised inside the pydantic validator would be wrapped by pydantic into a
    ValidationError (it is a ValueError) and printed whole; so the validator logs its one
    line and returns an empty history marked refused, and the component's ``preprocess``
    refuses it with ``gr.Error(print_exception=False)``, which Gradio does not print.
    Both are set on the instance: a subclass of a Gradio component would make Gradio write
    a ``.pyi`` stub beside this module."""
    import gradio as gr
    from gradio.components.chatbot import ChatbotDataMessages
    from pydantic import PrivateAttr, ValidationError, model_validator

    class CheckedMessages(ChatbotDataMessages):
        _refused: bool = PrivateAttr(default=False)

        @model_validator(mode="wrap")
        @classmethod
        def _checked(cls, value, handler):
            size = len(value) if isinstance(value, list) else None
            if size is not None and size > MAX_MESSAGES:
                why = f"{size} messages (au plus {MAX_MESSAGES})"
            else:
                try:
                    return handler(value)
                except ValidationError as exc:
                    why = f"{exc.error_count()} erreurs, {size} messages"
            print(f"Historique de conversation refusé : {why}", file=sys.stderr, flush=True)
            refused = handler([])
            refused._refused = True
            return refused

    def preprocess(component, payload):
        if getattr(payload, "_refused", False):
            raise gr.Error(BAD_HISTORY, print_exception=False)
        return gr.Chatbot.preprocess(component, payload)

    return CheckedMessages, preprocess


def chatbot(**kwargs):
    """A ``gr.Chatbot`` (inside the current Blocks) whose history is checked as above."""
    import gradio as gr

    model, preprocess = _classes()
    chat = gr.Chatbot(**kwargs)
    chat.data_model = model
    chat.preprocess = preprocess.__get__(chat)
    return chat
