"""The many-documents fixture: the bundled question beside the test fixtures, and its questions.

``build(tmp)`` copies the bundled written question and the fixtures of ``tests/fixtures``
(a numbered answer, an HTML page, a Dutch question, a PDF written here, a Markdown note)
into a temporary corpus and loads the assistant over it; ``QUESTIONS`` are questions each
about one document, with the section expected; ``run`` asks them. Used by
``tests/test_many_documents.py``, ``tests/test_browser_many.py`` and
``benchmarks/cross_documents.py``.
"""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from assistant.documents.library import add
from devtools.pdfwriter import write_pdf

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
QUESTIONS = [  # (question, document, section)
    ("Combien de prêts le Fonds Rebond a-t-il accordés ?", "qe-1203", "reponse-1"),
    ("Quel est le taux de remboursement du Fonds Rebond ?", "qe-1203", "reponse-2"),
    ("Le Fonds Rebond sera-t-il prolongé en 2023 ?", "qe-1203", "reponse-3"),
    (
        "Combien de kilomètres de pistes cyclables sur la petite ceinture ?",
        "qe-845",
        "reponse-1",
    ),
    (
        "Combien d'accidents de cyclistes sur la petite ceinture en 2021 ?",
        "qe-845",
        "reponse-2",
    ),
    (
        "Hoeveel gezinnen staan op de wachtlijst voor een sociale woning?",
        "qe-312",
        "reponse-1",
    ),
    (
        "Hoeveel sociale woningen werden in 2022 opgeleverd?",
        "qe-312",
        "reponse-2",
    ),
    (
        "Combien de logements sociaux ont été livrés en 2022 ?",
        "qe-312",
        "reponse-2",
    ),
    (
        "Combien d'écoles ont un capteur de dioxyde d'azote ?",
        "qe-77",
        "answer-intro",
    ),
    ("Combien de rues scolaires ont été créées en 2023 ?", "qe-77", "answer-intro"),
    ("Quand le plan canicule est-il activé ?", "note-plan-canicule", "section-2"),
    (
        "Où les personnes âgées peuvent-elles se rafraîchir pendant une canicule ?",
        "note-plan-canicule",
        "section-3",
    ),
    (
        "Où en est le Plan Régional pour l'Innovation ?",
        "qe-517",
        "chantier-1.3.1",
    ),
    ("Quel budget pour les Chromebooks des écoles ?", "qe-517", None),
    ("Qui porte l'objectif 1.7 ?", "qe-517", "objectif-1.7"),
]


def build(tmp: Path, encoder=None, *, bundled: bool = True) -> Assistant:
    """The assistant over the fixtures (and the bundled document unless ``bundled=False``)."""
    corpus = tmp / "corpus"
    corpus.mkdir()
    if bundled:
        (corpus / "qe-517-sommet-social-2021.txt").write_bytes(
            (ROOT / "corpus" / "qe-517-sommet-social-2021.txt").read_bytes()
        )
    pdf = write_pdf(
        (FIX / "pdf-source" / "qe-77-qualite-air.txt").read_text(encoding="utf-8"),
        tmp / "qe-77-qualite-air.pdf",
    )
    add(
        [
            FIX / "qe-1203-fonds-rebond.txt",
            FIX / "qe-845-pistes-cyclables.html",
            FIX / "sv-312-sociale-huisvesting.txt",
            pdf,
            FIX / "note-plan-canicule.md",
        ],
        corpus,
    )
    return Assistant.load(
        corpus=corpus, index=tmp / "index", encoder=encoder, progress=False, log=lambda m: None
    )


def run(a: Assistant, questions=QUESTIONS) -> list[dict]:
    rows = []
    for q, doc, section in questions:
        ans = a.ask(q)
        top = ans.hits[0]
        cited = sorted({c.doc_id for c in ans.citations}) if not ans.abstained else []
        sections = [c.section_id for c in ans.citations] if not ans.abstained else []
        rows.append(
            {
                "question": q,
                "doc": doc,
                "section": section,
                "top_doc": top.doc_id,
                "top_section": top.section_id,
                "cited": cited,
                "cited_sections": sections,
                "abstained": ans.abstained,
                "answer": ans.answer,
            }
        )
    return rows
