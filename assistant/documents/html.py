"""The visible text of a saved HTML page, as the parser reads it.

Scope: :func:`html_text` drops scripts, styles, navigation, page footers and forms, puts each block
element on its own line (list items as ``- …``), collapses spaces and keeps at most
one blank line in a row; the result is parsed like the plain-text export.

Non-goals: fetching pages, CSS layout, tables as tables (cells become lines).
"""

from __future__ import annotations

import html.parser
import re

__all__ = ["html_text"]

_BLOCKS = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article header footer "
    "blockquote pre dt dd td th".split()
)
_SKIP = frozenset("script style nav footer noscript template head button form select".split())


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
    """The visible text of ``markup``, one block per line, ending with a newline."""
    parser = _TextOf()
    parser.feed(markup)
    parser.close()
    return parser.text()
