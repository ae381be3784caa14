"""A question that asks for a name is answered only by a sentence that holds one
(assistant.answers.named): hand-written questions, toy passages with their stored spaCy
entities, and the real index of the bundled corpus."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from assistant.answers.extractive import Sentences, compose
from assistant.answers.grounding import Gap, Grounder, Levels
from assistant.answers.named import ANY_NAME, PERSON, WHO, asked_name, names_someone
from assistant.answers.question_types import AnswerType
from assistant.indexing.annotate import Annotation
from assistant.indexing.chunking import Chunk


@pytest.mark.parametrize(
    ("question", "role", "labels"),
    [
        ("Qui est le président de Brupartners ?", "président de Brupartners", PERSON),
        ("Qui est la directrice d'Innoviris, depuis 2020 ?", "directrice d'Innoviris", PERSON),
        ("Comment s'appelle le ministre des Finances qui porte l'objectif 1.7 ?",
         "ministre des Finances", PERSON),  # a name even of an office
        ("Comment s'appelle le plan pour l'innovation ?", "plan pour l'innovation", ANY_NAME),
        ("Quels sont les noms des pays ciblés ?", "pays ciblés", ANY_NAME),
        ("Hoe heet de voorzitter van Brupartners?", "voorzitter van Brupartners", PERSON),
        ("Wie is de directeur van Actiris?", "directeur van Actiris", PERSON),
        ("Who is the chairman of Brupartners?", "chairman of Brupartners", PERSON),
        # a role a body holds as often: a person or an organisation names it
        ("Qui est le gestionnaire du site ?", "gestionnaire du site", WHO),
        ("Qui est l'opérateur du réseau ?", "opérateur du réseau", WHO),
        ("Comment s'appellent les écoles concernées ?", "écoles concernées", ANY_NAME),
    ],
)  # fmt: skip
def test_what_name_is_asked(question, role, labels):
    asked = asked_name(question)
    assert asked is not None and asked.role == role and asked.labels == labels


@pytest.mark.parametrize(
    "question",
    [
        "Qui est le ministre porteur de l'objectif 1.4 ?",  # an office answers it
        "Qui est la secrétaire d'État compétente ?",
        "Wie is de minister van Mobiliteit?",
        "Qui a posé la question sur les trottinettes ?",  # a document fact, elsewhere
        "Quelles entreprises pourront recevoir une aide ?",  # a category answers it
        "Comment la Région soutient-elle les commerces ?",
        "Qui est lauréat du prix ?",  # no article: « le » is not read out of « lauréat »
    ],
)
def test_questions_that_ask_for_no_name(question):
    assert asked_name(question) is None


def test_a_name_the_question_holds_itself_does_not_answer_it():
    question = "Qui est le président de Brupartners ?"
    assert not names_someone(["Brupartners"], question)
    assert names_someone(["Brupartners", "Jean Dupont"], question)
    assert not names_someone([], question)


TEXT = "Le secrétariat de Brupartners reçoit un budget. Il est présidé par Jean Dupont."
S1 = (0, TEXT.index(" Il"))
S2 = (S1[1] + 1, len(TEXT))
MODEL = "fr_core_news_sm-3.8.0"
# grounding on, with nothing else to refuse: only the name check can
OPEN = Grounder(Levels(zipf=0.0, present=0.0, neighbour=None, typed=False))


def _inputs(notes, cosines=(0.80, 0.78), text=TEXT):
    chunk = Chunk(
        id="doc#c1", doc_id="doc", section_id="c1", part=1, kind="chantier",
        section_label="Chantier 1.1.1 — Toy", heading_path="Objectif 1.1",
        ministers=(), start=0, end=len(text), text=text, embed_text=text, body_offset=0,
    )  # fmt: skip
    s1 = (0, text.index(" Il"))
    return dict(
        chunks=[chunk],
        query_vector=np.array([1.0, 0.0]),
        sentences=Sentences.of(
            np.array([[c, np.sqrt(1 - c * c)] for c in cosines]),
            np.array([(0, *s1), (0, s1[1] + 1, len(text))]),
            notes,
        ),
        idf=lambda t: 0.0,
        row_of={chunk.id: 0},
        known=lambda t: True,
        grounding=OPEN,
    )


HITS = [SimpleNamespace(chunk_id="doc#c1")]
_AT = TEXT.index("Brupartners")
ORG = Annotation(entities=(("ORG", _AT, _AT + 11),), stems=(), types=("who",), model=MODEL)


NOBODY = "Le secrétariat de Brupartners reçoit un budget. Il est renforcé en 2021."


def test_a_sentence_that_names_nobody_does_not_say_who_presides():
    # both sentences are quoted (the second opens on an anaphor); only Brupartners is named
    notes = (ORG, Annotation(entities=(), stems=(), types=(), model=MODEL))
    kw = _inputs(notes, (0.9, 0.5), text=NOBODY)
    out = compose("Qui est le président de Brupartners ?", HITS, **kw)
    assert out.abstained
    assert out.unmentioned == Gap("fr", "président de Brupartners", AnswerType.WHO)
    assert out.unmentioned.lines() == [
        "Les documents ne donnent pas de nom pour « président de Brupartners »."
    ]
    # the same sentences answer a question that asks for no name
    assert not compose("Brupartners reçoit-il un budget ?", HITS, **kw).abstained


def test_an_organisation_names_the_holder_of_a_role_a_body_holds():
    notes = (ORG, Annotation(entities=(), stems=(), types=(), model=MODEL))
    out = compose("Qui est le gestionnaire du secrétariat ?", HITS,
                  **_inputs(notes, (0.9, 0.5), text=NOBODY))  # fmt: skip
    assert not out.abstained  # « Brupartners » is not in the question: it names the holder


def test_a_sentence_that_names_the_person_answers():
    start = TEXT.index("Jean")
    person = Annotation(entities=(("PER", start - S2[0], start - S2[0] + 10),), stems=(),
                        types=("who",), model=MODEL)  # fmt: skip
    out = compose("Qui est le président de Brupartners ?", HITS, **_inputs((ORG, person),
                  (0.5, 0.9)))  # fmt: skip
    assert not out.abstained and "Jean Dupont" in out.text


def test_without_spacy_annotations_nothing_is_refused_for_a_name():
    plain = Annotation(entities=(), stems=(), types=(), model="")  # regular expressions only
    out = compose("Qui est le président de Brupartners ?", HITS, **_inputs((plain, plain),
                  (0.9, 0.5)))  # fmt: skip
    assert not out.abstained
    out = compose("Qui est le président de Brupartners ?", HITS, **_inputs(None, (0.9, 0.5)))
    assert not out.abstained


def test_the_real_index_refuses_a_name_it_does_not_hold(real_assistant):
    answer = real_assistant.ask("Comment s'appelle la directrice d'Innoviris ?")
    assert answer.abstained
    assert answer.answer.startswith(
        "Les documents ne donnent pas de nom pour « directrice d'Innoviris »."
    )
    # an office answers « qui est le ministre porteur … » and a name of a plan is a name
    porteur = real_assistant.ask("Qui est le ministre porteur de l'objectif 1.4 ?")
    assert not porteur.abstained and "Ministre" in porteur.answer
    plan = real_assistant.ask("Comment s'appelle le plan régional pour l'innovation ?")
    assert not plan.abstained and "PRI" in plan.answer
