"""Interface web (Gradio) de l'assistant : ``python app.py [--host H] [--port P]``.

A thin entry point: the app lives in :mod:`assistant.web` (``layout.build_app`` builds the
Blocks without launching them; ``server.main`` parses the command line and serves them).
"""

from assistant.web.layout import build_app
from assistant.web.server import main

__all__ = ["build_app", "main"]

if __name__ == "__main__":
    main()
