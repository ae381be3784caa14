"""Answers and abstention with the real model on the bundled document and the evaluation set.

Bounds sit below the measured figures (README) so that a regression fails; the figures
themselves come from ``python -m evals.answers --split dev|heldout``.
"""

from __future__ import annotations

import pytest

from evals.answers import run, summarise
from evals.dataset import QUESTIONS, load_questions

pytestmark = pytest.mark.slow
ABSTENTION_RECALL_FLOOR = 0.4  # measured 0.46 (dev) and 0.54 (heldout): far from the 0.9 aim


@pytest.fixture(scope="module")
def rows(real_assistant, doc):
    return run(real_assistant, load_questions(QUESTIONS, documents=[doc]))


def test_evidence_is_quoted_for_many_questions(rows):
    quoted = [r for r in rows if r.q.answerable and r.evidence_in_answer]
    assert len(quoted) >= 30
    # when the evidence is quoted, the gold section is among the citations
    assert sum(r.cited_gold for r in quoted) >= 0.95 * len(quoted)


def test_citation_quality(rows):
    s = summarise(rows)
    # measured on all 230 questions: gold cited 0.857, citation precision 0.845 (README)
    assert s["gold_cited"] >= 0.82, s
    assert s["citation_precision"] >= 0.8, s


def test_abstention_on_unanswerable_and_not_on_answerable(rows):
    unanswerable = [r for r in rows if not r.q.answerable]
    assert len(unanswerable) >= 10
    s = summarise(rows)
    assert s["wrong_refusal_rate"] <= 0.08, s
    assert s["abstention_recall"] >= ABSTENTION_RECALL_FLOOR, s


def test_refusal_text_and_closest_passages(real_assistant):
    a = real_assistant.ask("Qui a gagné la coupe du monde de football 2018 ?")
    assert a.abstained
    assert a.answer.startswith("Le document ne contient pas d'information")
    assert "peut-être utiles" in a.answer and a.citations
    assert all(c.highlights == () for c in a.citations)


def test_cross_section_question_is_answered_per_source(real_assistant):
    a = real_assistant.ask("Quelles aides pour les commerces ?")
    assert not a.abstained and len(a.citations) >= 2
    lines = a.answer.splitlines()
    assert len(lines) == len(a.citations) and len(a.answer) <= 600
    for c, line in zip(a.citations, lines, strict=True):
        assert line.startswith("• ") and line.endswith(f"[{c.n}]")
    assert "chantier-1.2.2" in {c.section_id for c in a.citations}


def test_follow_up_is_resolved_before_retrieval(real_assistant):
    a = real_assistant.ask("et pour les jeunes ?", history=["Quelles aides pour les commerces ?"])
    assert a.resolved_question == "Quelles aides pour les jeunes ?"
    assert not a.abstained


def test_the_answer_to_the_question_named_by_its_number_opens_the_answer(real_assistant):
    a = real_assistant.ask("Quelle est la réponse à la question écrite n°517 ?")
    assert not a.abstained
    assert [c.section_id for c in a.citations] == ["answer-intro"]
    # the answer's own opening sentence (corpus/qe-517-sommet-social-2021.txt)
    assert a.answer.startswith("En ce qui concerne votre première question portant sur")
    asked = real_assistant.ask("Que demande la question écrite n°517 ?")
    assert [c.section_id for c in asked.citations] == ["question"]


def test_who_holds_the_office_asked_is_answered_with_a_name(real_assistant):
    a = real_assistant.ask("Qui est le ministre-président ?")
    assert not a.abstained
    assert a.short_answer is not None and a.short_answer.text == "Rudi Vervoort"
    assert a.answer.startswith("**Rudi Vervoort** — ")


def test_the_written_questions_of_a_member_are_listed(real_assistant):
    a = real_assistant.ask("Combien de questions écrites a posées Bianca Debaets ?")
    assert not a.abstained
    assert a.answer.startswith("**1 question écrite** de ou à « Bianca Debaets » :")
    assert [(c.document.number, c.section_id) for c in a.citations] == [("517", "metadata")]
    nobody = real_assistant.ask("Quelles questions a posées Inès Lemaire ?")
    assert nobody.abstained and "« Inès Lemaire »" in nobody.answer and not nobody.citations
