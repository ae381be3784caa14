"""A plain HTTP JSON API on the app's own server, and the login in front of it and of MCP.

:func:`mount` adds, under ``/api`` of the launched Gradio server: ``POST /api/ask`` and
``POST /api/search`` (a JSON body with the command line's fields; the JSON of
``ask --json`` / ``search --json``), ``GET /api/documents`` and ``GET /api/health``; the
OpenAPI schema at ``/api/openapi.json``, its page at ``/api/docs``. The same limits as the
page (:mod:`.operations`): a bad body is a 4xx whose ``error`` is in French (pydantic's
messages translated), a full gate a 503 with ``Retry-After``. When the app has ``--auth``,
``/api`` (each route) and ``/gradio_api/mcp`` (:class:`McpLogin`, a middleware given to
``launch``) take HTTP Basic with that user and password (or the page's login cookie); else
401 with a French ``error``.

Non-goals: API keys or tokens of its own, rate limiting per client (a reverse proxy's job).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import traceback
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from ..errors import AssistantError, Busy
from . import operations
from .chat import MAX_K, UNEXPECTED

if TYPE_CHECKING:
    import gradio as gr

    from .layout import AppContext

__all__ = [
    "AskBody",
    "MAX_BODY",
    "McpLogin",
    "RETRY_AFTER",
    "SearchBody",
    "create_api",
    "login_middleware",
    "mount",
]

MAX_BODY = 64 * 1024  # bytes of a request body
RETRY_AFTER = "5"  # seconds, on a 503 (the gate is full)
MCP_PATH = "/gradio_api/mcp"
LOGIN = "Identifiants requis : envoyez l'utilisateur et le mot de passe de --auth (HTTP Basic)."


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.headers = status, headers or {}


class _Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="la question, en français", examples=["Où en est le PRI ?"])
    k: int = Field(5, ge=1, le=MAX_K, description=f"nombre de passages (1 à {MAX_K})")
    document: str | None = Field(None, description="identifiant ou numéro du document")
    author: str | None = Field(None, description="auteur de la question (partie du nom)")
    minister: str | None = Field(None, description="ministre destinataire ou porteur")
    date_from: str | None = Field(
        None, validation_alias=AliasChoices("date_from", "from"), description="AAAA-MM-JJ"
    )
    date_to: str | None = Field(
        None, validation_alias=AliasChoices("date_to", "to"), description="AAAA-MM-JJ"
    )


class AskBody(_Filters):
    """The fields of ``ask`` (``from``/``to`` are accepted for ``date_from``/``date_to``)."""

    objectif: str = Field("", description="numéro d'objectif, par ex. 1.2 (vide : tous)")


class SearchBody(_Filters):
    """The fields of ``search``."""

    mode: str = Field("hybrid", description="hybrid, dense, bm25 ou rrf")


def _where(loc) -> str:
    parts = [str(p) for p in loc if p != "body"]
    return ".".join(parts) or "corps"


def french(errors) -> str:
    """pydantic's validation errors as one French sentence per error."""
    out = []
    for e in errors:
        kind, where = e.get("type", ""), _where(e.get("loc", ()))
        if kind == "missing":
            out.append(f"champ « {where} » obligatoire")
        elif kind == "extra_forbidden":
            out.append(f"champ inconnu « {where} »")
        elif kind == "string_type":
            out.append(f"« {where} » doit être du texte")
        elif kind.startswith("int_"):
            out.append(f"« {where} » doit être un entier")
        elif kind in ("greater_than_equal", "less_than_equal"):
            out.append(f"« {where} » doit être entre 1 et {MAX_K} (reçu {e.get('input')!r})")
        elif kind == "json_invalid":
            out.append("le corps n'est pas du JSON valide")
        elif kind in ("model_attributes_type", "dict_type"):
            out.append("le corps doit être un objet JSON")
        else:
            out.append(f"« {where} » invalide ({e.get('msg', kind)})")
    return "Requête invalide : " + " ; ".join(out) + "."


def authorized(gradio_app, request_headers, cookies) -> bool:
    """Whether a request may pass: no ``--auth``, right HTTP Basic, or the page's login."""
    accounts = getattr(gradio_app, "auth", None)
    if accounts is None:
        return True
    header = request_headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        expected = accounts.get(user) if isinstance(accounts, dict) else None
        return expected is not None and hmac.compare_digest(password, expected)
    cookie_id = getattr(gradio_app, "cookie_id", None)
    for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        if (token := cookies.get(name)) and token in getattr(gradio_app, "tokens", {}):
            return True
    return False


def _refused() -> JSONResponse:
    return JSONResponse(
        {"error": LOGIN}, status_code=401, headers={"WWW-Authenticate": 'Basic realm="assistant"'}
    )


def create_api(a: AppContext, gradio_app) -> FastAPI:
    """The ``/api`` application over the context ``a`` (login checked against ``gradio_app``)."""

    def guard(request: Request) -> None:
        if not authorized(gradio_app, request.headers, request.cookies):
            raise ApiError(401, LOGIN, {"WWW-Authenticate": 'Basic realm="assistant"'})
        size = request.headers.get("content-length", "0")
        if not size.isdigit() or int(size) > MAX_BODY:
            raise ApiError(413, f"Corps de requête trop grand (au plus {MAX_BODY} octets).")

    api = FastAPI(
        title="Assistant questions écrites — API",
        description="Questions-réponses citées sur les questions écrites du Parlement bruxellois.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(guard)],
    )

    @api.exception_handler(ApiError)
    async def _api_error(_, exc: ApiError):
        return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_, exc: RequestValidationError):
        return JSONResponse({"error": french(exc.errors())}, status_code=422)

    def run(operation, **kw):
        try:
            return operation(a, **kw)
        except Busy as exc:
            raise ApiError(503, str(exc), {"Retry-After": RETRY_AFTER}) from None
        except AssistantError as exc:  # a bad question or filter, an unknown document
            raise ApiError(400, str(exc)) from None
        except Exception:  # logged here; the client gets a plain message
            traceback.print_exc()
            raise ApiError(500, UNEXPECTED) from None

    @api.post("/ask", summary="Répondre à une question, avec les sources citées")
    def ask(body: AskBody) -> dict:
        """Le JSON de ``ask --json`` : answer, abstained, citations, hits, timings_ms."""
        return run(operations.ask, **body.model_dump())

    @api.post("/search", summary="Les passages les plus pertinents")
    def search(body: SearchBody) -> dict:
        """Le JSON de ``search --json`` : query, hits (et warnings s'il y en a)."""
        return run(operations.search, **body.model_dump())

    @api.get("/documents", summary="Les documents du corpus")
    def documents() -> dict:
        """``{"documents": [...]}``, chaque objet comme une ligne de ``list --json``."""
        return {"documents": run(operations.documents)}

    @api.get("/health", summary="État du service")
    def health() -> dict:
        """L'index est-il chargé, combien de documents et de passages, quel modèle, quel
        encodeur des questions."""
        return run(operations.health)

    return api


class McpLogin:
    """ASGI middleware of the Gradio app (``launch(app_kwargs={"middleware": …})``): with
    ``--auth``, ``/gradio_api/mcp`` only for :func:`authorized` requests, from the first one."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("path", "").startswith(MCP_PATH):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                       for k, v in scope.get("headers", [])}  # fmt: skip
            cookies = {}
            for part in headers.get("cookie", "").split(";"):
                name, _, value = part.strip().partition("=")
                cookies[name] = value
            if not authorized(scope.get("app"), headers, cookies):
                await _refused()(scope, receive, send)
                return
        await self.app(scope, receive, send)


def login_middleware() -> dict:
    """``launch(app_kwargs=…)`` that puts :class:`McpLogin` in front of the MCP server."""
    from starlette.middleware import Middleware

    return {"middleware": [Middleware(McpLogin)]}


def mount(demo: gr.Blocks, a: AppContext) -> None:
    """After launch: ``/api`` on ``demo``'s server (its login checked by each route)."""
    from starlette.routing import Mount

    demo.app.router.routes.insert(0, Mount("/api", app=create_api(a, demo.app)))
