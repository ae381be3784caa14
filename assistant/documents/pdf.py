"""The text of a PDF of a written question, as the parser reads it.

Scope: :func:`pdf_text` extracts each page's text with ``pypdf`` in layout mode (the
vertical gaps stay blank lines, the paragraphs the parser needs) and strips each line.

Non-goals: scanned PDFs (no OCR), forms, annotations.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ParseError

__all__ = ["pdf_text"]


def pdf_text(path: Path) -> str:
    """The text of the PDF at ``path``; :class:`ParseError` if unreadable or without text."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a declared dependency
        raise ParseError(f"{path} : lire un PDF demande pypdf : pip install pypdf") from None
    try:
        # layout mode keeps vertical gaps as blank lines: the paragraphs the parser needs
        pages = [p.extract_text(extraction_mode="layout") or "" for p in PdfReader(path).pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ParseError(
            f"{path} : PDF illisible ({exc.__class__.__name__}: {exc}) ; vérifiez le fichier "
            "ou ajoutez plutôt l'export .txt ou .html de la page"
        ) from None
    text = "\n".join(ln.strip() for page in pages for ln in page.splitlines()).strip()
    if not text:
        raise ParseError(
            f"{path} : PDF sans texte (numérisé ?) : il faudrait l'OCR ; ajoutez plutôt "
            "l'export .txt ou .html de la page"
        )
    return text + "\n"
