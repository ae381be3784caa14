"""Chat questions about the chantier table, answered from it with citations.

"Quels chantiers sont en retard ?", "Quels chantiers relèvent du ministre de
l'Emploi ?", "Quels chantiers sont réalisés ?": a question that asks for
*chantiers* (or objectifs) by status or by minister is answered by listing the
matching rows of :func:`assistant.brief.status.status_table`, each with the sentence
that says its status highlighted in its passage. Any other question returns ``None`` and
goes to the ordinary retrieval answer.

Non-goals: counting questions, several filters joined by "ou", dates.
"""

from __future__ import annotations

import re

from ..brief.status import Status
from ..brief.table import filter_rows
from ..text.analyzer import fold
from .values import Answer, Citation, citation_of

__all__ = ["table_answer", "table_query"]

MAX_LISTED = 12  # rows listed in one answer
MAX_CITED = 6  # of which cited with their passage
# a list of chantiers asked for: "Quels chantiers …", "Lesquels des chantiers …", "Liste des
# chantiers …"; a question about one chantier ("Le chantier X est-il terminé ?") is not one
_ABOUT = re.compile(
    r"\b(?:quels|quelles|lesquels|lesquelles|liste\w*|combien)\b.*\bchantiers\b|"
    r"\bchantiers\b.*\b(?:lesquels|lesquelles)\b",
    re.I,
)
_STATUS = (
    (Status.DELAYED, r"retard\w*|report\w*|en suspens|stopp\w*"),
    (Status.CANCELLED, r"annul\w*"),
    (Status.NO_ACTION, r"pas d['’]action|renvoi\w*|sans action"),
    (Status.NO_INFO, r"non renseign\w*|sans information"),
    (Status.PLANNED, r"prévus?|pas encore (?:entam|commenc|lanc)\w*|à venir"),
    (Status.DONE, r"réalisés?|achevés?|terminés?|finis?|accomplis?"),
    (Status.ONGOING, r"en cours|entamés?|commencés?"),
)
_MINISTER = re.compile(
    r"(?:ministre|secrétaire d['’]\s*[ée]tat)(?:-président)?\s*"
    r"(?:de la |de l['’]|du |des |de |en charge de |chargée? de )?"
    r"([\w’'\- ]{3,60})",
    re.I,
)
_PRESIDENT = re.compile(r"ministre[- ]président", re.I)


def table_query(question: str) -> dict | None:
    """The table filter a question asks for (``{"status": …, "minister": …}``), or None."""
    if not _ABOUT.search(question):
        return None
    found: dict[str, str] = {}  # "status" (a Status), "minister"
    for status, rx in _STATUS:
        if re.search(rx, question, re.I):
            found["status"] = status
            break
    if _PRESIDENT.search(question):
        found["minister"] = "président"
    elif m := _MINISTER.search(question):
        words = [w for w in re.split(r"[\s’'\-]+", m.group(1)) if len(w) > 2]
        stop = {"quels", "chantiers", "sont", "est", "ses", "porte", "porté", "portés", "relèvent"}
        words = [w for w in words if fold(w) not in stop]
        if words:
            found["minister"] = words[0].rstrip("?.! ")
    return found or None


def _citation(n: int, row, chunks) -> Citation | None:
    """The passage of ``row``'s section that holds its status sentence, highlighted."""
    sentence = row.status_sentence
    for c in chunks:
        if c.doc_id == row.doc_id and c.section_id == row.section_id:
            at = c.text.find(sentence) if sentence else -1
            spans = ((at, at + len(sentence)),) if at >= 0 else ()
            if at >= 0 or not sentence:
                return citation_of(n, c, spans)
    return None


def table_answer(question: str, rows, chunks) -> Answer | None:
    """The answer from the table, or None when the question is not about it."""
    asked = table_query(question)
    if asked is None:
        return None
    matched = filter_rows(rows, status=asked.get("status"), minister=asked.get("minister"))
    what = []
    if "status" in asked:
        what.append(f"au statut « {asked['status']} »")
    if "minister" in asked:
        what.append(f"dont un ministre porteur mentionne « {asked['minister']} »")
    head = f"Chantiers {' et '.join(what)}"
    if not matched:
        text = f"{head} : aucun dans le tableau de suivi."
        return Answer(question, text, False, (), resolved_question=question)
    lines, citations = [f"{head} : {len(matched)} dans le tableau de suivi."], []
    for row in matched[:MAX_LISTED]:
        marker = ""
        if len(citations) < MAX_CITED:
            c = _citation(len(citations) + 1, row, chunks)
            if c is not None:
                citations.append(c)
                marker = f" [{c.n}]"
        said = row.status_sentence
        quote = f" — « {' '.join(said.split())} »" if said else ""
        lines.append(f"- {row.label} ({row.status}){quote}{marker}")
    if len(matched) > MAX_LISTED:
        lines.append(f"… et {len(matched) - MAX_LISTED} autres (onglet « Suivi parlementaire »).")
    return Answer(question, "\n".join(lines), False, tuple(citations), resolved_question=question)
