"""Read a corpus file of any supported format into a :class:`Document`.

* ``.txt``: the plain-text export of a parlement.brussels written question (French or
  Dutch, see :mod:`assistant.documents.parsing`); any other text is read as plain text.
* ``.html`` / ``.htm``: the same page saved from the browser; its visible text (scripts,
  styles and navigation dropped, block elements on their own lines) is parsed as above.
* ``.pdf``: a PDF of the page; its text (``pypdf``) is parsed as above.
* ``.md`` / ``.markdown``: plain text or Markdown, cut into sections at headings
  (``#``…), each section's paragraphs kept together (long ones are split by the chunker).

A written question's id is its series and number (``qe-517``, ``ccc-214``: see
:mod:`assistant.documents.ids`), any other document's the file's stem. For HTML and
PDF, ``Document.source`` is the extracted text: offsets point into it.

One module per format: :mod:`assistant.documents.html`, :mod:`assistant.documents.pdf`,
:mod:`assistant.documents.plaintext` (and :mod:`assistant.documents.parsing` for the
written questions); this module picks one by the file's suffix.

Non-goals: scanned PDFs (no OCR), Word files, fetching pages from the web.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ParseError
from .document import Document
from .html import html_text
from .ids import document_id, with_id
from .parsing import parse_document
from .pdf import pdf_text
from .plaintext import read_utf8, text_document

__all__ = ["read_document", "read_text", "SUFFIXES"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


def read_text(path: Path) -> str:
    """The text of ``path`` as the parser will see it (extracted for HTML and PDF)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(path)
    raw = read_utf8(path)
    return html_text(raw) if suffix in (".html", ".htm") else raw


def read_document(path: str | Path) -> Document:
    """The :class:`Document` of one corpus file; :class:`ParseError` says why it can't be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ParseError(
            f"{path.name} : format non pris en charge ; formats lus : {', '.join(SUFFIXES)}"
        )
    text = read_text(path)
    if suffix in (".md", ".markdown"):
        return text_document(text, doc_id=path.stem)
    try:
        doc = parse_document(text, doc_id=path.stem)
        return with_id(doc, document_id(doc, stem=path.stem))
    except ParseError:
        if suffix != ".txt":
            raise
    return text_document(text, doc_id=path.stem)
