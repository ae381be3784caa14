"""French and Dutch cue words of a written answer, and the dates and amounts it mentions.

Regular expressions only, each one named for what it detects, so that every
verdict of :mod:`assistant.brief.coverage` and every status of :mod:`assistant.brief.status`
can be explained by the words that triggered it:

* a deferral ("je vous invite à les interroger", "adresser votre question",
  "relève de la compétence"; "verwijs ik u naar", "behoort tot de bevoegdheid") and the
  minister or body it points to;
* a cause ("en raison de", "suite à", "du fait de", "à cause de", "vu la crise"; "omwille
  van", "wegens", "omdat");
* a negative answer ("nous n'avons pas prévu", "il n'y a pas encore"; "niet", "geen");
* amounts (``400.000€``, ``2,9 millions€``, ``4.000 euros``, ``3,2 miljoen euro``) and dates
  (``11 mars 2021``, ``mi-2021``, ``Q3 2020``, ``18/03/2020``, ``courant avril 2021``,
  ``voorjaar van 2024``, ``eind 2021``).

The Dutch words stand beside the French ones in the same expressions: neither language
writes the other's cue words. Non-goals: no parsing of numbers into values, no date
arithmetic, no other language.
"""

from __future__ import annotations

import re

__all__ = [
    "amounts",
    "dates",
    "deferral",
    "deferred_to",
    "is_specific",
    "cause",
    "negative",
    "mentions_budget",
]

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre|januari|februari|maart|april|mei|juni|juli|augustus"
    "|september|oktober|november|december"
)
_AMOUNT = re.compile(
    r"(?<![\w.,])\(?(?:\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+|\d+)(?:,\d+)?\)?"  # « 2500 euros » too
    r"\s*(?:(?:millions?|milliards?|miljoen|miljard)\s*(?:d['’]\s*)?)?(?:€|euros?\b|EUR\b)",
    re.I,
)
_DATE = re.compile(
    r"\b(?:"
    r"\d{1,2}/\d{1,2}/\d{4}"  # 18/03/2020
    r"|(?:le\s+)?\d{1,2}(?:er)?\s+(?:" + _MONTHS + r")(?:\s+\d{4})?"  # 11 mars (2021)
    r"|(?:(?:début|fin|mi|courant|d[eè]s|en|depuis)[\s-]+)?(?:" + _MONTHS + r")\s+\d{4}"
    r"|(?:début|fin|mi|courant|eind|begin|midden)[\s-]+\d{4}"  # fin 2021, mi-2021, eind 2021
    r"|Q[1-4]\s+\d{4}"  # Q3 2020
    r"|(?:premier|second|deuxième|1er|2e)\s+(?:semestre|trimestre)\s+\d{4}"
    r"|(?:19|20)\d{2}\s*[-–]\s*(?:19|20)?\d{2}"  # 2021-2025, 2021-27
    # a year, not a sum (« tot 2000 euro »)
    r"|(?:en|depuis|dès|pour|à partir de|jusqu['’]au?|in|sinds|vanaf|tegen|tot)\s+(?:19|20)\d{2}"
    r"\b(?!\s*(?:€|euro))"
    r"|(?:voorjaar|najaar|zomer|winter|(?:het\s+)?einde?|(?:het\s+)?begin)\s+van\s+(?:19|20)\d{2}\b"
    r"|(?:le\s+)?\d{1,2}\s+(?:" + _MONTHS + r")\s+(?:prochain|dernier)"
    r"|(?:au\s+)?printemps|(?:à l['’])?automne|avant la fin d['’]année"
    r")",
    re.I,
)
# "je vous invite à les interroger", "lui adresser votre question", "relève de la compétence"
_DEFERRAL = re.compile(
    r"(?:je\s+vous\s+invite\s+à\s+(?:l['’]|les?\s+|lui\s+|leur\s+)?"
    r"(?:interroger|interpeller|adresser|poser|contacter|consulter)"
    r"|(?:adresser|poser)\s+(?:votre|cette)\s+question"
    r"|rel[eè]ve(?:nt)?\s+(?:de\s+la\s+compétence|des\s+compétences|du\s+ministre|de\s+la\s+ministre)"
    r"|n['’]est\s+pas\s+de\s+(?:ma|notre)\s+compétence"
    r"|(?:la|cette)\s+question\s+doit\s+être\s+adressée"
    # « verwijs ik u (graag) naar », « behoort tot de bevoegdheid van », « uw vraag richten aan »
    r"|verwijs\s+(?:ik\s+)?(?:u\s+)?(?:graag\s+)?(?:door\s+)?naar"
    # not to an answer, a website or an annex: « verwijs ik u naar mijn antwoord op … »
    r"(?!\s+(?:(?:mijn|het|de|uw|onze?|een)\s+)?(?:eerdere?\s+)?(?:antwoord|website|webpagina"
    r"|site|bijlage|tabel|brief|vraag|verslag|rapport|lijst|pagina|link))"
    r"|(?:behoort|valt)\s+(?:tot|onder)\s+de\s+bevoegdhe\w+"
    r"|(?:niet|geen)\s+(?:tot\s+)?mijn\s+bevoegdhe\w+"
    r"|(?:uw|deze)\s+vraag\s+(?:te\s+)?(?:richten|stellen)\s+(?:aan|tot))",
    re.I,
)
# who the member is sent to: "la Secrétaire d'Etat en charge de la Transition Economique"
_BODY = re.compile(
    r"\b(?:(?:la|le|les|des|au|à la|du)\s+)?"
    r"((?:Secrétaire\s+d['’]\s*[EÉ]tat|ministres\s+porteurs|Ministre(?:-Président)?s?|"
    r"Collège|Commission\s+communautaire|Communautés?|Fédération\s+Wallonie-Bruxelles"
    r"|minister\b|staatssecretaris\b|Verenigd\s+College|Gemeenschapscommissie)"
    # "en charge de la Transition …", or a plain "de la Mobilité" with a capital
    r"(?:\s+(?:en\s+charge|chargée?s?|compétente?s?)\s+(?:de\s+la|de\s+l['’]|du|des|de)\s*"
    r"[^,.;:()]{2,80}|\s+(?:de\s+la|de\s+l['’]|du|des|de)\s*(?-i:[A-ZÀ-Ý])[^,.;:()]{1,80}"
    # « de minister van Klimaattransitie », « bevoegd voor Leefmilieu »
    r"|\s+(?:van|bevoegd\s+voor|belast\s+met)\s+(?-i:[A-ZÀ-Ý])"
    r"(?:(?!\s(?:die|dat|om|en\s+(?:zijn|haar|hun))\b)[^,.;:()]){1,80})?)",
    re.I,
)
_CAUSE = re.compile(
    r"\b(?:en\s+raison\s+(?:de|du|des|d['’])|suite\s+(?:à|au|aux)|du\s+fait\s+(?:de|du|des|d['’])"
    r"|à\s+cause\s+(?:de|du|des|d['’])|vu\s+(?:la|le|les|l['’])|étant\s+donné"
    r"|(?:a|ont)\s+(?:\w+ment\s+)?(?:entraîné|causé|provoqué)|pour\s+faire\s+face\s+à"
    r"|(?:lié|liée|liés|liées)\s+(?:à|au|aux)|faute\s+de|dans\s+le\s+contexte\s+de"
    r"|omwille\s+van|wegens|vanwege|als\s+gevolg\s+van|ten\s+gevolge\s+van|omdat|aangezien"
    r"|gelet\s+op|te\s+wijten\s+aan|door\s+(?:de|het)\s+gebrek\s+aan)",
    re.I,
)
_NEGATIVE = re.compile(
    r"\b(?:n['’]\s*(?:avons|a|ont|est|sont|y\s+a|perçoivent|existe)\b[^.;]{0,60}?\b(?:pas|aucune?|ni)\b"
    r"|ne\s+\w+\s+pas\b|aucune?\s+\w+|pas\s+(?:encore|d['’]|de)\b"
    r"|(?:niet|geen)\b(?!\s+(?:alleen|enkel|uitsluitend|zozeer)))",
    re.I,
)
_BUDGET = re.compile(
    r"\b(?:budgets?|budgétaire|montants?|subsides?|subventions?|enveloppes?|financ\w+|crédits?"
    r"|bedrag(?:en)?|subsidies?|toelagen?|middelen|kredieten)\b",
    re.I,
)


def amounts(text: str) -> list[str]:
    """The amounts of money in ``text``, as written (``["400.000€", "2,9 millions€"]``)."""
    return [
        " ".join(m.group(0).replace("(", "").replace(")", "").split())
        for m in _AMOUNT.finditer(text)
    ]


def dates(text: str) -> list[str]:
    """The dates and periods in ``text``, as written, without duplicates, in order."""
    seen: dict[str, None] = {}
    for m in _DATE.finditer(text):
        seen.setdefault(" ".join(m.group(0).split()), None)
    return list(seen)


def deferral(text: str) -> str | None:
    """The words that send the member elsewhere, or None."""
    m = _DEFERRAL.search(text)
    return m.group(0) if m else None


def deferred_to(text: str) -> str | None:
    """The minister or body named in ``text`` (a deferral's paragraph), or None.

    A named office ("la Secrétaire d'Etat en charge de la Transition Economique")
    wins over a generic one ("des ministres porteurs").
    """
    found = [" ".join(m.group(1).split()) for m in _BODY.finditer(text)]
    specific = [f for f in found if is_specific(f)]
    return (specific or found or [None])[0]


def is_specific(body: str) -> bool:
    """Whether a body found by :func:`deferred_to` names its office (« la Secrétaire d'Etat
    en charge de … », « de minister van … »), not only its rank."""
    office = re.sub(r"^\s*Secrétaire\s+d['’]\s*[EÉ]tat", "", body, flags=re.I)
    return bool(re.search(r"\s(?:de|du|des|van|voor|met)\b|\sd['’]", office))


def cause(text: str) -> str | None:
    """The cause wording in ``text`` ("en raison de", "suite à" …), or None."""
    m = _CAUSE.search(text)
    return m.group(0) if m else None


def negative(text: str) -> bool:
    """True when ``text`` answers in the negative ("nous n'avons pas prévu", "aucun")."""
    return bool(_NEGATIVE.search(text))


def mentions_budget(text: str) -> bool:
    """True when ``text`` speaks of a budget, a subsidy or financing."""
    return bool(_BUDGET.search(text))
