"""Read a corpus file of any supported format into a :class:`Document`.

* ``.txt``: the plain-text export of a parlement.brussels written question (French or
  Dutch, see :mod:`assistant.documents.parsing`); any other text is read as plain text.
* ``.html`` / ``.htm``: the same page saved from the browser; its visible text (scripts,
  styles and navigation dropped, block elements on their own lines) is parsed as above.
* ``.pdf``: a PDF of the page; its text (``pypdf``) is parsed as above.
* ``.md`` / ``.markdown``: plain text or Markdown, cut into sections at headings
  (``#``…), each section's paragraphs kept together (long ones are split by the chunker).

The document id is the file's stem. For HTML and PDF, ``Document.source`` is the
extracted text: offsets point into it.

Non-goals: scanned PDFs (no OCR), Word files, fetching pages from the web.
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

from ..errors import ParseError
from .document import Document, Metadata, Section
from .parsing import parse_document
from .textrepair import repair

__all__ = ["read_document", "read_text", "SUFFIXES", "text_document"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
_HEADING = re.compile(r"(?m)^(#{1,6})[ \t]+(.+?)[ \t#]*$|^(.+)\n(?:=+|-+)[ \t]*$")
_BLOCKS = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article header footer "
    "blockquote pre dt dd td th".split()
)
_SKIP = frozenset("script style nav noscript template head button form select".split())


class _TextOf(html.parser.HTMLParser):
    """The visible text of an HTML page, one block element per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag in _BLOCKS:
            self.out.append("\n")
            if tag == "li":
                self.out.append("- ")

    def handle_endtag(self, tag) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS and not self.skipping:
            self.out.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.out.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = [ln.strip() for ln in "".join(self.out).split("\n")]
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def html_text(markup: str) -> str:
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    return parser.text()


def pdf_text(path: Path) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - a declared dependency
        raise ParseError(f"{path}: reading PDF needs pypdf (pip install pypdf)") from None
    try:
        # layout mode keeps vertical gaps as blank lines: the paragraphs the parser needs
        pages = [p.extract_text(extraction_mode="layout") or "" for p in PdfReader(path).pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ParseError(f"{path}: PDF illisible ({exc.__class__.__name__}: {exc})") from None
    text = "\n".join(ln.strip() for page in pages for ln in page.splitlines()).strip()
    if not text:
        raise ParseError(f"{path}: PDF sans texte (numérisé ?) : il faudrait l'OCR")
    return text + "\n"


def read_text(path: Path) -> str:
    """The text of ``path`` as the parser will see it (extracted for HTML and PDF)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return html_text(raw) if suffix in (".html", ".htm") else raw


def text_document(source: str, *, doc_id: str) -> Document:
    """A plain text or Markdown document: one ``text`` section per heading (or the whole)."""
    heads = [
        (m.start(), m.end(), (m.group(2) or m.group(3) or "").strip())
        for m in _HEADING.finditer(source)
    ]
    first_line = next((ln.strip("# \t") for ln in source.splitlines() if ln.strip()), doc_id)
    title = heads[0][2] if heads and not source[: heads[0][0]].strip() else first_line
    bounds = [(0, 0, "")] + heads if not heads or source[: heads[0][0]].strip() else heads
    sections = []
    for i, (start, body, head) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else len(source)
        a, b = start, end
        while a < b and source[a].isspace():
            a += 1
        while b > a and source[b - 1].isspace():
            b -= 1
        if a >= b:
            continue
        sid = f"section-{len(sections) + 1}"
        sections.append(
            Section(
                id=sid,
                kind="text",
                title=head or (title if i == 0 else f"Partie {len(sections) + 1}"),
                start=a,
                end=b,
                body_start=max(a, min(body, b)),
                text=repair(source, a, b).text,
            )
        )
    if not sections:
        raise ParseError(f"{doc_id}: document vide")
    header = Section("metadata", "metadata", title, 0, 0, 0, "")
    return Document(
        doc_id=doc_id,
        source=source,
        metadata=Metadata(title=title, author="", addressee="", addressee_function="", number=""),
        header=header,
        question=None,
        sub_questions=(),
        intro=None,
        objectifs=(),
        parts=tuple(sections),
        kind="text",
    )


def read_document(path: str | Path) -> Document:
    """The :class:`Document` of one corpus file; :class:`ParseError` says why it can't be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ParseError(f"{path.name}: format non pris en charge ({', '.join(SUFFIXES)})")
    text = read_text(path)
    if suffix in (".md", ".markdown"):
        return text_document(text, doc_id=path.stem)
    try:
        return parse_document(text, doc_id=path.stem)
    except ParseError:
        if suffix != ".txt":
            raise
    return text_document(text, doc_id=path.stem)
