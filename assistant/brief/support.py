"""The answer's sentences that support a part of a sub-question.

For one :class:`~assistant.brief.parts.Part`, the retriever's sentence vectors (the real
model, :attr:`Assistant.built`) give the answer's sentences close to the part in meaning:
sentences of the answer's bodies (outside the question itself and the headings), sharing
the part's content words, within :data:`CLOSE` of the best cosine, at most
:data:`MAX_SUPPORT`. The answer's introduction and conclusion get a small prior
(:data:`GENERAL_PRIOR`): they answer the general sub-questions.

Two more kinds of sentence are offered to the verdict: the answer's sentences that send
elsewhere what the part names (:func:`deferring_sentences`, one of the part's subject words
is enough: a deferral names its subject briefly), and the sentence right after the best
one, which often gives the figure it leads to (:func:`following_sentence`).

Non-goals: the verdict (:mod:`assistant.brief.coverage`), any search outside one document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..indexing.chunking import body_start, ends_cut_page
from ..text.analyzer import terms, tokenize
from ..text.sentences import mark_unfinished
from . import cues
from .parts import ASKS, Part

__all__ = [
    "OTHER_POINT",
    "SupportingSentence",
    "answer_sentences",
    "deferring_sentences",
    "following_sentence",
    "paragraph",
    "query_text",
    "subject_words",
    "supporting_sentences",
]

# Words of the question's frame, not of its topic, by the document's language.
_FRAME = {
    "fr": frozenset(
        tokenize(
            "pouvez vous nous dire indiquer préciser détailler faire point quel quelle quels "
            "quelles comment dans mesure lesquels affirmative effectivement cette ces cet "
            "derniers cadre stratégie 2030 go4brussels sommet social gouvernement objectifs "
            "mesures mise œuvre"
        )
    ),
    "nl": frozenset(
        tokenize(
            "kunt kan u mij meedelen graag vernomen vernemen volgende welk welke hoeveel hoe "
            "wanneer waarom wat daarvoor daarbij hiervoor precies concreet regering maatregelen",
            language="nl",
        )
    ),
}
MAX_SUPPORT = 3  # sentences cited per part
CLOSE = 0.03  # a sentence supports a part when its cosine is this close to the part's best
# The answer's introduction and conclusion answer the general sub-questions; the objectif
# sections give the chantiers' details. A small prior for the former, in cosine units.
GENERAL_SECTIONS = ("answer-intro", "closing")
GENERAL_PRIOR = 0.02


@dataclass(frozen=True)
class SupportingSentence:
    """A sentence of the answer quoted in support of a part's verdict."""

    chunk_id: str
    section_id: str
    section_label: str
    ministers: tuple[str, ...]
    sentence: str  # the chunk's text[start:end], as read
    start: int  # [start, end) of the sentence in the chunk's text (its label left out)
    end: int
    score: float  # cosine of the part and the sentence
    cut: bool = False  # the page was saved cut in this sentence: it may be unfinished

    @property
    def quoted(self) -> str:
        """The sentence as quoted: where the page was saved cut, its unfinished words
        dropped and « […] » said (:func:`mark_unfinished`)."""
        return mark_unfinished(self.sentence) if self.cut else self.sentence


def _topic(text: str, language: str = "fr") -> frozenset[str]:
    return frozenset(tokenize(text, language=language)) - _FRAME[language]


def query_text(part: Part, first: Part) -> str:
    """The text searched for a part: later parts lean on the first one ("ces derniers")."""
    return part.text if part.n == 1 else f"{first.text} {part.text}"


def answer_sentences(assistant, doc_id: str) -> list[tuple[int, int, int, int]]:
    """(sentence id, chunk row, start, end) of every sentence of the answer's bodies."""
    out = []
    for sid, (row, a, b) in enumerate(assistant.built.sentence_spans.tolist()):
        chunk = assistant.chunks[row]
        if chunk.doc_id != doc_id or chunk.section_id in ("question", "metadata"):
            continue
        if b > chunk.body_offset:  # a heading alone is not an answer
            out.append((sid, row, a, b))
    return out


def supporting_sentences(
    assistant, part: Part, first: Part, qv, sentences
) -> list[SupportingSentence]:
    """The answer's sentences closest to the part in meaning that share its words.

    A sentence qualifies when it shares two of the part's own content words (one for a
    part of three words or fewer), or
    (for a later part) one of them and one of the first part's, whose subject it carries.
    Words are those of the document's language (French, or Dutch: its stemmer and stop
    words, so that « welk », « werd » or « een » are no content words).
    """
    language = _language(assistant, sentences)
    own = _topic(part.text, language)
    # later parts speak of the first one's subject through pronouns ("ces derniers", "leur")
    context = _topic(first.text, language) if part.n > 1 else frozenset()
    need = 1 if len(own) <= 3 else 2  # one of a short part's content words, else two
    scored: list[SupportingSentence] = []
    for sid, row, a, b in sentences:
        chunk = assistant.chunks[row]
        sentence = chunk.text[a:b]
        words = terms(sentence, language)  # analysed once for all the parts
        shared, leaned = len(words & own), bool(words & context)
        if not (shared >= need or (leaned and (shared or not own))):
            continue
        scored.append(_supporting(assistant, sid, row, a, b, qv))
    scored.sort(key=lambda s: -s.score)
    if not scored:
        return []
    best = scored[0].score
    return [s for s in scored if s.score >= best - CLOSE][:MAX_SUPPORT]


def _supporting(assistant, sid: int, row: int, a: int, b: int, qv) -> SupportingSentence:
    """The answer's sentence ``sid`` (chunk ``row``, ``[a, b)``) scored against ``qv``."""
    chunk = assistant.chunks[row]
    cos = float(np.dot(assistant.built.sentence_vectors[sid], qv))
    cos += GENERAL_PRIOR if chunk.section_id in GENERAL_SECTIONS else 0.0
    # « Réponse    Depuis 2021, … »: the sentence without the label it shares a line with
    start = body_start(chunk, a, b)
    if start >= b:
        start = a
    # the page was saved cut in this sentence: quoted marked « […] »
    cut = ends_cut_page(assistant.chunks, row) and not chunk.text[b:].strip()
    return SupportingSentence(
        chunk.id,
        chunk.section_id,
        chunk.section_label,
        chunk.ministers,
        chunk.text[start:b],
        start,
        b,
        cos,
        cut,
    )


def _language(assistant, sentences) -> str:
    if sentences and assistant.chunks[sentences[0][1]].doc_language == "nl":
        return "nl"
    return "fr"


# Words every answer of the parliament holds: they cannot tie a deferral to one part.
_EVERYWHERE = {
    "fr": frozenset(
        tokenize(
            "bruxelles bruxellois bruxelloise région régional régionale aujourd'hui actuellement"
        )  # fmt: skip
    ),
    "nl": frozenset(
        tokenize("brussel brusselse gewest gewestelijke vandaag momenteel", language="nl")
    ),
}


def subject_words(part: Part, language: str = "fr") -> frozenset[str]:
    """The part's content words that name what it is about, not what it asks for: « Hoeveel
    Nederlandstalige opvangplaatsen zijn er vandaag in Brussel? » gives
    « nederlandstalige », « opvangplaatsen » (not « hoeveel », the ask, nor « Brussel »,
    :data:`_EVERYWHERE`); « Dans quelle mesure recevront-ils un budget ? » no « budget »."""
    return subject_terms(part.text, language)


def subject_terms(text: str, language: str = "fr") -> frozenset[str]:
    """The content words of ``text`` (a part, a question) that name what it is about, not
    what it asks for (:func:`subject_words`)."""
    for rx in ASKS.values():
        text = re.sub(rx, " ", text, flags=re.I)
    return _topic(text, language) - _EVERYWHERE.get(language, frozenset())


def defers(sentence: str, subject: frozenset[str], language: str = "fr") -> bool:
    """Whether ``sentence`` sends the member elsewhere (:func:`cues.deferral`) for one of the
    ``subject`` words, named outside the cue and the body it points to."""
    said = cues.deferral(sentence) if subject else None
    if not said:
        return False
    rest = sentence.replace(said, " ")
    body = cues.deferred_to(rest)
    rest = rest.replace(body, " ") if body else rest
    return bool(terms(rest, language) & subject)


def deferring_sentences(assistant, part: Part, qv, sentences) -> list[SupportingSentence]:
    """The answer's sentences that send the member elsewhere for what the part is about,
    closest first: a deferral cue (:func:`cues.deferral`) in a sentence that names one of the
    part's :func:`subject_words` outside the cue and the body it points to (« Voor het aantal
    opvangplaatsen en de wachtlijsten verwijs ik u naar mijn collega … »)."""
    language = _language(assistant, sentences)
    subject = subject_words(part, language)
    out = []
    for sid, row, a, b in sentences:
        if defers(assistant.chunks[row].text[a:b], subject, language):
            out.append(_supporting(assistant, sid, row, a, b, qv))
    return sorted(out, key=lambda s: -s.score)


def following_sentence(
    assistant, s: SupportingSentence, part: Part, first: Part, qv, sentences
) -> SupportingSentence | None:
    """The answer's sentence right after ``s`` in its paragraph, when it speaks of the part
    too (one of its or its first part's content words) and does not open on a subject of
    its own (:data:`OTHER_POINT`): « … 2.318 amendes ont été infligées … » then « Le montant
    moyen de l'amende s'élevait à 350 euros », the amount the part asks for."""
    language = _language(assistant, sentences)
    words = _topic(part.text, language) | _topic(first.text, language)
    for k, (sid, row, a, b) in enumerate(sentences):
        if assistant.chunks[row].id != s.chunk_id or not a <= s.start < b:
            continue
        if k + 1 >= len(sentences):
            return None
        nsid, nrow, na, nb = sentences[k + 1]
        text = assistant.chunks[nrow].text
        if nrow != row or "\n" in text[b:na] or OTHER_POINT.match(text[na:nb]):
            return None
        if not terms(text[na:nb], language) & words:
            return None
        return _supporting(assistant, nsid, nrow, na, nb, qv)
    return None


# a sentence that opens on its own subject speaks of another point than the one before it
# (not « Voor de beantwoording van deze vraag … », « Concernant votre question … »)
OTHER_POINT = re.compile(
    r"\s*(?:en ce qui concerne|pour ce qui (?:est|concerne)|quant (?:à|au|aux)|concernant"
    r"|s['’]agissant|wat betreft|voor wat betreft|inzake|met betrekking tot|voor (?:de|het)\b)"
    r"(?!\s*(?:la\s+|de\s+|het\s+)?(?:beantwoording|deze vraag|uw vraag|votre question"
    r"|cette question|het antwoord|votre première|uw eerste))",
    re.I,
)


def paragraph(chunks_by_id, s: SupportingSentence) -> str:
    """The line of the chunk that holds a supporting sentence (its paragraph)."""
    text = chunks_by_id[s.chunk_id].text
    lo = text.rfind("\n", 0, s.start) + 1
    hi = text.find("\n", s.end)
    return text[lo : hi if hi >= 0 else len(text)]
