"""What a question wants, and what a sentence holds: answer types from plain expressions.

:func:`wanted` reads a question (French; Dutch and English with the same rules where they
apply) and returns the :class:`AnswerType` values it asks for: "Combien de pays…" wants a
count, "Quand…" a date, "Quel est le délai…" / "Hoe lang…" a duration, "Qui…" / "Quel
ministre…" a person, office or organisation,
"Pourquoi…" a cause, "Comment…" a manner, "Est-ce que…" / "La Région pousse-t-elle…" a
yes or no, "Quelles mesures…" a list (with another type or alone), "Où en est…" the state
of a measure (done, under way, planned, delayed, cancelled: :func:`status_of`), "Où
trouver…" / "Waar vind ik…" a reference (an annex, a web address, a website).

:func:`values` finds, in a sentence, the spans that hold an amount of money, a
percentage, a count, a date or period ("février 2020", "01/03/2021", "Q3 2020",
"d'ici 2025", "eind 2021"), a reference ("en annexe", "in bijlage 1", a web address) and a
name of a person, office or organisation (a title
followed by a name, an acronym); :func:`holds` says whether a sentence holds one of the
types a question wants. Whether a sentence denies is :mod:`assistant.answers.verdict`'s.

Everything here is regular expressions: cheap enough for every sentence at answer time.
Non-goals: no parsing, no named-entity model (a person's name without a title, a place
name are not found), no arithmetic on the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "FIGURES",
    "AnswerType",
    "Value",
    "asked_years",
    "holds",
    "holds_entity",
    "periods",
    "says_year",
    "status_of",
    "values",
    "wanted",
]


class AnswerType(StrEnum):
    AMOUNT = "amount"  # a sum of money
    COUNT = "count"  # a number of things
    PERCENT = "percent"
    DATE = "date"  # a date or a period
    DURATION = "duration"  # a length of time: « 94 jours », « vijf weken »
    WHO = "who"  # a person, an office or an organisation
    PLACE = "place"
    CAUSE = "cause"
    MANNER = "manner"
    YES_NO = "yes_no"
    LIST = "list"
    STATUS = "status"  # the state of a measure: done, under way, planned, delayed, cancelled
    REFERENCE = "reference"  # where a text or figures are to be found: an annex, a website


# the sentence types that answer each question type (the others need no value)
ANSWERED_BY: dict[AnswerType, frozenset[AnswerType]] = {
    AnswerType.AMOUNT: frozenset({AnswerType.AMOUNT, AnswerType.COUNT}),
    AnswerType.COUNT: frozenset(
        {AnswerType.COUNT, AnswerType.AMOUNT, AnswerType.PERCENT, AnswerType.DURATION}
    ),  # « combien d'heures de formation ? »: « 1.200 heures »
    AnswerType.PERCENT: frozenset({AnswerType.PERCENT}),
    AnswerType.DATE: frozenset({AnswerType.DATE}),
    AnswerType.DURATION: frozenset({AnswerType.DURATION}),
    AnswerType.WHO: frozenset({AnswerType.WHO}),
    AnswerType.REFERENCE: frozenset({AnswerType.REFERENCE}),
    AnswerType.CAUSE: frozenset({AnswerType.CAUSE}),
    AnswerType.PLACE: frozenset({AnswerType.PLACE}),
}

_I = re.IGNORECASE
# what a reference question asks where to read: a text, a table, figures
_TEXTS = (
    r"listes?|détails?|répartitions?|chiffres|textes?|rapports?|données|informations?|infos?"
    r"|résultats?|études?|documents?|tableaux?|bilans?|calendriers?|annexes?|aperçu"
    r"|inventaires?|statistiques|relevés?|comptes? rendus?|procès-verbal"
)
_Q = {  # question type -> what it starts or contains
    AnswerType.PERCENT: re.compile(
        r"\b(?:quel(?:le)? (?:est le |est la )?(?:pourcentage|taux|part)|what percentage"
        r"|welk percentage|hoeveel procent)\b",
        _I,
    ),
    AnswerType.AMOUNT: re.compile(
        r"\b(?:quel(?:le)?s? (?:est (?:le|la) )?(?:montants?|budgets?|sommes?"
        r"|co[uû]ts?|prix|tarifs?|subsides?|subventions?|enveloppes?|financements?)"
        # what is paid, asked with its article (« quel est le loyer », not « quelle
        # indemnité existe », which asks which one): a rent, a wage, a fee, a fine; in the
        # plural only what is paid in any case (« quelles sont les taxes supprimées » asks
        # which ones)
        r"|quel(?:le)? (?:est|était) (?:(?:le|la) |l['’])(?:loyer|salaire|rémunération"
        r"|indemnité|redevance|cotisation|amende|frais)"
        r"|quel(?:le)?s (?:sont|étaient) les (?:loyers|salaires|rémunérations|frais)"
        r"|à quel prix"
        # « combien gagne un stagiaire », not « combien touche-t-elle de ménages » (a count)
        r"|combien (?:co[uû]te|d['’]argent|d['’]euros"
        r"|(?:gagne|paie|paye|touche|verse)(?>[\w-]*)(?!\s+(?:de\b|d['’]|des\b)))"
        # what is spent: « Combien la Région investit-elle … ? », « Hoeveel investeert het
        # Gewest … ? », « Hoeveel heeft de regering uitgegeven? »
        r"|combien\s+(?:la|le|les|l['’]|on)\b[^?]{0,40}?\b(?:investi\w*|dépens\w*|consacr\w*"
        r"|débours\w*)"
        r"|à combien s['’]él[eè]ve"
        r"|welke? (?:bedrag|budget|kostprijs|prijs|subsidie|toelage|financiering)|hoeveel geld"
        # verbs, not nouns: « hoeveel betalingen » is a count
        r"|hoeveel\s+(?:investeer\w*|(?:heeft|hebben|werd|werden|wordt|worden|zal|zullen)\s+"
        r"(?:het|de|men|er)\b[^?]{0,40}?\b(?:geïnvesteerd|uitgegeven|besteed)\b)"
        r"|hoeveel (?:kost(?:en|te|ten)?|bedraagt|bedragen|bedroeg(?:en)?|verdien(?:t|en|de|den)?"
        r"|beta(?:al|alt|alde|alden|len))\b"
        r"|wat (?:is|zijn|was|waren) (?:de|het) (?:\w+e )?(?:huur(?:prijs)?|prijs|kostprijs"
        r"|kosten|loon|lonen|salaris|vergoeding|boete|taks|belasting|budget|bedrag|subsidie"
        r"|toelage|premie)\b|how much)\b",
        _I,
    ),
    AnswerType.COUNT: re.compile(r"\b(?:combien|quel (?:est le )?nombre|hoeveel|how many)\b", _I),
    # « Quel est le délai d'attente ? », « Combien de temps faut-il ? », « Hoe lang moet je
    # wachten? », « Wat is de gemiddelde wachttijd? »
    AnswerType.DURATION: re.compile(
        r"\b(?:combien (?:de (?:temps|jours|semaines|mois|ans|minutes)|d['’]\s?(?:années|heures))"
        r"|quel(?:le)? (?:est |était |sera )?(?:le |la )?(?:\w+ )?(?:délai|durée)s?"
        r"|(?:le |la )(?:délai|durée)s? (?:moyen(?:ne)? )?(?:d['’]attente|de traitement)"
        r"|hoe ?lang|hoeveel (?:tijd|dagen|weken|maanden|jaar|jaren|uur)"
        r"|wat (?:is|was|zijn) de (?:\w+ )?(?:wachttijd|termijn|duur|doorlooptijd)\w*"
        r"|how long)\b",
        _I,
    ),
    AnswerType.DATE: re.compile(
        r"(?:^|[,;]\s*|\bet |\best-ce que |\b(?:depuis|pour|jusqu['’]à|d['’]ici) )quand\b"
        r"|\b(?:(?:à|a) quelle date|quelle (?:est la )?date|(?:en )?quelle ann[ée]e"
        r"|quelle p[ée]riode|quel (?:mois|jour|trimestre)|wanneer|welk jaar|sinds wanneer"
        r"|tegen wanneer|when|what date|which year)\b",
        _I,
    ),
    AnswerType.WHO: re.compile(
        r"(?:^\s*qui\b|\b(?:par|à|a|de|pour|avec) qui\b|\bc['’]est qui\b"
        # not a relative clause closed by a comma (« la prime, qui est ouverte à tous, … »)
        r"|(?<!ce )(?:(?<!, )|(?=[^,?]*(?:\?|$)))\bqui (?:est|sont|a|ont|peut|pourra|va|doit"
        r"|s['’]occupe|gère|porte|organise|décide|rassemble)\b"
        r"|\bquel(?:le)?s? (?:est (?:le|la) )?(?:ministres?|députée?s?|secrétaires? d['’]état"
        r"|membres?|parlementaires?|élue?s?"
        r"|entreprises?|organismes?|administrations?|opérateurs?|partenaires?|acteurs?"
        r"|institutions?|services?|entités?|personnes?|porteurs?)\b"
        r"|\bcomment s['’]appelle|\bwie\b"
        r"|\bwelke? (?:minister|staatssecretaris|lid\b|leden\b|parlementsle\w+|organisatie"
        r"|dienst)\w*"
        r"|\bwho\b)",
        _I,
    ),
    AnswerType.PLACE: re.compile(
        r"(?:(?:^\s*(?:\w+\s*,\s*)?|\bet )où\b(?! en est| en sont)"
        r"|\b(?:dans|en) quel(?:le)?s? (?:commune|ville|quartier"
        r"|région|pays|lieu|endroit|site)s?\b|\boù (?:trouver|se trouve|aller|s['’]adresser)"
        r"|\bwaar\b|\b(?:in|op) welke? (?:gemeente|stad|steden|wijk|buurt|straat|straten|plaats"
        r"|locatie|site|regio|land)(?:n|en|s)?\b|\bwhere\b"
        r"|\bin which (?:municipality|town|city|district)\b)",
        _I,
    ),
    # « Où trouver le détail … ? », « Où puis-je consulter … », « Où est-ce que je peux voir
    # … », « Waar vind ik de lijst … ? », « Where can I find … »: a text, not a place
    AnswerType.REFERENCE: re.compile(
        r"\boù (?:(?:puis-je|peut-on|pourrais-je|pourrait-on|peux-tu|pouvez-vous"
        r"|est-ce que (?:je|j['’]|l['’]on|on) (?:peux|peut|pourrai[st]?))\s+)?"
        r"(?:le |la |les )?(?:(?:consulter|lire|télécharger)\b"
        # « où trouver un logement ? » asks for a place; « où trouver la liste ? » a text
        rf"|(?:trouver|voir)\b(?=.*\b(?:{_TEXTS}|où en (?:est|sont)|état d['’]avancement)\b))"
        # « Où est la répartition par commune ? », « Où figure la liste des lauréats ? »
        rf"|\boù (?:est|sont|se trouve(?:nt)?|figure(?:nt)?) (?:le |la |les |l['’])?(?:{_TEXTS})\b"
        r"|\bwaar (?:vind|vindt|vinden|kan ik|kan men|kunnen we|staat|staan) (?:ik |men |we |u )?"
        r"(?=.*\b(?:vinden|raadplegen|lezen|bekijken|downloaden|lijst|overzicht|tabel"
        r"|gegevens|cijfers|details?|tekst|verslag)\b)"
        r"|\bwhere can (?:i|one|we) (?:find|see|read|consult|download)\b",
        _I,
    ),
    AnswerType.CAUSE: re.compile(
        r"\b(?:pourquoi|pour quelle raison|pour quelles raisons|à cause de quoi|waarom|why)\b",
        _I,
    ),
    # « Où en est la réforme ? », « Qu'en est-il du PRI ? », « l'état d'avancement du plan »,
    # « Hoe ver staat de hervorming? », « Wat is de stand van zaken? »
    AnswerType.STATUS: re.compile(
        r"\b(?:où en (?:est|sont|était|étaient)|qu['’]en est-il|(?:état|stade) d['’]avancement"
        r"|(?:niveau|degré) d['’]avancement"
        r"|l['’]avancement (?:des|du|de|d['’])\b(?!\s*(?:la\s+|leurs?\s+)?carrières?)"
        r"|hoe ?ver (?:staat|staan|is|zijn)"
        r"|stand van zaken|what is the status|status of)",
        _I,
    ),
    AnswerType.MANNER: re.compile(
        r"(?:\bcomment\b(?! s['’]appelle)|\bde quelle (?:manière|façon)\b"
        r"|\bhoe\b(?! ?(?:lang|ver)\b)|\bhow\b(?! (?:many|much|long)\b))",
        _I,
    ),
}
_YES_NO = re.compile(
    r"(?:^|[,;]\s*)(?:est-ce qu|y a-t-il|y aura-t-il|y a-t-on|y avait-il)"
    r"|\b[\w’']+-(?:t-)?(?:il|elle|on|ils|elles|je|nous|vous)\b(?!-)"
    r"|^\s*(?:is|are|does|do|did|will|can|has|have|was|were|heeft|hebben|zijn|wordt|worden"
    r"|kan|kunnen|zal|zullen|komt|komen|gaat|gaan|bestaat|bestaan|werd|werden)\b",
    _I,
)
_WH = re.compile(
    r"(?:^|[,;]\s*)(?:(?:à|a|de|dans|pour|avec|sur|vers|en|par|parmi|jusqu['’]à|depuis) )?"
    r"(?:quel\w*|que\b|qu['’]|quoi|lequel|laquelle|lesquel\w*|combien|comment|où|pourquoi"
    r"|quand|qui\b|wat|welke?|hoe|waar|wie|waarom|wanneer|what|which|how|where|who|why|when)",
    _I,
)
_LIST = re.compile(
    r"(?:^|[,;]\s*)(?:(?:avec|dans|pour|par|à|sur|vers|de|en|parmi) )?"
    r"(?:quel(?:le)?s\b|lesquel(?:le)?s\b|quels sont|quelles sont"
    r"|welke \w+(?:en|s)\b|which \w+s\b|what are\b)",
    _I,
)


# "Quand la Région commande des travaux, que fait-elle … ?": a leading clause of time or
# condition, before the comma that opens the question proper, asks for nothing
_LEADING_CLAUSE = re.compile(
    r"^\s*(?:quand|lorsque?|lorsqu['’]|si|s['’]|als|wanneer|indien|when|if)\b(?=\s*\w)[^,?]*,\s*"
    # not an inset relative clause: « Quand la prime, qui est ouverte à tous, sera-t-elle … »
    r"(?!(?:qui|que|qu['’]|dont|die|dat|waar|which|that)\b[^,?]*,\s*[\w'’]+-(?:t-)?"
    r"(?:il|elle|on|ils|elles)\b)"
    r"(?=(?:que\b|qu['’]|quoi|comment|qui\b|quel|pourquoi|où|combien|est-ce|y a-t-il"
    r"|wat|hoe|wie|welke?|waarom|waar|hoeveel|what|how|who|which|why|where)\b)",
    _I,
)


def wanted(question: str) -> frozenset[AnswerType]:
    """The answer types ``question`` asks for (empty: it wants a passage, not a value)."""
    question = _LEADING_CLAUSE.sub("", question)
    found = {t for t, rx in _Q.items() if rx.search(question)}
    if AnswerType.AMOUNT in found or AnswerType.PERCENT in found or AnswerType.DURATION in found:
        found.discard(AnswerType.COUNT)  # « combien de temps » is no count
    if AnswerType.REFERENCE in found:
        # « où trouver la liste ? »: a text, not a place; « où puis-je voir où en sont les
        # mesures ? » asks where to read their state
        found -= {AnswerType.PLACE, AnswerType.STATUS}
    if AnswerType.MANNER in found:
        # « Comment réduire le délai d'attente ? », « Comment accélérer l'état d'avancement
        # du plan ? » ask how, of a length of time or a state named as their subject
        found -= {AnswerType.DURATION, AnswerType.STATUS}
    if AnswerType.WHO in found:
        found.discard(AnswerType.MANNER)  # « qui s'en occupe et comment le joindre ? »
    if not found and _YES_NO.search(question) and not _WH.search(question):
        found.add(AnswerType.YES_NO)
    if _LIST.search(question):
        found.add(AnswerType.LIST)
    return frozenset(found)


@dataclass(frozen=True)
class Value:
    """A typed span of a sentence: ``text[start:end]`` is the value."""

    type: AnswerType
    start: int
    end: int


NUMBER = r"\d+(?:[  .]\d{3})*(?:,\d+)?"
_MONTHS = (
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre"
    r"|novembre|décembre|decembre|januari|februari|maart|april|mei|juni|juli|augustus"
    r"|oktober|january|february|march|june|july|august|september|october|november"
    r"|december"
)
YEAR = r"(?:19|20)\d\d"
# a year as the time a question asks about, not in a name (« la Stratégie 2030 »)
_ASKED_YEAR = re.compile(
    rf"\b(?:en|in|depuis|sinds|sedert|vanaf|d['’]ici|tegen|pour|voor|année|jaar|tijdens"
    rf"|durant|hiver|été|printemps|automne|saison|winter|zomer|lente|voorjaar|najaar|herfst"
    rf"|seizoen|fin|début|debut|mi|eind|einde|begin|midden|{_MONTHS})[\s-]+({YEAR})\b",
    re.I,
)
# a period of two years: « l'hiver 2024-2025 », « het schooljaar 2023-24 »
_PERIOD = re.compile(rf"\b({YEAR})\s?[-–/]\s?((?:19|20)?\d\d)\b")


def asked_years(question: str) -> list[str]:
    """The years ``question`` asks about (« combien … en 2021 ? », « … in 2024 verhoogd? »,
    « pour l'hiver 2024 », « en janvier 2024 », « fin 2023 », « mi-2025 »), in order; not a
    year inside a name (« la Stratégie 2030 »)."""
    return _ASKED_YEAR.findall(question)


def periods(text: str) -> list[tuple[str, str]]:
    """The periods of two following years ``text`` names (« 2024-2025 », « 2024–25 »,
    « 2024/2025 »: ``("2024", "2025")``), in order; not « 2020-2030 »."""
    out = []
    for first, second in _PERIOD.findall(text):
        following = str(int(first) + 1)
        if second in (following, following[2:]):  # one season or one school year
            out.append((first, following))
    return out


def says_year(text: str, year: str) -> bool:
    """Whether ``text`` says ``year`` as a year (« en 2023 », « 2023-2024 », not « 12023 »)."""
    return re.search(rf"(?<!\d){year}(?!\d)", text) is not None


# the answers that are figures: what a year or a place asked for must come with
FIGURES = frozenset({AnswerType.AMOUNT, AnswerType.COUNT, AnswerType.PERCENT})


SPELLED_NUMBERS = (
    r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize"
    r"|vingt|trente|quarante|cinquante|soixante|septante|octante|nonante|cent|mille"
    r"|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien"
    r"|zestien|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig"
    r"|tachtig|negentig|honderd|duizend"
)
_V = [
    (
        AnswerType.REFERENCE,
        re.compile(
            r"https?://[^\s»«\"<>]+[^\s»«\"<>.,;:)]|\bwww\.[^\s»«\"<>]+[^\s»«\"<>.,;:)]"
            r"|\b(?:(?:en|dans l['’]|à l['’]|in|als) )?(?:annexes?|bijlagen?)(?: (?:n°\s?)?\d+)?\b"
            # a site named by its domain (« le site d'easy.brussels »), or a website
            r"|\b(?:site(?: (?:internet|web))?|website)(?: (?:de |du |van )|\s?d['’])"
            r"[\w-]+(?:\.[\w-]+)+"
            r"|\b(?:site (?:internet|web)|website)\b",
            _I,
        ),
    ),
    (
        AnswerType.AMOUNT,
        re.compile(
            rf"(?:€|(?<!\w)EUR)\s?{NUMBER}(?:\s?(?:millions?|milliards?|mio|miljoen|miljard))?"
            rf"|{NUMBER}\s?(?:(?:millions?|milliards?|mio|miljoen|miljard|k|M)\s?(?:d['’])?\s?)?"
            r"(?:€|euros?|EUR)(?!\w)",
            _I,
        ),
    ),
    (AnswerType.PERCENT, re.compile(rf"{NUMBER}\s?(?:%|pour ?cent|procent|percent)", _I)),
    (
        AnswerType.DATE,
        re.compile(
            rf"\b\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d\d)\b"
            rf"|\b(?:(?:1er|\d{{1,2}}) )?(?:{_MONTHS}) {YEAR}\b"
            rf"|\b(?:1er|\d{{1,2}}) (?:{_MONTHS})\b"
            rf"|\b[QT][1-4] {YEAR}\b"
            rf"|\b(?:(?:premier|deuxième|second|troisième|quatrième|1er|[1-4]e)"
            rf" (?:trimestre|semestre)|(?:eerste|tweede|derde|vierde) (?:kwartaal|semester)"
            rf")(?: (?:de |d['’])?{YEAR})?"
            rf"|\b(?:printemps|été|automne|hiver|voorjaar|zomer|najaar|winter|rentrée"
            rf"|début|fin|(?:het )?(?:begin|einde?|midden))"  # « in het voorjaar van 2024 »
            rf" (?:de |d['’]|van )?(?:l['’]ann[ée]e |het jaar )?{YEAR}\b"
            rf"|\b(?:d['’]ici(?: (?:à|la fin de))?|dès|depuis|jusqu['’](?:en|à)|fin|début|mi-"
            rf"|courant|en|avant|après|pour|tegen|sinds|vanaf|eind|begin|in|tot|by|since)"
            rf"\s?{YEAR}\b",
            _I,
        ),
    ),
    (
        AnswerType.DURATION,
        re.compile(
            rf"(?<![\d.,/])(?:{NUMBER}|\b(?:{SPELLED_NUMBERS}|un|une|één|een)\b)\s?"
            r"(?:jours?|semaines?|mois|ans?|années?|heures?|minutes?|dagen|dag|weken|week"
            r"|maanden|maand|jaren|jaar|uren|uur|minuten|days?|weeks?|months?|years?|hours?)\b",
            _I,
        ),
    ),
    (
        AnswerType.COUNT,
        re.compile(
            rf"(?<![\d.,/])(?:{NUMBER}|\b(?:{SPELLED_NUMBERS})\b)"
            r"(?![\d.,/%€]|\s?(?:%|€|euros?|EUR)\b)"
            # « 356 en 2021 »: a figure said with its year
            r"(?=\s+(?:nouv\w+ |nieuwe )?(?:[^\W\d_]{3,}|m²|m2|km²?|ha\b|h\b)"
            rf"|\s+(?:en|in) {YEAR}\b"
            r"|(?:m²|m2|km²|km|ha)(?!\w))",  # a unit written against it: « 8700m² »
            _I,
        ),
    ),
    (
        AnswerType.WHO,
        re.compile(
            r"\b(?:[Mm]inistres?(?:-[Pp]résident)?|[Ss]ecrétaires? d['’][ÉEé]tat|M\.|Mme|"
            r"Monsieur|Madame|[Dd]éputée?|[Mm]inister|[Ss]taatssecretaris)"
            r"(?: (?:de |du |des |en charge )?[A-ZÉ][\w'’-]+)+"
            r"|\b[A-Z]{2,}[a-z]?\b(?!\s?\d)"
            r"|\b[a-z]+\.brussels\b",
        ),
    ),
    (
        AnswerType.CAUSE,
        re.compile(
            r"\b(?:en raison d|à cause d|suite à|du fait d|parce qu|faute d|compte tenu d"
            r"|étant donné|vu (?:la|le|les)|dû à|due à|dus à|dues à|à la suite d|omwille van"
            r"|wegens|vanwege|doordat|omdat|because|due to)",
            _I,
        ),
    ),
    (
        # a name after a locative word: « in Anderlecht (212) », « à Evere », « dans la
        # commune d'Ixelles » (spaCy's LOC entities are read too, where its model runs)
        AnswerType.PLACE,
        re.compile(
            r"\b(?i:à|dans|in|te)\s+(?i:la commune d['’]|la commune de |de gemeente )?"
            r"[A-ZÀ-Ý][\w'’-]+(?:[- ][A-ZÀ-Ý][\w'’-]+)*"
        ),
    ),
]


# « Un jour, … », « Op een dag, … » opening a clause: some day, not a length of time
_SOME_DAY = re.compile(r"(?:un|een)\s?(?:jour|dag)\s*,", re.I)


def values(sentence: str) -> list[Value]:
    """The typed spans of ``sentence``, in order; a span is typed once (money before count)."""
    taken: list[Value] = []
    for kind, rx in _V:
        for m in rx.finditer(sentence):
            start, end = m.start(), m.end()
            text = m.group()
            start += len(text) - len(text.lstrip())
            end -= len(text) - len(text.rstrip())
            if kind == AnswerType.COUNT and re.fullmatch(YEAR, sentence[start:end]):
                continue  # a year alone is not a count
            if kind == AnswerType.DURATION and _SOME_DAY.match(sentence, start):
                opening = sentence[:start].rstrip()
                if not opening or opening[-1] in ",;:.(" or opening.lower().endswith(("op", "et")):
                    continue
            if any(v.start < end and start < v.end for v in taken):
                continue
            taken.append(Value(kind, start, end))
    return sorted(taken, key=lambda v: v.start)


def holds(wants: frozenset[AnswerType], sentence: str) -> bool:
    """Whether ``sentence`` holds a value of a type ``wants`` names (False if none needs one);
    for :attr:`AnswerType.STATUS`, whether it says a state (:func:`status_of`)."""
    if AnswerType.STATUS in wants and status_of(sentence) is not None:
        return True
    accepted = frozenset().union(*(ANSWERED_BY.get(t, frozenset()) for t in wants))
    return bool(accepted) and any(v.type in accepted for v in values(sentence))


def status_of(sentence: str):
    """The state ``sentence`` says a measure is in, by the cue words of the follow-up table
    (:func:`assistant.brief.status.classify`: « a pris du retard » is delayed, « est en
    cours » under way, « a été approuvé » done, « devrait » planned); None when it says none."""
    from ..brief.status import Status, classify

    status, _, _, weak = classify(sentence)
    return None if weak or status is Status.NO_INFO else status


# what a sentence's stored spaCy entities answer (assistant.indexing.annotate: a PER or
# ORG entity is typed "who", a LOC one "place")
_ENTITY_ANSWERS = {
    AnswerType.WHO: frozenset({AnswerType.WHO}),
    AnswerType.PLACE: frozenset({AnswerType.PLACE}),
}


def holds_entity(wants: frozenset[AnswerType], types) -> bool:
    """Whether a sentence whose index-time answer ``types`` are given answers a "qui…" /
    "où…" question of ``wants`` with a named entity (False if it wants neither)."""
    accepted = frozenset().union(*(_ENTITY_ANSWERS.get(t, frozenset()) for t in wants))
    return bool(accepted) and any(AnswerType(t) in accepted for t in types)
