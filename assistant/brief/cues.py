"""French and Dutch cue words of a written answer, and the dates and amounts it mentions.

Regular expressions only, each one named for what it detects, so that every
verdict of :mod:`assistant.brief.coverage` and every status of :mod:`assistant.brief.status`
can be explained by the words that triggered it:

* a deferral ("je vous invite à les interroger", "adresser votre question",
  "relève de la compétence", "relève de la Communauté française", "n'est pas compétente";
  "verwijs ik u naar", "behoort tot de bevoegdheid", "is niet bevoegd") and the minister or
  body it points to;
* a cause ("en raison de", "suite à", "du fait de", "à cause de", "vu la crise"; "omwille
  van", "wegens", "omdat");
* a negative answer ("nous n'avons pas prévu", "il n'y a pas encore"; "niet", "geen"),
  outside the relative clauses ("voertuigen die niet aan de normen voldeden");
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
    "without_relatives",
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
    r"(?:interroger|interpeller|adresser|poser|contacter|consulter"
    # not to a document or a website: « je vous invite à consulter le site … »
    r"(?!\s+(?:(?:le|la|les|l['’]|mon|ma|mes|notre|nos|ce|cette|ces)\s*)?(?:site|page|rapport"
    r"|annexe|tableau|réponse|document|lien|publication|texte|brochure|liste|web)))"
    r"|(?:adresser|poser)\s+(?:votre|cette)\s+question"
    # « relève de la compétence de … », « relève de la Communauté française »
    r"|rel[eè]ve(?:nt)?\s+(?:de\s+la\s+compétence|des\s+compétences|du\s+ministre|de\s+la\s+ministre"
    r"|de\s+la\s+(?-i:C)ommunauté|de\s+la\s+(?-i:F)édération|de\s+la\s+(?-i:C)ommission"
    r"|du\s+(?:niveau\s+|pouvoir\s+|gouvernement\s+)?fédéral|de\s+l['’](?:autorité|[EÉ]tat)\s+fédéral"
    r"|de\s+la\s+(?-i:COCOF|COCOM|VGC)|du\s+(?-i:C)ollège|des\s+communes)"
    r"|ne\s+rel[eè]ve(?:nt)?\s+pas\s+de\s+(?:ma|mes|notre|nos)\s+compétences?"
    r"|n['’]est\s+pas\s+de\s+(?:ma|notre)\s+compétence"
    r"|(?:ne\s+suis|ne\s+sommes|n['’]est|ne\s+sont)\s+pas\s+compétente?s?\b"
    r"|(?:la|cette)\s+question\s+doit\s+être\s+adressée"
    # « verwijs ik u (graag) naar », « behoort tot de bevoegdheid van », « uw vraag richten aan »
    r"|verwijs\s+(?:ik\s+)?(?:u\s+)?(?:graag\s+)?(?:door\s+)?naar"
    # not to an answer, a website or an annex: « verwijs ik u naar mijn antwoord op … »
    r"(?!\s+(?:(?:mijn|het|de|uw|onze?|een)\s+)?(?:eerdere?\s+)?(?:antwoord|website|webpagina"
    r"|site|bijlage|tabel|brief|vraag|verslag|rapport|lijst|pagina|link))"
    r"|(?:behoort|valt)\s+(?:tot|onder)\s+de\s+(?:bevoegdhe\w+|(?-i:V)laamse\s+(?-i:G)emeenschap"
    r"|federale\s+overheid)"
    r"|(?:niet|geen)\s+(?:tot\s+)?mijn\s+bevoegdhe\w+"
    # « Het Gewest is niet bevoegd voor … », « die bevoegdheid ligt bij de Vlaamse Gemeenschap »
    r"|\b(?:ben|is|zijn)\s+(?:\w+\s+){0,2}?niet\s+bevoegd\b|bevoegdheid\s+ligt\s+bij"
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
    """True when ``text`` answers in the negative ("nous n'avons pas prévu", "aucun"): a
    negation of its main statement, not one inside a relative clause (« 14.620 boetes voor
    voertuigen die niet aan de criteria voldeden », « les entreprises qui ne peuvent pas
    payer », :func:`without_relatives`)."""
    return bool(_NEGATIVE.search(without_relatives(text)))


# The words that open a relative clause, as in assistant.answers.verdict (which cuts a
# sentence into clauses at punctuation and subordinating words): here only the relative
# ones, whose negation qualifies a noun and does not deny what was asked. « que » and
# « dat » open a relative clause only after a noun (:data:`_DETERMINER` two words before:
# « les mesures que … », « het dossier dat … ») and not before a subject (:data:`_SUBJECT`:
# « il ressort de l'analyse qu'aucun … », « het is de bedoeling dat er geen … »); after a
# verb they open what is said (« je vous confirme que nous n'avons pas … », « ik kan u
# meedelen dat er geen … »). Only the accented « où » is relative (« ou » is "or"), and a
# « die »/« dat » after « maar », « en », « want », « of » is a demonstrative subject
# (« …, maar die toont geen resultaten »).
_RELATIVE = re.compile(
    r"(?:(?<=\w\s)|(?<=\w,\s))"  # after a word (« voertuigen die »), or its comma
    r"(?:(?:qui|dont|où|lequel|laquelle|lesquel(?:le)?s|auquel|auxquel(?:le)?s|duquel"
    r"|desquel(?:le)?s|die|welke|waar(?:van|in|op|mee|bij|door|voor|aan|over|uit|naar))\b"
    r"|que\b|qu['’]|dat\b)",
    re.I,
)
_DETERMINER = frozenset(
    """le la les l un une des du de d ce cet cette ces mon ma mes son sa ses notre nos votre
    vos leur leurs het een deze dit die elk elke alle zijn haar hun onze ons uw van""".split()
)
# the subject that opens a completive clause after « que »/« qu' » (French) or « dat » (Dutch)
_SUBJECT = {
    "que": frozenset("aucun aucune nous il elle on ils elles je".split()),
    "dat": frozenset("er ze zij hij we wij men het de een".split()),
}
_SUBJECT["qu"] = _SUBJECT["que"]
# the conjunctions after which « die »/« dat » is a demonstrative (« maar die toont … »)
_CONJUNCTION = frozenset("maar en want of".split())
_CLAUSE_END = re.compile(r"[,;:()«»\"–—.?!]|\b(?:mais|maar)\b", re.I)


def without_relatives(text: str) -> str:
    """``text`` without its relative clauses (from the relative word to the next
    punctuation or « mais »/« maar »). No parse: a French relative clause that runs into
    the main verb without a comma (« les entreprises qui le souhaitent ne recevront pas … »)
    is cut with the rest of the sentence."""
    out, pos = [], 0
    for m in _RELATIVE.finditer(text):
        if m.start() < pos:
            continue
        word = m.group(0).lower().rstrip("'’")
        if word in ("die", "dat") and _last_word(text[: m.start()]) in _CONJUNCTION:
            continue
        if word in _SUBJECT and (
            _first_word(text[m.end() :]) in _SUBJECT[word] or not _after_noun(text[: m.start()])
        ):
            continue
        end = _CLAUSE_END.search(text, m.end())
        out.append(text[pos : m.start()])
        pos = end.start() if end else len(text)
    return "".join(out) + text[pos:]


def _last_word(before: str) -> str:
    words = re.findall(r"[^\W\d_]+", before[-40:].lower())
    return words[-1] if words else ""


def _first_word(after: str) -> str:
    m = re.match(r"\s*([^\W\d_]+)", after[:40].lower())
    return m.group(1) if m else ""


def _after_noun(before: str) -> bool:
    """Whether the words before a « que »/« dat » end on a noun: « les mesures », « het
    dossier » (a determiner two words back)."""
    words = re.findall(r"[^\W\d_]+", before.replace("’", "'").lower())
    return len(words) >= 2 and words[-2] in _DETERMINER


def mentions_budget(text: str) -> bool:
    """True when ``text`` speaks of a budget, a subsidy or financing."""
    return bool(_BUDGET.search(text))
