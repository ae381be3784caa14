"""Cut a passage's repaired text into sentences, with offsets into that text.

A line (a bullet, a paragraph, a heading) is never merged with the next one;
inside a line, a sentence ends at ``.``, ``!``, ``?`` or ``;`` followed by a
space and a capital, a digit or an opening quote, except after common
abbreviations (``cf.``, ``etc.``, ``M.``, ``p.``, ``n°``). Because the text is
the repaired one, a line broken inside a sentence in the source does not split
it. Fragments shorter than ``min_chars`` are merged with their neighbour in the
same line, so that "Voir 1.2." stays with what it refers to.

Non-goals: no full French sentence tokenizer; no cross-line sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LIST_MARK", "Span", "mark_unfinished", "split_sentences"]

_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý«\"“(0-9])")
_ABBREVIATIONS = re.compile(r"(?:\b(?:cf|etc|ex|art|p|pp|M|Mme|MM|St|vol|chap|min)|n°)\.$", re.I)
# a list mark at the start of a line, left out of the sentence spans
LIST_MARK = re.compile(r"^(?:[-–•→]|o(?= )|\d{1,2}[.)](?= ))\s*")


@dataclass(frozen=True)
class Span:
    start: int  # [start, end) in the passage text
    end: int


def _line_spans(text: str) -> list[Span]:
    out, pos = [], 0
    for line in text.split("\n"):
        left = len(line) - len(line.lstrip())
        right = len(line.rstrip())
        if right > left:
            out.append(Span(pos + left, pos + right))
        pos += len(line) + 1
    return out


def split_sentences(text: str, *, min_chars: int = 25) -> list[Span]:
    """Sentence spans of ``text`` in order; ``text[s.start:s.end]`` is one sentence."""
    spans: list[Span] = []
    for line in _line_spans(text):
        body = text[line.start : line.end]
        mark = LIST_MARK.match(body)
        start = line.start + (mark.end() if mark and mark.end() < len(body) else 0)
        pieces: list[list[int]] = []
        for m in _BOUNDARY.finditer(text, start, line.end):
            if _ABBREVIATIONS.search(text[max(start, m.start() - 6) : m.start()]):
                continue
            pieces.append([start, m.start()])
            start = m.end()
        pieces.append([start, line.end])
        # merge short fragments with their neighbour in the same line
        merged: list[list[int]] = []
        for piece in pieces:
            if merged and (
                piece[1] - piece[0] < min_chars or merged[-1][1] - merged[-1][0] < min_chars
            ):
                merged[-1][1] = piece[1]
            else:
                merged.append(piece)
        spans.extend(Span(a, b) for a, b in merged if b > a)
    return spans


# the end of a sentence: what a page cut mid-sentence lacks
_FINISHED = re.compile(r"[.!?:;…»)\]]$")


def mark_unfinished(text: str) -> str:
    """The last sentence of a page saved cut (« … du permis d'urbanisme. Le coût est
    estim »): its unfinished words dropped after the last full stop, and « […] » said;
    a finished sentence as it is."""
    text = text.rstrip()
    if _FINISHED.search(text):
        return text
    # the last full stop that ends a sentence (« M. Smet », « point 2. » do not)
    stops = [
        m.end()
        for m in _BOUNDARY.finditer(text)
        if not _ABBREVIATIONS.search(text[: m.start()].rstrip())
    ]
    return f"{text[: stops[-1]].rstrip() if stops else text} […]"
