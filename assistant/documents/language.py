"""The language of a written question: French or Dutch.

Scope: :func:`detect_language` reads the labels the page prints (``Question écrite``,
``Réponse``, ``Date de réception`` against ``Schriftelijke vraag``, ``Antwoord``,
``Datum ontvangst``, ``Indiener(s)``…); when they are missing or tied (a page cut
before its labels, a plain text), it counts frequent function words of each language.
French wins a tie: it is the language of the bundled corpus.

Non-goals: languages other than French and Dutch, mixed-language paragraphs.
"""

from __future__ import annotations

import re

__all__ = ["detect_language"]

_LABELS = {
    "fr": re.compile(
        r"(?m)^(?:Question écrite|Question\b|R[ée]ponse\b|Date de (?:réception|publication|"
        r"réponse)|Législature\s*:|de$|à$)"
    ),
    "nl": re.compile(
        r"(?m)^(?:Schriftelijke vraag|Vraag\b|Antwoord\b|Datum (?:van )?(?:ontvangst|"
        r"publicatie|antwoord)|Zittingsperiode\s*:|Indiener|aan$|van$)"
    ),
}
_STOP = {
    "fr": frozenset("le la les des du une est et pour dans que qui pas sur au aux ce ces".split()),
    "nl": frozenset("de het een van en voor niet dat die zijn op met er werd wordt ook".split()),
}
_WORD = re.compile(r"[a-zà-ÿ]+")


def detect_language(text: str) -> str:
    """ "fr" or "nl": the page's labels first, else a count of function words."""
    labels = {lang: len(p.findall(text)) for lang, p in _LABELS.items()}
    if labels["fr"] != labels["nl"]:
        return max(labels, key=labels.get)
    words = _WORD.findall(text.lower())
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    return "nl" if counts["nl"] > counts["fr"] else "fr"
