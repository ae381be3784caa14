"""Interface web (Gradio) de l'assistant : ``python app.py [--host H] [--port P]``.

A thin entry point: the app lives in :mod:`assistant.web` (layout, renderers, chat
handlers, gate, server). The names below are re-exported for ``import app`` users.
"""

from assistant.web.chat import ask_json, chat_turn, chat_turn_stream
from assistant.web.document_tab import load_documents, render_document, render_library
from assistant.web.layout import build_app
from assistant.web.render import md_text, render_reply, render_sources
from assistant.web.server import main, parse_args, serve, style

__all__ = [
    "ask_json",
    "build_app",
    "chat_turn",
    "chat_turn_stream",
    "load_documents",
    "main",
    "md_text",
    "parse_args",
    "render_document",
    "render_library",
    "render_reply",
    "render_sources",
    "serve",
    "style",
]

if __name__ == "__main__":
    main()
