"""Questions about the written questions loaded, as a set: which ones, how many.

« Quelles questions écrites portent sur les zones de livraison ? », « Combien de questions a
posées Sophie Lambert ? », « Quelles questions ont été adressées à la ministre de la
Mobilité ? », « Welke vragen gaan over huisvesting? » ask for documents, not for a sentence
of one: :func:`listing_query` reads what they ask, :func:`listing_answer` lists the
documents that match, one line each (number, title, member and addressee, date), each cited
by its header, most recent first.

What counts as such a question (on the folded question): « quelles / combien de / welke /
hoeveel / liste des » with « questions » or « vragen » or « documents » in the plural, and
then something that says it is about the set: « questions écrites », « documents », a
count, a verb of subject (« portent sur », « parlent de », « gaan over »), or a member or
minister named with a verb of asking (« a posées », « ont été adressées », « heeft
gesteld »). « Quelles questions pose la députée sur le monitoring ? » stays a question
about one text (its sub-questions).

What the documents must match, all that is asked:

* a member or minister named by their whole name, as author or addressee; a name written
  in capitals that is nobody's in the documents is said so (« Aucune question écrite de ou
  à « Inès Lemaire » … »), not answered with another;
* an office (« la ministre de la Mobilité »): the documents whose addressee's function
  matches best (:class:`~assistant.search.metadata_match.MetadataIndex`);
* a subject (the words after « sur », « de », « over »…): at least half of its content
  words in the document's title or question, as the same stem under either language's
  analyzer.

Non-goals: a subject in the other language than the document's (no dictionary offline:
« maisons de repos » does not list a page on « rusthuizen »), date ranges (the search
filters do that), the answers' content (the extractive reader).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..search.metadata_match import MetadataIndex, names_an_office, stems, word_stems
from ..search.portfolios import translations
from ..text.analyzer import fold
from ..text.sentences import split_sentences
from .persons import names_in
from .values import Answer, citation_of

__all__ = ["MAX_LISTED", "ListingQuery", "listing_answer", "listing_query"]

MAX_LISTED = 15  # documents listed (and cited) in one answer

# « quelles questions », « combien de questions écrites », « welke vragen », « liste des
# documents »: the head of a question about the set of documents (folded)
_HEAD = re.compile(
    r"^\s*(?:et\s+)?(?:(?P<how_many>combien\s+(?:de\s+|d')|hoeveel\s+)|quel(?:le)?s\s+|welke\s+"
    r"|(?:donne[sz]?[- ]moi\s+)?(?:la\s+)?liste\s+(?:de\s+|des\s+)|(?:de\s+)?lijst\s+van\s+"
    r"(?:de\s+|alle\s+)?|toutes\s+les\s+|alle\s+)"
    r"(?:(?:autres|andere)\s+)?"
    r"(?P<what>questions(?P<written>\s+ecrites|\s+parlementaires)?|documents|pages"
    r"|(?P<schriftelijke>schriftelijke\s+)?vragen)\b"
)
# a verb that says what the documents are about: « portent sur », « parlent de », « gaan over »
_SUBJECT = re.compile(
    r"\b(?:portent|portaient|porte|parlent|parle|traitent|traite|concernent|concerne"
    r"|abordent|evoquent)\s+(?:sur\s+|de\s+|d'|du\s+|des\s+)?(?P<s1>.+)"
    r"|\b(?:gaan|ging|gingen|handelen|hebben\s+betrekking)\s+(?:over|op)\s+(?P<s2>.+)"
    r"|\b(?:betreffen|betreft)\s+(?P<s3>.+)"
    r"|\b(?:sur|concernant|au\s+sujet\s+d(?:e|u|es)|a\s+propos\s+d(?:e|u|es)|over"
    r"|betreffende|inzake|omtrent)\s+(?P<s4>.+)"
)
# a question sent, in the past: « ont été posées », « a adressées », « werden gesteld »
_SENT = re.compile(
    r"\b(?:posees?|deposees?|adressees?|envoyees?|ecrites|introduites?|recues?"
    r"|gesteld|ingediend|gestuurd|verstuurd|gericht|ontvangen)\b"
)
# a verb of asking or sending: « a posées », « ont été adressées », « heeft gesteld »
_ASKING = re.compile(
    r"\b(?:pose\w*|depose\w*|ecrit\w*|adresse\w*|envoye\w*|introdui\w*|recu\w*"
    r"|gesteld|ingediend|gestuurd|verstuurd|gericht|stelde|diende|ontvangen|ontving"
    r"|interroge\w*|ondervraagd|ondervroeg)\b"
)
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
_SUBJECT_END = re.compile(r"\s*(?:[?!.]|\s(?:a-t-|ont-|sont-|zijn|werden|worden)\b).*$")


@dataclass(frozen=True)
class ListingQuery:
    """What a question about the set of documents asks for."""

    count: bool  # « combien », « hoeveel »: the number first
    subject: str | None  # the words after « sur », « over »… (None: any subject)
    names: tuple[str, ...]  # the names written in the question (« Sophie Lambert »)
    office: bool  # it names an office (« la ministre de la Mobilité »)
    years: tuple[str, ...] = ()  # the years it names outside its subject (« en 2023 »)


def listing_query(question: str) -> ListingQuery | None:
    """What ``question`` asks of the set of documents (None: not such a question)."""
    folded = fold(question)
    head = _HEAD.search(folded)
    if head is None:
        return None
    rest = folded[head.end() :]
    m = _SUBJECT.search(rest)
    subject = None
    if m is not None:
        said = _SUBJECT_END.sub("", next(m[g] for g in ("s1", "s2", "s3", "s4") if m[g]))
        subject = _as_written(question, said.strip(" ,;:")) or None
    names = names_in(question, outside=subject)
    office = names_an_office(question[head.end() :])
    about_set = bool(
        head["how_many"]
        or head["written"]
        or head["schriftelijke"]
        or head["what"] in ("documents", "pages")
        or (m is not None and (m["s4"] is None or _SENT.search(rest[: m.start()])))
        or ((names or office) and _ASKING.search(rest))
    )
    if not about_set:
        return None
    years = tuple(y for y in _YEAR.findall(question[: len(question) - len(subject or "")]) if y)
    return ListingQuery(bool(head["how_many"]), subject, names, office, years)


def _as_written(question: str, folded_part: str) -> str:
    """``folded_part`` (a folded tail of ``question``) as the question writes it."""
    if not folded_part:
        return ""
    count = len(folded_part.split())
    for word in re.finditer(r"\S+", question):
        if fold(question[word.start() :]).startswith(folded_part):
            return " ".join(question[word.start() :].split()[:count]).rstrip(" ?!.")
    return folded_part


def listing_answer(question: str, chunks, metadata: MetadataIndex) -> Answer | None:
    """The documents ``question`` asks for, listed and cited by their headers; None: not a
    question about the set of documents."""
    asked = listing_query(question)
    if asked is None:
        return None
    headers = {c.doc_id: c for c in chunks if c.kind == "metadata"}
    matched = [d for d in metadata.doc_ids if d in headers]
    what = []
    for name in asked.names:
        of_name = metadata.documents_of(name)
        if not of_name:
            text = (
                f"Aucune question écrite de ou à « {name} » parmi les {len(headers)} "
                "questions écrites chargées."
            )
            return Answer(question, text, True, (), resolved_question=question)
        matched = [d for d in matched if d in of_name]
        what.append(f"de ou à « {name} »")
    if asked.office and not asked.names:
        scores = dict(zip(metadata.doc_ids, metadata.document_scores(question), strict=True))
        best = max((scores[d] for d in matched), default=0.0)
        if best > 0:
            matched = [d for d in matched if scores[d] >= best - 1e-9]
            addressees = sorted({headers[d].doc_addressee for d in matched} - {""})
            what.append(
                "à " + " ou ".join(f"« {a} »" for a in addressees)
                if addressees
                else "au membre nommé"
            )
    if asked.subject:
        words = [w for w in word_stems(asked.subject) if w]
        if words:
            texts = _subject_texts(chunks)
            matched = [d for d in matched if any(_holds(words, t) for t in texts.get(d, ()))]
        what.append(f"sur « {asked.subject} »")
    for year in asked.years:  # « en 2023 »: dated that year (answered, else published)
        matched = [d for d in matched if headers[d].doc_date.startswith(year)]
        what.append(f"datée(s) de {year}")
    scope = f" {' et '.join(what)}" if what else ""
    if not matched:
        text = f"Aucune question écrite{scope} dans les documents chargés."
        return Answer(question, text, True, (), resolved_question=question)
    matched.sort(key=lambda d: (headers[d].doc_date, d), reverse=True)  # most recent first
    n = len(matched)
    noun = "question écrite" if n == 1 else "questions écrites"
    lines = [f"**{n} {noun}**{scope} :"]
    citations = []
    for k, doc_id in enumerate(matched[:MAX_LISTED], start=1):
        header = headers[doc_id]
        citations.append(citation_of(k, header, _people_line(header)))
        lines.append(f"- {_describe(header)} [{k}]")
    if n > MAX_LISTED:
        lines.append(f"… et {n - MAX_LISTED} autres.")
    return Answer(question, "\n".join(lines), False, tuple(citations), resolved_question=question)


def _subject_texts(chunks) -> dict[str, list[frozenset[str]]]:
    """Per document, the stems of each text its subject is read in: its title, its
    addressee's function (« belast met Huisvesting »), each sentence of its question."""
    out: dict[str, list[frozenset[str]]] = {}
    for c in chunks:
        if c.kind == "metadata":
            function = stems(c.doc_function) | translations(c.doc_function)
            out.setdefault(c.doc_id, []).extend((stems(c.doc_title), function))
        elif c.kind == "question":
            out.setdefault(c.doc_id, []).extend(
                stems(c.text[x.start : x.end]) for x in split_sentences(c.text)
            )
    return out


def _holds(words: list[frozenset[str]], text: frozenset[str]) -> bool:
    """Whether ``text`` (stems) holds the subject's ``words``: every one of them up to three
    words, two thirds of them beyond (each word as any of its stems)."""
    found = sum(bool(w & text) for w in words)
    return found >= (len(words) if len(words) <= 3 else math.ceil(2 * len(words) / 3))


def _describe(header) -> str:
    """« n°1187 — zones de livraison (Sophie Lambert à Nathalie Dewaele, 12/06/2023) »."""
    number = f"n°{header.doc_number}" if header.doc_number else header.doc_id
    people = " à ".join(p for p in (header.doc_author, header.doc_addressee) if p)
    date = _date(header.doc_date)
    said = ", ".join(p for p in (people, date) if p)
    title = f" — {header.doc_title}" if header.doc_title else ""
    language = " (en néerlandais)" if header.doc_language == "nl" else ""
    return f"{number}{title}{f' ({said})' if said else ''}{language}"


def _date(iso: str) -> str:
    """« 2023-06-12 » as the pages write it: « 12/06/2023 » ("" stays "")."""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def _people_line(header) -> tuple[tuple[int, int], ...]:
    """The span of the header line that names the member (to highlight it), if found."""
    name = header.doc_author or header.doc_addressee
    at = header.text.find(name) if name else -1
    if at < 0:
        return ()
    lo = header.text.rfind("\n", 0, at) + 1
    hi = header.text.find("\n", at)
    return ((lo, len(header.text) if hi < 0 else hi),)
