"""Answers about the document itself: who asked, to whom, when, under which number.

« Qui a posé la question sur les trottinettes ? », « À quel ministre la question a-t-elle
été adressée ? », « Wanneer werd de vraag over de groendaken beantwoord? » ask for a field
of a written question's metadata header, not for a sentence of its text. The field asked
(:func:`asked_fact`, a few cue patterns in French and Dutch) is read from the header of
the best-ranked document about the question's subject (:func:`fact_answer`): the value in
bold — the member, the minister with their function, the date as published, the number —
then the header line that holds it, cited like any quote.

A question that points inside the texts (« quand la prime sera-t-elle versée selon la
réponse ? », « l'étude citée dans la réponse », « volgens het antwoord ») is about their
content, not the header: the cues are read with those phrases and the subject left out.

A document is about the question's subject (the words after « sur », « concernant »,
« over »…, up to the verb that follows them) when at least half of them are in its
title, its header or its question, as the same stem; the first of the hits' first three
documents that is answers. A document in the other language cannot be checked word for
word (no translation offline, and word vectors do not tell subjects apart): it is trusted
only when the ranking puts it first. If no document is about the subject, or the header
lacks the field (a page saved incomplete),
the assistant says the documents do not answer: no other sentence could say who asked or
when.

Non-goals: questions over several documents (« combien de questions X a-t-il posées ? »:
:mod:`.listing`),
content questions that name a minister (« qu'a répondu la ministre de la Mobilité ? »:
the extractive reader), dates rewritten in words (the header's own ``dd/mm/yyyy``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..search.intent import question_language
from ..text.analyzer import fold
from .values import Citation, ShortAnswer, citation_of

__all__ = ["Fact", "FactAnswer", "asked_fact", "fact_answer", "subject_of"]


class Fact(StrEnum):
    AUTHOR = "author"  # the member who asked
    ADDRESSEE = "addressee"  # the minister (or College member) asked, with their function
    RECEIVED = "received"  # the dates of the header
    PUBLISHED = "published"
    ANSWERED = "answered"
    NUMBER = "number"


# On the folded question (lower case, no accents), the subject left out (``_parts``). The
# question must be about one written question (the noun in the singular with its article,
# « la question », « de vraag », « la réponse », « het antwoord », or a verb of questioning
# a minister), then name what it wants of it: « qui a posé la question », not « qui a posé
# les questions au jury » nor « quand recevront-elles une réponse à leur demande ».
_ABOUT = re.compile(
    r"\b(?:la|cette|sa|votre|ma|ta|leur) question\b|\bquestions? (?:ecrites?|n°|nr|numero)"
    r"|\b(?:de|deze|die|zijn|haar|uw|schriftelijke) vraag\b|\bvraag (?:nr|nummer)\b"
    r"|\binterroge\w*|\binterpelle\w*|\bondervra\w*"
    r"|\b(?:la|sa|cette) reponse\b|\b(?:het|zijn|haar|dit) antwoord\b"
)
# what points inside the texts, not at the document: « selon la réponse du ministre »,
# « l'étude citée dans la réponse », « volgens het antwoord », « in de vraag »
_INSIDE = re.compile(
    r"(?:\b(?:cite|mentionne|evoque|vise|annonce|prevu)e?s? )?"
    r"\b(?:selon|dans|d'apres|d apres) (?:la|sa|cette|leur|les|ses|leurs|une|des)"
    r" (?:reponses?|questions?)\b[^,?;]*"
    r"|(?:\b(?:genoemde?|vermelde?|vermeld) )?"
    r"\b(?:volgens|in|uit) (?:het|zijn|haar|dit) antwoord\b[^,?;]*"
    r"|(?:\b(?:genoemde?|vermelde?|vermeld) )?"
    r"\b(?:volgens|in|uit) (?:de|zijn|haar|deze) vraag\b[^,?;]*"
)
_QUESTION = r"(?:la |cette |sa |leur )?question"  # « de la question »
_VRAAG = r"(?:de |deze |zijn |haar )?vraag"
_ASKED_FR = r"(?:pose|ecrit|depose|introduit|redige|envoye|adresse|soumis)e?"
_ASKED_NL = r"(?:gesteld|ingediend|geschreven|verstuurd|gestuurd|ondervraagd)"
_OFFICE_FR = r"(?:ministre|ministre-president|secretaire d'etat|membre du college|membre)"
_OFFICE_NL = r"(?:minister|minister-president|staatssecretaris|collegelid|lid)"
_WHEN = r"(?:\bquand\b|\bdates?\b|\bquel jour\b|\bwanneer\b|\bdatum\b|\bop welke dag\b)"
_CUES: tuple[tuple[Fact, str], ...] = (
    (
        Fact.NUMBER,
        rf"\bnumero (?:de |d')?{_QUESTION}\b|\bquel numero (?:porte|a) {_QUESTION}\b"
        rf"|\bnummer (?:van|heeft) {_VRAAG}\b|\bwelk nummer (?:heeft|draagt) {_VRAAG}\b"
        r"|\bvraagnummer\b",
    ),
    (Fact.PUBLISHED, _WHEN + r".*\b(?:publiee?s?|publication|gepubliceerd|publicatie)\b"),
    (
        Fact.ANSWERED,
        _WHEN + r".*\b(?:repondu|reponse|beantwoord|antwoordde|geantwoord|antwoord)\b",
    ),
    (
        Fact.RECEIVED,
        _WHEN + r".*\b(?:recue?|reception|posee?|deposee?|introduite?|envoyee?|adressee?"
        r"|ontvangen|ontvangst|ingediend|gesteld|verstuurd|gericht)\b"
        rf"|\bdate (?:de |d')?{_QUESTION}\b|\bdatum van {_VRAAG}\b",
    ),
    (
        Fact.ADDRESSEE,
        rf"\ba qui\b.*\b(?:{_ASKED_FR}|destinee|transmise)\b|\ba quel(?:le)?s? {_OFFICE_FR}\b"
        rf"|\bdestinataire\b|^qui a repondu\b"
        # « quel membre du Collège réuni a répondu », « quelle ministre de la Mobilité a … »
        rf"|^quel(?:le)? {_OFFICE_FR}(?:\s+(?:du|de la|de l'|des|d')[^?,]*?)?"
        r"\s+a (?:repondu|ete (?:interroge|interpelle)e?)\b"
        rf"|\baan wie\b.*\b(?:{_ASKED_NL}|gericht)\b|\baan welke {_OFFICE_NL}\b"
        r"|^wie (?:antwoordde|beantwoordde)\b|^wie heeft\b.*\b(?:geantwoord|beantwoord)\b"
        rf"|^welke? {_OFFICE_NL}\b.*\b(?:antwoordde|beantwoordde|beantwoord|geantwoord"
        r"|ondervraagd)\b",
    ),
    (
        Fact.AUTHOR,
        rf"^qui (?:a|avait) {_ASKED_FR}\b.*\bquestion|^qui (?:a|avait) (?:interroge|interpelle)"
        rf"|\bpar qui\b(?!.*\brepon).*\bquestion|\bauteure?s? (?:de |d')?{_QUESTION}\b"
        rf"|^qui est a l'origine (?:de |d')?{_QUESTION}\b"
        rf"|\bquel(?:le)?s? (?:depute|deputee|membre|parlementaire)s? (?:a|avait) {_ASKED_FR}\b"
        r"|\bquel(?:le)?s? (?:depute|deputee|membre|parlementaire)s? (?:a|avait) (?:interroge"
        r"|interpelle)"
        rf"|^wie (?:stelde|diende|schreef|ondervroeg)\b|^wie heeft\b.*\b{_ASKED_NL}\b"
        rf"|\bdoor wie\b.*\b{_ASKED_NL}\b|\bindieners? van {_VRAAG}\b"
        r"|^wie (?:is|zijn|was|waren) (?:de )?indieners?\b"
        r"|\bwelke? (?:parlementslid|volksvertegenwoordiger)\b.*\b(?:stelde|diende|schreef"
        r"|gesteld|ingediend|ondervroeg)\b",
    ),
)
_CUE = tuple((fact, re.compile(pattern)) for fact, pattern in _CUES)
# the header's date labels, French and Dutch, as published
_DATE_LABELS = {
    Fact.RECEIVED: r"(?:date de r[ée]ception|datum ontvangst)",
    Fact.PUBLISHED: r"(?:date de publication|datum publicatie)",
    Fact.ANSWERED: r"(?:date de r[ée]ponse|datum antwoord)",
}
_NUMBER = re.compile(r"\((?:question n°|vragen nr\.?|vraag nr\.?)\s*(\d+)\)", re.I)
# what a question is about: the words after its topic preposition, up to the verb that
# follows them (« … sur les crêpes a-t-elle reçu une réponse », « … over X beantwoord »)
_TOPIC = re.compile(
    r"\b(?:sur|concernant|au sujet d(?:e|u|es)|à propos d(?:e|u|es)|relative à|over|betreffende"
    r"|inzake|omtrent|in verband met)\s+(\S.*?)\s*[?.!]*\s*$",
    re.I,
)
_SUBJECT_END = re.compile(
    r"\s*,|\s+(?:\S+-t-(?:il|elle|on|ils|elles)\b|\S+-(?:il|elle|on|ils|elles)\b"
    r"|(?:a|ont|est|sont|fut|avait) (?:été|ete|reçu|recu|obtenu)\b"
    r"|(?:werd|werden|wordt|is|was|zijn|heeft|hebben)\b"
    r"|(?:beantwoord|geantwoord|gesteld|ingediend|gepubliceerd|ontvangen|verstuurd|gestuurd"
    r"|gericht|geschreven|verzonden)\b)",
    re.I,
)


@dataclass(frozen=True)
class FactAnswer:
    """A field of a document's header, quoted."""

    fact: Fact
    text: str  # "**Sophie Lambert** — « De Sophie Lambert à … » [1]"
    citation: Citation
    short_answer: ShortAnswer


def _parts(question: str) -> tuple[str, str | None]:
    """The question without its subject, and the subject (None: it names none)."""
    m = _TOPIC.search(question)
    if m is None:
        return question, None
    subject = m.group(1)
    end = _SUBJECT_END.search(subject)
    if end is not None and end.start() > 0:
        return f"{question[: m.start()]} {subject[end.start() :]}", subject[: end.start()]
    return question[: m.start()], subject


def asked_fact(question: str) -> Fact | None:
    """The header field ``question`` asks for, or None for a question about the content."""
    rest, _ = _parts(question)
    folded = " ".join(_INSIDE.sub(" ", fold(rest)).split()).strip(" ,;:")
    if not _ABOUT.search(folded):
        return None
    return next((fact for fact, cue in _CUE if cue.search(folded)), None)


def subject_of(question: str) -> str | None:
    """The words the question says the document is about (None: it does not say)."""
    return _parts(question)[1]


def _value_span(fact: Fact, chunk) -> tuple[int, int] | None:
    """[start, end) of the field's value in the header chunk's text (None: not there)."""
    text = chunk.text
    if fact in _DATE_LABELS:
        m = re.search(_DATE_LABELS[fact] + r"\s*:?\s*(\d{1,2}/\d{1,2}/\d{4})", text, re.I)
        return m.span(1) if m else None
    if fact is Fact.NUMBER:
        m = _NUMBER.search(text)
        return m.span(1) if m else None
    start = _name_at(text, chunk.doc_author, 0, chunk.doc_title)
    if fact is Fact.ADDRESSEE:  # after the member: « de X à Y », « Indiener(s) X aan Y »
        after = 0 if start < 0 else start + len(chunk.doc_author)
        start = _name_at(text, chunk.doc_addressee, after, chunk.doc_title)
    if start < 0:
        return None
    end = start + len(chunk.doc_author if fact is Fact.AUTHOR else chunk.doc_addressee)
    function = chunk.doc_function
    if fact is Fact.ADDRESSEE and function:
        after = text.find(function, end)
        if 0 <= after - end <= 3:  # "Nathalie Dewaele, Ministre …"
            end = after + len(function)
    return start, end


def _name_at(text: str, name: str, after: int, title: str) -> int:
    """Where ``name`` first stands in ``text`` from ``after``, outside the title's line (the
    line that ends with the title, which may name a minister too); -1: nowhere."""
    if not name:
        return -1
    start = text.find(name, after)
    while start >= 0 and title:
        lo, hi = _line_of(text, start, start + len(name))
        if not text[lo:hi].endswith(title):
            break
        start = text.find(name, hi)
    return start


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The line of ``text`` holding [start, end), its blanks left out."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def fact_answer(
    question: str, hits: list, *, chunks, row_of: dict[str, int], about=None, documents: int = 3
) -> FactAnswer | None:
    """The header field ``question`` asks for, from the first of the hits' first
    ``documents`` documents that is about the question's subject; None: not a question
    about a document, or not one these documents answer.

    ``about(subject, texts)``: whether ``texts`` (the document's header and question) are
    about ``subject`` (module docstring), asked for a document in the question's language;
    None: no document is checked. A document in the other language cannot be checked: it
    is taken only when it comes first.
    """
    fact = asked_fact(question)
    if fact is None or not hits:
        return None
    subject = subject_of(question)
    seen: list[str] = []
    for hit in hits:
        doc_id = chunks[row_of[hit.chunk_id]].doc_id
        if doc_id in seen:
            continue
        seen.append(doc_id)
        if len(seen) > documents:
            break
        row = row_of.get(f"{doc_id}#metadata")
        if row is None:
            continue
        header = chunks[row]
        if subject and about is not None:
            if header.doc_language != question_language(question):
                if len(seen) > 1:
                    continue
            elif not about(subject, _about_texts(header, doc_id, chunks, row_of)):
                continue
        # the document asked about (None: the field is missing)
        return _quoted(fact, header, language=question_language(question))
    return None


def _about_texts(header, doc_id: str, chunks, row_of: dict[str, int]) -> list[str]:
    """The texts a document's subject is read in: its header, title and question."""
    texts = [header.text, header.doc_title]
    for suffix in ("", *(f"-{k}" for k in range(2, 10))):
        part = row_of.get(f"{doc_id}#question{suffix}")
        if part is None:
            break
        texts.append(chunks[part].text)
    return texts


def _quoted(fact: Fact, header, *, language: str = "fr") -> FactAnswer | None:
    """The field ``fact`` of ``header`` (a document's header chunk), quoted, with « (en
    néerlandais) » after a Dutch header for a question not in Dutch; None: absent."""
    span = _value_span(fact, header)
    if span is None:
        return None
    lo, hi = _line_of(header.text, *span)
    line = header.text[lo:hi]
    quote = line[:1].upper() + line[1:]
    note = " (en néerlandais)" if header.doc_language == "nl" and language != "nl" else ""
    value = header.text[span[0] : span[1]]
    short = ShortAnswer(text=value, type=fact.value, citation=1, start=span[0], end=span[1])
    return FactAnswer(
        fact,
        f"**{value}** — « {quote} »{note} [1]",
        citation_of(1, header, ((lo, hi),)),
        short,
    )
