"""The Gradio app: layout, renderers, chat, the tabs, and the admission gate.

Owns everything a browser or a Gradio client sees: the HTML and Markdown renderers
(``render``, every text escaped), the chat handlers and the ``/ask`` endpoints' contract
(``chat``), the tabs (``questions_tab``, ``document_tab``, ``brief_tab`` for *Suivi
parlementaire*, ``evaluation_tab``), the Blocks put together with their events and
endpoints (``layout``), the admission gate (``gate``: two answers at once, a bounded
wait, then « réessayez », one slot for a whole answer, generated ones included), the
bounds for anonymous visitors (``uploads``: no upload; ``history``: a malformed chat
history refused in one line; ``memory``: Gradio's sessions and malloc arenas), and the
server's command line (``server``). The top-level ``app.py`` is a thin entry point over it.

Does not own: answering (:mod:`assistant.answers`), the brief (:mod:`assistant.brief`),
the evaluation itself (the top-level ``evals`` package, imported only by its tab).
"""
