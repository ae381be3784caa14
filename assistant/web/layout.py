"""The Gradio Blocks of the app: the tabs, the filters panel, the chat events, the endpoints.

:func:`build_app` builds the Blocks without launching them (the server does,
:mod:`.server`). Tabs: *Questions* (the chat, examples, filters and the sources panel),
*Document*, *Suivi parlementaire*, *Évaluation*. Public API: ``/ask`` (question, k,
objectif) and ``/ask_filtered`` (the same and the document filters); the chat's own
events are private. Every answer, chat or API, extractive or generated, holds one slot
of the gate from the search to the last sentence checked.

Non-goals: rendering (:mod:`.render`, :mod:`.document_tab`), launching (:mod:`.server`).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import Assistant
from ..documents.document import shorten
from ..indexing.store import default_index_dir
from .chat import ask_json, chat_turn, chat_turn_stream
from .document_tab import load_documents, render_document, render_library
from .gate import WAITING, WORKERS, Gate
from .render import EMPTY_SOURCES

if TYPE_CHECKING:
    import gradio as gr

    from ..documents.document import Document

__all__ = ["build_app"]

EXAMPLES = (
    "Quelles aides pour les commerces ?",
    "Où en est le Plan Régional pour l'Innovation ?",
    "Qui porte l'objectif 1.7 ?",
    "Quel budget pour les Chromebooks des écoles ?",
    "Combien de logements sociaux ont été construits en 2020 ?",
)
INTRO = """## Assistant questions écrites — Parlement bruxellois
Posez une question sur les questions écrites du corpus (dont la n°517 « Sommet social 2021 ») et
leurs réponses. Chaque réponse cite son document ; s’il ne dit rien, l’assistant le dit."""
ALL_DOCUMENTS = "Tous les documents"
ALL_MINISTERS = "Tous les ministres"
ALL_OBJECTIFS = "Tous les objectifs"
# Scoped to each gr.HTML panel by Gradio (css_template), so it applies however the app is launched.
PANEL_CSS = """
.sources, .doc { line-height: 1.5; font-size: 0.95rem; }
.source { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 0.6rem 0.8rem; margin: 0 0 0.7rem; background: var(--background-fill-primary); }
.source h4 { margin: 0 0 0.3rem; font-size: 1rem; }
.num { color: var(--color-accent); font-weight: 700; margin-right: 0.3rem; }
.meta, .empty { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 0.1rem 0; }
.excerpt, .text { white-space: pre-wrap; margin: 0.5rem 0; }
.excerpt { border-left: 3px solid var(--border-color-accent); padding-left: 0.6rem; }
mark { background: #fde68a; color: inherit; padding: 0 0.1em; border-radius: 3px; }
details { margin: 0.3rem 0; }  details details { margin-left: 1rem; }
summary { cursor: pointer; font-weight: 600; }  .maybe { color: #92400e; font-weight: 600; }
.library { border-collapse: collapse; width: 100%; margin: 0 0 1rem; font-size: 0.9rem; }
.library td, .library th { border-bottom: 1px solid var(--border-color-primary);
  padding: 0.2rem 0.4rem; text-align: left; }
"""
PANEL = {"js_on_load": None, "css_template": PANEL_CSS}
BRIEF_UNAVAILABLE = (
    "Le suivi parlementaire n'a pas pu être préparé pour ce corpus ; "
    "`python -m assistant followup` en donne la raison."
)
UI_ONLY = {"api_visibility": "private"}


@dataclass(frozen=True)
class Answering:
    """What every handler needs: the assistant, its documents, the gate and the settings."""

    assistant: Any
    docs: dict[str, Document]
    gate: Gate
    objectifs: dict[str, str]  # number -> title
    max_chars: int
    generator: Any = None  # a GeneratorConfig, or None for extractive answers


@dataclass(frozen=True)
class QuestionsTab:
    """The components of the *Questions* tab that the events read or write."""

    box: gr.Textbox
    chat: gr.Chatbot
    buttons: list
    objectif: gr.Dropdown
    clear: gr.Button
    filters: list  # document, author, minister, from, to: in the order of ``_filters``
    sources: gr.HTML


def _filters(document, author, minister, date_from, date_to) -> dict:
    return dict(
        document=document, author=author, minister=minister, date_from=date_from, date_to=date_to
    )


def _load(corpus, index, model) -> Assistant:
    """The assistant of ``corpus`` and ``index``; says so when the index is built first."""
    if not (Path(index) if index else default_index_dir()).joinpath("meta.json").exists():
        print("Construction de l'index… (une seule fois)", flush=True)
    return Assistant.load(
        corpus=corpus, index=index, model=model, log=lambda msg: print(msg, flush=True)
    )


def _chat_column(a: Answering):
    """The chat, the question box, the examples, the objectif filter and the clear button."""
    import gradio as gr

    chat = gr.Chatbot(
        show_label=False,
        elem_id="chat",
        height=380,
        latex_delimiters=[],  # a "$" in the document is just a dollar
        feedback_options=None,
        buttons=["copy", "copy_all"],
    )
    box = gr.Textbox(
        label="Votre question",
        elem_id="question",
        placeholder="Posez votre question sur le document…",
        max_length=a.max_chars,
        submit_btn="Envoyer",
        autofocus=True,
    )
    gr.Markdown("**Exemples** (cliquez pour poser la question)")
    with gr.Row(elem_id="examples"):
        buttons = [gr.Button(q, size="sm") for q in EXAMPLES]
    choices = [(ALL_OBJECTIFS, "")] + [
        (f"{n} — {shorten(t, 60)}", n) for n, t in a.objectifs.items()
    ]
    with gr.Row():
        objectif = gr.Dropdown(choices, value="", label="Filtrer par objectif")
        clear = gr.Button("Nouvelle conversation", scale=0, min_width=210)
    return chat, box, buttons, objectif, clear


def _filters_panel(docs: dict[str, Document]) -> list:
    """The folded « Filtrer les documents » panel: document, author, minister, dates."""
    import gradio as gr

    ministers = sorted({d.metadata.addressee for d in docs.values() if d.metadata.addressee})
    with gr.Accordion("Filtrer les documents", open=False, elem_id="filters"):
        with gr.Row():
            f_doc = gr.Dropdown(
                [(ALL_DOCUMENTS, "")] + [(shorten(d.label, 70), i) for i, d in docs.items()],
                value="",
                label="Document",
            )
            f_minister = gr.Dropdown(
                [(ALL_MINISTERS, "")] + [(m, m) for m in ministers],
                value="",
                label="Ministre",
            )
        with gr.Row():
            f_author = gr.Textbox(label="Auteur", placeholder="ex. Debaets")
            f_from = gr.Textbox(label="Du", placeholder="AAAA-MM-JJ")
            f_to = gr.Textbox(label="Au", placeholder="AAAA-MM-JJ")
    return [f_doc, f_author, f_minister, f_from, f_to]


def _questions_tab(a: Answering) -> QuestionsTab:
    """The *Questions* tab: the conversation on the left, the sources on the right."""
    import gradio as gr

    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            chat, box, buttons, objectif, clear = _chat_column(a)
            filters = _filters_panel(a.docs)
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### Sources")
            sources = gr.HTML(EMPTY_SOURCES, elem_id="sources", **PANEL)
    return QuestionsTab(box, chat, buttons, objectif, clear, filters, sources)


def _other_tabs(assistant, docs: dict[str, Document]) -> None:
    """The *Document*, *Suivi parlementaire* and *Évaluation* tabs."""
    import gradio as gr

    with gr.Tab("Document"):
        toc = render_library(docs) + "".join(render_document(d) for d in docs.values())
        gr.HTML(toc, elem_id="document", **PANEL)
    with gr.Tab("Suivi parlementaire"):
        from .brief_tab import followup_tab

        try:
            followup_tab(assistant)
        except Exception:  # the chat must stay up even if the brief cannot be built
            traceback.print_exc()
            gr.Markdown(BRIEF_UNAVAILABLE)
    with gr.Tab("Évaluation"):
        from .evaluation_tab import evaluation_tab

        evaluation_tab(assistant)


def _chat_handler(a: Answering):
    """The chat's handler: one exchange, streamed when answers are generated."""

    def respond(message, chat, asked, objectif, *filters):
        return chat_turn(
            a.assistant, a.docs, message, chat, asked, objectif,
            max_chars=a.max_chars, filters=_filters(*filters), gate=a.gate,
        )  # fmt: skip

    def respond_stream(message, chat, asked, objectif, *filters):
        yield from chat_turn_stream(
            a.assistant, a.docs, message, chat, asked, objectif, generator=a.generator,
            max_chars=a.max_chars, filters=_filters(*filters), gate=a.gate,
        )  # fmt: skip

    return respond if a.generator is None else respond_stream


def _wire_chat(a: Answering, tab: QuestionsTab, asked: gr.State) -> None:
    """The private UI events: submit, the example buttons, « Nouvelle conversation »."""
    respond = _chat_handler(a)
    outputs = [tab.box, tab.chat, asked, tab.sources]
    rest = [tab.chat, asked, tab.objectif, *tab.filters]
    tab.box.submit(respond, [tab.box, *rest], outputs, **UI_ONLY)
    for button in tab.buttons:  # an example button asks its own label
        button.click(respond, [button, *rest], outputs, **UI_ONLY)
    tab.clear.click(lambda: ("", [], [], EMPTY_SOURCES), None, outputs, **UI_ONLY)


def _endpoints(a: Answering) -> None:
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
            a.assistant, question, k, objectif, max_chars=a.max_chars,
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
) -> gr.Blocks:
    """The Gradio Blocks of the assistant, not launched (loads the assistant if not given).

    Answers go through ``gate`` (default: 2 at a time, 32 waiting), one slot for the whole
    answer; beyond, the user is asked to try again ("réessayez") at once.
    """
    import gradio as gr

    if assistant is None:
        assistant = _load(corpus, index, model)
    docs = load_documents(corpus or assistant.corpus)
    a = Answering(
        assistant=assistant,
        docs=docs,
        gate=gate or Gate(running=WORKERS, waiting=WAITING),
        objectifs={o.number: o.title for d in docs.values() for o in d.objectifs},
        max_chars=max_question_chars,
        generator=generator,
    )
    with gr.Blocks(title="Assistant — questions écrites", analytics_enabled=False) as demo:
        gr.Markdown(INTRO)
        asked = gr.State([])
        with gr.Tabs():
            with gr.Tab("Questions"):
                tab = _questions_tab(a)
            _other_tabs(assistant, docs)
        _wire_chat(a, tab, asked)
        _endpoints(a)
    return demo
