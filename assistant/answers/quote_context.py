"""Enough context to read a quoted sentence: its lead-in, its heading's first line, its antecedent.

:func:`with_context` takes the sentence chosen in a passage and the passage's sentences in
order, and returns the one to three sentences to quote:

* a list item ("- 106 lauréats pour un budget de…") with the lead-in that announces the
  list ("Pour l'appel à projets Open Soon :") when the lead-in names some of the
  question's words;
* a heading line with the first line of its body;
* a sentence that starts with an anaphor ("Ce", "Cette", "Il", "Ces derniers", "Deze"…)
  with the sentence before it.

Non-goals: no pronoun resolution, no rewriting: the sentences are quoted as they are.
"""

from __future__ import annotations

import re

__all__ = ["MAX_CONTEXT_CHARS", "is_anaphoric", "is_list_item", "with_context"]

MAX_CONTEXT_CHARS = 500  # a sentence with its context stays under this length
_ANAPHOR = re.compile(
    r"^\s*(?:[-–•→]\s*)?(?:ce|cet|cette|ces|il|ils|elle|elles|celui-ci|celle-ci|ceux-ci"
    r"|celles-ci|ces derniers|ces dernières|cela|ceci|ladite|ledit|lesdits|lesdites"
    r"|deze|dit|die|hij|zij|ze|het|this|these|it|they)\b",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^\s*(?:[-–•→▪]|o(?= )|\d+[.)](?= )|[a-z][.)](?= ))")


def is_anaphoric(sentence: str) -> bool:
    """Whether ``sentence`` opens on a word that points to the sentence before it."""
    return bool(_ANAPHOR.match(sentence))


def is_list_item(sentence: str) -> bool:
    """Whether ``sentence`` is an item of a list (a bullet, "1.", "a)")."""
    return bool(_ITEM.match(sentence))


def with_context(
    text: str,
    chosen: tuple[int, int],
    spans: list[tuple[int, int]],
    *,
    body_offset: int,
    names_subject,
) -> list[tuple[int, int]]:
    """The spans of ``text`` to quote for the ``chosen`` sentence, in order.

    ``spans`` are the passage's sentences in order (``chosen`` among them);
    ``names_subject(sentence) -> bool`` says whether a lead-in names the question's subject.
    """
    i = spans.index(chosen)
    start, end = chosen
    sentence = text[start:end]
    extra: tuple[int, int] | None = None
    if end <= body_offset and i + 1 < len(spans):  # a heading: with its first line
        extra = spans[i + 1]
    elif is_list_item(sentence):
        lead = next(
            (s for s in reversed(spans[:i]) if text[s[0] : s[1]].rstrip().endswith(":")), None
        )
        if lead is not None and names_subject(text[lead[0] : lead[1]]):
            extra = lead
    elif i > 0 and is_anaphoric(sentence):
        extra = spans[i - 1]
    if extra is None:
        return [chosen]
    out = sorted({chosen, extra})
    if out[-1][1] - out[0][0] > MAX_CONTEXT_CHARS:
        return [chosen]
    return out
