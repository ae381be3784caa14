"""The parts of a sub-question, and what each part asks for.

A sub-question is split into its interrogative sentences ("Comment … ? Et comment … ?
Dans quelle mesure … ?"), one :class:`Part` each; each part is read for what it asks
(:data:`ASKS`, in French or Dutch words: a budget, a calendar, a number, causes, a state of
progress, a place, actors, a list, a manner; a yes/no when none fires).

Non-goals: finding the answer to a part (:mod:`assistant.brief.support`), judging it
(:mod:`assistant.brief.coverage`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..documents.document import SubQuestion

__all__ = ["ASKS", "SPECIFIC", "Part", "split_parts", "asks_of"]

# What a part asks for. Specific asks need specific content in the supporting sentences;
# the others are met by any sentence that speaks of the part.
ASKS = {
    "budget": (
        r"\bbudgets?\b|\bmontants?\b|contribution financi|moyens financiers|\bco[uû]te?\b"
        r"|combien d['’](?:argent|euros)"
        r"|\bbedrag|hoeveel geld|\bkost(?:en|prijs|te)?\b|financiële middelen"
    ),
    "calendrier": (
        r"\bquand\b|échéan|calendrier|\bdélais?\b|\bdates?\b|à quel moment"
        r"|\bwanneer\b|\btermijn|\btiming\b|\btijdpad|\bdatum\b|op welk moment"
    ),
    "nombre": r"\bcombien\b|\bnombre\b|\bhoeveel\b(?! geld)|\baantal\b",
    "causes": r"\bcauses?\b|\bpourquoi\b|\braisons?\b|\bmotifs?\b|\bwaarom\b|\boorzak|\bredenen?\b",
    "état": (
        r"entamés?|achevés?|\ben cours\b|état d['’]avancement|faire le point"
        r"|où en (?:est|sont)|stand van zaken|hoever staat|in uitvoering|afgerond"
    ),
    "lieu": r"^\s*où\b|\boù et\b|^\s*waar\b",
    "acteurs": (
        r"auprès de quel|^\s*qui\b|quelle organisation|quelles? institutions?"
        r"|^\s*wie\b|welke (?:organisaties?|instanties?|instellingen?)"
    ),
    "liste": r"^\s*(?:et\s+)?(?:quel(?:le)?s?|lesquel(?:le)?s?)\b|^\s*(?:en\s+)?welke?\b",
    "manière": (
        r"\bcomment\b|dans quelle(?:s)? mesures?|de quelle manière|lignes de force|détailler"
        r"|^\s*hoe\b(?!veel)|op welke (?:manier|wijze)|in welke mate"
    ),
}
SPECIFIC = ("budget", "calendrier", "causes", "nombre")
_CONDITIONAL = re.compile(r"^\s*dans\s+l['’]affirmative\b", re.I)


@dataclass(frozen=True)
class Part:
    sub_question: int  # n of the sub-question, 1-based
    n: int  # 1-based within the sub-question
    text: str
    asks: tuple[str, ...]
    conditional: bool = False  # "Dans l'affirmative, …"

    @property
    def label(self) -> str:
        return f"{self.sub_question}.{self.n}"


def split_parts(sub: SubQuestion) -> list[Part]:
    """The interrogative sentences of a sub-question, each with what it asks for."""
    pieces = [p.strip() for p in re.findall(r"[^?]*\?|[^?]+$", sub.text) if p.strip(" ?")]
    return [
        Part(sub.n, k, text, asks_of(text), bool(_CONDITIONAL.match(text)))
        for k, text in enumerate(pieces, start=1)
    ]


def asks_of(text: str) -> tuple[str, ...]:
    """What a part asks for, e.g. ``("liste", "calendrier", "budget")``; ``("oui/non",)``."""
    found = tuple(name for name, rx in ASKS.items() if re.search(rx, text, re.I))
    return found or ("oui/non",)
