"""Which parts of a written question were answered, with the sentences that show it.

Each sub-question is split into its parts (:mod:`assistant.brief.parts`), each read for
what it asks; the retriever finds the answer's sentences that speak of it
(:mod:`assistant.brief.support`). A part asking for the state of the chantiers is
answered by the chantier table (:mod:`assistant.brief.status`) rather than by one passage.

The verdict is decided from those supporting sentences only, and says why:

* **renvoyé** — the best supporting sentence, or the sentence after it, sends the
  member elsewhere ("je vous invite à les interroger", "adresser votre question",
  "verwijs ik u naar"), unless that next sentence opens on its own subject ("Voor de
  energienormen …"); or a sentence that sends elsewhere what the part names, as close to
  the part as the best one (within :data:`~assistant.brief.support.CLOSE`), wins over a
  figure found elsewhere ("Voor het aantal opvangplaatsen … verwijs ik u naar mijn collega"
  against "140 nieuwe opvangplaatsen", for "Hoeveel opvangplaatsen zijn er?");
* **sans réponse** — no sentence speaks of the part, or the only thing it asks
  for (an amount, a date, causes) is absent;
* **partiel** — the part is spoken of but one of its specific asks is not met
  (a budget question with no amount and no "pas de budget", a calendar
  question with no date, a "why" with no cause wording) by its supporting sentences nor by
  the sentence after the best one, when that one speaks of the part too ("… 2.318
  amendes … Le montant moyen de l'amende s'élevait à 350 euros");
* **répondu** — otherwise; a negative answer ("nous n'avons pas prévu de
  campagne", not a negation inside a relative clause: "voertuigen die niet aan de normen
  voldeden") answers, and makes a following "Dans l'affirmative …" part moot.

A sub-question is *répondu* when all its parts are, *renvoyé* or *sans
réponse* when all its open parts are, *partiellement répondu* otherwise.

Non-goals: no language model, no judgement on the quality of an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..documents.document import Document
from ..errors import IndexStale
from ..text.sentences import split_sentences
from . import cues
from .parts import SPECIFIC, Part, split_parts
from .status import Status
from .support import (
    CLOSE,
    MAX_SUPPORT,
    OTHER_POINT,
    SupportingSentence,
    answer_sentences,
    deferring_sentences,
    following_sentence,
    paragraph,
    query_text,
    supporting_sentences,
)

__all__ = [
    "Verdict",
    "SubVerdict",
    "PartVerdict",
    "SubQuestionCoverage",
    "cover",
    "sub_verdict",
]


class Verdict(StrEnum):
    """The verdict on one part of a sub-question; the value is what the user reads."""

    ANSWERED = "répondu"
    PARTIAL = "partiel"
    DEFERRED = "renvoyé"
    UNANSWERED = "sans réponse"


class SubVerdict(StrEnum):
    """The verdict on a whole sub-question, from its parts' verdicts."""

    ANSWERED = "répondu"
    PARTIAL = "partiellement répondu"
    DEFERRED = "renvoyé"
    UNANSWERED = "sans réponse"


_NEGATIVE = "Réponse négative."


@dataclass(frozen=True)
class PartVerdict:
    part: Part
    verdict: Verdict
    reason: str  # in French: why this verdict
    support: tuple[SupportingSentence, ...] = ()  # the sentences quoted for it
    open_asks: tuple[str, ...] = ()  # the asks left without an answer
    deferred_to: str | None = None  # who the answer sends the member to

    def to_json(self) -> dict:
        return {
            "part": self.part.label,
            "text": self.part.text,
            "asks": list(self.part.asks),
            "verdict": self.verdict,
            "reason": self.reason,
            "open_asks": list(self.open_asks),
            "deferred_to": self.deferred_to,
            "evidence": [
                {
                    "section_id": s.section_id,
                    "section_label": s.section_label,
                    "sentence": s.quoted,
                }
                for s in self.support
            ],
        }


@dataclass(frozen=True)
class SubQuestionCoverage:
    n: int
    text: str
    verdict: SubVerdict
    parts: tuple[PartVerdict, ...]

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "text": self.text,
            "verdict": self.verdict,
            "parts": [p.to_json() for p in self.parts],
        }


def _ask_met(ask: str, support: list[SupportingSentence]) -> bool:
    text = " ".join(s.quoted for s in support)
    if ask == "budget":
        return bool(cues.amounts(text)) or (cues.mentions_budget(text) and cues.negative(text))
    if ask == "calendrier":
        return bool(cues.dates(text)) or cues.negative(text)
    if ask == "causes":
        return bool(cues.cause(text))
    if ask == "nombre":
        return bool(re.search(r"\d", text))
    return bool(support)


def _judge(
    part: Part,
    support: list[SupportingSentence],
    paragraphs: list[str],
    table,
    deferring: list[SupportingSentence] = (),
    follow: SupportingSentence | None = None,
) -> PartVerdict:
    """The verdict on ``part`` from its ``support`` (best first) and their ``paragraphs``;
    ``deferring``: the answer's sentences that defer what the part names
    (:func:`~assistant.brief.support.deferring_sentences`); ``follow``: the sentence after
    the best one (:func:`~assistant.brief.support.following_sentence`)."""
    quoted = tuple(support)
    near = _near(paragraphs[0], support[0].sentence) if support else ""
    said = cues.deferral(near) if support else None
    if said:  # the best supporting sentence, or the next one, sends the member elsewhere
        # who, named where the deferral is, else where its paragraph names an office
        found = [w for w in (cues.deferred_to(near), cues.deferred_to(paragraphs[0])) if w]
        who = next((w for w in found if cues.is_specific(w)), found[0] if found else None)
        reason = f"La réponse renvoie ailleurs : « {said} »" + (f" ({who})." if who else ".")
        return PartVerdict(part, Verdict.DEFERRED, reason, quoted[:1], part.asks, who)
    best = support[0].score if support else float("-inf")
    deferred = next((d for d in deferring if d.score >= best - CLOSE), None)
    if deferred:  # a sentence as close as the best one sends what the part names elsewhere
        said = cues.deferral(deferred.sentence)
        who = cues.deferred_to(deferred.sentence)
        reason = f"La réponse renvoie ailleurs : « {said} »" + (f" ({who})." if who else ".")
        return PartVerdict(part, Verdict.DEFERRED, reason, (deferred,), part.asks, who)
    if "état" in part.asks or (
        "causes" in part.asks and table and not _ask_met("causes", support)
    ):  # the state of the chantiers, or their delays' causes: the table answers
        return _from_table(part, table)
    if not support:
        reason = "Aucun passage de la réponse n’en parle."
        return PartVerdict(part, Verdict.UNANSWERED, reason, (), part.asks)
    open_asks = tuple(a for a in part.asks if a in SPECIFIC and not _ask_met(a, support))
    if open_asks and follow and follow not in support:  # « … Le montant moyen … 350 euros »
        closed = [a for a in open_asks if _ask_met(a, [follow])]
        if closed:
            open_asks = tuple(a for a in open_asks if a not in closed)
            quoted = (*quoted[: MAX_SUPPORT - 1], follow)
    specific = [a for a in part.asks if a in SPECIFIC]
    if open_asks and len(open_asks) == len(part.asks):
        reason = f"Des passages proches, mais rien sur : {', '.join(open_asks)}."
        return PartVerdict(part, Verdict.UNANSWERED, reason, quoted, open_asks)
    if open_asks:
        reason = f"Réponse sans : {', '.join(open_asks)}."
        return PartVerdict(part, Verdict.PARTIAL, reason, quoted, open_asks)
    if cues.negative(support[0].quoted):
        return PartVerdict(part, Verdict.ANSWERED, _NEGATIVE, quoted)
    reason = "Réponse donnée" + (f" ({', '.join(specific)} compris)." if specific else ".")
    return PartVerdict(part, Verdict.ANSWERED, reason, quoted)


def _near(paragraph: str, sentence: str) -> str:
    """``sentence`` and the one after it in its ``paragraph`` (sentences as the index cuts
    them, abbreviations kept whole): where a deferral of what it speaks of stands (« … en
    2020. Je vous invite à interroger la ministre … »), not a deferral of another point
    further on in a one-paragraph answer, nor one of a next sentence that opens on its own
    subject (« Voor de energienormen verwijs ik u … »)."""
    pieces = [paragraph[sp.start : sp.end] for sp in split_sentences(paragraph, min_chars=0)]
    key = " ".join(sentence.split())[:60]
    for k, piece in enumerate(pieces):
        if key and key in " ".join(piece.split()):
            after = pieces[k + 1 : k + 2]
            if after and OTHER_POINT.match(after[0]):
                after = []
            return " ".join([piece, *after])
    return paragraph


def _from_table(part: Part, table) -> PartVerdict:
    """A part on the state of the chantiers, or the causes of delays, read from the table."""
    rows = [r for r in table if r.status_sentence]
    if "causes" in part.asks:
        return _causes_from_table(part, rows)
    if not rows:
        return PartVerdict(part, Verdict.UNANSWERED, "Aucun état de chantier.", (), part.asks)
    counts: dict[Status, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda x: -x[1]))
    quoted = tuple(r.as_support() for r in rows[:MAX_SUPPORT])
    reason = f"État donné pour {len(rows)} sections : {summary}."
    return PartVerdict(part, Verdict.ANSWERED, reason, quoted)


def _causes_from_table(part: Part, rows) -> PartVerdict:
    """A part on the causes of delays: the delayed rows of the table, with their causes."""
    late = [r for r in rows if r.status == Status.DELAYED]
    with_cause = [r for r in late if r.cause]
    if not late:
        return PartVerdict(part, Verdict.UNANSWERED, "Aucun retard signalé.", (), ("causes",))
    quoted = tuple(r.as_support() for r in with_cause[:MAX_SUPPORT])
    if len(with_cause) == len(late):
        reason = f"Cause donnée pour les {len(late)} chantiers en retard."
        return PartVerdict(part, Verdict.ANSWERED, reason, quoted)
    if with_cause:
        reason = f"Cause donnée pour {len(with_cause)} des {len(late)} chantiers en retard."
        return PartVerdict(part, Verdict.PARTIAL, reason, quoted, ("causes",))
    reason = "Retards sans cause donnée."
    return PartVerdict(part, Verdict.UNANSWERED, reason, (), ("causes",))


def sub_verdict(parts: list[PartVerdict]) -> SubVerdict:
    """The sub-question's verdict from its parts' verdicts."""
    kinds = {p.verdict for p in parts}
    if kinds == {Verdict.ANSWERED}:
        return SubVerdict.ANSWERED
    if kinds <= {Verdict.DEFERRED, Verdict.UNANSWERED}:
        return SubVerdict.DEFERRED if Verdict.DEFERRED in kinds else SubVerdict.UNANSWERED
    return SubVerdict.PARTIAL


def _moot(part: Part, previous: PartVerdict | None) -> PartVerdict | None:
    """A "Dans l'affirmative …" part after a negative answer: answered, with its support."""
    if not part.conditional or previous is None or previous.reason != _NEGATIVE:
        return None
    reason = "Sans objet : la réponse précédente est négative."
    return PartVerdict(part, Verdict.ANSWERED, reason, previous.support)


def cover(assistant, doc: Document, table=()) -> list[SubQuestionCoverage]:
    """The coverage of every sub-question of ``doc``, supported by ``assistant``'s index.

    ``assistant`` must index ``doc`` (chunk ids ``<doc_id>#…``); ``table`` is the
    chantier table of :func:`assistant.brief.status.status_table`, for parts on progress.
    """
    sentences = answer_sentences(assistant, doc.doc_id)
    if not sentences:
        raise IndexStale(f"l'index ne contient pas le document {doc.doc_id} : reconstruisez-le")
    chunks_by_id = {c.id: c for c in assistant.chunks}
    split = [split_parts(sub) for sub in doc.sub_questions]
    queries = [query_text(p, parts[0]) for parts in split for p in parts]
    vectors = iter(assistant.encoder.encode_queries(queries))  # one batch for all parts
    out = []
    for sub, parts in zip(doc.sub_questions, split, strict=True):
        verdicts: list[PartVerdict] = []
        for part in parts:
            qv = next(vectors)
            support = supporting_sentences(assistant, part, parts[0], qv, sentences)
            paragraphs = [paragraph(chunks_by_id, s) for s in support]
            deferring = deferring_sentences(assistant, part, qv, sentences)
            follow = (
                following_sentence(assistant, support[0], part, parts[0], qv, sentences)
                if support
                else None
            )
            v = _judge(part, support, paragraphs, list(table), deferring, follow)
            verdicts.append(_moot(part, verdicts[-1] if verdicts else None) or v)
        out.append(SubQuestionCoverage(sub.n, sub.text, sub_verdict(verdicts), tuple(verdicts)))
    return out
