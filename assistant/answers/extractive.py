"""Extractive answers: quote the best sentences of the best passages, with numbered citations.

From the best passages of a hybrid search, every sentence (cut on the repaired text, see
:mod:`assistant.text.sentences`) is scored against the question (:func:`score_sentences`):

    score = cosine + COVERAGE_WEIGHT × word share + RANK_WEIGHT / rank
            − HEADING_PENALTY (a section's heading line) or − LEAD_IN_PENALTY (ends with ":")

where the cosine is the question's with the sentence's embedding (computed at index time),
raised by the fitted other-language offset for a sentence of a document in another language
than the question's (the offset the search adds to such passages, ``ranking.json``: a French
question's cosine with a Dutch sentence is lower across the board), and the word share the
IDF-weighted share of the question's content words the sentence contains
(:func:`word_share`). The answer quotes the best sentence of each passage whose
best sentence is close to the overall best (:func:`choose_passages`: at most three
sources, one per section), with inline markers ``[1]``, ``[2]`` (:func:`quote_passages`).
Each :class:`Citation` carries its passage and the character offsets of the sentences used.
When the evidence is too weak the assistant abstains (:mod:`assistant.answers.abstention`).

Non-goals: no generated text here (see :mod:`assistant.answers.generated`), no paraphrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..indexing.chunking import body_start, ends_cut_page
from ..search.intent import question_language
from ..search.metadata_match import numbers_named
from ..text.analyzer import LANGUAGES, terms, tokenize
from ..text.sentences import mark_unfinished
from . import ranker as learned
from .abstention import NO_SIGNALS, signals
from .document_facts import asked_fact, fact_answer
from .grounding import Gap, mentions, quotes_of
from .lead import asks_only_for_the_page, lead_rows
from .named import asked_name, names_someone
from .question_types import (
    FIGURES,
    AnswerType,
    asked_years,
    holds,
    holds_entity,
    says_year,
    status_of,
    values,
    wanted,
)
from .quote_context import with_context
from .short_answer import asks_holder, find_short_answer, lead_with
from .values import AbstentionSignals, Citation, ShortAnswer, citation_of
from .verdict import Verdict, verdict

__all__ = [
    "Composed",
    "ScoredSentence",
    "Sentences",
    "asks_for_the_answer",
    "asks_what_was_asked",
    "choose_passages",
    "compose",
    "quote_passages",
    "score_sentences",
    "sentence_score",
    "word_share",
]

MAX_SOURCES = 3  # sources quoted in one answer
MAX_CHARS = 500  # answer length budget (markers and labels included)
CLOSE = 0.02  # a passage joins the answer when its best sentence is this close to the best
COVERAGE_WEIGHT = 0.1  # weight of the word share against the cosine in a sentence's score
RANK_WEIGHT = 0.05  # bonus of a sentence from the best passage (÷ rank for the others)
LEAD_IN_PENALTY = 0.03  # a sentence ending with ":" announces a list; it is not an answer
HEADING_PENALTY = 0.1  # a section's heading line answers only when its body says nothing
SHORT_BODY = 40  # the part of a heading line after the heading is quoted alone from this long
TYPE_WEIGHT = 0.05  # bonus of a sentence holding the answer type the question wants
TITLE_TERMS = True  # a sentence holds its document title's terms too (word share)
# What was asked: the member (« la députée »), a verb of asking (« qu'a demandé », « a
# interrogé », « que demande la question 214 »), the question as a text (« les questions
# posées », « la question écrite », « qui pose la question »). Not « les demandes de
# prime », « les demandeurs d'emploi », « peut-il demander la prime », « est-il question de ».
_ASKED = re.compile(
    r"\b(?:député\w*|volksvertegenwoordiger\w*|parlementslid|indiener\w*"
    r"|(?:\ba|\bont|\bavait|\bavaient|-t-(?:il|elle)) demandée?s?\b|demandai(?:t|ent)\b"
    r"|(?:que|qu['’]est-ce que) demande\b|demande-t-"
    # « de vraag stellen » (to ask it: « Aan wie moet ik de vraag stellen? ») is not the
    # member's question
    r"|interrog\w*|asked|vraag\w*(?!\s+(?:te\s+)?stellen\b)|vroeg\w*|gevraagd"
    r"|questions? (?:posée?s?|écrites?|parlementaires?|de la députée?|du député|sur|concernant"
    r"|portant|relatives?)\b|quel(?:le)?s (?:sont les )?questions\b"
    # « qui pose / a posé la question » (not « à qui faut-il poser la question ? »: whom to ask)
    r"|pos(?:e|ait|é|ée)(?:-t-(?:il|elle))? (?:la|une|des|cette|sa|ces) questions?\b)",
    re.I,
)
# « la réponse à la question 1021 » names the question to ask for its answer
_ANSWER_WANTED = re.compile(r"\b(?:réponse\w*|répond\w*|antwoord\w*|beantwoord\w*|answer\w*)", re.I)
_ASKING = re.compile(r"\b(?:demand\w*|interrog\w*|asked|vraagt|vroeg\w*|gevraagd)", re.I)
# "Quelles aides…", "Qu'est-ce qui est fait pour…": a list is expected, from several sources
_LIST_QUESTION = re.compile(
    r"^\s*(?:quel(?:le)?s\b|qu['’]est-ce qui (?:est|a été) fait|que fait|y a-t-il des)", re.I
)
# a question about the page itself, which its header answers: its number, its dates, its
# legislature or session, its parliamentary acts (« recevable », « renvoi en séance »)
_ABOUT_PAGE = re.compile(
    r"\b(?:questions?\s+(?:écrites?|n°|nr)|schriftelijke\s+vra\w+|vra\w+\s+nr|date\s+de\s+"
    r"(?:réception|publication|réponse)|datum\s+(?:van\s+)?(?:ontvangst|publicatie|antwoord)"
    r"|législature|session\s+parlementaire|zittingsperiode|recevab\w*|ontvankelijk\w*"
    r"|séance plénière|plenaire vergadering|intitulé|métadonnées|metadata)\b",
    re.I,
)
_WHO = re.compile(
    r"(?:^\s*qui\b|\b(?:par|à|de) qui\b|\bquel(?:le)?s? ministres?\b|\bporteurs?\b"
    r"|\bresponsables?\b|\bwie\b|\bwho\b)",
    re.I,
)


@dataclass(frozen=True)
class ScoredSentence:
    row: int  # chunk row
    start: int  # in the chunk text
    end: int
    score: float  # see the module docstring
    cosine: float  # of the question and the sentence (+ the other-language offset)
    word_share: float  # see word_share
    typed: bool = False  # holds a value of the type the question wants (question_types)
    calibrated: float | None = None  # the hand-set score without the type bonus (abstention)
    lemma_share: float = 0.0  # word share over the sentence's stored lemma stems


@dataclass(frozen=True)
class Composed:
    """What :func:`compose` made of a question and its hits."""

    text: str  # the answer with [n] markers; "" when abstaining
    abstained: bool
    citations: tuple[Citation, ...]
    abstention: AbstentionSignals
    short_answer: ShortAnswer | None = None  # the value the text leads with, when found
    unmentioned: object | None = None  # a grounding.Gap: what the quoted sentences lack


def asks_what_was_asked(question: str) -> bool:
    """Whether ``question`` asks about the member's question ("qu'a demandé le député ?"),
    not for the answer to it ("quelle est la réponse à la question 1021 ?"), unless it asks
    for both ("qu'a demandé le député et qu'a répondu le ministre ?")."""
    if not _ASKED.search(question):
        return False
    return not _ANSWER_WANTED.search(question) or bool(_ASKING.search(question))


def asks_for_the_answer(question: str) -> bool:
    """Whether ``question`` asks for an answer (« qu'a répondu le ministre ? »)."""
    return bool(_ANSWER_WANTED.search(question))


def word_share(
    weights: dict[str, float], sentence: str, language: str = "fr", also=frozenset()
) -> float:
    """IDF-weighted share of the question's distinct terms (``weights``: term -> IDF) found
    in ``sentence`` or among the terms ``also`` said (its document's title: what all its
    sentences speak of), both analysed in ``language`` (the sentence's)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    found = terms(sentence, language) | also
    return sum(w for t, w in weights.items() if t in found) / total


def stem_share(weights: dict[str, float], stems) -> float:
    """IDF-weighted share of the question's terms among a sentence's stored lemma stems."""
    total = sum(weights.values())
    if not total:
        return 0.0
    found = frozenset(stems)
    return sum(w for t, w in weights.items() if t in found) / total


def sentence_score(
    *,
    cosine: float,
    share: float,
    rank: int,
    heading: bool,
    lead_in: bool,
    typed: bool = False,
) -> float:
    """A sentence's score (module docstring); ``heading`` wins over ``lead_in``."""
    score = cosine + COVERAGE_WEIGHT * share + RANK_WEIGHT / rank + TYPE_WEIGHT * typed
    if heading:  # the section's own heading: a fallback only
        score -= HEADING_PENALTY
    elif lead_in:
        score -= LEAD_IN_PENALTY
    return score


@dataclass(frozen=True)
class Sentences:
    """The index's sentences, embedded at build time (see ``indexing.build``)."""

    vectors: np.ndarray  # (m, dim) float32, unit rows
    spans: np.ndarray  # (m, 3) int64: chunk row, start, end in the chunk's text
    of_chunk: dict[int, list[int]]  # chunk row -> its sentence ids, in order
    annotations: tuple | None = None  # index-time Annotation of each sentence, or None

    @classmethod
    def of(cls, vectors: np.ndarray, spans: np.ndarray, annotations=None) -> Sentences:
        of_chunk: dict[int, list[int]] = {}
        for sid, row in enumerate(spans[:, 0].tolist()):
            of_chunk.setdefault(row, []).append(sid)
        return cls(vectors, spans, of_chunk, annotations)


def score_sentences(
    question: str,
    hits: list,
    *,
    chunks,
    query_vector: np.ndarray,
    sentences: Sentences,
    idf,
    row_of: dict[str, int],
    passages: int = 5,
    language_offset: float = 0.0,
) -> list[ScoredSentence]:
    """Every sentence of the first ``passages`` hits, scored (hit order, then sentence order).

    ``language_offset`` is added to the cosine of a sentence whose document is in another
    language than the question's (module docstring).
    """
    lang = question_language(question)
    # term -> IDF, once per language: a sentence is met by the question analysed in the
    # sentence's language (its document's), as the search meets its passage
    by_language: dict[str, dict[str, float]] = {}

    def weights_in(language: str) -> dict[str, float]:
        if language not in by_language:
            by_language[language] = {t: idf(t) for t in set(tokenize(question, language=language))}
        return by_language[language]

    asks = asks_what_was_asked(question)
    # a question about the page, or for who holds an office (« Qui est le ministre-président
    # ? »: the header names the minister addressed)
    about_page = asks or _ABOUT_PAGE.search(question) is not None or asks_holder(question)
    wants = wanted(question)
    years = asked_years(question) if wants & FIGURES else []
    scored: list[ScoredSentence] = []
    model = learned.active()
    for rank, hit in enumerate(hits[:passages], start=1):
        row = row_of[hit.chunk_id]
        chunk = chunks[row]
        if chunk.kind == "question" and not asks:
            continue  # the member's own question answers only "what was asked?"
        if chunk.kind == "metadata" and not about_page:
            continue  # the header (its dates, its table) says nothing of the subject
        ids = sentences.of_chunk.get(row, [])
        if not ids:
            continue
        cos = sentences.vectors[ids] @ query_vector
        text_language = _language_of(chunk, lang)
        q_weights = weights_in(text_language)
        # the page's subject is every one of its sentences' subject: « caméras » tells the
        # sentence to quote of the page on « dépôts clandestins », not « dépôts clandestins »
        implicit = terms(chunk.doc_title, text_language) if TITLE_TERMS else frozenset()
        if language_offset and chunk.doc_language != lang:  # "" as the search reads it
            cos = cos + language_offset
        for i, (sid, c) in enumerate(zip(ids, cos, strict=True)):
            _, start, end = (int(x) for x in sentences.spans[sid])
            share = word_share(q_weights, chunk.text[start:end], text_language, implicit)
            typed = holds(wants, chunk.text[start:end])
            lemma = share
            if sentences.annotations is not None:  # spaCy's, stored at index time
                note = sentences.annotations[sid]
                typed = typed or holds_entity(wants, note.types)
                lemma = stem_share(q_weights, frozenset(note.stems) | implicit)
            if (
                typed
                and years
                and not all(
                    says_year(chunk.text[start:end], y) or says_year(chunk.section_label, y)
                    for y in years
                )
            ):
                typed = False  # « combien … en 2023 ? »: a figure said without 2023
            facts = dict(
                cosine=float(c),
                share=share,
                rank=rank,
                heading=end <= chunk.body_offset,
                lead_in=chunk.text[start:end].rstrip().endswith(":"),
                typed=typed,
            )
            score = sentence_score(**facts)
            calibrated = score - TYPE_WEIGHT * typed
            if model is not None:
                x = learned.features(
                    **facts, lemma_share=lemma, position=i / max(len(ids) - 1, 1), kind=chunk.kind
                )
                score = model.score(x)
            scored.append(
                ScoredSentence(row, start, end, score, float(c), share, typed, calibrated, lemma)
            )
    return scored


def _language_of(chunk, fallback: str) -> str:
    """The language a chunk's text is analysed in: its document's, else ``fallback``."""
    return chunk.doc_language if chunk.doc_language in LANGUAGES else fallback


def choose_passages(
    question: str, scored: list[ScoredSentence], chunks, *, documents: frozenset[str] = frozenset()
) -> tuple[list[int], dict[int, list[ScoredSentence]]]:
    """(chunk rows to quote, each row's sentences best first).

    A passage joins when its best sentence is within CLOSE of the best one (3 × CLOSE for a
    question that expects a list), one passage per section, at most MAX_SOURCES. A question
    that names a numbered section (« l'objectif 1.1 », « chantier 2.2.5 ») is answered from
    that section and the sections under it (by the numbers of the labels) when one of them
    is among the hits; one that
    names a document's addressee or author (``documents``: their ids, from
    :meth:`~assistant.search.metadata_match.MetadataIndex.named_documents`) from those
    documents when they are among the hits.
    """
    if documents:  # « Qu'a répondu la ministre de la Mobilité … »: from her answer
        scored = [s for s in scored if chunks[s.row].doc_id in documents] or scored
    named = _named_sections(question)
    if named:  # « l'objectif 1.1 »: its passages (and its chantiers') only, when found
        scored = [s for s in scored if named & _path_labels(chunks[s.row])] or scored
    best = max(scored, key=lambda s: s.score)
    per_row: dict[int, list[ScoredSentence]] = {}
    for s in sorted(scored, key=lambda s: -s.score):
        per_row.setdefault(s.row, []).append(s)
    close = 3 * CLOSE if _LIST_QUESTION.search(question) else CLOSE
    chosen_rows = [row for row, ss in per_row.items() if ss[0].score >= best.score - close]
    seen_sections, rows = set(), []
    for row in chosen_rows:
        if chunks[row].section_id not in seen_sections:
            seen_sections.add(chunks[row].section_id)
            rows.append(row)
    return rows[:MAX_SOURCES], per_row


# « l'objectif 1.1 », « des chantiers 1.8.1 et 1.8.2 », « doelstelling 1.2 »: numbered
# sections, by their numbers (a label may join two: « Chantiers 1.8.1 et 1.8.2 — … »)
_SECTION_WORD = re.compile(
    r"\b(?:objectifs?|chantiers?|doelstelling(?:en)?|werven|werf|axes?|mesures?|actions?"
    r"|priorités?|prioriteiten|prioriteit)\s+(?:n°\s*)?"
    r"(\d+(?:\.\d+)+(?:\s*(?:,|et|en|and)\s*\d+(?:\.\d+)+)*)",
    re.I,
)
_DOTTED = re.compile(r"\d+(?:\.\d+)+")


def _named_sections(question: str) -> frozenset[str]:
    """The numbers of the sections ``question`` names (« 1.1 » for « l'objectif 1.1 »)."""
    return frozenset(n for m in _SECTION_WORD.finditer(question) for n in _DOTTED.findall(m[1]))


def _path_labels(chunk) -> frozenset[str]:
    """The numbers in the short labels of a chunk's section and of the sections above it."""
    parts = [*chunk.heading_path.split(" › "), chunk.section_label]
    return frozenset(n for p in parts if p for n in _DOTTED.findall(_short_label(p)))


def _clip(text: str, budget: int) -> str:
    if len(text) <= budget:
        return text
    cut = text[: max(budget - 1, 20)].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


# « a) », « b. », « iv) »: an item's letter, kept as written (« a) » is not « A) »)
_LETTERED = re.compile(r"^(?:[a-z]|[ivx]+)[.)]\s")


def _sentence_text(text: str) -> str:
    """A quoted sentence: its bullet dropped, its first letter a capital (not an item's)."""
    text = re.sub(r"^(?:[-–•→]|o(?= ))\s*", "", text.strip())
    if not text or _LETTERED.match(text):
        return text
    return text[:1].upper() + text[1:]


def _short_label(label: str) -> str:
    """ "Chantier 1.2.2 — Créer …" -> "Chantier 1.2.2"; other labels cut at the dash."""
    return label.split(" — ")[0]


def _shown_start(chunk, s: ScoredSentence) -> int:
    """Where the quote of ``s`` starts: past the heading or label it shares a line with
    (« Réponse    Sur les 15 piscines … »), unless what follows is too short to read alone
    (« Chantier 1.4.1 Economie numérique cf. Objectif 1.8 »: the whole line)."""
    at = body_start(chunk, s.start, s.end)
    if s.start < chunk.body_offset and len(chunk.text[at : s.end].strip()) < SHORT_BODY:
        return s.start
    return at


def _quote(chunk, used: list[ScoredSentence], *, last: bool = False) -> str:
    """The sentences quoted, a heading that runs into its paragraph left out (the label
    names it) unless what follows it is too short to read alone ("cf. Objectif 1.2."):
    then the whole line, as written (:func:`quote_passages` then shows no ``label`` before
    it). ``last``: the chunk ends a page saved cut, whose unfinished last sentence is marked
    (:func:`mark_unfinished`)."""
    out = []
    for s in used:
        whole = chunk.text[s.start : s.end]
        body = chunk.text[_shown_start(chunk, s) : s.end]
        text = _sentence_text(body) or _sentence_text(whole)
        if last and not chunk.text[s.end :].strip():
            text = mark_unfinished(text)
        out.append(text)
    return " ".join(out)


def _language_note(chunk, question_language: str = "fr") -> str:
    """ " (en néerlandais)" after a quote of a Dutch document for a question not asked in
    Dutch: the answer is in French."""
    return " (en néerlandais)" if chunk.doc_language == "nl" and question_language != "nl" else ""


def _in_context(chunk, ranked: list[ScoredSentence], q_terms, wants=frozenset(), language="fr"):
    """The best of ``ranked`` (a passage's sentences, best first) with its context
    (``q_terms``: the question's, analysed in ``language``, the chunk's)."""
    by_span = {(s.start, s.end): s for s in ranked}
    spans = sorted(by_span)
    chosen = with_context(
        chunk.text,
        (ranked[0].start, ranked[0].end),
        spans,
        body_offset=chunk.body_offset,
        names_subject=lambda lead: bool(q_terms & terms(lead, language)),
        holds_wanted=(lambda sentence: holds(wants, sentence)) if wants else None,
    )
    return [by_span[s] for s in chosen]


# the answers a sentence holds as a value (question_types.values); a question that asks for
# two of them (« Quand … et combien coûte-t-il ? ») is quoted with a sentence for each
_VALUE_TYPES = (
    AnswerType.DATE,
    AnswerType.AMOUNT,
    AnswerType.COUNT,
    AnswerType.PERCENT,
    AnswerType.DURATION,
)


def _also_wanted(chunk, ranked: list[ScoredSentence], used: list[ScoredSentence], wants):
    """For a question that wants values of two types or more, the best sentence of the
    passage (``ranked``, best first) for each wanted type the ``used`` ones hold no value of
    (« De investering bedraagt 38 miljoen euro. » beside the date), three sentences at most.
    The passage is the one the best sentence was chosen from, so its sentences are on the
    subject though they may share no word with the question (« kost » / « investering »);
    its heading line is left out."""
    asked = [t for t in _VALUE_TYPES if t in wants]
    if len(asked) < 2:
        return []

    def kinds(s: ScoredSentence) -> frozenset:
        return frozenset(v.type for v in values(chunk.text[s.start : s.end]))

    said = frozenset().union(*(kinds(s) for s in used))
    out: list[ScoredSentence] = []
    for t in asked:
        if len(used) + len(out) >= 3 or t in said:
            continue
        found = next(
            (
                s
                for s in ranked
                if s not in used and s.end > chunk.body_offset and t in kinds(s)  # no heading
            ),
            None,
        )
        if found is not None and found not in out:
            out.append(found)
            said |= kinds(found)
    return out


def quote_passages(
    question: str, rows: list[int], per_row: dict[int, list[ScoredSentence]], *, chunks
) -> tuple[str, list[Citation]]:
    """(answer text with [n] markers, citations) quoting the best sentence of each row.

    A single source may quote its second sentence too, when it is within CLOSE / 2 of the
    best; several sources are listed one per line with their short label.
    """
    best_score = max(per_row[row][0].score for row in per_row)
    citations, parts = [], []
    budget = MAX_CHARS // len(rows)
    lang = question_language(question)
    for n, row in enumerate(rows, start=1):
        chunk = chunks[row]
        text_language = _language_of(chunk, lang)
        q_terms = frozenset(tokenize(question, language=text_language))
        used = _in_context(chunk, per_row[row], q_terms, wanted(question), text_language)
        second = per_row[row][1] if len(per_row[row]) > 1 else None
        if len(rows) == 1 and second and second.score >= best_score - CLOSE / 2:
            if second not in used and len(used) < 3:
                used.append(second)
        if n == 1:
            used += _also_wanted(chunk, per_row[row], used, wanted(question))
        used.sort(key=lambda s: s.start)
        label = _short_label(chunk.section_label) if len(rows) > 1 else ""
        last = ends_cut_page(chunks, row)
        quote = _quote(chunk, used, last=last) + _language_note(chunk, lang)
        if n == 1 and chunk.ministers and _WHO.search(question):
            quote += f" (ministre(s) porteur(s) : {' ; '.join(chunk.ministers)})"
        if len(rows) == 1:
            parts.append(f"{_clip(quote, budget - 5)} [{n}]")
        elif quote.startswith(label):  # the heading line quoted whole names its section
            parts.append(f"• {_clip(quote, budget - 10)} [{n}]")
        else:
            parts.append(f"• {label} : {_clip(quote, budget - len(label) - 10)} [{n}]")
        # the highlights are the quoted text, as shown (a line's label left out)
        citations.append(
            citation_of(n, chunk, tuple((_shown_start(chunk, s), s.end) for s in used))
        )
    return "\n".join(parts), citations


def _verdict(question: str, best: ScoredSentence, text: str, quoted=()) -> ShortAnswer | None:
    """The yes/no verdict of the first source's best sentence (:mod:`.verdict`), if any,
    read with the sentences quoted with it (``quoted``: their spans, the subject the best
    one's): a best sentence that says no or not yet gives it; one that affirms gives « Oui »
    only when no sentence quoted with it denies (« … gratuitement ses encombrants. Une
    extension de ce service n'est pas prévue. »: the quote says both, no verdict is given).
    Its range is that of the sentences read."""
    spans = sorted(quoted or {(best.start, best.end)})  # the best one is among the quoted
    start, end = spans[0][0], spans[-1][1]
    found = verdict(question, text[best.start : best.end], share=best.word_share)
    if found is None:
        return None
    if found is Verdict.YES:
        others = [
            (a, b) for a, b in spans if not (a <= best.start < b or best.start <= a < best.end)
        ]
        said = {verdict(question, text[a:b], share=best.word_share) for a, b in others}
        if said & {Verdict.NO, Verdict.NOT_YET}:
            return None
    return ShortAnswer(text=found.value, type="yes_no", citation=1, start=start, end=end)


def _status(question: str, citation: Citation, text: str) -> ShortAnswer | None:
    """For « Où en est … ? », the state the first quoted sentence of the first source that
    says one says (« reporté / retardé », « en cours »…; :func:`.question_types.status_of`),
    its range the sentence's."""
    if AnswerType.STATUS not in wanted(question):
        return None
    for start, end in citation.highlights:
        found = status_of(text[start:end])
        if found is not None:
            return ShortAnswer(text=str(found), type="status", citation=1, start=start, end=end)
    return None


def _names(citations, rows, labels, *, chunks, sentences: Sentences) -> list[str] | None:
    """The names (spaCy entities of ``labels``, stored at index time) the quoted sentences
    hold; None when one of them has no spaCy annotation (then no name can be said missing)."""
    if sentences.annotations is None:
        return None
    names: list[str] = []
    for row, citation in zip(rows, citations, strict=False):
        text = chunks[row].text
        # a highlight ends where its sentence ends (it may start past the sentence's label)
        by_end = {int(sentences.spans[sid][2]): (sid, int(sentences.spans[sid][1]))
                  for sid in sentences.of_chunk.get(row, [])}  # fmt: skip
        for _, end in citation.highlights:
            sid, start = by_end.get(end, (None, 0))
            note = sentences.annotations[sid] if sid is not None else None
            if note is None or not note.model:
                return None
            names += [text[start + a : start + b] for label, a, b in note.entities
                      if label in labels]  # fmt: skip
    return names


def _unnamed(question: str, citations, rows, *, chunks, sentences: Sentences) -> Gap | None:
    """A :class:`~.grounding.Gap` when ``question`` asks for a name and the quoted sentences
    hold none that it does not hold itself (:mod:`.named`)."""
    asked = asked_name(question)
    if asked is None:
        return None
    names = _names(citations, rows, asked.labels, chunks=chunks, sentences=sentences)
    if names is None or names_someone(names, question):
        return None
    return Gap(question_language(question), asked.role, AnswerType.WHO)


def compose(
    question: str,
    hits: list,
    *,
    chunks,
    query_vector: np.ndarray,
    sentences: Sentences,
    idf,
    known,
    row_of: dict[str, int],
    passages: int = 5,
    threshold: float | None = None,
    grounding=None,
    language_offset: float = 0.0,
    documents: frozenset[str] = frozenset(),
    numbered: frozenset[str] = frozenset(),
    numbered_people: tuple[str, ...] = (),
) -> Composed:
    """The extractive answer to ``question`` from its hits, or an abstention.

    A question about the document itself (who asked, to whom, when) is answered from the
    header of the best of the first three documents about its subject
    (:mod:`.document_facts`), and refused when none is. It abstains when no sentence could
    be scored, when the answer confidence is under ``threshold`` (None: never for want of
    confidence), or when the quoted sentences lack the question's specific words
    (``grounding``: a :class:`~.grounding.Grounder`, None: no check) or, for a question that
    asks for a name, hold none (:mod:`.named`, with the same ``grounding`` on).
    ``language_offset``: see :func:`score_sentences`; ``documents``: see
    :func:`choose_passages`. A question that asks for nothing but the answer (or the
    question) of the pages it names (``numbered``, their ids, within the caller's filters:
    by number, or by their people ``numbered_people``) is answered with their first
    sentences (:mod:`.lead`). The ``documents`` the question names are read past the first
    ``passages`` hits too (« Qu'a répondu la ministre de l'Environnement … ? »: her answer
    may rank under the other minister's page on the same question).
    """
    if documents:
        deeper = [h for h in hits[passages:] if chunks[row_of[h.chunk_id]].doc_id in documents]
        hits, passages = list(hits[:passages]) + deeper, passages + len(deeper)
    scored = score_sentences(
        question,
        hits,
        chunks=chunks,
        query_vector=query_vector,
        sentences=sentences,
        idf=idf,
        row_of=row_of,
        passages=passages,
        language_offset=language_offset,
    )
    if not scored:
        return Composed("", True, (), NO_SIGNALS)
    # the abstention was calibrated on the best sentence without the answer-type bonus
    # (and on the hand-set score: the learned ranker only chooses what is quoted)
    best = max(scored, key=lambda s: s.calibrated)
    abstention = signals(
        question,
        cosine=best.cosine,
        word_share=max(s.word_share for s in scored),
        known=known,
        idf=idf,
    )
    # "Qui a posé la question sur … ?": a field of the header of the document asked about
    fact = fact_answer(question, hits, chunks=chunks, row_of=row_of, about=mentions)
    if fact is not None:
        return Composed(fact.text, False, (fact.citation,), abstention, fact.short_answer)
    if asked_fact(question) is not None:
        # a question about a document that none of these documents answers (none is about
        # its subject, or its header lacks the field): only a header could say who asked or
        # when, and quoting another sentence would pretend it does
        return Composed("", True, (), abstention)
    # the named pages (within the caller's filters: the caller keeps them so)
    names = " ".join(numbered_people)  # « qu'a demandé Sophie Lambert ? »: her words
    if numbered and asks_only_for_the_page(question, numbers_named(question), names=names):
        # « Quelle est la réponse à la question 1021 ? »: that page's answer, from its start
        leads = lead_rows(
            sorted(numbered)[:MAX_SOURCES],
            chunks=chunks,
            of_chunk=sentences.of_chunk,
            spans=sentences.spans,
            asked=asks_what_was_asked(question),
            answered=asks_for_the_answer(question),
        )
        if leads:
            per_row = {
                row: [ScoredSentence(row, a, b, 1.0, 1.0, 1.0) for a, b in spans]
                for row, spans in leads
            }
            text, citations = quote_passages(question, list(per_row), per_row, chunks=chunks)
            return Composed(text, False, tuple(citations), abstention)
    if threshold is not None and abstention.confidence < threshold:
        return Composed("", True, (), abstention)
    rows, per_row = choose_passages(question, scored, chunks, documents=documents)
    text, citations = quote_passages(question, rows, per_row, chunks=chunks)
    gap = grounding.gap(question, quotes_of(citations, chunks, rows)) if grounding else None
    if gap is None and grounding is not None:
        gap = _unnamed(question, citations, rows, chunks=chunks, sentences=sentences)
    if gap is not None:
        return Composed("", True, (), abstention, unmentioned=gap)
    short = find_short_answer(
        wanted(question),
        chunks[rows[0]].text,
        citations[0].highlights,
        citation=1,
        terms=frozenset(tokenize(question)),
        question=question,
        best=(per_row[rows[0]][0].start, per_row[rows[0]][0].end),
    )
    if short is None:
        short = _verdict(
            question, per_row[rows[0]][0], chunks[rows[0]].text, citations[0].highlights
        )
    if short is None:
        short = _status(question, citations[0], chunks[rows[0]].text)
    if short is not None:
        text = lead_with(short, text)
    return Composed(text, False, tuple(citations), abstention, short)
