"""Clean and check a user's question before it is searched.

Control, zero-width and bidi characters and lone surrogates are removed, the text is put in NFC
(so an accent typed as ``e`` + combining acute equals ``é``) and whitespace is
collapsed. A question over ``max_chars`` is cut, with a warning. An empty
question, or one with no searchable word, raises :class:`QueryError` with a
message in French.

Non-goals: no spelling correction, no language detection.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import QueryError
from ..text.analyzer import tokenize

__all__ = ["CleanQuery", "clean_query", "MAX_QUERY_CHARS"]

MAX_QUERY_CHARS = 1000
_EXAMPLE = "par exemple « Quelles aides pour les commerces ? »"


@dataclass(frozen=True)
class CleanQuery:
    text: str
    warnings: tuple[str, ...] = ()


def clean_query(text: object, *, max_chars: int = MAX_QUERY_CHARS) -> CleanQuery:
    """The question ready to search, or :class:`QueryError`."""
    if not isinstance(text, str):
        raise QueryError(f"La question doit être du texte, pas {type(text).__name__}.")
    text = unicodedata.normalize("NFC", text)
    # Cc: control characters; Cf: zero-width, bidi and other format characters; Cs: lone
    # surrogates (valid in a Python str, not in UTF-8).
    text = "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs") or ch in "\t\n\r\v\f"
    )
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QueryError(f"La question est vide : écrivez une question, {_EXAMPLE}.")
    warnings = []
    if len(text) > max_chars:
        cut = text[:max_chars].rsplit(" ", 1)[0] if " " in text[:max_chars] else text[:max_chars]
        warnings.append(
            f"La question dépasse {max_chars} caractères ({len(text)}) : "
            f"seuls les {len(cut)} premiers sont utilisés."
        )
        text = cut
    if not tokenize(text):
        raise QueryError(
            f"La question « {text[:60]} » ne contient aucun mot à chercher : "
            f"précisez-la, {_EXAMPLE}."
        )
    return CleanQuery(text, tuple(warnings))
