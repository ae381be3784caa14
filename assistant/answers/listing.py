"""Questions about the written questions loaded, as a set: which ones, how many.

« Quelles questions écrites portent sur les zones de livraison ? », « Combien de questions a
posées Sophie Lambert ? », « Quelles questions ont été adressées à la ministre de la
Mobilité ? », « Welke vragen gaan over huisvesting? » ask for documents, not for a sentence
of one: :func:`listing_query` reads what they ask, :func:`listing_answer` lists the
documents that match, one line each (number, title, member and addressee, date), each cited
by its header, most recent first.

What counts as such a question (on the folded question): « quelles / combien de / welke /
hoeveel / liste des / y a-t-il des » with « questions », « vragen » or « documents », and
then what makes it about the set: a verb of subject (« portent sur », « parlent de »,
« gaan over »), a member or minister with a verb of asking (« a posées Lambert », « ont été
adressées à la ministre de la Mobilité », « heeft gesteld »), or, after « questions
écrites » / « schriftelijke vragen » only, a bare « sur », a name, a year or nothing more
(« Combien de questions écrites ? »); after « questions » / « vragen », a bare « sur » /
« over » with nothing but its subject after it (« Welke vragen over de rusthuizen? »).
« Documents » asks for plain texts too; « questions » for written questions only.
« Quelles questions pose la députée sur le monitoring ? », « Combien de questions le député
pose-t-il ? » (one page's member), « Quels documents faut-il pour la prime ? » stay
questions about the content.

What the documents must match, all that is asked:

* a member or minister named by their whole name, or a last name alone (« Lambert »,
  « dewaele »), as author or addressee; a name that is nobody's in the documents is said
  so (« Aucune question écrite de ou à « Inès Lemaire » … »), not answered with another;
* an office (« la ministre de la Mobilité »): the documents whose addressee's function
  matches best (:class:`~assistant.search.metadata_match.MetadataIndex`);
* a subject (the words after « sur », « de », « over »…, up to a verb, a year or who
  asked): every content word (two thirds beyond three) in the document's title, its
  addressee's function (either language) or one sentence of its question (any passage of a
  plain text), as the same stem; BM25 finds the passages holding them;
* a year (« en 2023 »): the documents dated that year (answered, else published).

Non-goals: a subject in the other language than the document's (no dictionary offline:
« maisons de repos » does not list a page on « rusthuizen »; when no page holds a subject's
words and some pages are in the other language, the answer says that they may write it
otherwise), date ranges (the search filters do that), the answers' content (the extractive
reader).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..search.intent import question_language
from ..search.metadata_match import MetadataIndex, names_an_office, stems, word_stems
from ..search.portfolios import translations
from ..text.analyzer import LANGUAGES, fold, split_words, stopwords_of, tokenize
from ..text.sentences import split_sentences
from .persons import names_in
from .values import Answer, citation_of

__all__ = ["MAX_LISTED", "ListingQuery", "listing_answer", "listing_query"]

MAX_LISTED = 15  # documents listed (and cited) in one answer

# « quelles questions », « combien de questions écrites », « welke vragen », « liste des
# documents »: the head of a question about the set of documents (folded)
_HEAD = re.compile(
    r"^\s*(?:et\s+)?(?:(?P<how_many>combien\s+(?:de\s+|d')|hoeveel\s+)"
    r"|quel(?:le)?s\s+(?:sont\s+les\s+)?|welke\s+|y\s+a-t-il\s+des\s+|zijn\s+er\s+"
    r"|(?:donne[sz]?[- ]moi\s+)?(?:la\s+)?liste\s+(?:de\s+|des\s+)|(?:de\s+)?lijst\s+van\s+"
    r"(?:de\s+|alle\s+)?|toutes\s+les\s+|alle\s+"
    r"|(?P<one>quelle\s+|welke\s+))"
    r"(?:(?:autres|andere)\s+)?"
    r"(?P<what>questions?(?P<written>\s+ecrites?|\s+parlementaires?)?|documents|documenten"
    r"|pages|(?P<schriftelijke>schriftelijke\s+)?vra(?:ag|gen))\b"
)
# « le député », « la députée », « het parlementslid »: the member of one page, not a set
_ONE_MEMBER = re.compile(
    r"\b(?:le|la|du|au|ce|cette|sa|son)\s+(?:depute|deputee|parlementaire|membre)\b"
    r"|\b(?:het|dit|dat|de|deze)\s+(?:parlementslid|volksvertegenwoordiger)\b"
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
    r"\b(?:posees?|deposees?|adressees?|envoyees?|ecrites|introduites?|recue?s?"
    r"|gesteld|ingediend|gestuurd|verstuurd|gericht|ontvangen)\b"
)
# a verb of asking or sending: « a posées », « ont été adressées », « heeft gesteld »
_ASKING = re.compile(
    r"\b(?:pose\w*|depose\w*|ecrit\w*|adresse\w*|envoye\w*|introdui\w*|recu\w*"
    r"|gesteld|ingediend|gestuurd|verstuurd|gericht|stelde|diende|ontvangen|ontving"
    r"|interroge\w*|ondervraagd|ondervroeg)\b"
)
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
# a verb inverted or reflexive in what follows « sur »: « … le ministre juge-t-il … »,
# « … se posent … »: the question goes on about something else than its subject
_INVERTED = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)\b|\b(?:se|s['’])\s*\w", re.I)
# where a subject ends, as the question writes it: a verb, a year, who asked or was asked
# (« … en 2023 », « … et ont été posées par X », « … adressées à la ministre »), a comma
_SUBJECT_END = re.compile(
    r"\s*(?:[?!.,;]|\s(?:a-t-|ont-|sont-|zijn|werden|worden|ont|a|sont|heeft|hebben)\b"
    r"|\s(?:en|in|depuis|sinds|avant|voor|après|na)\s+(?:19|20)\d\d\b"
    r"|\s(?:et|en)\s+(?:ont|a|zijn|werden)\b"
    r"|\s(?:par|door|posées?|adressées?|envoyées?|déposées?|gesteld|ingediend|gericht)\b"
    r"|\s(?:aan\s+(?:de|het)|à\s+(?:la|le|l['’])|au|aux)\s+(?:ministre|secrétaire|membre"
    r"|minister|staatssecretaris|lid)).*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ListingQuery:
    """What a question about the set of documents asks for."""

    count: bool  # « combien », « hoeveel »: the number first
    subject: str | None  # the words after « sur », « over »… (None: any subject)
    names: tuple[str, ...]  # the names written in the question (« Sophie Lambert »)
    office: bool  # it names an office (« la ministre de la Mobilité »)
    years: tuple[str, ...] = ()  # the years it names outside its subject (« en 2023 »)
    documents: bool = False  # it asks for documents (plain texts too), not written questions
    bare: bool = False  # read from a bare « sur » / « over » alone: listed only if pages match


def listing_query(question: str, *, knows_member=None) -> ListingQuery | None:
    """What ``question`` asks of the set of documents (None: not such a question).
    ``knows_member(text) -> bool``: whether ``text`` names a member of the documents by
    their last name alone (« … a posées Lambert ? »; None: names are read as written)."""
    folded = fold(question)
    head = _HEAD.search(folded)
    if head is None:
        return None
    rest = folded[head.end() :]
    m = _SUBJECT.search(rest)
    subject, whole = None, False
    if m is not None:
        tail = _as_written(question, next(m[g] for g in ("s1", "s2", "s3", "s4") if m[g]))
        subject = _SUBJECT_END.sub("", tail).strip(" ,;:") or None
        # « Welke vragen over de rusthuizen? »: nothing but the subject after « over »
        whole = bool(subject) and subject == tail.strip(" ,;:?!.")
    names = names_in(question, outside=subject)
    office = names_an_office(question[head.end() :])
    years = tuple(_YEAR.findall(question.replace(subject or "\0", " ")))
    about = m is not None and (m["s4"] is None or bool(_SENT.search(rest)))  # a subject
    member = bool(knows_member and knows_member(question[head.end() :]))
    if _ONE_MEMBER.search(folded) and not (names or member or office):
        return None  # « le député », « la députée »: the member of one page, not a set
    asked_by = bool((names or office or member) and _ASKING.search(rest))  # someone's
    written = bool(head["written"] or head["schriftelijke"])
    if head["what"] in ("documents", "documenten", "pages"):
        about_set = about and not head["one"]
    elif head["one"]:  # « quelle question écrite porte sur … ? »: one, found among all
        about_set = written and (about or asked_by)
    elif written:
        # « combien de questions écrites ? », « … ont été posées en 2023 ? »
        bare = not rest.strip(" ?!.") or bool(_SENT.search(rest))
        about_set = m is not None or asked_by or names or member or bool(years) or bare
    else:
        about_set = about or asked_by
    # « Quelles questions sur le logement ? »: a bare « sur » right after « questions » and
    # nothing but its subject; a listing only if a page holds it (``bare``), as a verb
    # unknown to _SUBJECT_END may sit in it (« … sur le budget restent sans réponse ? »)
    bare = (
        not about_set
        and not head["one"]
        and head["what"] not in ("documents", "documenten", "pages")
        and whole
        and m["s4"] is not None
        and not rest[: m.start()].strip()
        and not _INVERTED.search(subject)
    )
    if not (about_set or bare):
        return None
    documents = head["what"] in ("documents", "documenten", "pages")
    return ListingQuery(bool(head["how_many"]), subject, names, office, years, documents, bare)


def _as_written(question: str, folded_part: str) -> str:
    """``folded_part`` (a folded tail of ``question``) as the question writes it."""
    if not folded_part:
        return ""
    count = len(folded_part.split())
    for word in re.finditer(r"\S+", question):
        if fold(question[word.start() :]).startswith(folded_part):
            return " ".join(question[word.start() :].split()[:count])
    return folded_part


def listing_answer(
    question: str,
    chunks,
    metadata: MetadataIndex,
    *,
    lexical=None,
    index_chunks=None,
    asked: ListingQuery | None = None,
) -> Answer | None:
    """The documents ``question`` asks for, listed and cited by their headers; None: not a
    question about the set of documents. ``chunks``: those the caller's filters keep;
    ``lexical``: the index's :class:`~assistant.indexing.lexical.LexicalIndex` over
    ``index_chunks`` (all of them), to find the passages holding a subject's words without
    reading every document (None: every header and question is read); ``asked``: the
    question's :func:`listing_query`, when the caller has read it already."""
    if asked is None:
        asked = listing_query(question, knows_member=lambda t: bool(metadata.surnames_in(t)))
    if asked is None:
        return None
    # each document's header (a plain text's first passage: it has none)
    headers = {c.doc_id: c for c in chunks if c.kind == "metadata"}
    written = set(headers)
    for c in chunks:
        headers.setdefault(c.doc_id, c)
    matched = [d for d in metadata.doc_ids if d in (headers if asked.documents else written)]
    what = []
    for name in asked.names:
        of_name = metadata.documents_of(name)
        if not of_name:
            text = (
                f"Aucune question écrite de ou à « {name} » parmi les {len(written)} "
                "questions écrites chargées."
            )
            return Answer(question, text, True, (), resolved_question=question)
        matched = [d for d in matched if d in of_name]
        what.append(f"de ou à « {name} »")
    surnamed = set()
    if not asked.names:  # « … a posées Lambert ? », « à dewaele »: a member's name alone
        rest = question.replace(asked.subject, " ") if asked.subject else question
        surnamed = metadata.surnames_in(rest)
        if surnamed:
            matched = [d for d in matched if d in surnamed]
            asked_words = stems(rest)
            people = sorted(
                {
                    p
                    for d in matched
                    for p in (headers[d].doc_author, headers[d].doc_addressee)
                    if p and stems(p.split()[-1]) & asked_words
                }
            )
            what.append("de ou à " + " ou ".join(f"« {p} »" for p in people))
    if asked.office and not asked.names and not surnamed:
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
    others = 0  # the pages in another language than the question's, when a subject is asked
    if asked.subject:
        words = [w for w in word_stems(asked.subject) if w]
        if asked.bare and not words:
            return None  # « Quelles questions sur ceci ? »: no subject to list by
        if words:
            on = _on_subject(asked.subject, words, chunks, lexical, index_chunks, written)
            lang = question_language(question)
            if not on.intersection(matched):  # no page holds it: which may write it otherwise
                others = sum(headers[d].doc_language not in ("", lang) for d in matched)
            matched = [d for d in matched if d in on]
            if asked.bare and not matched:
                return None  # a bare « sur … » that no page holds: a content question
        what.append(f"sur « {asked.subject} »")
    for year in asked.years:  # « en 2023 »: dated that year (answered, else published)
        matched = [d for d in matched if headers[d].doc_date.startswith(year)]
        what.append(f"datée(s) de {year}")
    scope = f" {' et '.join(what)}" if what else ""
    if not matched:
        text = f"Aucune question écrite{scope} dans les documents chargés."
        if others:  # a subject is met by its words: another language may write it otherwise
            text += (
                " Les documents sont cherchés avec les mots mêmes du sujet : "
                f"{_other_pages(others, lang)}."
            )
        return Answer(question, text, True, (), resolved_question=question)
    matched.sort(key=lambda d: (headers[d].doc_date, d), reverse=True)  # most recent first
    n = len(matched)
    if all(d in written for d in matched):
        noun = "question écrite" if n == 1 else "questions écrites"
    else:  # a plain text among them
        noun = "document" if n == 1 else "documents"
    lines = [f"**{n} {noun}**{scope} :"]
    citations = []
    for k, doc_id in enumerate(matched[:MAX_LISTED], start=1):
        header = headers[doc_id]
        citations.append(citation_of(k, header, _people_line(header)))
        lines.append(f"- {_describe(header)} [{k}]")
    if n > MAX_LISTED:
        lines.append(f"… et {n - MAX_LISTED} autres.")
    return Answer(question, "\n".join(lines), False, tuple(citations), resolved_question=question)


def _other_pages(n: int, language: str) -> str:
    """« les 3 questions écrites en néerlandais peuvent le formuler autrement ; posez aussi
    la question en néerlandais » (the pages not in the question's ``language``)."""
    other = "en français" if language == "nl" else "en néerlandais"
    if n == 1:
        pages = f"la question écrite {other} peut le formuler autrement"
    else:
        pages = f"les {n} questions écrites {other} peuvent le formuler autrement"
    return f"{pages} ; posez aussi la question {other}"


_STOP = frozenset().union(*(stopwords_of(language) for language in LANGUAGES))


def _on_subject(subject: str, words, chunks, lexical, index_chunks, written) -> set[str]:
    """The documents of ``chunks`` on ``subject`` (its ``words``: stems per word): those
    whose addressee's function (in either language) or title, or one sentence of whose
    question (of any passage, for a plain text: not in ``written``), holds the words
    (:func:`_holds`). With ``lexical``, only the passages that hold enough of the words
    are read."""
    candidates = chunks
    if lexical is not None and index_chunks is not None:
        # the passages that hold enough of the words, each word as any of its terms
        held = sum(
            (lexical.scores(word) > 0).astype(np.int32)
            for word in split_words(subject)
            if fold(word) not in _STOP
        )
        rows = np.flatnonzero(np.asarray(held) >= _needed(len(words)))
        kept = {id(c) for c in chunks}
        candidates = [index_chunks[r] for r in rows if id(index_chunks[r]) in kept]
    out: set[str] = set()
    for c in chunks:  # the functions: a few distinct strings, read once each
        if c.kind == "metadata" and _holds(words, _function_stems(c.doc_function)):
            out.add(c.doc_id)
    for c in candidates:
        if c.doc_id in out or (c.doc_id in written and c.kind not in ("metadata", "question")):
            continue
        texts = [c.doc_title] if c.kind == "metadata" else [
            c.text[x.start : x.end] for x in split_sentences(c.text)
        ]  # fmt: skip
        if any(_holds(words, _stems(t)) for t in texts):
            out.add(c.doc_id)
    return out


@lru_cache(maxsize=4096)
def _function_stems(function: str) -> frozenset[str]:
    """The stems of an addressee's function, with its portfolios' names in the other
    language (« belast met Huisvesting » meets « le logement »)."""
    return _stems(function) | translations(function)


def _stems(text: str) -> frozenset[str]:
    """The stems of ``text`` under each language's analyzer (its own stop words dropped)."""
    return frozenset(t for language in LANGUAGES for t in tokenize(text, language=language))


def _holds(words: list[frozenset[str]], text: frozenset[str]) -> bool:
    """Whether ``text`` (stems) holds the subject's ``words`` (:func:`_needed` of them, each
    word as any of its stems)."""
    return sum(bool(w & text) for w in words) >= _needed(len(words))


def _needed(count: int) -> int:
    """How many of a subject's ``count`` words a text must hold: all up to three, two
    thirds beyond."""
    return count if count <= 3 else math.ceil(2 * count / 3)


def _describe(header) -> str:
    """« n°1187 — zones de livraison (Sophie Lambert à Nathalie Dewaele, 12/06/2023) »; a
    plain text by its label."""
    if header.kind != "metadata":
        return header.doc_label or header.doc_title or header.doc_id
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
