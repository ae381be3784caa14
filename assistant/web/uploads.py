"""No uploads: the app needs none, so the server refuses them before reading a byte.

:class:`RefuseUploads` is a plain ASGI middleware: a request to Gradio's upload route
(any path whose last part is ``upload``) or any ``multipart/form-data`` body (the
component server takes files too) gets ``403`` with a French JSON ``error``, and its body
is never read, so nothing is written to Gradio's upload folder and nothing can be served
back through ``/gradio_api/file=``. The login form (``/login``) is left alone.
:func:`launch_kwargs` gives what ``Blocks.launch`` needs: the middleware, and Gradio's own
``max_file_size`` as a second bound.

Non-goals: scanning files, per-user quotas (the app takes no file at all).
"""

from __future__ import annotations

import json

__all__ = ["MAX_FILE_SIZE", "REFUSED", "RefuseUploads", "launch_kwargs"]

REFUSED = "Cette application n’accepte aucun envoi de fichier : posez votre question en texte."
MAX_FILE_SIZE = "1kb"  # Gradio's own bound, behind the middleware


def _refused(scope) -> bool:
    path = scope.get("path", "").rstrip("/").lower()
    last = path.rsplit("/", 1)[-1]
    if last == "upload":
        return True
    if last == "login":
        return False
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
    return content_type.lower().startswith(b"multipart/form-data")


class RefuseUploads:
    """ASGI middleware: 403 for uploads, without reading their body."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not _refused(scope):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": REFUSED}, ensure_ascii=False).encode("utf-8")
        headers = [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the unread body is not waited for
        ]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def launch_kwargs() -> dict:
    """Keywords for ``Blocks.launch``: the middleware and ``max_file_size``."""
    from starlette.middleware import Middleware

    return {
        "max_file_size": MAX_FILE_SIZE,
        "app_kwargs": {"middleware": [Middleware(RefuseUploads)]},
    }
