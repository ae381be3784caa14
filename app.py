"""Interface web (Gradio) de l'assistant : ``python app.py [--host H] [--port P]``.

Onglet « Questions » : la conversation (réponses avec marqueurs [n]) et le panneau des
sources (document, passage, phrases surlignées, section à déplier), filtres par objectif et
par document, auteur, ministre, dates. Onglet « Document » : la liste de tous les documents
et la table des matières dépliable de chacun. API ``/ask`` : ``Answer.to_json()`` ou
``{"error": "…"}``. Tout texte du document ou de l'utilisateur placé dans du HTML passe
par ``html.escape``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import Assistant, AssistantError, Document, QueryError
from assistant.answers.extractive import Answer, Citation
from assistant.documents.corpus import read_corpus
from assistant.documents.document import shorten
from assistant.indexing.store import default_index_dir
from assistant.search.filters import Filters
from assistant.web.gate import Gate

if TYPE_CHECKING:
    import gradio as gr

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
MAX_K = 20
EMPTY_SOURCES = '<p class="empty">Les sources de la réponse s’afficheront ici.</p>'
AUTH_ENV = "ASSISTANT_AUTH"  # "utilisateur:mot de passe", for --auth without the command line
WORKERS, WAITING = 2, 32  # questions answered at once (two cores), and waiting for a slot
QUEUE_SIZE = 64  # Gradio's own queue, in front of the gate
UNEXPECTED = "Une erreur inattendue s’est produite ; réessayez ou reformulez la question."
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
APP_CSS = """
.gradio-container { max-width: 1400px !important; margin: 0 auto; }
#examples button { flex: 0 1 auto; white-space: normal; text-align: left; }
@media (min-width: 900px) { #sources { max-height: 78vh; overflow-y: auto; } }
.tab-wrapper { max-width: calc(100vw - 64px); }  /* many tabs: a phone gets the "…" menu */
"""


BRIEF_UNAVAILABLE = (
    "Le suivi parlementaire n'a pas pu être préparé pour ce corpus ; "
    "`python -m assistant followup` en donne la raison."
)


def style() -> dict:
    """The look of the app, for ``launch(**style())``: a light theme and a little CSS."""
    import gradio as gr

    return {"theme": gr.themes.Soft(primary_hue="blue"), "css": APP_CSS}


def esc(text: str) -> str:
    """Escape document or user text for HTML."""
    return html.escape(str(text))


def md_text(text: str) -> str:
    """Escape text for a Markdown chat message: HTML escaped, Markdown markup shown literally."""
    return re.sub(r"([\\`*_\[\]#|~$])", r"\\\1", html.escape(str(text), quote=False))


def highlighted(text: str, spans) -> str:
    """``text`` escaped, with ``<mark>`` around each ``[start, end)`` span."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start < end:
            out += [esc(text[pos:start]), "<mark>", esc(text[start:end]), "</mark>"]
            pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def excerpt_window(text: str, spans, context: int = 280) -> tuple[str, list]:
    """The part of ``text`` around ``spans`` (the start when there is none), spans shifted.

    The window is cut at line breaks (or spaces) and a cut is shown by "…".
    """
    spans = sorted((max(a, 0), min(b, len(text))) for a, b in spans if a < b)
    first, last = (spans[0][0], spans[-1][1]) if spans else (0, 0)
    lo, hi = max(0, first - context), min(len(text), last + context)
    if lo > 0:  # start at a line start if that keeps half the context, else after a space
        nl = text.find("\n", lo, first - context // 2)
        lo = nl + 1 if nl >= 0 else text.find(" ", lo, first) + 1
    if hi < len(text):
        nl = text.rfind("\n", last + context // 2, hi)
        hi = nl if nl >= 0 else max(text.rfind(" ", last, hi), last)
    while lo < first and text[lo] in "\n ":
        lo += 1
    head, tail = ("… " if lo > 0 else ""), (" …" if hi < len(text) else "")
    shift = len(head) - lo
    return head + text[lo:hi].rstrip() + tail, [(a + shift, b + shift) for a, b in spans]


def ministers_line(ministers) -> str:
    """ "Ministre(s) porteur(s) : …" in HTML, or "" when there is none."""
    if not ministers:
        return ""
    word = "Ministres porteurs" if len(ministers) > 1 else "Ministre porteur"
    return f'<p class="meta">{word} : {esc(" ; ".join(ministers))}</p>'


def iso_fr(iso: str | None) -> str:
    """ "2021-04-28" -> "28/04/2021"; "—" when unknown."""
    return "/".join(reversed(iso.split("-"))) if iso else "—"


def document_line(d) -> str:
    """The document a citation comes from (a DocumentRef): number and title, author → addressee,
    date."""
    if not d.label:
        return ""
    who = " → ".join(x for x in (d.author, d.addressee) if x)
    bits = [f"<b>{esc(d.label)}</b>", esc(who), iso_fr(d.date) if d.date else ""]
    return f'<p class="meta doc-ref">📄 {" · ".join(b for b in bits if b)}</p>'


def render_citation(c: Citation, docs: dict[str, Document]) -> str:
    """One source card: [n], labels, excerpt with highlights, the whole section to unfold."""
    parts = [
        f'<article class="source" id="source-{c.n}">',
        f'<h4><span class="num">[{c.n}]</span>{esc(c.section_label)}</h4>',
    ]
    parts.append(document_line(c.document))
    if c.heading_path and c.heading_path != c.section_label:
        parts.append(f'<p class="meta">{esc(c.heading_path)}</p>')
    if c.objectif_label:
        parts.append(f'<p class="meta">{esc(c.objectif_label)}</p>')
    parts.append(ministers_line(c.ministers))
    window, spans = excerpt_window(c.excerpt, c.highlights)
    parts.append(f'<div class="excerpt">{highlighted(window, spans)}</div>')
    try:
        section = esc(docs[c.doc_id].section(c.section_id).text)
        parts.append(f'<details><summary>Lire la section</summary><div class="text">{section}')
        parts.append("</div></details>")
    except KeyError:
        pass  # a passage of a document that is not in the corpus folder
    return "".join(parts) + "</article>"


def render_sources(answer: Answer, docs: dict[str, Document]) -> str:
    """The sources panel for one answer (or the "peut-être utile" passages of a refusal)."""
    if not answer.citations:
        return EMPTY_SOURCES
    head = '<p class="maybe">Aucune source ne répond ; passages peut-être utiles :</p>'
    cards = "".join(render_citation(c, docs) for c in answer.citations)
    return f'<div class="sources">{head if answer.abstained else ""}{cards}</div>'


def render_reply(answer: Answer) -> str:
    """The assistant's chat message (Markdown, every piece of text escaped)."""
    notes = []
    if answer.resolved_question and answer.resolved_question != answer.question:
        notes.append(f"<small>Question comprise : « {md_text(answer.resolved_question)} »</small>")
    notes += [f"<small>⚠️ {md_text(w)}</small>" for w in answer.warnings]
    if answer.note:
        notes.append(f"<small>ℹ️ {md_text(answer.note)}</small>")
    if answer.abstained:
        refusal = answer.answer.split("\n")[0]
        body = f"> ⚠️ **{md_text(refusal)}**"
        if answer.citations:
            body += "\n\n*Passages peut-être utiles :*\n" + "\n".join(
                f"- {md_text(f'[{c.n}] {c.section_label}')}" for c in answer.citations
            )
    else:
        body = md_text(answer.answer)
    return "\n\n".join([*notes, body])


def render_document(doc: Document) -> str:
    """The table of contents of one written question; every entry unfolds its text."""
    m = doc.metadata

    def fold(title: str, text: str, extra: str = "") -> str:
        return (
            f"<details><summary>{esc(title)}</summary>{extra}"
            f'<div class="text">{esc(text)}</div></details>'
        )

    date = iso_fr
    if doc.kind == "text":
        out = [f'<div class="doc" id="doc-{esc(doc.doc_id)}"><h2>{esc(doc.label)}</h2>']
        out += [fold(s.title, s.text) for s in doc.sections()]
        return "".join(out) + "</div>"
    word = "Schriftelijke vraag" if doc.language == "nl" else "Question écrite"
    out = [
        f'<div class="doc" id="doc-{esc(doc.doc_id)}"><h2>{word} n°{esc(m.number)} — '
        f"{esc(m.title)}</h2>",
        f'<p class="meta">De <b>{esc(m.author)}</b> à <b>{esc(m.addressee)}</b>, '
        f"{esc(m.addressee_function)}</p>",
        f'<p class="meta">Reçue le {date(m.received)} · réponse du {date(m.answered)} · '
        f"publiée le {date(m.published)} · législature {esc(m.legislature or '—')}, "
        f"session {esc(m.session or '—')}</p>",
        fold("Métadonnées (en-tête de la page)", doc.header.text),
    ]
    subs = "".join(f"<li>{esc(s.text)}</li>" for s in doc.sub_questions)
    out.append(f'<h3>La question</h3><ol class="subs">{subs}</ol>')
    out.append(fold("Lire la question entière", doc.question.text))
    out.append("<h3>La réponse</h3>")
    out.append(fold(doc.intro.title, doc.intro.text))
    out += [fold(s.title, s.text) for s in doc.parts]
    for obj in doc.objectifs:
        joint = f" (avec l’objectif {', '.join(obj.joint_with)})" if obj.joint_with else ""
        inner = [ministers_line(obj.ministers)]
        for s in obj.sections:
            label = "Présentation de l’objectif" if s.kind == "objectif" else s.label
            inner.append(fold(label, s.text))
        out.append(
            f"<details><summary>Objectif {esc(obj.number)} — {esc(obj.title)}"
            f"{esc(joint)}</summary>{''.join(inner)}</details>"
        )
    if doc.closing is not None:
        out.append(fold(doc.closing.title, doc.closing.text))
    return "".join(out) + "</div>"


def render_library(docs: dict[str, Document]) -> str:
    """The list of all documents: number, title, author, minister, date; each opens below."""
    rows = []
    for d in sorted(docs.values(), key=lambda d: d.date or "", reverse=True):
        m = d.metadata
        rows.append(
            f'<tr><td><a href="#doc-{esc(d.doc_id)}">{esc(m.number or "—")}</a></td>'
            f"<td>{esc(d.label if d.kind == 'text' else m.title)}</td><td>{esc(m.author or '—')}"
            f"</td><td>{esc(m.addressee or '—')}</td><td>{iso_fr(d.date)}</td>"
            f"<td>{esc(d.language)}</td></tr>"
        )
    head = (
        "<tr><th>n°</th><th>Titre</th><th>Auteur</th><th>Ministre</th><th>Date</th><th></th></tr>"
    )
    return (
        f'<div class="doc"><h2>{len(docs)} document(s)</h2><table class="library">{head}'
        f"{''.join(rows)}</table></div>"
    )


def load_documents(corpus: str | Path | None) -> dict[str, Document]:
    """The parsed documents of the corpus folder, by document id (unparsable files skipped)."""
    warn = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    return {doc.doc_id: doc for _, doc in read_corpus(corpus, warn=warn)}


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
) -> dict:
    """The ``/ask`` contract: ``Answer.to_json()``, or ``{"error": "<message en français>"}``."""
    if not isinstance(question, str):
        return {"error": "La question doit être du texte."}
    if len(question) > max_chars:
        return {"error": f"La question dépasse {max_chars} caractères ({len(question)})."}
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        return {"error": f"k doit être un entier entre 1 et {MAX_K} (reçu {k!r})."}
    objectif = (objectif or "").strip()
    if objectif and objectifs is not None and objectif not in objectifs:
        return {"error": f"Objectif inconnu « {objectif} » : {', '.join(objectifs)} ou vide."}
    try:
        chosen = Filters.of(**(filters or {}))
        if generator is not None:
            from assistant.answers.generated import generate_answer

            kw = {"k": k, "objectif": objectif or None, "filters": chosen}
            return generate_answer(assistant, question, config=generator, **kw).to_json()
        return assistant.ask(question, k=k, objectif=objectif or None, filters=chosen).to_json()
    except AssistantError as exc:  # a bad question, or Busy ("réessayez")
        return {"error": str(exc)}
    except Exception:  # never a traceback to the client
        traceback.print_exc()
        return {"error": UNEXPECTED}


def chat_turn(assistant, docs, message, chat, asked, objectif="", *, max_chars=1000, filters=None):
    """One chat exchange: (cleared textbox, messages, previous questions, sources panel).

    ``asked`` holds the previous questions as the assistant understood them, so that a
    chain of follow-ups ("et pour les jeunes ?", "et pour les artisans ?") keeps its frame.
    """
    message = (message or "")[: max_chars + 1]
    chat = [*(chat or []), {"role": "user", "content": md_text(message)}]
    asked, sources = list(asked or []), EMPTY_SOURCES
    try:
        if len(message) > max_chars:
            raise QueryError(f"La question dépasse {max_chars} caractères : raccourcissez-la.")
        kw = {"filters": Filters.of(**filters)} if filters else {}
        answer = assistant.ask(message, history=asked, objectif=objectif or None, **kw)
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
    assistant, docs, message, chat, asked, objectif="", *, generator, max_chars=1000, filters=None
):
    """Like :func:`chat_turn`, with a generated answer streamed into the chat, then checked.

    Yields (textbox, messages, previous questions, sources) as the draft grows; the last
    one holds the checked answer (or the extractive one with a note saying why).
    """
    from assistant.answers.generated import stream_answer

    message = (message or "")[: max_chars + 1]
    chat = [*(chat or []), {"role": "user", "content": md_text(message)}]
    asked = list(asked or [])
    try:
        if len(message) > max_chars:
            raise QueryError(f"La question dépasse {max_chars} caractères : raccourcissez-la.")
        kw = {"filters": Filters.of(**filters)} if filters else {}
        for item in stream_answer(
            assistant, message, config=generator, history=asked, objectif=objectif or None, **kw
        ):
            if isinstance(item, str):
                draft = f"{md_text(item)} ▌\n\n<small>Réponse en cours de génération…</small>"
                yield "", [*chat, {"role": "assistant", "content": draft}], asked, EMPTY_SOURCES
            else:
                asked.append(item.resolved_question or item.question)
                reply = render_reply(item)
                yield (
                    "",
                    [*chat, {"role": "assistant", "content": reply}],
                    asked,
                    render_sources(item, docs),
                )
    except AssistantError as exc:  # a bad question, or Busy ("réessayez")
        yield "", [*chat, {"role": "assistant", "content": md_text(str(exc))}], asked, EMPTY_SOURCES
    except Exception:  # logged here; the user gets a plain message, never a traceback
        traceback.print_exc()
        yield (
            "",
            [*chat, {"role": "assistant", "content": md_text(UNEXPECTED)}],
            asked,
            EMPTY_SOURCES,
        )


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

    Questions go through ``gate`` (default: 2 at a time, 32 waiting); beyond, the user is
    asked to try again ("réessayez") at once.
    """
    import gradio as gr

    if assistant is None:
        if not (Path(index) if index else default_index_dir()).joinpath("meta.json").exists():
            print("Construction de l'index… (une seule fois)", flush=True)
        assistant = Assistant.load(
            corpus=corpus, index=index, model=model, log=lambda msg: print(msg, flush=True)
        )
    docs = load_documents(corpus or assistant.corpus)
    numbers = {o.number: o.title for d in docs.values() for o in d.objectifs}
    ministers = sorted({d.metadata.addressee for d in docs.values() if d.metadata.addressee})
    choices = [(ALL_OBJECTIFS, "")] + [(f"{n} — {shorten(t, 60)}", n) for n, t in numbers.items()]

    cap = max_question_chars
    gated = (gate or Gate(running=WORKERS, waiting=WAITING)).wrap(assistant)

    def chosen(document, author, minister, date_from, date_to) -> dict:
        return dict(
            document=document,
            author=author,
            minister=minister,
            date_from=date_from,
            date_to=date_to,
        )

    def respond(message, chat, asked, objectif, *filters):
        return chat_turn(
            gated, docs, message, chat, asked, objectif, max_chars=cap, filters=chosen(*filters)
        )

    def respond_stream(message, chat, asked, objectif, *filters):
        yield from chat_turn_stream(
            gated,
            docs,
            message,
            chat,
            asked,
            objectif,
            generator=generator,
            max_chars=cap,
            filters=chosen(*filters),
        )

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
            gated,
            question,
            k,
            objectif,
            max_chars=cap,
            objectifs=[*numbers],
            generator=generator,
            filters=chosen(document, author, minister, date_from, date_to),
        )

    if generator is not None:
        respond = respond_stream  # noqa: F811 (the chat streams the generated answer)

    panel = {"js_on_load": None, "css_template": PANEL_CSS}
    with gr.Blocks(title="Assistant — questions écrites", analytics_enabled=False) as demo:
        gr.Markdown(INTRO)
        asked = gr.State([])
        with gr.Tabs():
            with gr.Tab("Questions"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=340):
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
                            max_length=max_question_chars,
                            submit_btn="Envoyer",
                            autofocus=True,
                        )
                        gr.Markdown("**Exemples** (cliquez pour poser la question)")
                        with gr.Row(elem_id="examples"):
                            buttons = [gr.Button(q, size="sm") for q in EXAMPLES]
                        with gr.Row():
                            objectif = gr.Dropdown(choices, value="", label="Filtrer par objectif")
                            clear = gr.Button("Nouvelle conversation", scale=0, min_width=210)
                        with gr.Accordion("Filtrer les documents", open=False, elem_id="filters"):
                            with gr.Row():
                                f_doc = gr.Dropdown(
                                    [(ALL_DOCUMENTS, "")]
                                    + [(shorten(d.label, 70), i) for i, d in docs.items()],
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
                    with gr.Column(scale=2, min_width=300):
                        gr.Markdown("### Sources")
                        sources = gr.HTML(EMPTY_SOURCES, elem_id="sources", **panel)
            with gr.Tab("Document"):
                toc = render_library(docs) + "".join(render_document(d) for d in docs.values())
                gr.HTML(toc, elem_id="document", **panel)
            with gr.Tab("Suivi parlementaire"):
                from assistant.web.brief_tab import followup_tab

                try:
                    followup_tab(assistant)
                except Exception:  # the chat must stay up even if the brief cannot be built
                    traceback.print_exc()
                    gr.Markdown(BRIEF_UNAVAILABLE)
            with gr.Tab("Évaluation"):
                from evals.ui import evaluation_tab

                evaluation_tab(assistant)
        outputs, ui_only = [box, chat, asked, sources], {"api_visibility": "private"}
        filters = [f_doc, f_author, f_minister, f_from, f_to]
        box.submit(respond, [box, chat, asked, objectif, *filters], outputs, **ui_only)
        for button in buttons:  # an example button asks its own label
            button.click(respond, [button, chat, asked, objectif, *filters], outputs, **ui_only)
        clear.click(lambda: ("", [], [], EMPTY_SOURCES), None, outputs, **ui_only)
        gr.api(ask, api_name="ask")  # unchanged: raw HTTP callers send three values
        gr.api(ask_filtered, api_name="ask_filtered")
    return demo


def _auth(value: str) -> tuple[str, str]:
    user, sep, password = value.partition(":")
    if not (sep and user and password):
        raise argparse.ArgumentTypeError("attendu UTILISATEUR:MOT_DE_PASSE (les deux non vides)")
    return user, password


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Interface web de l'assistant.")
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (7860)")
    parser.add_argument("--corpus", help="dossier du corpus (corpus/)")
    parser.add_argument("--index", help="dossier de l'index (index/)")
    parser.add_argument("--model", help="modèle d'encodage (multilingual-e5-small)")
    parser.add_argument(
        "--generator",
        choices=("none", "openai"),
        default="none",
        help="réponses générées par un modèle compatible OpenAI (variables ASSISTANT_LLM_*)",
    )
    parser.add_argument(
        "--auth",
        type=_auth,
        help=f"connexion UTILISATEUR:MOT_DE_PASSE (ou la variable {AUTH_ENV}, "
        "qui ne se voit pas dans la liste des processus)",
    )
    parser.add_argument(
        "--max-question-chars",
        type=int,
        default=1000,
        help="longueur maximale d'une question (1000)",
    )
    args = parser.parse_args(argv)
    args.generator_config = None
    if args.generator == "openai":
        from assistant.answers.llm import GeneratorConfig

        try:
            args.generator_config = GeneratorConfig.from_env()
        except AssistantError as exc:
            parser.exit(2, f"Erreur : {exc}\n")
    if args.auth is None and os.environ.get(AUTH_ENV):
        try:
            args.auth = _auth(os.environ[AUTH_ENV])
        except argparse.ArgumentTypeError as exc:
            parser.error(f"{AUTH_ENV} : {exc}")
    if not 1 <= args.max_question_chars <= 100_000:
        parser.error("--max-question-chars doit être entre 1 et 100000")
    return args


def serve(args: argparse.Namespace, assistant: Assistant | None = None) -> gr.Blocks:
    """Build the app for ``args`` and start serving it (without blocking); returns it."""
    demo = build_app(
        assistant,
        corpus=args.corpus,
        index=args.index,
        model=args.model,
        max_question_chars=args.max_question_chars,
        **({"generator": gen} if (gen := getattr(args, "generator_config", None)) else {}),
    )
    demo.queue(max_size=QUEUE_SIZE, default_concurrency_limit=WORKERS + WAITING + 6)
    local = {"share": False, "show_error": False, "prevent_thread_lock": True, "quiet": True}
    demo.launch(server_name=args.host, server_port=args.port, auth=args.auth, **local, **style())
    return demo


def main(argv=None) -> None:
    """Command line: build the app and serve it locally (Ctrl+C to stop)."""
    args = parse_args(argv)
    t0 = time.perf_counter()
    demo = serve(args)
    print(f"Assistant prêt en {time.perf_counter() - t0:.1f} s : {demo.local_url}", flush=True)
    demo.block_thread()


if __name__ == "__main__":
    main()
