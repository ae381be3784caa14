"""Interface web (Gradio) de l'assistant : ``python app.py [--host H] [--port P]``.

Onglet « Questions » : la conversation (réponses avec marqueurs [n]) et le panneau des
sources (passage, phrases surlignées, section à déplier). Onglet « Document » : la table
des matières dépliable. API ``/ask`` : ``Answer.to_json()`` ou ``{"error": "…"}``. Tout
texte du document ou de l'utilisateur placé dans du HTML passe par ``html.escape``.
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

from assistant import Assistant, AssistantError, Document, ParseError, QueryError, parse_file
from assistant.answering import Answer, Citation
from assistant.core import default_corpus_dir, default_index_dir
from assistant.document import shorten
from assistant.gate import Gate
from assistant.store import corpus_files

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
Posez une question sur la question écrite n°517 « Sommet social 2021 » et sa réponse. Chaque
réponse cite le document ; s’il ne dit rien, l’assistant le dit."""
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
"""
APP_CSS = """
.gradio-container { max-width: 1400px !important; margin: 0 auto; }
#examples button { flex: 0 1 auto; white-space: normal; text-align: left; }
@media (min-width: 900px) { #sources { max-height: 78vh; overflow-y: auto; } }
"""


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


def render_citation(c: Citation, docs: dict[str, Document]) -> str:
    """One source card: [n], labels, excerpt with highlights, the whole section to unfold."""
    parts = [
        f'<article class="source" id="source-{c.n}">',
        f'<h4><span class="num">[{c.n}]</span>{esc(c.section_label)}</h4>',
    ]
    if c.heading_path and c.heading_path != c.section_label:
        parts.append(f'<p class="meta">{esc(c.heading_path)}</p>')
    if c.objectif:
        parts.append(f'<p class="meta">{esc(c.objectif)}</p>')
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

    def date(iso: str | None) -> str:
        return "/".join(reversed(iso.split("-"))) if iso else "—"

    out = [
        f'<div class="doc"><h2>Question écrite n°{esc(m.number)} — {esc(m.title)}</h2>',
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


def load_documents(corpus: str | Path | None) -> dict[str, Document]:
    """The parsed documents of the corpus folder, by document id (unparsable files skipped)."""
    docs = {}
    for path in corpus_files(Path(corpus) if corpus else default_corpus_dir()):
        try:
            doc = parse_file(path)
        except ParseError as exc:
            print(f"Document ignoré : {exc}", file=sys.stderr)
            continue
        docs[doc.doc_id] = doc
    return docs


def ask_json(assistant, question, k=5, objectif="", *, max_chars=1000, objectifs=None) -> dict:
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
        return assistant.ask(question, k=k, objectif=objectif or None).to_json()
    except AssistantError as exc:  # a bad question, or Busy ("réessayez")
        return {"error": str(exc)}
    except Exception:  # never a traceback to the client
        traceback.print_exc()
        return {"error": UNEXPECTED}


def chat_turn(assistant, docs, message, chat, asked, objectif="", *, max_chars=1000):
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
        answer = assistant.ask(message, history=asked, objectif=objectif or None)
    except AssistantError as exc:  # a bad question, or Busy ("réessayez")
        reply = md_text(str(exc))
    except Exception:  # logged here; the user gets a plain message, never a traceback
        traceback.print_exc()
        reply = md_text(UNEXPECTED)
    else:
        reply, sources = render_reply(answer), render_sources(answer, docs)
        asked.append(answer.resolved_question or answer.question)
    return "", [*chat, {"role": "assistant", "content": reply}], asked, sources


def build_app(
    assistant: Assistant | None = None,
    *,
    corpus=None,
    index=None,
    model=None,
    max_question_chars: int = 1000,
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
    choices = [(ALL_OBJECTIFS, "")] + [(f"{n} — {shorten(t, 60)}", n) for n, t in numbers.items()]

    cap = max_question_chars
    gated = (gate or Gate(running=WORKERS, waiting=WAITING)).wrap(assistant)

    def respond(message, chat, asked, objectif):
        return chat_turn(gated, docs, message, chat, asked, objectif, max_chars=cap)

    def ask(question: str, k: int = 5, objectif: str = "") -> dict:
        """Pose une question ; renvoie la réponse citée (Answer.to_json) ou {"error": …}."""
        return ask_json(gated, question, k, objectif, max_chars=cap, objectifs=[*numbers])

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
                    with gr.Column(scale=2, min_width=300):
                        gr.Markdown("### Sources")
                        sources = gr.HTML(EMPTY_SOURCES, elem_id="sources", **panel)
            with gr.Tab("Document"):
                toc = "".join(render_document(d) for d in docs.values())
                gr.HTML(toc, elem_id="document", **panel)
            with gr.Tab("Évaluation"):
                from evals.ui import evaluation_tab

                evaluation_tab(assistant)
        outputs, ui_only = [box, chat, asked, sources], {"api_visibility": "private"}
        box.submit(respond, [box, chat, asked, objectif], outputs, **ui_only)
        for button in buttons:  # an example button asks its own label
            button.click(respond, [button, chat, asked, objectif], outputs, **ui_only)
        clear.click(lambda: ("", [], [], EMPTY_SOURCES), None, outputs, **ui_only)
        gr.api(ask, api_name="ask")
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
