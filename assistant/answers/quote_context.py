"""Enough context to read a quoted sentence: its lead-in, its heading's first line, its antecedent.

:func:`with_context` takes the sentence chosen in a passage and the passage's sentences in
order, and returns the one to three sentences to quote:

* a list item ("- 106 lauréats pour un budget de…") with the lead-in that announces the
  list ("Pour l'appel à projets Open Soon :") when the lead-in names some of the
  question's words, or when the item is a fragment of it (it opens in lower case or ends
  on a comma: "o 8700m² d'équipements universitaires," after "PAD … réservant jusqu'à :");
* a heading line with the first line of its body;
* a sentence that starts with an anaphor ("Ce", "Cette", "Il", "Ces derniers", "Deze"…)
  with the sentence before it.

Then, in the chosen sentence's paragraph (no line break between them), up to three sentences
in all and :data:`MAX_CONTEXT_CHARS`:

* when the question wants a value (a date, an amount, a cause…) that the sentence lacks,
  the sentence next to it (after, else before) that holds one: "… a pris du retard." with
  "… en raison de la pandémie.";
* the sentence after it when it continues it: it opens on an anaphor ("Celle-ci
  aboutira mi-2021.") or is a short fragment (:data:`SHORT_FOLLOW_UP` characters at most:
  "Aboutissement attendu avant la fin d'année.").
* the sentence before it when the chosen one is a short verbless fragment that opens on an
  action noun and so does not say what it speaks of (:data:`SHORT_ALONE` characters at
  most: "Ouverture de la modification d'ici fin 2021." after "PRAS : préparation de la
  modification du PRAS en cours.").

Non-goals: no pronoun resolution, no rewriting: the sentences are quoted as they are.
"""

from __future__ import annotations

import re

from ..text.sentences import LIST_MARK

__all__ = ["MAX_CONTEXT_CHARS", "continues", "is_anaphoric", "is_list_item", "with_context"]

MAX_CONTEXT_CHARS = 500  # a sentence with its context stays under this length
MAX_SENTENCES = 3  # sentences quoted from one passage
SHORT_FOLLOW_UP = 60  # a next sentence this short continues the chosen one (0: never)
SHORT_ALONE = 90  # a chosen sentence this short is read with the one before it (0: never)
COMPLETE_TYPE = True  # add the next-door sentence holding the wanted value
FOLLOW_ANAPHOR = True  # add the next sentence when it opens on an anaphor
_ANAPHOR = re.compile(
    r"^\s*(?:[-–•→]\s*)?(?:ce|cet|cette|ces|il|ils|elle|elles|celui-ci|celle-ci|ceux-ci"
    r"|celles-ci|ces derniers|ces dernières|cela|ceci|ladite|ledit|lesdits|lesdites"
    # « Het » opens a Dutch sentence as an article as often (« Het Gewest investeert … »):
    # only « Het is … », « Het gaat om … » point back
    r"|deze|dit|die|hij|zij|ze|het(?=\s+(?:is|was|gaat|ging|betreft|wordt|werd|zal|kan|moet)\b)"
    r"|this|these|it|they)\b",
    re.IGNORECASE,
)
# a verbless, telegraphic sentence that opens on an action noun: « Ouverture de la
# modification d'ici fin 2021. », « Lancement du marché en 2022. », « Opening van de
# procedure eind 2021. »: what it speaks of is in the sentence before it
_NOMINAL = re.compile(
    # not an adverb (« Notamment en 2022, … », « Actuellement en cours »)
    r"^\s*(?:[-–•→]\s*)?(?!(?:[A-ZÉ][a-zé]*(?:amment|emment|ément|lement|ivement|tement"
    r"|uement|nement)|Seulement|Notamment)\b)"
    r"[A-ZÉÈ][^\W\d_]*(?:tion|sion|ment|ure|age|ance|ence|ée|ing|tie)"
    r"\s+(?:de|du|des|d['’]|en|van|voor)\b"
)
_ITEM = re.compile(r"^\s*(?:[-–•→▪]|o(?= )|\d+[.)](?= )|[a-z][.)](?= ))")


def is_anaphoric(sentence: str) -> bool:
    """Whether ``sentence`` opens on a word that points to the sentence before it."""
    return bool(_ANAPHOR.match(sentence))


def continues(sentence: str, before: str) -> bool:
    """Whether ``sentence`` goes on from ``before``, the sentence before it in the same
    passage: it opens on an anaphor, or ``before`` is a lead-in ending on « : ». Then what
    ``before`` names is what ``sentence`` speaks of (« Pour l'appel Open Soon : 31
    lauréats »)."""
    return bool(before) and (is_anaphoric(sentence) or before.rstrip().endswith(":"))


def _is_fragment(item: str) -> bool:
    """Whether a list item only reads with its lead-in: it opens in lower case or goes on
    with a comma or semicolon (« o 8700m² d'équipements universitaires, » after « PAD entré
    en vigueur réservant jusqu'à : »)."""
    body = _ITEM.sub("", item, count=1).strip()
    return bool(body) and (body[0].islower() or body[-1] in ",;")


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
    holds_wanted=None,
) -> list[tuple[int, int]]:
    """The spans of ``text`` to quote for the ``chosen`` sentence, in order.

    ``spans`` are the passage's sentences in order (``chosen`` among them);
    ``names_subject(sentence) -> bool`` says whether a lead-in names the question's subject;
    ``holds_wanted(sentence) -> bool`` whether a sentence holds the value the question
    wants (None: it wants none).
    """
    out = _antecedent(text, chosen, spans, body_offset=body_offset, names_subject=names_subject)
    i = spans.index(chosen)
    sentence = text[chosen[0] : chosen[1]]

    def fits(extra: tuple[int, int]) -> bool:
        grown = sorted({*out, extra})
        return (
            len(grown) <= MAX_SENTENCES
            and grown[-1][1] - grown[0][0] <= MAX_CONTEXT_CHARS
            and "\n" not in text[min(extra[1], chosen[1]) : max(extra[0], chosen[0])]
        )

    if COMPLETE_TYPE and holds_wanted is not None and not holds_wanted(sentence):
        for j in (i + 1, i - 1):
            if 0 <= j < len(spans) and spans[j] not in out and fits(spans[j]):
                if holds_wanted(text[spans[j][0] : spans[j][1]]):
                    out = sorted({*out, spans[j]})
                    break
    if (
        len(out) == 1
        and i > 0
        and len(sentence.strip()) <= SHORT_ALONE
        and _NOMINAL.match(sentence)
        and spans[i - 1][1] > body_offset  # a heading is no sentence before it
        and fits(spans[i - 1])
        and not text[spans[i - 1][0] : spans[i - 1][1]].rstrip().endswith(":")
        and not _opens_item(text, *chosen)
    ):
        out = sorted({*out, spans[i - 1]})
    if i + 1 < len(spans) and spans[i + 1] not in out and fits(spans[i + 1]):
        nxt = text[spans[i + 1][0] : spans[i + 1][1]].strip()
        if (
            not _opens_item(text, *spans[i + 1])
            and not nxt.endswith(":")
            and ((FOLLOW_ANAPHOR and is_anaphoric(nxt)) or len(nxt) <= SHORT_FOLLOW_UP)
        ):
            out = sorted({*out, spans[i + 1]})
    return out


def _opens_item(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` opens an item of a list: it starts its line after a list
    mark the sentence spans leave out (« o 8700m² … », « 12. … ») or with one."""
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start].strip()
    if not prefix:
        return is_list_item(text[start:end])
    mark = LIST_MARK.match(prefix + " ")
    return mark is not None and mark.end() >= len(prefix)


def _antecedent(text, chosen, spans, *, body_offset, names_subject) -> list[tuple[int, int]]:
    """The chosen sentence with its lead-in, heading body line or antecedent (module doc)."""
    i = spans.index(chosen)
    start, end = chosen
    sentence = text[start:end]
    extra: tuple[int, int] | None = None
    heading = end <= body_offset and i + 1 < len(spans)
    if heading:  # a heading: with its first line
        extra = spans[i + 1]
    elif _opens_item(text, start, end):
        lead = next(
            (s for s in reversed(spans[:i]) if text[s[0] : s[1]].rstrip().endswith(":")), None
        )
        if lead is not None and (names_subject(text[lead[0] : lead[1]]) or _is_fragment(sentence)):
            extra = lead
    if extra is None and not heading and i > 0 and is_anaphoric(sentence):
        extra = spans[i - 1]
    if extra is None:
        return [chosen]
    out = sorted({chosen, extra})
    if out[-1][1] - out[0][0] > MAX_CONTEXT_CHARS:
        return [chosen]
    return out
