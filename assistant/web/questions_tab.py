"""The *Questions* tab: the chat, the examples, the filters and the sources panel.

Builds the components inside the current ``gr.Blocks`` and returns the ones the events
read or write (:class:`QuestionsTab`); the events themselves are wired by :mod:`.layout`.

Non-goals: the handlers (:mod:`.chat`), the HTML of the answers (:mod:`.render`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..documents.document import shorten
from .history import chatbot
from .render import EMPTY_SOURCES, PANEL

if TYPE_CHECKING:
    import gradio as gr

    from ..documents.document import Document

__all__ = ["EXAMPLES", "QuestionsTab", "questions_tab"]

EXAMPLES = (
    "Quelles aides pour les commerces ?",
    "Où en est le Plan Régional pour l'Innovation ?",
    "Qui porte l'objectif 1.7 ?",
    "Quel budget pour les Chromebooks des écoles ?",
    "Combien de logements sociaux ont été construits en 2020 ?",
)
ALL_DOCUMENTS = "Tous les documents"
ALL_MINISTERS = "Tous les ministres"
ALL_OBJECTIFS = "Tous les objectifs"


@dataclass(frozen=True)
class QuestionsTab:
    """The components of the *Questions* tab that the events read or write."""

    box: gr.Textbox
    chat: gr.Chatbot
    buttons: list  # one gr.Button per example, asking its own label
    objectif: gr.Dropdown
    clear: gr.Button
    filters: list  # document, author, minister, from, to (the handlers' order)
    sources: gr.HTML


def _chat_column(objectifs: dict[str, str], max_chars: int) -> tuple:
    """The chat, the question box, the examples, the objectif filter and the clear button."""
    import gradio as gr

    chat = chatbot(  # a gr.Chatbot whose history sent back is checked (see .history)
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
        max_length=max_chars,
        submit_btn="Envoyer",
        autofocus=True,
    )
    gr.Markdown("**Exemples** (cliquez pour poser la question)")
    with gr.Row(elem_id="examples"):
        buttons = [gr.Button(q, size="sm") for q in EXAMPLES]
    choices = [(ALL_OBJECTIFS, "")] + [(f"{n} — {shorten(t, 60)}", n) for n, t in objectifs.items()]
    with gr.Row():
        objectif = gr.Dropdown(choices, value="", label="Filtrer par objectif")
        clear = gr.Button("Nouvelle conversation", scale=0, min_width=210)
    return chat, box, buttons, objectif, clear


def filter_choices(docs: dict[str, Document]) -> tuple[list, list]:
    """The choices of the document and minister filters, for ``docs``."""
    ministers = sorted({d.metadata.addressee for d in docs.values() if d.metadata.addressee})
    return (
        [(ALL_DOCUMENTS, "")] + [(shorten(d.label, 70), i) for i, d in docs.items()],
        [(ALL_MINISTERS, "")] + [(m, m) for m in ministers],
    )


def _filters_panel(docs: dict[str, Document]) -> list:
    """The folded « Filtrer les documents » panel: document, author, minister, dates."""
    import gradio as gr

    doc_choices, minister_choices = filter_choices(docs)
    with gr.Accordion("Filtrer les documents", open=False, elem_id="filters"):
        with gr.Row():
            f_doc = gr.Dropdown(doc_choices, value="", label="Document")
            f_minister = gr.Dropdown(minister_choices, value="", label="Ministre")
        with gr.Row():
            f_author = gr.Textbox(label="Auteur", placeholder="ex. Debaets")
            f_from = gr.Textbox(label="Du", placeholder="AAAA-MM-JJ")
            f_to = gr.Textbox(label="Au", placeholder="AAAA-MM-JJ")
    return [f_doc, f_author, f_minister, f_from, f_to]


def questions_tab(
    docs: dict[str, Document], *, objectifs: dict[str, str], max_chars: int
) -> QuestionsTab:
    """The tab's components: the conversation on the left, the sources on the right.

    ``objectifs`` maps each objectif number to its title (the objectif filter).
    """
    import gradio as gr

    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            chat, box, buttons, objectif, clear = _chat_column(objectifs, max_chars)
            filters = _filters_panel(docs)
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### Sources")
            sources = gr.HTML(EMPTY_SOURCES, elem_id="sources", **PANEL)
    return QuestionsTab(box, chat, buttons, objectif, clear, filters, sources)
