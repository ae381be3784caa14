"""Questions about the document itself, answered from its header (answers.document_facts).

Two hand-written pages, one French and one Dutch, each with its own member, minister and
dates: "who asked", "to whom", "when received / published / answered" and "which number"
lead with the header's own value, cite the header line that holds it, and a question about
a subject the document does not treat is left to the reader.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.answers.document_facts import Fact, asked_fact, fact_answer, subject_of
from assistant.answers.grounding import mentions
from assistant.indexing.chunking import Chunk

FRENCH = """Logo Parlement Buxellois

Question écrite concernant les pistes cyclables le long du canal

de
Inès Lemaire
à
Léa Martin, Ministre du Gouvernement de la Région de Bruxelles-Capitale, chargée de la \
Mobilité et de la Sécurité routière (question n°1401)

Date de réception: 02/05/2023 Date de publication: 20/06/2023
Législature: 19/24 Session: 22/23 Date de réponse: 12/06/2023

Question    Les cyclistes se plaignent de l'état des pistes cyclables le long du canal.

- Quand les travaux de réfection des pistes cyclables commenceront-ils ?

Réponse    Les travaux de réfection des pistes cyclables du canal commenceront en mars 2024.
"""
DUTCH = """Logo Parlement Buxellois

Schriftelijke vraag betreffende de groendaken op gewestelijke gebouwen

Indiener(s)
Liesbeth Peeters
aan
Hélène Vandamme, Minister van de Brusselse Hoofdstedelijke Regering, belast met \
Klimaattransitie en Leefmilieu (Vragen nr 1602)

Datum ontvangst: 07/02/2024 Datum publicatie: 25/04/2024
Zittingsperiode: 19/24 Zitting: 23/24 Datum antwoord: 15/04/2024

Vraag    Groendaken houden regenwater vast en verminderen de hitte in de stad.

Hoeveel vierkante meter groendak werd in 2023 op gewestelijke gebouwen aangelegd?

Antwoord    In 2023 werd 4.800 vierkante meter groendak aangelegd op gewestelijke gebouwen.
"""


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Qui a posé la question sur les pistes cyclables ?", Fact.AUTHOR),
        ("Qui a interrogé la ministre sur les pistes cyclables ?", Fact.AUTHOR),
        ("Quel député a posé la question écrite n°1401 ?", Fact.AUTHOR),
        ("Wie stelde de vraag over de groendaken?", Fact.AUTHOR),
        ("Wie is de indiener van de vraag over de groendaken?", Fact.AUTHOR),
        ("À qui la question sur les pistes cyclables a-t-elle été adressée ?", Fact.ADDRESSEE),
        ("À quel ministre la question a-t-elle été envoyée ?", Fact.ADDRESSEE),
        ("Qui a répondu à la question sur les pistes cyclables ?", Fact.ADDRESSEE),
        ("Aan wie werd de vraag over de groendaken gesteld?", Fact.ADDRESSEE),
        ("Quand la question sur les pistes cyclables a-t-elle été reçue ?", Fact.RECEIVED),
        ("Quelle est la date de réception de la question écrite ?", Fact.RECEIVED),
        ("Quand la question a-t-elle été publiée ?", Fact.PUBLISHED),
        ("Wanneer werd de vraag over de groendaken gepubliceerd?", Fact.PUBLISHED),
        ("Quand la ministre a-t-elle répondu à la question ?", Fact.ANSWERED),
        ("Quand la réponse sur les pistes cyclables a-t-elle été donnée ?", Fact.ANSWERED),
        ("Wanneer werd de vraag over de groendaken beantwoord?", Fact.ANSWERED),
        ("Wanneer antwoordde de minister op de vraag over de groendaken?", Fact.ANSWERED),
        ("Quel est le numéro de la question sur les pistes cyclables ?", Fact.NUMBER),
        # the review's forms: the office that answered, the question's own date and number
        ("Quel ministre a répondu à la question sur les trottinettes ?", Fact.ADDRESSEE),
        ("Welke minister beantwoordde de vraag over de deelsteps?", Fact.ADDRESSEE),
        # the office named with its body or portfolio before the verb
        ("Quel membre du Collège réuni a répondu à la question n°287 ?", Fact.ADDRESSEE),
        ("Quelle ministre de la Mobilité a répondu à la question ?", Fact.ADDRESSEE),
        # ... but not the member who asked, though the answer is named after
        ("Quel membre a posé la question à laquelle le ministre a répondu ?", Fact.AUTHOR),
        ("Quel membre a interrogé la ministre qui a répondu à la question ?", Fact.AUTHOR),
        ("Quelle est la date de la question sur les trottinettes ?", Fact.RECEIVED),
        ("Wat is de datum van de vraag over de deelsteps?", Fact.RECEIVED),
        ("Quel numéro porte la question sur les trottinettes ?", Fact.NUMBER),
        ("Welk nummer heeft de vraag over de deelsteps?", Fact.NUMBER),
        ("Door wie werd de vraag over de deelsteps gesteld?", Fact.AUTHOR),
        ("Wie heeft de vraag over de deelsteps ingediend?", Fact.AUTHOR),
        ("Qui est l'auteur de la question sur les trottinettes ?", Fact.AUTHOR),
        ("Par qui la question sur les trottinettes a-t-elle été posée ?", Fact.AUTHOR),
        # a subject placed first, before the comma
        ("Concernant les crèches, quand la question a-t-elle été posée ?", Fact.RECEIVED),
        ("Sur les crèches, qui a posé la question ?", Fact.AUTHOR),
        ("Wie heeft de minister ondervraagd over de crèches?", Fact.AUTHOR),
        # a subject that holds a cue word: the cue outside it decides
        (
            "Quand la question sur la date de publication des marchés a-t-elle été reçue ?",
            Fact.RECEIVED,
        ),
    ],
)
def test_what_a_question_about_the_document_asks(question, fact):
    assert asked_fact(question) is fact


@pytest.mark.parametrize(
    "question",
    [
        "Quand les travaux de réfection des pistes cyclables commenceront-ils ?",
        "Qu'a répondu la ministre de la Mobilité sur les pistes cyclables ?",
        "Quand le Gouvernement a-t-il répondu à la crise du logement ?",  # no written question
        "Qui est responsable de l'entretien des pistes cyclables ?",
        "Hoeveel vierkante meter groendak werd in 2023 aangelegd?",
        "Wanneer worden de groendaken aangelegd?",
        # content questions that name the question or the answer as their source
        "Quand la prime sera-t-elle versée selon la réponse du ministre ?",
        "Wie heeft de subsidie gekregen volgens het antwoord?",
        "À qui la prime est-elle versée selon la réponse ?",
        "Aan wie worden de subsidies toegekend?",
        "Aan welke verenigingen worden de subsidies volgens het antwoord toegekend?",
        "Qui sont les auteurs de l'étude citée dans la réponse ?",
        "Quel est le numéro de la ligne de bus citée dans la question ?",
        "Que dit la réponse sur la date de publication des marchés ?",
        "Qui a posé les panneaux dans la question sur les pistes cyclables ?",
        # questions in the plural, answers to something else: not one written question
        "Qui a posé les questions au jury du concours ?",
        "Quand les riverains ont-ils posé leurs questions à la STIB ?",
        "Wie heeft de vragen van de leerlingen beantwoord?",
        "Quand les communes recevront-elles une réponse à leur demande de subsides ?",
        "Que disent les ministres dans leurs réponses sur les crèches ?",
    ],
)
def test_questions_about_the_content_are_not_about_the_header(question):
    assert asked_fact(question) is None


def test_the_subject_is_what_follows_the_topic_word():
    assert subject_of("Qui a posé la question sur les pistes cyclables ?") == "les pistes cyclables"
    assert subject_of("Wie stelde de vraag over de groendaken?") == "de groendaken"
    assert subject_of("Quand la question a-t-elle été publiée ?") is None
    # the verb after the subject is not part of it
    question = "Quand la question sur les crêpes a-t-elle reçu une réponse du ministre ?"
    assert subject_of(question) == "les crêpes"
    assert subject_of("Wanneer werd de vraag over de groendaken beantwoord?") == "de groendaken"
    assert subject_of("Quand la question sur les quais a été publiée ?") == "les quais"


def _header(number: str, title: str, author: str, minister: str, language: str = "fr") -> Chunk:
    """A header chunk as the parser makes it: the title's line, then the « de … à … » line."""
    if language == "fr":
        text = f"Question écrite concernant {title}\n\nde {author} à {minister}, Ministre de "
        text += f"la Mobilité (question n°{number})"
    else:
        text = f"Schriftelijke vraag betreffende {title}\n\nIndiener(s)\n{author} aan "
        text += f"{minister}, Minister van Mobiliteit (Vragen nr {number})"
    function = "Ministre de la Mobilité" if language == "fr" else "Minister van Mobiliteit"
    return Chunk(
        id=f"qe-{number}#metadata", doc_id=f"qe-{number}", section_id="metadata", part=1,
        kind="metadata", section_label=f"n°{number}", heading_path="", ministers=(), start=0,
        end=len(text), text=text, embed_text=text, doc_title=title, doc_author=author,
        doc_addressee=minister, doc_function=function, doc_language=language,
    )  # fmt: skip


def _fact(question: str, headers: list[Chunk]):
    """fact_answer over hits that are these headers, in this order, subjects checked."""
    hits = [SimpleNamespace(chunk_id=h.id) for h in headers]
    row_of = {h.id: i for i, h in enumerate(headers)}
    return fact_answer(question, hits, chunks=headers, row_of=row_of, about=mentions)


def test_a_name_in_the_title_is_not_the_header_line():
    """The title names the minister too: the member is the one after it, on the « de » line,
    and the minister the one after the member."""
    header = _header("9", "les déclarations de Léa Martin", "Inès Lemaire", "Léa Martin")
    answer = _fact("À qui la question a-t-elle été adressée ?", [header])
    assert answer.short_answer.text == "Léa Martin, Ministre de la Mobilité"
    assert answer.short_answer.start == header.text.index("à Léa") + 2
    assert "« De Inès Lemaire à Léa Martin" in answer.text


def test_a_short_title_inside_the_function_does_not_hide_the_names():
    header = _header("10", "la Mobilité", "Inès Lemaire", "Léa Martin")  # « … de la Mobilité »
    assert _fact("Qui a posé la question ?", [header]).short_answer.text == "Inès Lemaire"


def test_the_document_about_the_subject_answers_even_when_not_first():
    """The ranking put another document first: the first of the next ones whose title holds
    the subject answers; a document in another language is trusted only in first place."""
    livraison = _header("11", "les zones de livraison", "Sophie Lambert", "Nathalie Dewaele")
    trottinettes = _header("12", "les trottinettes partagées", "Inès Lemaire", "Léa Martin")
    steps = _header("13", "de deelsteps", "Liesbeth Peeters", "Léa Martin", language="nl")
    question = "Qui a posé la question sur les trottinettes partagées ?"
    assert _fact(question, [livraison, trottinettes]).short_answer.text == "Inès Lemaire"
    assert _fact(question, [livraison, steps]) is None
    assert _fact(question, [steps, livraison]).short_answer.text == "Liesbeth Peeters"
    assert _fact(question, [livraison]) is None


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    from assistant import Assistant

    from .conftest import ToyEncoder

    root = tmp_path_factory.mktemp("facts")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "qe-1401.txt").write_text(FRENCH, encoding="utf-8")
    (corpus / "qe-1602.txt").write_text(DUTCH, encoding="utf-8")
    return Assistant.load(corpus=corpus, index=root / "index", encoder=ToyEncoder(), log=print)


@pytest.mark.parametrize(
    ("question", "value", "line_starts"),
    [
        ("Qui a posé la question sur les pistes cyclables du canal ?", "Inès Lemaire", "de Inès"),
        (
            "À qui la question sur les pistes cyclables du canal a-t-elle été adressée ?",
            "Léa Martin, Ministre du Gouvernement de la Région de Bruxelles-Capitale, chargée "
            "de la Mobilité et de la Sécurité routière",
            "de Inès",
        ),
        ("Quand la question sur les pistes cyclables a-t-elle été reçue ?", "02/05/2023", "Date"),
        ("Quand la question sur les pistes cyclables a-t-elle été publiée ?", "20/06/2023", "Date"),
        ("Quand a-t-on répondu à la question sur les pistes cyclables ?", "12/06/2023", "Date"),
        ("Quel est le numéro de la question sur les pistes cyclables ?", "1401", "de Inès"),
        (
            "Wie stelde de vraag over de groendaken op gewestelijke gebouwen?",
            "Liesbeth Peeters",
            "Liesbeth",
        ),
        ("Wanneer werd de vraag over de groendaken gepubliceerd?", "25/04/2024", "Datum"),
        ("Wanneer werd de vraag over de groendaken beantwoord?", "15/04/2024", "Datum"),
        ("Quand la question n°1602 a-t-elle été publiée ?", "25/04/2024", "Datum"),
    ],
)
def test_the_header_answers_with_its_own_value_and_line(toy, question, value, line_starts):
    answer = toy.ask(question)
    assert not answer.abstained
    short = answer.short_answer
    assert short is not None and short.text == value
    cited = answer.citations[0]
    assert cited.section_id == "metadata"
    assert cited.excerpt[short.start : short.end] == value
    ((lo, hi),) = cited.highlights
    line = cited.excerpt[lo:hi]
    assert value in line and "\n" not in line and line.startswith(line_starts)
    assert answer.answer.startswith(f"**{value}** — « ")
    from assistant.search.intent import question_language

    # a Dutch header quoted for a question not in Dutch is said to be Dutch, after the « »
    noted = cited.doc_id == "qe-1602" and question_language(question) != "nl"
    assert answer.answer.endswith("» (en néerlandais) [1]") is noted
    assert "(en néerlandais) »" not in answer.answer


def test_a_document_on_another_subject_is_not_answered_from_its_header(toy):
    answer = toy.ask("Qui a posé la question sur la pâte à crêpes ?")
    assert answer.short_answer is None or answer.short_answer.type != "author"
    assert "Inès Lemaire" not in answer.answer
    # nor is another line quoted as if it answered: only a header says who asked
    assert answer.abstained


def test_the_real_bundled_header(real_assistant):
    answer = real_assistant.ask("Qui a posé la question écrite sur le Sommet social 2021 ?")
    assert answer.short_answer.text == "Bianca Debaets"
    assert "Rudi Vervoort" in answer.answer  # the line: "De Bianca Debaets à Rudi Vervoort …"
    answer = real_assistant.ask(
        "Quelle est la date de réception de la question écrite sur le Sommet social 2021 ?"
    )
    assert answer.short_answer.text == "01/03/2021"
    answer = real_assistant.ask("Quand le Gouvernement a-t-il approuvé la Stratégie 2030 ?")
    assert answer.citations and answer.citations[0].section_id != "metadata"
