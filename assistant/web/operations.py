"""The four operations the HTTP API and the MCP tools share: ask, search, documents, brief.

Each takes the app's :class:`~.layout.AppContext` and plain keyword arguments, checks them
with the web page's limits (question length, ``k`` between 1 and ``MAX_K``, a known search
mode, filters), holds one slot of the admission gate for the answer, and returns the same
JSON as the command line (``ask --json``, ``search --json``, ``list --json``,
``brief --json``). A bad argument raises :class:`~assistant.errors.QueryError`, a full
gate :class:`~assistant.errors.Busy`, both with a French message the caller shows as it is.

Non-goals: transport (HTTP status codes in :mod:`.api`, MCP in :mod:`.mcp_tools`),
answering itself (:mod:`assistant.core`).
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

from ..cli_output import hits_json
from ..errors import QueryError
from ..search.filters import Filters
from ..search.searcher import MODES
from .chat import MAX_K

if TYPE_CHECKING:
    from .layout import AppContext

__all__ = ["ask", "brief", "documents", "health", "search"]

# assistant -> {document id -> brief JSON}. Weak keys: the briefs of an index generation
# replaced by add/remove go with its assistant, so the cache holds at most one brief per
# document of the generations still served (keyed by id(), they stayed for the process's
# life and a new assistant reusing the id could be handed the old generation's briefs).
_briefs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_briefs_lock = threading.Lock()


def _question(question, max_chars: int) -> str:
    if not isinstance(question, str) or not question.strip():
        raise QueryError("La question doit être un texte non vide.")
    if len(question) > max_chars:
        raise QueryError(
            f"La question dépasse {max_chars} caractères ({len(question)}) : raccourcissez-la."
        )
    return question


def _k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"k doit être un entier entre 1 et {MAX_K} (reçu {k!r}).")
    return k


def _filters(document, author, minister, date_from, date_to) -> Filters:
    for name, value in (("document", document), ("author", author), ("minister", minister),
                        ("date_from", date_from), ("date_to", date_to)):  # fmt: skip
        if value is not None and not isinstance(value, str):
            raise QueryError(f"{name} doit être du texte (reçu {value!r}).")
    return Filters.of(
        document=document, author=author, minister=minister, date_from=date_from, date_to=date_to
    )


def _current(a: AppContext):
    """The assistant of the index generation now served (it follows ``add``/``remove``)."""
    live = getattr(a, "live", None)
    return live.current().assistant if live is not None else a.assistant


def ask(
    a: AppContext,
    *,
    question,
    k=5,
    objectif="",
    document=None,
    author=None,
    minister=None,
    date_from=None,
    date_to=None,
) -> dict:
    """``Answer.to_json()`` (as ``ask --json``): the answer, ``abstained``, the citations."""
    question, k = _question(question, a.max_chars), _k(k)
    objectif = (objectif or "").strip() if isinstance(objectif, str) else objectif
    if objectif and objectif not in a.objectifs:
        raise QueryError(f"Objectif inconnu « {objectif} » : {', '.join(a.objectifs)} ou vide.")
    kw = {
        "k": k,
        "objectif": objectif or None,
        "filters": _filters(document, author, minister, date_from, date_to),
    }
    with a.gate.slot():
        if a.generator is not None:
            from ..answers.generated import generate_answer

            return generate_answer(_current(a), question, config=a.generator, **kw).to_json()
        return _current(a).ask(question, **kw).to_json()


def search(
    a: AppContext,
    *,
    question,
    k=5,
    mode="hybrid",
    document=None,
    author=None,
    minister=None,
    date_from=None,
    date_to=None,
) -> dict:
    """``{"query", "hits", ["warnings"]}`` (as ``search --json``): the best passages."""
    question, k = _question(question, a.max_chars), _k(k)
    if mode not in MODES:
        raise QueryError(f"mode inconnu {mode!r} : {', '.join(MODES)}.")
    filters = _filters(document, author, minister, date_from, date_to)
    with a.gate.slot():
        result = _current(a).search_detailed(question, k=k, mode=mode, filters=filters)
    return hits_json(result)


def documents(a: AppContext) -> list[dict]:
    """One object per document of the corpus (as the lines of ``list --json``)."""
    from ..documents.library import list_documents

    return [d.to_json() for d in list_documents(_current(a).corpus)]


def brief(a: AppContext, *, document=None) -> dict:
    """``Brief.to_json()`` (as ``brief --json``) of one written question, computed once."""
    if document is not None and not isinstance(document, str):
        raise QueryError(f"document doit être du texte (reçu {document!r}).")
    from ..brief.build import build_brief, load_document

    assistant = _current(a)
    doc = load_document(assistant.corpus, (document or "").strip() or None)
    with _briefs_lock:
        if (known := _briefs.get(assistant, {}).get(doc.doc_id)) is not None:
            return known
    with a.gate.slot():  # the coverage runs the model over every sub-question
        payload = build_brief(assistant, doc=doc).to_json()
    with _briefs_lock:
        _briefs.setdefault(assistant, {})[doc.doc_id] = payload
    return payload


def health(a: AppContext) -> dict:
    """Whether the index is loaded, with its documents, passages, model and query encoder."""
    assistant = _current(a)
    chunks = assistant.chunks
    return {
        "status": "ok",
        "index_loaded": bool(chunks),
        "documents": len({c.doc_id for c in chunks}),
        "passages": len(chunks),
        "model": assistant.encoder.id,
        "query_encoder": assistant.query_encoder,
    }
