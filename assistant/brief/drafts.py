"""Follow-up questions for every open point, as fixed templates filled from the document.

Open points: a part of a sub-question left without answer or answered only in
part, a deferral to another minister or body, a chantier delayed without a
stated cause, a chantier that mentions a budget without an amount, a chantier
with no text. Each draft names its addressee (the minister the answer sends
the member to, else the minister(s) porteur(s) of the section, else the
minister the written question was addressed to), quotes the passage it follows
up (« vous indiquez que « la Région … » », or before a vowel « vous indiquez : « En 2021,
… » »: no « que « en … » »), and asks one precise thing. Nothing is generated: the wording is
the template's, the quotes are the document's. The drafts of a Dutch page's sub-questions are
written in Dutch (the member sends them in the language of the question); the chantier
drafts, for documents organised in chantiers, in French. A Dutch page is named as it names
itself, « schriftelijke vraag nr. 2104 » (:func:`document_name`), in every draft.

Non-goals: no tone or length variants, no sending, no other language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..documents.document import Document
from .coverage import Verdict
from .status import Status

__all__ = ["Draft", "document_name", "drafts_for", "number_label"]

# What to ask for, per kind of open ask (see assistant.brief.parts.ASKS).
_ASK_WORDS = {
    "budget": "le budget prévu et son montant",
    "calendrier": "l’échéancier prévu",
    "causes": "les causes de ce retard",
    "nombre": "les chiffres correspondants",
    "état": "l’état d’avancement",
    "lieu": "où ces informations peuvent être consultées",
    "acteurs": "les organisations ou institutions concernées",
}
# The same in Dutch, for the sub-questions of a Dutch page.
_ASK_WORDS_NL = {
    "budget": "het geplande budget en het bedrag ervan",
    "calendrier": "de geplande timing",
    "causes": "de oorzaken van deze vertraging",
    "nombre": "de overeenkomstige cijfers",
    "état": "de stand van zaken",
    "lieu": "waar deze informatie kan worden geraadpleegd",
    "acteurs": "de betrokken organisaties of instellingen",
}
# The sub-question drafts by the page's language: the asks' words and how they are joined,
# the fallbacks, and the templates ({doc}: the question's name and number, {by}, {that}: the
# quote with what introduces it (:func:`_that`), {asked}, {what}, {asks}).
_COVERAGE = {
    "fr": {
        "asks": _ASK_WORDS,
        "and": " et ",
        "who": "ministre compétent",
        "what": "votre réponse sur ce point",
        "renvoi": (
            "Dans sa réponse à la {doc}, {by} indique{that} et "
            "m’invite à vous adresser ma question. Je vous la pose donc : {asked}"
        ),
        "partiel": (
            "Dans votre réponse à la {doc}, vous indiquez{that}. "
            "Ma question portait aussi sur ce point : « {asked} » Pouvez-vous préciser {what} ?"
        ),
        "sans réponse": (
            "Dans ma {doc}, je vous demandais : « {asked} » "
            "Votre réponse n’aborde pas ce point. Pouvez-vous y répondre{asks} ?"
        ),
        "sans réponse, asks": ", en précisant {what}",
    },
    "nl": {
        "asks": _ASK_WORDS_NL,
        "and": " en ",
        "who": "bevoegde minister",
        "what": "uw antwoord op dit punt",
        "renvoi": (
            "In het antwoord op {doc} stelt {by}{that} en "
            "wordt mijn vraag naar u verwezen. Daarom stel ik ze u: {asked}"
        ),
        "partiel": (
            "In uw antwoord op {doc} stelt u{that}. "
            "Mijn vraag ging ook over dit punt: « {asked} » Kunt u {what} toelichten?"
        ),
        "sans réponse": (
            "In mijn {doc} vroeg ik u: « {asked} » "
            "Uw antwoord gaat niet in op dit punt. Kunt u hierop antwoorden{asks}?"
        ),
        "sans réponse, asks": " en daarbij {what} meedelen",
    },
}
MAX_QUOTE = 300


@dataclass(frozen=True)
class Draft:
    addressee: str
    subject: str  # what it follows up: "Sous-question 4.3", "Chantier 2.2.6 — …"
    reason: str  # the open point, in a few words
    text: str  # the draft question, ready to copy
    section_id: str = ""  # the passage it follows up, when there is one
    quote: str = ""

    def to_json(self) -> dict:
        return {
            "addressee": self.addressee,
            "subject": self.subject,
            "reason": self.reason,
            "text": self.text,
            "section_id": self.section_id,
            "quote": self.quote,
        }


def _quote(sentence: str) -> str:
    """The sentence as quoted in a draft: one line, without its final stop, at most
    :data:`MAX_QUOTE` characters."""
    s = " ".join(sentence.split()).rstrip(" .;:")
    if len(s) > MAX_QUOTE:
        s = s[:MAX_QUOTE].rsplit(" ", 1)[0] + " (…)"
    return s


def _run_on(quote: str) -> str:
    """``quote`` with its first letter lowered, to run on after « que » or « dat », unless it
    starts an acronym (« PRI »)."""
    if quote[:1].isupper() and not quote[1:2].isupper():
        return quote[:1].lower() + quote[1:]
    return quote


_CONSONANT = re.compile(r"[b-df-gj-np-tv-xzç]", re.I)


def _that(quote: str, language: str = "fr", comma: bool = False) -> tuple[str, str]:
    """(the words that introduce ``quote`` after « vous indiquez » / « stelt u », the quote
    as they show it). French elides « que » before a vowel or an h, and « qu’« en 2021 … » »
    reads badly: before a consonant « que « la Région … » », else a colon and the sentence
    as written (« : « En 2021, … » »); ``comma``: a comma closes what comes before « que »
    (« vous indiquez, à propos du chantier 3.1.2, que … »). Dutch: « dat « … » »."""
    if language == "nl":
        shown = _run_on(quote)
        return f" dat « {shown} »", shown
    if _CONSONANT.match(quote):
        shown = _run_on(quote)
        return f"{',' if comma else ''} que « {shown} »", shown
    return f" : « {quote} »", quote


def document_name(doc: Document) -> str:
    """How the brief names the written question: « question écrite n°517 », and a Dutch one
    « schriftelijke vraag nr. 2104 », as the Dutch drafts and the Dutch page write it."""
    word = "schriftelijke vraag" if doc.language == "nl" else "question écrite"
    return f"{word} {number_label(doc)}" if doc.metadata.number else word


def number_label(doc: Document) -> str:
    """The question's number as the brief writes it: « n°517 », « nr. 2104 » (a Dutch page)."""
    n = doc.metadata.number
    return f"nr. {n}" if doc.language == "nl" else f"n°{n}"


def _default_addressee(doc: Document) -> str:
    m = doc.metadata
    return f"{m.addressee}, {m.addressee_function}" if m.addressee_function else m.addressee


def _porteurs(ministers) -> str:
    return " ; ".join(ministers)


def _coverage_draft(doc: Document, pv) -> Draft | None:
    name = document_name(doc)
    part = pv.part
    subject = f"Sous-question {part.label}"
    asked = " ".join(part.text.split())
    language = "nl" if doc.language == "nl" else "fr"
    words = _COVERAGE[language]
    if pv.verdict == Verdict.DEFERRED:
        e = pv.support[0] if pv.support else None
        that, quote = _that(_quote(e.quoted), language) if e else ("", "")
        who = pv.deferred_to or words["who"]
        if who.lower().startswith("ministres porteurs"):
            addressee = "Chacun des ministres porteurs de la Stratégie"
        else:
            addressee = who[:1].upper() + who[1:]
        by = doc.metadata.addressee
        text = words["renvoi"].format(doc=name, by=by, that=that, asked=asked)
        return Draft(addressee, subject, "renvoi", text, e.section_id if e else "", quote)
    if pv.verdict not in (Verdict.UNANSWERED, Verdict.PARTIAL):
        return None
    open_words = [words["asks"][a] for a in pv.open_asks if a in words["asks"]]
    e = pv.support[0] if pv.support else None
    addressee = _porteurs(e.ministers) if e and e.ministers else _default_addressee(doc)
    if pv.verdict == Verdict.PARTIAL and e:
        that, quote = _that(_quote(e.quoted), language)
        what = words["and"].join(open_words) or words["what"]
        text = words["partiel"].format(doc=name, that=that, asked=asked, what=what)
        return Draft(addressee, subject, "réponse partielle", text, e.section_id, quote)
    asks = (
        words["sans réponse, asks"].format(what=words["and"].join(open_words)) if open_words else ""
    )
    text = words["sans réponse"].format(doc=name, asked=asked, asks=asks)
    return Draft(addressee, subject, "sans réponse", text)


def _table_drafts(doc: Document, rows) -> list[Draft]:
    name = document_name(doc)
    out = []
    for r in rows:
        addressee = _porteurs(r.ministers) or _default_addressee(doc)
        about = f"à propos du {r.label[0].lower()}{r.label[1:]}"
        if r.status == Status.DELAYED and not r.cause:
            that, quote = _that(_quote(r.status_sentence), comma=True)
            text = (
                f"Dans votre réponse à la {name}, vous indiquez, {about}{that}. Pouvez-vous "
                "préciser les causes de ce retard et le nouveau calendrier de mise en œuvre ?"
            )
            out.append(Draft(addressee, r.label, "retard sans cause", text, r.section_id, quote))
        elif r.status == Status.NO_INFO:
            text = (
                f"Votre réponse à la {name} ne dit rien du {r.label[0].lower()}"
                f"{r.label[1:]}. Pouvez-vous préciser son état d’avancement, son échéancier "
                "et son budget ?"
            )
            out.append(Draft(addressee, r.label, "chantier sans information", text, r.section_id))
        for sentence in r.budget_sentences:
            that, quote = _that(_quote(sentence), comma=True)
            text = (
                f"Dans votre réponse à la {name}, vous indiquez, {about}{that}. "
                "Pouvez-vous préciser le montant de ce budget ?"
            )
            out.append(Draft(addressee, r.label, "budget sans montant", text, r.section_id, quote))
    return out


def drafts_for(doc: Document, coverage, rows) -> list[Draft]:
    """Every follow-up draft: the open parts of the coverage, then the chantiers' open points."""
    out = []
    for sub in coverage:
        for pv in sub.parts:
            d = _coverage_draft(doc, pv)
            if d is not None:
                out.append(d)
    return out + _table_drafts(doc, rows)
