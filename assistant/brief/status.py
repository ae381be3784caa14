"""The state of each chantier, from the answer's own wording, with the sentence that says it.

One row per chantier, per unnumbered sub-heading, and per objectif answered
without chantiers. The status is read from cue words and tense, in this order
of precedence (the first rule that fires wins, and its sentence is the row's
``status_sentence``):

1. **non renseigné** — the section has no text after its heading;
2. **pas d'action spécifique / renvoi** — "pas d'action(s) spécifique(s)", or a
   body that only points elsewhere ("cf. Objectif 1.8", "Voir 1.2.");
3. **reporté / retardé** — "retard", "reporté", "mis en suspens", "stoppé", "interrompu"
   (Dutch: "vertraging", "uitgesteld", "opgeschort");
4. **annulé** — "annulé(e)s", "geannuleerd" (with nothing under way);
5. **en cours** — "en cours", "se poursuit", "en train de", "actuellement",
   "a démarré", "ont commencé", "initiés", "en phase de conception", "lopende",
   "in voorbereiding"…, or done and still to do side by side;
6. **réalisé** — completed wording only ("a été approuvé", "créé", "voté",
   "publié", "achevé", "opérationnel", "entré en vigueur", "mis sur pied", "werd
   goedgekeurd", "in werking getreden");
7. **prévu** — future wording only ("sera", "est prévu", "devrait", "démarrera", "zal",
   "gepland");
8. otherwise **en cours**, flagged as weakly supported (a list of measures
   without a verb).

The dates and amounts of the section are extracted by :mod:`assistant.brief.cues`;
a delay's cause is the cause wording of the section ("en raison de la
pandémie"), if any.

Filters and exports of the rows (CSV, Markdown) are in :mod:`assistant.brief.table`.

Non-goals: no judgement beyond the text; chantiers only announced inside
another section's prose (2.2.9, 2.3.7) get no row of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..documents.document import Document, Section, shorten
from ..text.analyzer import fold
from ..text.sentences import split_sentences
from . import cues
from .support import SupportingSentence

__all__ = [
    "Status",
    "ChantierRow",
    "status_table",
    "classify",
    "budget_without_amount",
]


class Status(StrEnum):
    """The state of a chantier; the value is what the user reads (table, CSV, filters)."""

    DONE = "réalisé"
    ONGOING = "en cours"
    PLANNED = "prévu"
    DELAYED = "reporté / retardé"
    CANCELLED = "annulé"
    NO_ACTION = "pas d'action spécifique / renvoi"
    NO_INFO = "non renseigné"


_RX = {
    Status.NO_ACTION: re.compile(r"pas\s+d['’]\s*actions?\s+sp[ée]cifiques?", re.I),
    Status.DELAYED: re.compile(
        r"\bretard\w*|\breport[ée]e?s?\b|\bmise?s?\s+en\s+suspens|\bstopp[ée]|\binterrompue?s?\b"
        r"|\bdécal[ée]e?s?\b|\bsuspendue?s?\b"
        r"|\bvertraa?g\w*|\buitgesteld\b|\bopgeschort\b|\bstilgelegd\b",  # Dutch
        re.I,
    ),
    Status.CANCELLED: re.compile(r"\bannul[ée]e?s?\b|\bgeannuleerd\b|\bafgelast\b", re.I),
    Status.ONGOING: re.compile(
        r"\ben\s+cours\b|\bse\s+poursui\w+|\bpoursuivi\w*|\ben\s+train\s+de\b|\bactuellement\b"
        r"|\b(?:a|ont)\s+(?:démarré|commencé|continué)|\binitiés?\b|\bphase\s+de\s+conception"
        r"|\btoujours\s+en\b|\btravaille(?:nt)?\b|\bréactivation\b|\bse\s+réunit\b"
        r"|\bentamée?s?\b|\bdéploie\b|\ben\s+voie\s+d['’]"
        r"|\blopende\b|\baan\s+de\s+gang\b|\bin\s+voorbereiding\b|\bmomenteel\b"
        r"|\bnog\s+steeds\b|\bwordt\s+(?:onderzocht|voorbereid|uitgewerkt|besproken)\b",
        re.I,
    ),
    Status.DONE: re.compile(
        r"\b(?:a|ont)\s+(?:été\s+)?(?:approuvée?s?|adoptée?s?|créée?s?|votée?s?|publiée?s?"
        r"|achevée?s?|conclue?s?|lancée?s?|menée?s?|réalisée?s?|mise?s?\s+sur\s+pied|permis"
        r"|obtenu|eu\s+lieu|distribu\w+|octroyée?s?|sélectionnée?s?|renforcée?s?|développée?s?)\b"
        r"|\bété\s+(?:approuvée?s?|adoptée?s?|créée?s?|votée?s?|publiée?s?|achevée?s?)\b"
        r"|\b(?:a|ont)\s+été\s+\w+(?:é|ée|és|ées)\b"  # any past passive: "ont été installées"
        r"|\bopérationnel\w*|\bentrée?\s+en\s+vigueur\b|\bdisponible\s+depuis|\bfut\s+lancé"
        r"|\b(?:werd|werden|is|zijn)\s+(?:(?!niet\b|geen\b)\w+\s+){0,6}(?:goedgekeurd|afgerond|voltooid|opgericht"
        r"|gelanceerd|aangenomen|ingevoerd)\b|\bin\s+werking\s+getreden\b",
        re.I,
    ),
    Status.PLANNED: re.compile(
        r"\bsera\b|\bseront\b|\b(?:est|sont|était|étaient)\s+prévue?s?\b"
        r"|\bprévue?s?\s+(?:en|pour|au|à|d['’]ici|dans|avant)\b|\bdevrai(?:t|ent)\b"
        r"|\b\w+(?:era|eront|ira|iront)\b|\bà\s+venir\b|\battendue?\b|\bvise\b"
        r"|\bzal\b|\bzullen\b|\bgepland\b|\bwordt\s+verwacht\b",
        re.I,
    ),
}
_FUTURE = r"\b(?:sera|seront|va être|vont être)\s+"
# « Il n'est pas prévu de … », « Aucun nouvel appel n'est prévu », « Rien n'est prévu », « Er
# is geen nieuwe oproep gepland »: a plan word under a negation says nothing is planned. Not
# a restriction (« n'est prévu que pour 2025 »), a deferred plan (« n'est pas prévue avant
# 2026 », « niet gepland voor 2026, maar voor 2027 ») nor « niet alleen » / « pas seulement »;
# a negation word reaches its plan word over at most three words, none of them a conjunction.
_PLAN_WORD = r"[^\w,;:.]+(?:prévue?s?|envisagée?s?|gepland|voorzien)\b"
_OVER = r"(?:[^\w,;:.]+(?!(?:mais|maar|et|en|or)\b)[\w'’-]+){0,3}?"
_DEFERRED = r"(?!\s+avant\b|\s+(?:en|pour|voor|in|tegen)\b[^.;]*?\b(?:mais|maar)\b)"
_ONLY = r"\s+(?:seulement|uniquement|alleen|enkel|uitsluitend|zozeer)\b"
_NOT_PLANNED = re.compile(
    r"\b(?:aucune?|pas|geen|niet)\b(?!"
    + _ONLY
    + r")"
    + _OVER
    + _PLAN_WORD
    + _DEFERRED
    + r"|\bn['’]\w+(?!\s+pas"  # the « n' » of « Rien n'est prévu » is the negation itself
    + _ONLY
    + r")"
    + _OVER
    + _PLAN_WORD
    + r"(?!\s+qu(?:e\b|['’]))"
    + _DEFERRED,
    re.I,
)
_POINTER = re.compile(r"^(?:ð\s*)?(?:cf\.?|voir)\b", re.I)


@dataclass(frozen=True)
class ChantierRow:
    doc_id: str
    section_id: str
    objectif: str  # "1.2"
    number: str  # "1.2.2", "" for an unnumbered section
    title: str
    ministers: tuple[str, ...]
    status: Status
    status_sentence: str  # the sentence that justifies the status ("" when there is none)
    cue: str  # the words that fired the rule
    dates: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()
    cause: str = ""  # the sentence giving a delay's cause
    weak: bool = False  # no cue word: the default status
    budget_sentences: tuple[str, ...] = ()  # sentences naming a budget without an amount

    @property
    def label(self) -> str:
        if self.number:
            return f"Chantier {self.number} — {shorten(self.title, 70)}"
        if self.section_id.startswith("objectif-"):
            return f"Objectif {self.objectif} — {shorten(self.title, 70)}"
        return shorten(self.title, 80)

    def as_support(self) -> SupportingSentence:
        """This row's sentence (a delay's cause first) as support for a coverage verdict."""
        sentence = self.cause or self.status_sentence
        return SupportingSentence(
            f"{self.doc_id}#{self.section_id}",
            self.section_id,
            self.label,
            self.ministers,
            sentence,
            0,
            0,
            1.0,
        )

    def to_json(self) -> dict:
        return {
            "section_id": self.section_id,
            "objectif": self.objectif,
            "chantier": self.number,
            "title": self.title,
            "ministers": list(self.ministers),
            "status": self.status,
            "evidence": self.status_sentence,
            "cue": self.cue,
            "dates": list(self.dates),
            "amounts": list(self.amounts),
            "cause": self.cause,
            "weak": self.weak,
        }


def _body(s: Section) -> str:
    """A section's text without its heading (and, for an objectif, its minister lines)."""
    text = s.text
    if s.kind == "objectif":
        lines = text.split("\n")[1:]
        names = {fold(m) for m in s.ministers}
        while lines:
            bare = fold(lines[0].strip().lstrip("-–: ").strip())
            if not bare or "porteur" in bare or bare in names or bare == ":":
                lines.pop(0)
            else:
                break
        return "\n".join(lines).strip()
    at = text.find(s.title)
    rest = text[at + len(s.title) :] if at >= 0 and s.title else text.split("\n", 1)[-1]
    return rest.strip().lstrip(":.").strip()


def _sentences(body: str) -> list[str]:
    return [body[sp.start : sp.end] for sp in split_sentences(body, min_chars=15)]


def classify(body: str) -> tuple[Status, str, str, bool]:
    """(status, the sentence that says it, cue words, weak) for a section's body text."""
    sentences = _sentences(body)
    if not sentences:
        return Status.NO_INFO, "", "", False
    for s in sentences:
        if m := _RX[Status.NO_ACTION].search(s):
            return Status.NO_ACTION, s, m.group(0), False
    if all(_POINTER.match(s.strip()) for s in sentences):
        return Status.NO_ACTION, sentences[0], sentences[0].split()[0], False
    negated = {s: [m.span() for m in _NOT_PLANNED.finditer(s)] for s in sentences}
    not_planned = [(s, m.group(0)) for s in sentences if (m := _NOT_PLANNED.search(s))]
    hits = {
        status: [(s, m.group(0)) for s in sentences if (m := _RX[status].search(s))]
        for status in (
            Status.DELAYED,
            Status.CANCELLED,
            Status.ONGOING,
            Status.DONE,
        )
    }
    # a plan word counts unless a negation covers it: « La phase 1 est prévue en 2025, aucune
    # phase 2 n'est prévue » is planned
    hits[Status.PLANNED] = [
        (s, m.group(0))
        for s in sentences
        for m in _RX[Status.PLANNED].finditer(s)
        if not any(a <= m.start() and m.end() <= b for a, b in negated[s])
    ][:1]
    if hits[Status.DELAYED]:
        s, cue = hits[Status.DELAYED][0]
        return Status.DELAYED, s, cue, False
    if hits[Status.CANCELLED] and not hits[Status.ONGOING]:
        s, cue = hits[Status.CANCELLED][0]
        return Status.CANCELLED, s, cue, False
    # "sera entamée", "seront poursuivis": a future passive is planned, not under way
    ongoing = [(s, c) for s, c in hits[Status.ONGOING] if not re.search(_FUTURE + re.escape(c), s)]
    if ongoing:
        s, cue = ongoing[0]
        return Status.ONGOING, s, cue, False
    done = hits[Status.DONE]
    todo = hits[Status.PLANNED]
    if not_planned and not done and not todo:
        s, cue = not_planned[0]
        return Status.NO_ACTION, s, cue, False
    if done and todo:
        s, cue = todo[0]
        return Status.ONGOING, s, f"{done[0][1]} … {cue}", False
    if done:
        return Status.DONE, done[0][0], done[0][1], False
    if todo:
        return Status.PLANNED, todo[0][0], todo[0][1], False
    return Status.ONGOING, sentences[0], "", True


def _row_sections(doc: Document) -> list[Section]:
    out = []
    for obj in doc.objectifs:
        inner = [s for s in obj.sections if s.kind in ("chantier", "subsection")]
        out.extend(inner or [s for s in obj.sections if s.kind == "objectif"])
    return out


def _row(doc: Document, s: Section) -> ChantierRow:
    body = _body(s)
    status, sentence, cue, weak = classify(body)
    cause = ""
    if status == Status.DELAYED:
        sentences = [sentence] + _sentences(body)  # the delay's own sentence first
        cause = next((x for x in sentences if cues.cause(x)), "")
    return ChantierRow(
        doc_id=doc.doc_id,
        section_id=s.id,
        objectif=s.objectif or "",
        number=" et ".join(s.numbers) if s.kind == "chantier" else "",
        title=s.title,
        ministers=s.ministers,
        status=status,
        status_sentence=sentence,
        cue=cue,
        dates=tuple(cues.dates(body)),
        amounts=tuple(cues.amounts(body)),
        cause=cause,
        weak=weak,
        budget_sentences=tuple(budget_without_amount(_sentences(body))),
    )


def status_table(doc: Document) -> list[ChantierRow]:
    """One row per chantier, unnumbered sub-heading and chantier-less objectif, in order."""
    return [_row(doc, s) for s in _row_sections(doc)]


def budget_without_amount(sentences) -> list[str]:
    """The sentences that name a budget but give no amount (and do not deny one)."""
    return [
        s
        for s in sentences
        if re.search(r"\bbudgets?\b", s, re.I) and not cues.amounts(s) and not cues.negative(s)
    ]
