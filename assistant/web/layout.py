"""The Gradio Blocks of the app: the tabs put together, the chat events, the endpoints.

:func:`build_app` builds the Blocks without launching them (the server does,
:mod:`.server`). Tabs: *Questions* (the chat, examples, filters and the sources panel),
*Document*, *Suivi parlementaire*, *Évaluation*. Public API: ``/ask`` (question, k,
objectif) and ``/ask_filtered`` (the same and the document filters); the chat's own
events are private. Every answer, chat or API, extractive or generated, holds one slot
of the gate from the search to the last sentence checked. Each question takes the
assistant of the index's current generation (:mod:`assistant.live`), and each page load
shows its documents in the *Document* tab and the filters.

Non-goals: the components of the *Questions* tab (:mod:`.questions_tab`), rendering
(:mod:`.render`, :mod:`.document_tab`), launching (:mod:`.server`).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import Assistant
from ..indexing.store import default_index_dir
from .about import about_text
from .chat import ask_json, chat_turn, chat_turn_stream
from .document_tab import load_documents, render_document, render_library
from .gate import WAITING, WORKERS, Gate
from .questions_tab import QuestionsTab, questions_tab
from .render import EMPTY_SOURCES, PANEL

if TYPE_CHECKING:
    import gradio as gr

    from ..documents.document import Document

__all__ = ["build_app"]

INTRO = """## Assistant questions écrites — Parlement bruxellois
Posez une question sur les questions écrites du corpus (dont la n°517 « Sommet social 2021 ») et
leurs réponses. Chaque réponse cite son document ; s’il ne dit rien, l’assistant le dit."""
BRIEF_UNAVAILABLE = (
    "Le suivi parlementaire n'a pas pu être préparé pour ce corpus ; "
    "`python -m assistant brief` en donne la raison."
)
UI_ONLY = {"api_visibility": "private"}


@dataclass(frozen=True)
class AppContext:
    """What every handler needs: the assistant, its documents, the gate and the settings."""

    assistant: Any
    docs: dict[str, Document]
    gate: Gate
    objectifs: dict[str, str]  # number -> title
    max_chars: int
    generator: Any = None  # a GeneratorConfig, or None for extractive answers
    live: Any = None  # an assistant.live.Live: the index generation of the next question


def _now(a: AppContext) -> tuple[Any, dict]:
    """The assistant and documents to answer the next question from (see assistant.live)."""
    if a.live is None:
        return a.assistant, a.docs
    snap = a.live.current()
    return snap.assistant, snap.docs


def _filters(document, author, minister, date_from, date_to) -> dict:
    return dict(
        document=document, author=author, minister=minister, date_from=date_from, date_to=date_to
    )


def _load(corpus, index, model, query_encoder=None) -> Assistant:
    """The assistant of ``corpus`` and ``index``; says so when the index is built first."""
    if not (Path(index) if index else default_index_dir()).joinpath("meta.json").exists():
        print("Construction de l'index… (une seule fois)", flush=True)
    return Assistant.load(
        corpus=corpus,
        index=index,
        model=model,
        query_encoder=query_encoder,
        log=lambda msg: print(msg, flush=True),
    )


def _document_html(docs: dict[str, Document]) -> str:
    return render_library(docs) + "".join(render_document(d) for d in docs.values())


def _live(assistant, docs: dict[str, Document]):
    """A :class:`~assistant.live.Live` over the assistant's index folder (None if unknown)."""
    if getattr(assistant, "index_dir", None) is None:
        return None
    from ..live import Live

    return Live(
        assistant,
        index_dir=assistant.index_dir,
        docs=docs,
        documents=load_documents,
        log=lambda msg: print(msg, flush=True),
    )


def _other_tabs(assistant, docs: dict[str, Document], admin: bool = False):
    """The *Document*, *Suivi parlementaire* and *Évaluation* tabs; returns the document HTML."""
    import gradio as gr

    with gr.Tab("Document"):
        document = gr.HTML(_document_html(docs), elem_id="document", **PANEL)
    with gr.Tab("Suivi parlementaire"):
        from .brief_tab import brief_tab

        try:
            brief_tab(assistant)
        except Exception:  # the chat must stay up even if the brief cannot be built
            traceback.print_exc()
            gr.Markdown(BRIEF_UNAVAILABLE)
    with gr.Tab("Évaluation"):
        from .evaluation_tab import evaluation_tab

        evaluation_tab(assistant, runnable=admin)  # the run button for an admin only
    return document


def _follow(a: AppContext, demo, document, tab: QuestionsTab) -> None:
    """On each page load, the *Document* tab and the filters of the current generation."""
    import gradio as gr

    from .questions_tab import filter_choices

    last: dict = {}  # generation -> (document HTML, document choices, minister choices)

    def refresh():
        snap = a.live.current()
        entry = last.get(snap.generation)
        if entry is None:  # rendered once per generation, not per visitor
            entry = (_document_html(snap.docs), *filter_choices(snap.docs))
            last.clear()
            last[snap.generation] = entry
        html, doc_choices, minister_choices = entry
        return html, gr.update(choices=doc_choices), gr.update(choices=minister_choices)

    demo.load(refresh, None, [document, tab.filters[0], tab.filters[2]], **UI_ONLY)


def _chat_handler(a: AppContext):
    """The chat's handler: one exchange, streamed when answers are generated."""

    def respond(message, chat, asked, objectif, *filters):
        return chat_turn(
            *_now(a), message, chat, asked, objectif,
            max_chars=a.max_chars, filters=_filters(*filters), gate=a.gate,
        )  # fmt: skip

    def respond_stream(message, chat, asked, objectif, *filters):
        yield from chat_turn_stream(
            *_now(a), message, chat, asked, objectif, generator=a.generator,
            max_chars=a.max_chars, filters=_filters(*filters), gate=a.gate,
        )  # fmt: skip

    return respond if a.generator is None else respond_stream


def _wire_chat(a: AppContext, tab: QuestionsTab, asked: gr.State) -> None:
    """The private UI events: submit, the example buttons, « Nouvelle conversation »."""
    respond = _chat_handler(a)
    outputs = [tab.box, tab.chat, asked, tab.sources]
    rest = [tab.chat, asked, tab.objectif, *tab.filters]
    tab.box.submit(respond, [tab.box, *rest], outputs, **UI_ONLY)
    for button in tab.buttons:  # an example button asks its own label
        button.click(respond, [button, *rest], outputs, **UI_ONLY)
    tab.clear.click(lambda: ("", [], [], EMPTY_SOURCES), None, outputs, **UI_ONLY)


def _endpoints(a: AppContext) -> None:
    """The public API: ``/ask`` (three values, as raw HTTP callers send) and ``/ask_filtered``."""
    import gradio as gr

    def ask(question: str, k: int = 5, objectif: str = "") -> dict:
        """Pose une question ; renvoie la réponse citée (Answer.to_json) ou {"error": …}."""
        return ask_filtered(question, k, objectif)  # no filter: every document

    def ask_filtered(
        question: str,
        k: int = 5,
        objectif: str = "",
        document: str = "",
        author: str = "",
        minister: str = "",
        date_from: str = "",
        date_to: str = "",
    ) -> dict:
        """Comme /ask, dans certains documents seulement : document (identifiant ou numéro),
        auteur, ministre (parties du nom), dates (AAAA-MM-JJ, bornes comprises)."""
        return ask_json(
            _now(a)[0], question, k, objectif, max_chars=a.max_chars,
            objectifs=[*a.objectifs], generator=a.generator, gate=a.gate,
            filters=_filters(document, author, minister, date_from, date_to),
        )  # fmt: skip

    gr.api(ask, api_name="ask")  # unchanged: raw HTTP callers send three values
    gr.api(ask_filtered, api_name="ask_filtered")


def build_app(
    assistant: Assistant | None = None,
    *,
    corpus=None,
    index=None,
    model=None,
    max_question_chars: int = 1000,
    generator=None,
    gate: Gate | None = None,
    query_encoder: str | None = None,
    admin: bool = False,
) -> gr.Blocks:
    """The Gradio Blocks of the assistant, not launched (loads the assistant if not given).

    Answers go through ``gate`` (default: 2 at a time, 32 waiting), one slot for the whole
    answer; beyond, the user is asked to try again ("réessayez") at once. ``admin`` shows
    the *Évaluation* tab's run button (``--admin`` or ``--auth``).
    """
    import gradio as gr

    if assistant is None:
        assistant = _load(corpus, index, model, query_encoder)
    docs = load_documents(corpus or assistant.corpus)
    a = AppContext(
        assistant=assistant,
        docs=docs,
        gate=gate or Gate(running=WORKERS, waiting=WAITING),
        objectifs={o.number: o.title for d in docs.values() for o in d.objectifs},
        max_chars=max_question_chars,
        generator=generator,
        live=_live(assistant, docs),
    )
    with gr.Blocks(title="Assistant — questions écrites", analytics_enabled=False) as demo:
        gr.Markdown(INTRO)
        with gr.Accordion("À propos", open=False):
            gr.Markdown(about_text(assistant), elem_id="about")
        asked = gr.State([])
        with gr.Tabs():
            with gr.Tab("Questions"):
                tab = questions_tab(docs, objectifs=a.objectifs, max_chars=a.max_chars)
            document = _other_tabs(assistant, docs, admin)
        _wire_chat(a, tab, asked)
        if a.live is not None:
            _follow(a, demo, document, tab)
        _endpoints(a)
    demo.context = a  # for the HTTP API and the MCP tools (server.serve)
    return demo
