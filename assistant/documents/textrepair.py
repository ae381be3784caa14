"""Repair the text of a web-page export, keeping a map back to the original.

Scope: the line-level damage of a plain-text export of a parlement.brussels
page: trailing spaces and non-breaking spaces, Wingdings arrows rendered as
``ð``, lines broken inside a sentence (``l'appel à projets`` / ``Open Soon
soutenant …``), ordinal superscripts split over two lines (``1`` / ``er
septembre``), a bullet or a lone ``:`` or ``.`` on a line of its own. Every
character of the repaired text remembers the offset of the original character
it comes from, so an excerpt can always be traced back and highlighted.

Non-goals: no change of wording or spelling, no sentence splitting, no
structure (headings are the parser's job; this module only avoids gluing a
paragraph onto a line that looks like a heading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Mapped", "physical_lines", "logical_lines", "repair", "looks_like_heading"]


@dataclass(frozen=True)
class Mapped:
    """A piece of repaired text; ``offsets[i]`` is where ``text[i]`` comes from."""

    text: str
    offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.offsets):
            raise ValueError("Mapped text and offsets must have the same length")

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        """Offset just past the last original character."""
        return self.offsets[-1] + 1 if self.offsets else 0

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, key: slice) -> Mapped:
        return Mapped(self.text[key], self.offsets[key])

    def __add__(self, other: Mapped) -> Mapped:
        return Mapped(self.text + other.text, self.offsets + other.offsets)

    def strip(self) -> Mapped:
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return self[left:right] if right > left else Mapped("", ())

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of this text back to the original."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"range [{start}, {end}) is outside a text of {len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1

    @staticmethod
    def glue(pieces: list[Mapped], sep: str) -> Mapped:
        """Join pieces with ``sep``; a separator maps to the character just before it."""
        out = Mapped("", ())
        for i, piece in enumerate(pieces):
            if i and sep:
                anchor = out.offsets[-1] if out.offsets else piece.start
                out = out + Mapped(sep, (anchor,) * len(sep))
            out = out + piece
        return out


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A Wingdings arrow exported as "ð" (U+00F0) at the start of a line, before a space.
_ARROW = re.compile(r"^ð(?= )")
_TERMINAL = tuple(".:;!?»)…")
_BULLET_ALONE = re.compile(r"^[-–•o]$")
_LIST_ITEM = re.compile(r"^(?:[-–•→]|o(?= )|\d{1,2}[.)](?= ))")
_ORDINAL_TAIL = re.compile(r"^(?:er|ère|re|e|ème|eme|nd|nde)\b")
_ONLY_PUNCT = re.compile(r"^[.:;,!?)\]]+$")
_NUMBERED_HEADING = re.compile(
    r"^(?:(?:Chantier|Objectif|Axe)\s+\d|\d+\.\d+(?:\.\d+)+\.?\s|Ministres?(?:\(s\))?\s+porteur)"
)
# A capitalised infinitive opening a short line reads as a title ("Soutenir …").
_INFINITIVE_TITLE = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]+(?:er|ir|re|oir)\b")


def looks_like_heading(line: str) -> bool:
    """True for a line that starts a heading: numbered or infinitive-led title."""
    line = line.strip()
    if _NUMBERED_HEADING.match(line):
        return True
    return bool(_INFINITIVE_TITLE.match(line)) and len(line) <= 200


def physical_lines(source: str, start: int = 0, end: int | None = None) -> list[Mapped]:
    """Each line of ``source[start:end]``, cleaned within the line, with offsets into ``source``."""
    out: list[Mapped] = []
    pos = start
    for raw in source[start:end].split("\n"):
        chars: list[str] = []
        offs: list[int] = []
        i = 0
        while i < len(raw):
            m = _SPACES.match(raw, i)
            if m:
                chars.append(" ")
                offs.append(pos + i)
                i = m.end()
                continue
            ch = raw[i]
            if ch == "\r" or (ord(ch) < 32 and ch != "\t"):
                i += 1
                continue
            chars.append(ch)
            offs.append(pos + i)
            i += 1
        line = Mapped("".join(chars), tuple(offs)).strip()
        if _ARROW.match(line.text):
            line = Mapped("→" + line.text[1:], line.offsets)
        out.append(line)
        pos += len(raw) + 1
    return out


def _joiner(a: str, b: str) -> str | None:
    """How to join line ``a`` with the next line ``b``: "", " ", or None (keep apart)."""
    if _ONLY_PUNCT.match(b):
        return ""  # a lone "." or ":" belongs to the line above
    if b.startswith((":", ";", ",")):
        return " "  # "Ministre porteur" / ": Secrétaire d'Etat …"
    if _BULLET_ALONE.match(a):
        return " "  # "-" / "Axe 2 : …"
    if a[-1:].isdigit() and _ORDINAL_TAIL.match(b):
        return ""  # "le 1" / "er septembre"
    if _LIST_ITEM.match(b) or _NUMBERED_HEADING.match(b):
        return None
    if a.endswith(("(", "/")):
        return ""
    if looks_like_heading(a):
        return None  # a heading ends its line; what follows is its body
    if b[:1].islower():
        return " "  # a sentence goes on
    if not a.endswith(_TERMINAL) and b[:1].isupper():
        return " "  # "l'appel à projets" / "Open Soon soutenant …"
    return None


def logical_lines(source: str, start: int = 0, end: int | None = None) -> list[Mapped | None]:
    """Lines of ``source[start:end]`` with broken sentences re-joined; ``None`` is a blank line.

    ``start`` must be the start of a line; offsets stay those of ``source``.
    """
    out: list[Mapped | None] = []
    for line in physical_lines(source, start, end):
        if not line.text:
            if out and out[-1] is not None:
                out.append(None)
            continue
        prev = out[-1] if out else None
        sep = _joiner(prev.text, line.text) if prev is not None else None
        if sep is None:
            out.append(line)
        else:
            out[-1] = Mapped.glue([prev, line], sep)
    while out and out[-1] is None:
        out.pop()
    return out


def repair(source: str, start: int = 0, end: int | None = None) -> Mapped:
    """``source[start:end]`` repaired: logical lines, one blank line between paragraphs."""
    pieces: list[Mapped] = []
    pending_break = False
    for line in logical_lines(source, start, end):
        if line is None:
            pending_break = True
            continue
        if pieces:
            anchor = pieces[-1].offsets[-1]
            sep = "\n\n" if pending_break else "\n"
            pieces.append(Mapped(sep, (anchor,) * len(sep)))
        pieces.append(line)
        pending_break = False
    return Mapped.glue(pieces, "")
