"""A question that asks for a name is answered only by a sentence that holds one.

« Qui est le président de Brupartners ? », « Comment s'appelle le ministre des Finances qui
porte l'objectif 1.7 ? », « Hoe heet de directeur van Actiris? » want a person's name; a
sentence about Brupartners or about the Finance minister's work, with no name in it, does
not answer them. :func:`asked_name` finds the role whose holder's name is asked (« président
de Brupartners ») and the entities that would name it (a person, ``PER``, for a role only
a person holds; a person or a body, ``PER`` or ``ORG``, for another « qui est le … »; any
name for « comment s'appelle … », « les noms des … »); :func:`names_someone`
says whether the quoted sentences' index-time entities (:mod:`assistant.indexing.annotate`)
hold such a name that the question does not hold itself.

A member of a government is often named by office alone (« Ministre en charge de
l'Emploi »): « Qui est le ministre porteur de l'objectif 1.4 ? » wants the office as much as
a name and is left to the other checks, as are the questions about the document itself
(who asked, to whom: :mod:`assistant.answers.document_facts`).

Non-goals: « quelle entreprise », « quels pays » (a category answers them as often as a
name: « les entreprises sociales agréées »), telling a country from another place, a
sentence without annotations (an index without them, a Dutch sentence without a Dutch
spaCy model): then nothing is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.analyzer import fold

__all__ = ["ANY_NAME", "PERSON", "WHO", "AskedName", "asked_name", "names_someone"]

# « qui est le … » of these is answered by an office as often as by a name: not a name
_OFFICES = (
    r"ministres?|ministre-présidente?|secrétaires?|porteu(?:r|se)s?|membres?|députée?s?"
    r"|auteure?s?|destinataires?|responsables?|collèges?|gouvernements?|ministers?"
    r"|minister-president|staatssecretaris|indieners?|volksvertegenwoordigers?|college"
    r"|regering|secretary|author|member"
)
_ROLE = r"(?P<role>[^?,;]{2,80}?)(?=\s*(?:[?,;]|$|\s(?:qui|que|dont|die|dat|who|that)\b))"
_ARTICLE = r"(?:(?:les|le|la)\s+|l['’]\s*)"
PERSON = frozenset({"PER"})
WHO = frozenset({"PER", "ORG"})  # « qui est le gestionnaire du site ? »: a body as often
ANY_NAME = frozenset({"PER", "ORG", "LOC", "MISC"})
_ASKED = [  # (what asks for a name, the entities that give it)
    (rf"^\s*qui (?:est|était|sera) {_ARTICLE}(?!\s*(?:{_OFFICES})\b)", WHO),
    (r"^\s*wie (?:is|was) (?:de|het)\s+(?!\s*(?:" + _OFFICES + r")\b)", WHO),
    (r"^\s*who is the\s+(?!\s*(?:" + _OFFICES + r")\b)", WHO),
    # a name of anything: « Comment s'appelle le plan … », « les noms des pays »
    (rf"\bcomment s['’]appellen?t?\s+{_ARTICLE}", ANY_NAME),
    (r"\bquels? (?:est|sont) (?:le|les) noms? (?:du|de la|de l['’]|des|de|d['’])\s*", ANY_NAME),
    (r"\bhoe (?:heet|heten)\s+(?:de|het)\s+", ANY_NAME),
    (r"\bwat (?:is|zijn) de na(?:am|men) van\s+(?:de|het)\s+", ANY_NAME),
    (r"\bwhat (?:is|are) the names? of (?:the )?", ANY_NAME),
]
_ASKED_RX = [(re.compile(lead + _ROLE, re.I), labels) for lead, labels in _ASKED]
# a role only a person holds: « Comment s'appelle le ministre des Finances » wants a person
_PERSON_ROLE = re.compile(
    r"(?:ministres?|ministre-présidente?|secrétaires? d['’ ]\s*[ée]tat|ministers?"
    r"|minister-president|staatssecretaris|députée?s?|volksvertegenwoordigers?"
    r"|président\w*|presidant\w*|directeur\w*|directrice\w*|voorzitter\w*|bourgmestre\w*"
    r"|burgemeester\w*|échevin\w*|schepen\w*|chairman|ceo)\b",
    re.I,
)


@dataclass(frozen=True)
class AskedName:
    """The role whose holder's name a question asks for, and the entities that name it."""

    role: str  # « président de Brupartners »
    labels: frozenset[str]  # spaCy labels: PER for a person's role, PER or ORG for « qui
    # est le … », any name for « comment s'appelle … »


def asked_name(question: str) -> AskedName | None:
    """What name ``question`` asks for, or None when it asks for none. « Comment s'appelle le
    ministre … » asks for a name even of an office; « Qui est le ministre … » does not
    (module docstring)."""
    for rx, labels in _ASKED_RX:
        m = rx.search(question)
        if m is not None:
            role = m.group("role").strip()
            return AskedName(role, PERSON if _PERSON_ROLE.match(role) else labels)
    return None


def names_someone(names: list[str], question: str) -> bool:
    """Whether one of ``names`` (the quoted sentences' entities of the wanted labels) is a
    name ``question`` does not hold itself."""
    asked = fold(question)
    return any(fold(n).strip() and fold(n).strip() not in asked for n in names)
