"""The Gradio app: layout, renderers, chat, the tabs, and the admission gate.

Owns everything a browser or a Gradio client sees: the HTML and Markdown renderers (every
text escaped), the chat handlers and the ``/ask`` endpoints, the *Document*, *Suivi
parlementaire* and *Évaluation* tabs, the admission gate (``gate``: two answers at once,
a bounded wait, then « réessayez »), and the server's command line. The top-level
``app.py`` is a thin entry point over it.

Does not own: answering (:mod:`assistant.answers`), the brief (:mod:`assistant.brief`).
"""
