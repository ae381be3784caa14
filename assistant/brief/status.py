"""The state of each chantier, from the answer's own wording, with its evidence sentence.

One row per chantier, per unnumbered sub-heading, and per objectif answered
without chantiers. The status is read from cue words and tense, in this order
of precedence (the first rule that fires wins, and its sentence is the evidence):

1. **non renseigné** — the section has no text after its heading;
2. **pas d'action spécifique / renvoi** — "pas d'action(s) spécifique(s)", or a
   body that only points elsewhere ("cf. Objectif 1.8", "Voir 1.2.");
3. **reporté / retardé** — "retard", "reporté", "mis en suspens", "stoppé", "interrompu";
4. **annulé** — "annulé(e)s" (with nothing under way);
5. **en cours** — "en cours", "se poursuit", "en train de", "actuellement",
   "a démarré", "ont commencé", "initiés", "en phase de conception"…, or done
   and still to do side by side;
6. **réalisé** — completed wording only ("a été approuvé", "créé", "voté",
   "publié", "achevé", "opérationnel", "entré en vigueur", "mis sur pied");
7. **prévu** — future wording only ("sera", "est prévu", "devrait", "démarrera");
8. otherwise **en cours**, flagged as weakly supported (a list of measures
   without a verb).

The dates and amounts of the section are extracted by :mod:`assistant.brief.cues`;
a delay's cause is the cause wording of the section ("en raison de la
pandémie"), if any.

Non-goals: no judgement beyond the text; chantiers only announced inside
another section's prose (2.2.9, 2.3.7) get no row of their own.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ..documents.document import Document, Section, shorten
from ..text.analyzer import fold
from ..text.sentences import split_sentences
from . import cues

__all__ = [
    "STATUSES",
    "COLUMNS",
    "ChantierRow",
    "cells",
    "status_table",
    "classify",
    "filter_rows",
    "to_csv",
    "to_markdown",
]

STATUSES = (
    "réalisé",
    "en cours",
    "prévu",
    "reporté / retardé",
    "annulé",
    "pas d'action spécifique / renvoi",
    "non renseigné",
)
_RX = {
    "renvoi": re.compile(r"pas\s+d['’]\s*actions?\s+sp[ée]cifiques?", re.I),
    "reporté / retardé": re.compile(
        r"\bretard\w*|\breport[ée]e?s?\b|\bmise?s?\s+en\s+suspens|\bstopp[ée]|\binterrompue?s?\b"
        r"|\bdécal[ée]e?s?\b|\bsuspendue?s?\b",
        re.I,
    ),
    "annulé": re.compile(r"\bannul[ée]e?s?\b", re.I),
    "en cours": re.compile(
        r"\ben\s+cours\b|\bse\s+poursui\w+|\bpoursuivi\w*|\ben\s+train\s+de\b|\bactuellement\b"
        r"|\b(?:a|ont)\s+(?:démarré|commencé|continué)|\binitiés?\b|\bphase\s+de\s+conception"
        r"|\btoujours\s+en\b|\btravaille(?:nt)?\b|\bréactivation\b|\bse\s+réunit\b"
        r"|\bentamée?s?\b|\bdéploie\b|\ben\s+voie\s+d['’]",
        re.I,
    ),
    "réalisé": re.compile(
        r"\b(?:a|ont)\s+(?:été\s+)?(?:approuvée?s?|adoptée?s?|créée?s?|votée?s?|publiée?s?"
        r"|achevée?s?|conclue?s?|lancée?s?|menée?s?|réalisée?s?|mise?s?\s+sur\s+pied|permis"
        r"|obtenu|eu\s+lieu|distribu\w+|octroyée?s?|sélectionnée?s?|renforcée?s?|développée?s?)\b"
        r"|\bété\s+(?:approuvée?s?|adoptée?s?|créée?s?|votée?s?|publiée?s?|achevée?s?)\b"
        r"|\b(?:a|ont)\s+été\s+\w+(?:é|ée|és|ées)\b"  # any past passive: "ont été installées"
        r"|\bopérationnel\w*|\bentrée?\s+en\s+vigueur\b|\bdisponible\s+depuis|\bfut\s+lancé",
        re.I,
    ),
    "prévu": re.compile(
        r"\bsera\b|\bseront\b|\b(?:est|sont|était|étaient)\s+prévue?s?\b"
        r"|\bprévue?s?\s+(?:en|pour|au|à|d['’]ici|dans)\b|\bdevrai(?:t|ent)\b"
        r"|\b\w+(?:era|eront|ira|iront)\b|\bà\s+venir\b|\battendue?\b|\bvise\b",
        re.I,
    ),
}
_FUTURE = r"\b(?:sera|seront|va être|vont être)\s+"
_POINTER = re.compile(r"^(?:ð\s*)?(?:cf\.?|voir)\b", re.I)


@dataclass(frozen=True)
class ChantierRow:
    doc_id: str
    section_id: str
    objectif: str  # "1.2"
    number: str  # "1.2.2", "" for an unnumbered section
    title: str
    ministers: tuple[str, ...]
    status: str  # one of STATUSES
    evidence: str  # the sentence that justifies the status ("" when there is none)
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

    def as_evidence(self):
        """This row's evidence as a coverage :class:`~assistant.brief.coverage.Evidence`."""
        from .coverage import Evidence

        sentence = self.cause or self.evidence
        return Evidence(
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
            "evidence": self.evidence,
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


def classify(body: str) -> tuple[str, str, str, bool]:
    """(status, evidence sentence, cue words, weak) for a section's body text."""
    sentences = _sentences(body)
    if not sentences:
        return "non renseigné", "", "", False
    for s in sentences:
        if m := _RX["renvoi"].search(s):
            return "pas d'action spécifique / renvoi", s, m.group(0), False
    if all(_POINTER.match(s.strip()) for s in sentences):
        return "pas d'action spécifique / renvoi", sentences[0], sentences[0].split()[0], False
    hits = {
        name: [(s, m.group(0)) for s in sentences if (m := _RX[name].search(s))]
        for name in ("reporté / retardé", "annulé", "en cours", "réalisé", "prévu")
    }
    if hits["reporté / retardé"]:
        s, cue = hits["reporté / retardé"][0]
        return "reporté / retardé", s, cue, False
    if hits["annulé"] and not hits["en cours"]:
        s, cue = hits["annulé"][0]
        return "annulé", s, cue, False
    # "sera entamée", "seront poursuivis": a future passive is planned, not under way
    hits["en cours"] = [
        (s, c) for s, c in hits["en cours"] if not re.search(_FUTURE + re.escape(c), s)
    ]
    if hits["en cours"]:
        s, cue = hits["en cours"][0]
        return "en cours", s, cue, False
    done, todo = hits["réalisé"], hits["prévu"]
    if done and todo:
        s, cue = todo[0]
        return "en cours", s, f"{done[0][1]} … {cue}", False
    if done:
        return "réalisé", done[0][0], done[0][1], False
    if todo:
        return "prévu", todo[0][0], todo[0][1], False
    return "en cours", sentences[0], "", True


def _row_sections(doc: Document) -> list[Section]:
    out = []
    for obj in doc.objectifs:
        inner = [s for s in obj.sections if s.kind in ("chantier", "subsection")]
        out.extend(inner or [s for s in obj.sections if s.kind == "objectif"])
    return out


def status_table(doc: Document) -> list[ChantierRow]:
    """One row per chantier, unnumbered sub-heading and chantier-less objectif, in order."""
    rows = []
    for s in _row_sections(doc):
        body = _body(s)
        status, evidence, cue, weak = classify(body)
        cause = ""
        if status == "reporté / retardé":
            sentences = [evidence] + _sentences(body)  # the delay's own sentence first
            cause = next((x for x in sentences if cues.cause(x)), "")
        rows.append(
            ChantierRow(
                doc_id=doc.doc_id,
                section_id=s.id,
                objectif=s.objectif or "",
                number=" et ".join(s.numbers) if s.kind == "chantier" else "",
                title=s.title,
                ministers=s.ministers,
                status=status,
                evidence=evidence,
                cue=cue,
                dates=tuple(cues.dates(body)),
                amounts=tuple(cues.amounts(body)),
                cause=cause,
                weak=weak,
                budget_sentences=tuple(budget_without_amount(_sentences(body))),
            )
        )
    return rows


def budget_without_amount(sentences) -> list[str]:
    """The sentences that name a budget but give no amount (and do not deny one)."""
    return [
        s
        for s in sentences
        if re.search(r"\bbudgets?\b", s, re.I) and not cues.amounts(s) and not cues.negative(s)
    ]


def filter_rows(
    rows, *, objectif: str | None = None, minister: str | None = None, status: str | None = None
) -> list[ChantierRow]:
    """Rows of one objectif ("1.2"), whose ministers mention ``minister`` (accents and
    case ignored, e.g. "emploi"), and/or of one status; an empty filter keeps all."""
    out = list(rows)
    if objectif:
        out = [r for r in out if r.objectif == objectif]
    if minister:
        key = fold(minister)
        out = [r for r in out if any(key in fold(m) for m in r.ministers)]
    if status:
        if status not in STATUSES:
            raise ValueError(
                f"statut inconnu « {status} » : choisissez parmi {', '.join(STATUSES)}"
            )
        out = [r for r in out if r.status == status]
    return out


COLUMNS = (
    "Objectif",
    "Chantier",
    "Titre",
    "Ministre(s) porteur(s)",
    "Statut",
    "Dates",
    "Montants",
    "Justification",
)


def cells(r: ChantierRow) -> list[str]:
    """One row as its cells, in :data:`COLUMNS` order."""
    return [
        r.objectif,
        r.number,
        r.title,
        " ; ".join(r.ministers),
        r.status,
        " ; ".join(r.dates),
        " ; ".join(r.amounts),
        r.evidence,
    ]


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (``=``, ``+``, ``-``, ``@`` first)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(rows) -> str:
    """The table as CSV (comma-separated, quoted as needed, header first); text that a
    spreadsheet would take for a formula is prefixed with ``'``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_inert(c) for c in cells(r)])
    return buf.getvalue()


def to_markdown(rows) -> str:
    """The table as a Markdown table (pipes and line breaks in cells escaped)."""

    def cell(x: str) -> str:
        return x.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(c) for c in cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"
