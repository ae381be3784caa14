"""Which parts of a written question were answered, with the passages that show it.

Each sub-question is split into its parts, one per interrogative sentence
("Comment … ? Et comment … ? Dans quelle mesure … ?"). Each part is read for
what it asks (:data:`ASKS`: a budget, a calendar, causes, a state of progress,
a place, actors, a list, a manner, a yes/no) and the retriever (the real model,
:meth:`Assistant.search`) finds the answer's sentences that speak of it:
sentences of the best passages, outside the question itself, close to the part
in meaning (cosine with the part) and sharing at least one of its content words.
A part asking for the state of the chantiers is answered by the chantier
table (:mod:`assistant.brief.status`) rather than by one passage.

The verdict is decided from that evidence only, and says why:

* **renvoyé** — an evidence sentence, or its paragraph, sends the member
  elsewhere ("je vous invite à les interroger", "adresser votre question");
* **sans réponse** — no sentence speaks of the part, or the only thing it asks
  for (an amount, a date, causes) is absent;
* **partiel** — the part is spoken of but one of its specific asks is not met
  (a budget question with no amount and no "pas de budget", a calendar
  question with no date, a "why" with no cause wording);
* **répondu** — otherwise; a negative answer ("nous n'avons pas prévu de
  campagne") answers, and makes a following "Dans l'affirmative …" part moot.

A sub-question is *répondu* when all its parts are, *renvoyé* or *sans
réponse* when all its open parts are, *partiellement répondu* otherwise.

Non-goals: no language model, no judgement on the quality of an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..documents.document import Document, SubQuestion
from ..text.analyzer import fold, tokenize
from . import cues

__all__ = [
    "ASKS",
    "Part",
    "Evidence",
    "PartVerdict",
    "SubQuestionCoverage",
    "split_parts",
    "asks_of",
    "cover",
    "sub_verdict",
]

VERDICTS = ("répondu", "partiel", "renvoyé", "sans réponse")
SUB_VERDICTS = ("répondu", "partiellement répondu", "renvoyé", "sans réponse")
# What a part asks for. Specific asks need specific content in the evidence; the others
# are met by any sentence that speaks of the part.
ASKS = {
    "budget": (
        r"\bbudgets?\b|\bmontants?\b|contribution financi|moyens financiers|\bco[uû]te?\b"
        r"|combien d['’](?:argent|euros)"
    ),
    "calendrier": r"\bquand\b|échéan|calendrier|\bdélais?\b|\bdates?\b|à quel moment",
    "nombre": r"\bcombien\b|\bnombre\b",
    "causes": r"\bcauses?\b|\bpourquoi\b|\braisons?\b|\bmotifs?\b",
    "état": (
        r"entamés?|achevés?|\ben cours\b|état d['’]avancement|faire le point"
        r"|où en (?:est|sont)"
    ),
    "lieu": r"^\s*où\b|\boù et\b",
    "acteurs": r"auprès de quel|^\s*qui\b|quelle organisation|quelles? institutions?",
    "liste": r"^\s*(?:et\s+)?(?:quel(?:le)?s?|lesquel(?:le)?s?)\b",
    "manière": (
        r"\bcomment\b|dans quelle(?:s)? mesures?|de quelle manière|lignes de force|détailler"
    ),
}
SPECIFIC = ("budget", "calendrier", "causes", "nombre")
_CONDITIONAL = re.compile(r"^\s*dans\s+l['’]affirmative\b", re.I)
# Words of the question's frame, not of its topic.
_FRAME = frozenset(
    tokenize(
        "pouvez vous nous dire indiquer préciser détailler faire point quel quelle quels quelles "
        "comment dans mesure lesquels affirmative effectivement cette ces cet derniers cadre "
        "stratégie 2030 go4brussels sommet social gouvernement objectifs mesures mise œuvre"
    )
)
MAX_EVIDENCE = 3  # sentences cited per part
CLOSE = 0.03  # a sentence is evidence when its cosine is this close to the part's best
# The answer's introduction and conclusion answer the general sub-questions; the objectif
# sections give the chantiers' details. A small prior for the former, in cosine units.
GENERAL_SECTIONS = ("answer-intro", "closing")
GENERAL_PRIOR = 0.02


@dataclass(frozen=True)
class Part:
    sub_question: int  # n of the sub-question, 1-based
    n: int  # 1-based within the sub-question
    text: str
    asks: tuple[str, ...]
    conditional: bool = False  # "Dans l'affirmative, …"

    @property
    def label(self) -> str:
        return f"{self.sub_question}.{self.n}"


@dataclass(frozen=True)
class Evidence:
    chunk_id: str
    section_id: str
    section_label: str
    ministers: tuple[str, ...]
    sentence: str
    start: int  # [start, end) of the sentence in the chunk's text
    end: int
    score: float  # cosine of the part and the sentence


@dataclass(frozen=True)
class PartVerdict:
    part: Part
    verdict: str  # one of VERDICTS
    reason: str  # in French: why this verdict
    evidence: tuple[Evidence, ...] = ()
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
                    "section_id": e.section_id,
                    "section_label": e.section_label,
                    "sentence": e.sentence,
                }
                for e in self.evidence
            ],
        }


@dataclass(frozen=True)
class SubQuestionCoverage:
    n: int
    text: str
    verdict: str  # one of SUB_VERDICTS
    parts: tuple[PartVerdict, ...]

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "text": self.text,
            "verdict": self.verdict,
            "parts": [p.to_json() for p in self.parts],
        }


def split_parts(sub: SubQuestion) -> list[Part]:
    """The interrogative sentences of a sub-question, each with what it asks for."""
    pieces = [p.strip() for p in re.findall(r"[^?]*\?|[^?]+$", sub.text) if p.strip(" ?")]
    return [
        Part(sub.n, k, text, asks_of(text), bool(_CONDITIONAL.match(text)))
        for k, text in enumerate(pieces, start=1)
    ]


def asks_of(text: str) -> tuple[str, ...]:
    """What a part asks for, e.g. ``("liste", "calendrier", "budget")``; ``("oui/non",)``."""
    found = tuple(name for name, rx in ASKS.items() if re.search(rx, text, re.I))
    return found or ("oui/non",)


def _topic(text: str) -> frozenset[str]:
    return frozenset(tokenize(text)) - _FRAME


def _query(part: Part, first: Part) -> str:
    """The text searched for a part: later parts lean on the first one ("ces derniers")."""
    return part.text if part.n == 1 else f"{first.text} {part.text}"


def _answer_sentences(assistant, doc_id: str) -> list[tuple[int, int, int, int]]:
    """(sentence id, chunk row, start, end) of every sentence of the answer's bodies."""
    out = []
    for sid, (row, a, b) in enumerate(assistant.built.sentence_spans.tolist()):
        chunk = assistant.chunks[row]
        if chunk.doc_id != doc_id or chunk.section_id in ("question", "metadata"):
            continue
        if b > chunk.body_offset:  # a heading alone is not an answer
            out.append((sid, row, a, b))
    return out


def _evidence(assistant, part: Part, first: Part, qv, sentences) -> list[Evidence]:
    """The answer's sentences closest to the part in meaning that share its words.

    A sentence qualifies when it shares two of the part's own content words (one for a
    part of three words or fewer), or
    (for a later part) one of them and one of the first part's, whose subject it carries.
    """
    own = _topic(part.text)
    # later parts speak of the first one's subject through pronouns ("ces derniers", "leur")
    context = _topic(first.text) if part.n > 1 else frozenset()
    need = 1 if len(own) <= 3 else 2  # one of a short part's content words, else two
    vectors = assistant.built.sentence_vectors
    scored: list[Evidence] = []
    for sid, row, a, b in sentences:
        chunk = assistant.chunks[row]
        sentence = chunk.text[a:b]
        words = frozenset(tokenize(sentence))
        shared, leaned = len(words & own), bool(words & context)
        if not (shared >= need or (leaned and (shared or not own))):
            continue
        cos = float(np.dot(vectors[sid], qv))
        cos += GENERAL_PRIOR if chunk.section_id in GENERAL_SECTIONS else 0.0
        scored.append(
            Evidence(
                chunk.id,
                chunk.section_id,
                chunk.section_label,
                chunk.ministers,
                sentence,
                a,
                b,
                cos,
            )
        )
    scored.sort(key=lambda e: -e.score)
    if not scored:
        return []
    best = scored[0].score
    return [e for e in scored if e.score >= best - CLOSE][:MAX_EVIDENCE]


def _paragraph(chunks_by_id, e: Evidence) -> str:
    """The line of the chunk that holds an evidence sentence (its paragraph)."""
    text = chunks_by_id[e.chunk_id].text
    lo = text.rfind("\n", 0, e.start) + 1
    hi = text.find("\n", e.end)
    return text[lo : hi if hi >= 0 else len(text)]


def _ask_met(ask: str, evidence: list[Evidence]) -> bool:
    text = " ".join(e.sentence for e in evidence)
    if ask == "budget":
        return bool(cues.amounts(text)) or (cues.mentions_budget(text) and cues.negative(text))
    if ask == "calendrier":
        return bool(cues.dates(text)) or cues.negative(text)
    if ask == "causes":
        return bool(cues.cause(text))
    if ask == "nombre":
        return bool(re.search(r"\d", text))
    return bool(evidence)


def _judge(part: Part, evidence: list[Evidence], paragraphs: list[str], table) -> PartVerdict:
    ev = tuple(evidence)
    said = cues.deferral(paragraphs[0]) if evidence else None
    if said:  # the best evidence's paragraph sends the member elsewhere
        who = cues.deferred_to(paragraphs[0])
        reason = f"La réponse renvoie ailleurs : « {said} »" + (f" ({who})." if who else ".")
        return PartVerdict(part, "renvoyé", reason, ev[:1], part.asks, who)
    if "état" in part.asks or (
        "causes" in part.asks and table and not _ask_met("causes", evidence)
    ):  # the state of the chantiers, or their delays' causes: the table answers
        return _from_table(part, table)
    if not evidence:
        return PartVerdict(
            part, "sans réponse", "Aucun passage de la réponse n’en parle.", (), part.asks
        )
    open_asks = tuple(a for a in part.asks if a in SPECIFIC and not _ask_met(a, evidence))
    specific = [a for a in part.asks if a in SPECIFIC]
    if open_asks and len(open_asks) == len(part.asks):
        what = ", ".join(open_asks)
        return PartVerdict(
            part, "sans réponse", f"Des passages proches, mais rien sur : {what}.", ev, open_asks
        )
    if open_asks:
        what = ", ".join(open_asks)
        return PartVerdict(part, "partiel", f"Réponse sans : {what}.", ev, open_asks)
    if cues.negative(evidence[0].sentence):
        return PartVerdict(part, "répondu", "Réponse négative.", ev)
    reason = "Réponse donnée" + (f" ({', '.join(specific)} compris)." if specific else ".")
    return PartVerdict(part, "répondu", reason, ev)


def _from_table(part: Part, table) -> PartVerdict:
    """A part on the state of the chantiers, or the causes of delays, read from the table."""
    rows = [r for r in table if r.evidence]
    if "causes" in part.asks:
        late = [r for r in rows if r.status == "reporté / retardé"]
        with_cause = [r for r in late if r.cause]
        if not late:
            return PartVerdict(part, "sans réponse", "Aucun retard signalé.", (), ("causes",))
        ev = tuple(r.as_evidence() for r in with_cause[:MAX_EVIDENCE])
        if len(with_cause) == len(late):
            return PartVerdict(
                part, "répondu", f"Cause donnée pour les {len(late)} chantiers en retard.", ev
            )
        if with_cause:
            return PartVerdict(
                part,
                "partiel",
                f"Cause donnée pour {len(with_cause)} des {len(late)} chantiers en retard.",
                ev,
                ("causes",),
            )
        return PartVerdict(part, "sans réponse", "Retards sans cause donnée.", (), ("causes",))
    if not rows:
        return PartVerdict(part, "sans réponse", "Aucun état de chantier.", (), part.asks)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda x: -x[1]))
    ev = tuple(r.as_evidence() for r in rows[:MAX_EVIDENCE])
    return PartVerdict(part, "répondu", f"État donné pour {len(rows)} sections : {summary}.", ev)


def sub_verdict(parts: list[PartVerdict]) -> str:
    """The sub-question's verdict from its parts' verdicts."""
    kinds = {p.verdict for p in parts}
    if kinds == {"répondu"}:
        return "répondu"
    if kinds <= {"renvoyé", "sans réponse"}:
        return "renvoyé" if "renvoyé" in kinds else "sans réponse"
    return "partiellement répondu"


def cover(assistant, doc: Document, table=()) -> list[SubQuestionCoverage]:
    """The coverage of every sub-question of ``doc``, with evidence from ``assistant``.

    ``assistant`` must index ``doc`` (chunk ids ``<doc_id>#…``); ``table`` is the
    chantier table of :func:`assistant.brief.status.status_table`, for parts on progress.
    """
    sentences = _answer_sentences(assistant, doc.doc_id)
    if not sentences:
        raise ValueError(f"l'index ne contient pas le document {doc.doc_id} : reconstruisez-le")
    chunks_by_id = {c.id: c for c in assistant.chunks}
    split = [split_parts(sub) for sub in doc.sub_questions]
    queries = [_query(p, parts[0]) for parts in split for p in parts]
    vectors = iter(assistant.encoder.encode_queries(queries))  # one batch for all parts
    out = []
    for sub, parts in zip(doc.sub_questions, split, strict=True):
        verdicts: list[PartVerdict] = []
        for part in parts:
            evidence = _evidence(assistant, part, parts[0], next(vectors), sentences)
            paragraphs = [_paragraph(chunks_by_id, e) for e in evidence]
            v = _judge(part, evidence, paragraphs, list(table))
            prev = verdicts[-1] if verdicts else None
            if (
                part.conditional
                and prev
                and prev.verdict == "répondu"
                and prev.reason.startswith("Réponse négative")
            ):
                v = PartVerdict(
                    part,
                    "répondu",
                    "Sans objet : la réponse précédente est négative.",
                    prev.evidence,
                )
            verdicts.append(v)
        out.append(SubQuestionCoverage(sub.n, sub.text, sub_verdict(verdicts), tuple(verdicts)))
    return out


def fold_verdict(v: str) -> str:
    """A verdict as a CSS-safe word: "sans-reponse", "renvoye" …"""
    return re.sub(r"[^a-z]+", "-", fold(v)).strip("-")
