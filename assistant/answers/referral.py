"""Where a refused question is sent: the closest passages' sentence that defers it.

A written answer often does not answer a point but sends it elsewhere: « L'organisation des
cours de natation scolaire relève de la Communauté française. », « Voor het aantal
opvangplaatsen verwijs ik u naar mijn collega Bart Claes ». When the assistant refuses a
question, :func:`referral` looks in the closest passages for such a sentence (the deferral
cue words of :mod:`assistant.brief.cues`) that names what the question is about outside
the cue and the body it points to (:func:`assistant.brief.support.defers`), so
that the refusal can say where the documents send it instead of only that they are silent.

Non-goals: no answer is made of it (the documents still do not give what was asked), no
deferral read outside the closest passages, no judgement of whether the body named is the
right one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..indexing.chunking import body_start
from ..text.sentences import split_sentences

__all__ = ["Referral", "referral"]


@dataclass(frozen=True)
class Referral:
    """A sentence of a closest passage that sends the question elsewhere."""

    rank: int  # the passage's place among the closest passages (0: the first)
    start: int  # [start, end) of the sentence in the passage's text
    end: int
    sentence: str


def referral(question: str, chunks: list, *, passages: int = 3) -> Referral | None:
    """The first sentence of the first ``passages`` of ``chunks`` (the closest passages, in
    order) that defers what ``question`` is about (:func:`~assistant.brief.support.defers`,
    its words analysed in the passage's language); None when none does."""
    from ..brief.support import defers, subject_terms

    subjects: dict[str, frozenset[str]] = {}
    for rank, chunk in enumerate(chunks[:passages]):
        language = chunk.doc_language or "fr"
        if language not in subjects:  # not « combien », « budget », « Région »
            subjects[language] = subject_terms(question, language)
        subject = subjects[language]
        for span in split_sentences(chunk.text, min_chars=15):
            start = body_start(chunk, span.start, span.end)  # not its « Antwoord » label
            sentence = chunk.text[start : span.end]
            if defers(sentence, subject, language):
                return Referral(rank, start, span.end, sentence.strip())
    return None
