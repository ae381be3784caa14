"""The assistant as an MCP server: four tools over Gradio's own MCP support.

``python app.py --mcp`` (or ``ASSISTANT_MCP=1``) launches the app with
``mcp_server=True``: Gradio serves the Model Context Protocol over streamable HTTP at
``/gradio_api/mcp/``. :func:`register` adds the tools' endpoints to the Blocks (not queued,
so a call runs in the server process, inside the admission gate, and needs no loopback
client); :func:`expose_only` then narrows Gradio's tool list to :data:`TOOLS`, so that no
other endpoint of the app (``/ask``, ``/ask_filtered``, the UI's handlers) is offered to an
agent. Each tool returns the command line's JSON as text; a bad argument or a full gate is
a tool error whose text is the French message (never a traceback).

``--auth`` is enforced in front of ``/gradio_api/mcp`` by :class:`.api.McpLogin` (Gradio
does not check it there): HTTP Basic with the same user and password.

Non-goals: MCP resources and prompts, the SSE transport's own tests.
"""

from __future__ import annotations

import json
import traceback
from typing import TYPE_CHECKING

from ..errors import AssistantError
from . import operations
from .chat import UNEXPECTED

if TYPE_CHECKING:
    import gradio as gr

    from .layout import AppContext

__all__ = ["MCP_ENV", "TOOLS", "ToolError", "expose_only", "register"]

MCP_ENV = "ASSISTANT_MCP"  # "1": serve the MCP tools without --mcp
TOOLS = {"ask": "mcp_ask", "search": "mcp_search", "list_documents": "mcp_documents",
         "brief": "mcp_brief"}  # fmt: skip  # tool name -> Gradio api_name


class ToolError(Exception):
    """A tool call that cannot be answered; its text is the French message for the agent."""


def _run(operation, *args, **kw) -> str:
    """The operation's JSON as text, or :class:`ToolError` with a French message."""
    try:
        return json.dumps(operation(*args, **kw), ensure_ascii=False)
    except AssistantError as exc:  # a bad argument, an unknown document, Busy (« réessayez »)
        raise ToolError(str(exc)) from None
    except Exception:  # logged here; the agent gets a plain message
        traceback.print_exc()
        raise ToolError(UNEXPECTED) from None


def _tools(a: AppContext) -> list:
    # Gradio reads each "name: description" of Args on one line: keep them short.
    def ask(
        question: str,
        k: int = 5,
        document: str = "",
        author: str = "",
        minister: str = "",
        date_from: str = "",
        date_to: str = "",
    ) -> str:
        """Answer a question about Brussels Parliament written questions and their answers,
        citing the passages quoted; when the documents do not answer, says so (abstained).

        Args:
            question: the question in French, e.g. "Où en est le Plan Régional pour l'Innovation ?"
            k: how many passages to return with the answer, 1 to 20 (default 5)
            document: only this written question: doc_id (see list_documents) or number ("517")
            author: only questions by this member of parliament (part of the name)
            minister: only questions to, or answers naming, this minister (part of the name)
            date_from: only documents dated on or after this day (YYYY-MM-DD)
            date_to: only documents dated on or before this day (YYYY-MM-DD)

        Returns:
            JSON text: "answer" (French, with [n] markers), "abstained" (true: no passage answers),
            "citations" (n, doc_id, section_label, heading_path, excerpt, highlights as [start, end)
            spans of the excerpt, document: label, author, addressee, date), "hits", "timings_ms".
            A bad argument is a tool error whose French text says how to fix it.
        """
        return _run(operations.ask, a, question=question, k=k, document=document,
                    author=author, minister=minister, date_from=date_from,
                    date_to=date_to)  # fmt: skip

    def search(question: str, k: int = 5, mode: str = "hybrid") -> str:
        """Find the passages of the written questions and answers that best match a question,
        without composing an answer.

        Args:
            question: what to look for, in French
            k: how many passages, 1 to 20 (default 5)
            mode: "hybrid" (default: dense and BM25 fused), "dense", "bm25" or "rrf"

        Returns:
            JSON text: "query" (the question cleaned) and "hits", best first, each with rank,
            chunk_id, doc_id, section_label, heading_path, text and score.
        """
        return _run(operations.search, a, question=question, k=k, mode=mode)

    def list_documents() -> str:
        """List the documents the assistant answers from (written questions and answers).

        Returns:
            JSON text: one object per document: doc_id, file, format, kind, language, label,
            number, title, author, minister (the addressee), date, sections.
        """
        return _run(operations.documents, a)

    def brief(document: str = "") -> str:
        """The parliamentary brief of one written question: which sub-questions the answer
        covers, the state of each project ("chantier"), and drafts of follow-up questions.

        Args:
            document: doc_id (see list_documents) or number; empty: the first with sub-questions

        Returns:
            JSON text: "doc_id", "question" (number, title, author, addressee), "coverage" (per
            sub-question a verdict, and per part a verdict, the reason and supporting sentences),
            "chantiers" (objectif, chantier, minister, status, evidence), "drafts" (subject,
            reason, addressee, text). The first call on a document takes a few seconds.
        """
        return _run(operations.brief, a, document=document)

    return [ask, search, list_documents, brief]


def register(a: AppContext, demo: gr.Blocks) -> None:
    """Add the tools' endpoints (:data:`TOOLS`) to ``demo``, not queued."""
    import gradio as gr

    with demo:
        for fn in _tools(a):
            gr.api(fn, api_name=TOOLS[fn.__name__], queue=False)


TYPES = {"string": "du texte", "integer": "un entier", "number": "un nombre",
         "boolean": "vrai ou faux", "object": "un objet"}  # fmt: skip


def argument_problem(schema: dict, arguments) -> str | None:
    """What is wrong with ``arguments`` for a tool's input ``schema``, in French; None if fine."""
    import jsonschema

    if not isinstance(arguments, dict):
        return "Les arguments doivent être un objet JSON."
    known = schema.get("properties", {})
    if unknown := [name for name in arguments if name not in known]:
        return (f"Argument inconnu « {unknown[0]} » ; arguments possibles : "
                f"{', '.join(known) or 'aucun'}.")  # fmt: skip
    for error in jsonschema.Draft202012Validator(schema).iter_errors(arguments):
        if error.validator == "required":
            missing = [n for n in error.validator_value if n not in arguments]
            return f"Argument « {missing[0]} » obligatoire."
        name = ".".join(str(p) for p in error.path) or "arguments"
        if error.validator == "type":
            wanted = TYPES.get(error.validator_value, error.validator_value)
            return f"L'argument « {name} » doit être {wanted} (reçu {error.instance!r})."
        return f"Argument « {name} » invalide."
    return None


def expose_only(demo: gr.Blocks) -> None:
    """After launch: Gradio's MCP server offers :data:`TOOLS` and nothing else, and says in
    French what is wrong with a call's arguments (before Gradio or the protocol library)."""
    from mcp import types

    server = getattr(demo, "mcp_server_obj", None)
    if server is None:
        raise RuntimeError(f"serveur MCP absent : {getattr(demo, 'mcp_error', None) or '?'}")
    server.tool_to_endpoint = {tool: f"/{api_name}" for tool, api_name in TOOLS.items()}
    handlers = server.mcp_server.request_handlers
    inner = handlers[types.CallToolRequest]

    async def checked(req: types.CallToolRequest):
        name, arguments = req.params.name, req.params.arguments or {}
        if name not in server.tool_to_endpoint:
            problem = f"Outil inconnu « {name} » ; outils : {', '.join(TOOLS)}."
        else:
            problem = argument_problem(server.get_input_schema(name)[0], arguments)
        if problem is None:
            return await inner(req)
        text = types.TextContent(type="text", text=problem)
        return types.ServerResult(types.CallToolResult(content=[text], isError=True))

    handlers[types.CallToolRequest] = checked
