"""Metadata-aware ranking and question intent, on small hand-written documents.

Two pages with the same title and question sent to two members of the government (the
Mobility minister, the Urban planning secretary of State) and different answers: a
question naming the portfolio or the person prefers the page of that addressee, and a
content question naming the minister is not answered with the header line.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.search.intent import Intent, intent_of
from assistant.search.metadata_match import MetadataIndex, numbers_named, stems

HEADER = """Logo Parlement Buxellois

Question écrite concernant les trottinettes partagées sur les trottoirs

de
Inès Lemaire
à
{addressee}, {function} (question n°{number})

 
Date de réception: 02/05/2023 Date de publication: 20/06/2023
Législature: 19/24 Session: 22/23 Date de réponse: 12/06/2023
 
Question    Les trottinettes partagées encombrent les trottoirs de nombreuses communes.

- Combien de trottinettes partagées circulent à Bruxelles ?
- Quelles zones de stationnement sont prévues pour les trottinettes ?
 
Réponse    {answer}
"""
MOBILITY = {
    "addressee": "Léa Martin",
    "function": "Ministre du Gouvernement de la Région de Bruxelles-Capitale, chargée de la "
    "Mobilité, des Travaux publics et de la Sécurité routière",
    "number": "1401",
    # more words of the question than the other answer: content alone prefers this page
    "answer": "Les trottinettes partagées sont 12.000 à circuler à Bruxelles. Des zones de "
    "stationnement pour les trottinettes partagées sont prévues sur les trottoirs larges.",
}
URBANISM = {
    "addressee": "Karim Benali",
    "function": "Secrétaire d'État à la Région de Bruxelles-Capitale, chargé de l'Urbanisme "
    "et du Patrimoine",
    "number": "1402",
    "answer": "Les permis d'urbanisme des nouvelles places prévoient des emplacements pour "
    "les trottinettes, dessinés avec les communes.",
}
QUESTION = "Que répond le secrétaire d'État à l'Urbanisme sur les trottinettes partagées ?"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, fields in (("qe-1401.txt", MOBILITY), ("qe-1402.txt", URBANISM)):
        (folder / name).write_text(HEADER.format(**fields), encoding="utf-8")
    return folder


@pytest.fixture
def toy(tmp_path, corpus, toy_encoder):
    from assistant import Assistant

    return Assistant.load(corpus=corpus, index=tmp_path / "i", encoder=toy_encoder, log=print)


def _doc_of_number(a, number: str) -> str:
    return next(c.doc_id for c in a.chunks if c.doc_number == number)


@pytest.mark.parametrize(
    "question",
    [
        "Qui a posé la question sur les trottinettes ?",
        "À quel ministre la question sur les trottinettes a-t-elle été adressée ?",
        "Quand la réponse a-t-elle été publiée ?",
        "Quelle est la date de réception ?",
        "Wie heeft de vraag over de steppen ingediend?",
        "Aan welke minister werd de vraag gericht?",
        "Wanneer werd de vraag beantwoord?",
    ],
)
def test_questions_about_the_document_itself(question):
    assert intent_of(question) is Intent.DOCUMENT


@pytest.mark.parametrize(
    "question",
    [
        QUESTION,
        "Combien de trottinettes circulent à Bruxelles selon la ministre Martin ?",
        "Quelles sont les zones qui accueillent les trottinettes ?",  # "qui", not "Qui …"
        "Hoeveel steppen rijden er volgens de minister van Mobiliteit in Brussel?",
    ],
)
def test_questions_about_the_content(question):
    assert intent_of(question) is Intent.CONTENT


def test_portfolio_words_meet_the_function_in_both_languages():
    assert "mobil" in stems("le ministre de la Mobilité") & stems("belast met Mobiliteit")
    assert "urban" in stems("la secrétaire d'État à l'Urbanisme") & stems(URBANISM["function"])
    assert not {"la", "de", "van"} & stems("la ministre de la Mobilité van")  # stop words


class _Chunk:
    def __init__(self, doc_id, author, addressee, function):
        self.doc_id, self.doc_author = doc_id, author
        self.doc_addressee, self.doc_function = addressee, function


def test_a_distinctive_word_is_a_full_match_and_a_shared_one_nearly_nothing():
    chunks = [
        _Chunk("a", "Inès Lemaire", "Léa Martin", MOBILITY["function"]),
        _Chunk("a", "Inès Lemaire", "Léa Martin", MOBILITY["function"]),
        _Chunk("b", "Inès Lemaire", "Karim Benali", URBANISM["function"]),
        _Chunk("c", "Paul Dries", "Sofie Janssens", "Staatssecretaris, belast met Huisvesting"),
    ]
    index = MetadataIndex(chunks)
    assert index.doc_ids == ["a", "b", "c"]
    np.testing.assert_allclose(index.document_scores("la ministre de la Mobilité"), [1, 0, 0])
    np.testing.assert_allclose(index.document_scores("Karim Benali"), [0, 1, 0])
    # "Bruxelles-Capitale" is in two of three functions: a weak, partial match
    capital = index.document_scores("het regeringslid voor Bruxelles-Capitale")
    assert 0 < capital[0] == capital[1] < 0.5 and capital[2] == 0
    np.testing.assert_allclose(index.chunk_scores("Benali"), [0, 0, 1, 0])
    assert index.document_scores("les trottoirs").sum() == 0


def test_a_portfolio_named_in_one_language_meets_its_name_in_the_other():
    from assistant.search.portfolios import translations

    chunks = [
        _Chunk("env", "Paul Dries", "Sofie Janssens",
               "Minister, belast met Klimaattransitie, Leefmilieu en Energie"),
        _Chunk("housing", "Paul Dries", "Marc Wouters",
               "Staatssecretaris, belast met Huisvesting en Gelijke Kansen"),
        _Chunk("works", "Paul Dries", "Léa Martin",
               "Minister, belast met Mobiliteit en Openbare Werken"),
    ]  # fmt: skip
    index = MetadataIndex(chunks)
    np.testing.assert_allclose(index.document_scores("la ministre de l'Environnement"), [1, 0, 0])
    np.testing.assert_allclose(index.document_scores("la secrétaire d'État au Logement"),
                               [0, 1, 0])  # fmt: skip
    # « ministre » (stem « ministr ») meets no « Minister » (« minist »): no match of its own
    works = index.document_scores("le ministre des Travaux publics")
    assert works[2] == 1 and works[0] == works[1] == 0
    # a longer name is read first: « Openbare Werken » is Travaux publics, not Emploi (Werk)
    assert "emploi" not in translations("belast met Mobiliteit en Openbare Werken")
    assert "emploi" in translations("belast met Werk en Beroepsopleiding")
    # « Commerce extérieur » is Buitenlandse Handel; « Commerce » alone is Handel
    assert "buitenlands" in translations("chargé du Commerce extérieur")
    assert "buitenlands" not in translations("chargé du Commerce et de l'Urbanisme")


def test_the_page_of_the_named_addressee_comes_first(toy):
    urbanism = _doc_of_number(toy, "1402")
    toy.searcher.metadata_weight = 0.0
    plain = toy.search(QUESTION, k=5)
    assert plain[0].doc_id != urbanism  # by content alone, the other page wins
    toy.searcher.metadata_weight = 1.0
    hits = toy.search(QUESTION, k=5)
    assert hits[0].doc_id == urbanism
    by_name = toy.search("Que répond Karim Benali sur les trottinettes partagées ?", k=5)
    assert by_name[0].doc_id == urbanism


def test_a_content_question_naming_the_minister_is_not_answered_with_the_header(toy):
    question = "Que répond Léa Martin, ministre de la Mobilité, sur les trottinettes ?"
    toy.searcher.metadata_weight = 0.0
    hits = toy.search(question, k=10)
    assert hits and all(h.section_id != "metadata" for h in hits)
    answer = toy.ask(question)
    assert all(c.section_id != "metadata" for c in answer.citations)
    assert "Léa Martin, Ministre" not in answer.answer
    # the header still answers who the question was sent to
    who = toy.search("À quel ministre la question sur les trottinettes a-t-elle été adressée ?")
    assert "metadata" in {h.section_id for h in who}


def test_other_modes_are_left_as_they_were(toy):
    """bm25, dense and rrf are the baselines: no intent, no metadata match."""
    toy.searcher.metadata_weight = 5.0
    for mode in ("bm25", "rrf"):
        hits = toy.search("Léa Martin trottinettes", k=10, mode=mode)
        assert "metadata" in {h.section_id for h in hits}


def test_the_weight_comes_from_the_fitted_json():
    from assistant.search.searcher import RANKING, fitted_metadata_weight

    fitted = json.loads(RANKING.read_text(encoding="utf-8"))
    assert fitted["command"] == "python -m evals.multidoc --fit"
    assert fitted_metadata_weight() == fitted["metadata_weight"] >= 0


def test_the_function_counts_only_when_the_question_names_an_office():
    from assistant.search.metadata_match import names_an_office

    chunks = [
        _Chunk("housing", "Paul Dries", "Marc Wouters",
               "Secrétaire d'État chargé du Logement et de l'Égalité des chances"),
        _Chunk("works", "Paul Dries", "Léa Martin", MOBILITY["function"]),
    ]  # fmt: skip
    index = MetadataIndex(chunks)
    # « logements » asks about housing, not about the Housing secretary of State
    assert index.document_scores("Combien de logements ont été rénovés ?").sum() == 0
    np.testing.assert_allclose(
        index.document_scores("Qu'a répondu le secrétaire d'État au Logement ?"), [1, 0]
    )
    np.testing.assert_allclose(index.document_scores("Que dit Marc Wouters ?"), [1, 0])  # a name
    for question in ("la ministre de la Mobilité", "de staatssecretaris voor Huisvesting",
                     "le membre du Collège réuni compétent pour la Santé"):  # fmt: skip
        assert names_an_office(question), question
    no_office = (
        "Combien de logements sociaux sont inoccupés ?",
        "Quelles sont les autorités compétentes ?",
        "Les porteurs de projets ?",
        "le chargé de mission",
        "le collège des bourgmestre et échevins",
        "het college van burgemeester en schepenen",
        "de bevoegde diensten",
    )
    for question in no_office:
        assert not names_an_office(question), question


def test_the_named_documents_are_those_the_question_names_best():
    chunks = [
        _Chunk("a", "Inès Lemaire", "Léa Martin", MOBILITY["function"]),
        _Chunk("b", "Inès Lemaire", "Karim Benali", URBANISM["function"]),
        _Chunk("c", "Paul Dries", "Sofie Janssens", "Staatssecretaris, belast met Huisvesting"),
    ]
    index = MetadataIndex(chunks)
    assert index.named_documents("Qu'a répondu la ministre de la Mobilité ?") == {"a"}
    assert index.named_documents("Que dit Karim Benali des trottinettes ?") == {"b"}
    assert index.named_documents("Que demande Paul Dries ?") == {"c"}  # the author
    assert index.named_documents("Que demande Inès Lemaire ?") == {"a", "b"}  # her two
    # a name is named whole: « Karim » alone, « Martin » in « la Saint-Martin » name nobody
    assert index.named_documents("Que dit Karim des trottinettes ?") == frozenset()
    assert index.named_documents("Qu'a-t-on fait à la Saint-Martin ?") == frozenset()
    # an office names documents only when the question names one
    assert index.named_documents("Que deviennent les projets de Mobilité ?") == frozenset()
    assert index.named_documents("Combien de trottinettes circulent ?") == frozenset()
    # a word of every document names none of them
    assert MetadataIndex(chunks[:1]).named_documents("la ministre de la Mobilité") == set()


def test_the_answer_quotes_the_page_of_the_named_addressee(toy):
    urbanism = _doc_of_number(toy, "1402")
    toy.searcher.metadata_weight = 0.0  # the search alone puts the other page first
    assert toy.search(QUESTION, k=5)[0].doc_id != urbanism
    answer = toy.ask(QUESTION)
    assert not answer.abstained
    assert {c.doc_id for c in answer.citations} == {urbanism}


def test_a_short_stem_of_a_function_meets_no_question_word():
    # the Dutch stemmer gives « zon » for « Gezondheid », and for the French « zones » too:
    # « zones de livraison » must not name the Dutch member for Health
    chunks = [
        _Chunk("a", "Inès Lemaire", "Léa Martin", MOBILITY["function"]),
        _Chunk(
            "b",
            "Annelies Wuyts",
            "Elisa Goossens",
            "Lid van het Verenigd College, bevoegd voor Welzijn en Gezondheid",
        ),  # fmt: skip
        _Chunk("c", "Inès Lemaire", "Karim Benali", URBANISM["function"]),
        _Chunk("d", "Paul Dries", "Sofie Janssens", "Staatssecretaris, belast met Huisvesting"),
    ]
    index = MetadataIndex(chunks)
    question = "Qu'a répondu la ministre sur les zones de livraison ?"
    assert "zon" in stems(question) and "zon" in stems("Gezondheid")
    assert index.document_scores(question)[1] == 0.0
    assert "b" not in index.named_documents(question)
    assert index.document_scores("le membre du Collège chargé de la Santé")[1] > 0
    # a short stem that is a whole word of the function still counts: « Eau »
    water = MetadataIndex([*chunks, _Chunk("e", "Jan Peeters", "Alain Maron", "Ministre de l'Eau")])
    assert water.named_documents("Qu'a répondu le ministre de l'Eau ?") == {"e"}


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        ("Quelle est la réponse à la question 1021 ?", {"1021"}),
        ("Que dit la question écrite n°517 ?", {"517"}),
        ("Que répond le ministre à la question n° 0517 ?", {"517"}),
        ("Wat is het antwoord op vraag nr. 1133?", {"1133"}),
        ("Schriftelijke vraag 214 en vraag 1021", {"214", "1021"}),
        ("Qu'a-t-on fait en 2021 ?", set()),
        ("La question de 2021 sur les parcs", set()),  # a year after « de », not a number
        ("Que répond le ministre aux questions 1401 et 1402 ?", {"1401", "1402"}),
        ("questions n° 1401, 1402 et 1403", {"1401", "1402", "1403"}),
        ("vragen nrs. 214 en 215", {"214", "215"}),
        ("la question ecrite numero 517", {"517"}),  # typed without accents
        ("question #517", {"517"}),
        ("la sous-question 2 de la question 517", {"517"}),
        ("Que dit la réponse à la question 3 du député ?", set()),  # a sub-question
        ("la question n°45", {"45"}),  # a short number counts with its mark
        ("Que dit la réponse sur la question 1.1 ?", set()),
        ("vraag 1.000 euro", set()),
        ("la question 10 000 logements", set()),
        ("Les questions 2021 sur les parcs", set()),  # a year, without a mark
        ("la question 2021-2022", set()),
        ("la question n°2021", {"2021"}),
    ],
)
def test_a_written_question_is_named_by_its_number(question, numbers):
    assert numbers_named(question) == numbers


def test_two_series_may_share_the_number_named():
    chunks = [
        _Chunk("qe-214", "A B", "C D", "Ministre"),
        _Chunk("ccc-214", "E F", "G H", "Lid van het Verenigd College"),
        _Chunk("qe-1021", "I J", "K L", "Ministre"),
    ]
    for chunk, number in zip(chunks, ("214", "0214", "1021"), strict=True):
        chunk.doc_number = number
    index = MetadataIndex(chunks)
    assert index.numbered_documents("la question 214") == {"qe-214", "ccc-214"}
    assert index.named_documents("la question 214") == {"qe-214", "ccc-214"}
    assert index.numbered_documents("la question 999") == frozenset()
    np.testing.assert_allclose(index.document_scores("la question 1021"), [0, 0, 1])


def test_a_question_named_by_number_is_searched_in_its_page(toy):
    urbanism = _doc_of_number(toy, "1402")
    hits = toy.search("Quelle est la réponse à la question 1402 ?", k=5)
    assert hits and {h.doc_id for h in hits} == {urbanism}
    # a number no page has restricts nothing
    assert len({h.doc_id for h in toy.search("la réponse à la question 9999", k=10)}) == 2
    # a document filter set by the caller wins over the number in the question
    from assistant.search.filters import Filters

    mobility = _doc_of_number(toy, "1401")
    hits = toy.search("la réponse à la question 1402", k=5, filters=Filters(document="1401"))
    assert {h.doc_id for h in hits} == {mobility}


def test_the_answer_to_a_numbered_question_opens_its_answer(toy):
    urbanism = _doc_of_number(toy, "1402")
    for question in ("Quelle est la réponse à la question 1402 ?",
                     "Que répond le secrétaire d'État à la question n°1402 ?"):  # fmt: skip
        a = toy.ask(question)
        assert not a.abstained
        assert [c.doc_id for c in a.citations] == [urbanism]
        assert a.citations[0].section_id == "answer-intro"
        assert URBANISM["answer"] in a.answer  # its first sentence, whole
    asked = toy.ask("Que demande la question 1402 ?")
    assert asked.citations[0].doc_id == urbanism
    assert asked.citations[0].section_id == "question"
    assert "encombrent les trottoirs" in asked.answer
    # asked for both: the question's opening, then the answer's
    both = toy.ask("Qu'a demandé le député et qu'a répondu le ministre à la question 1402 ?")
    assert [(c.doc_id, c.section_id) for c in both.citations] == [
        (urbanism, "question"),
        (urbanism, "answer-intro"),
    ]


def test_a_caller_filter_wins_over_the_number_in_the_answer_too(toy):
    from assistant.search.filters import Filters

    mobility = _doc_of_number(toy, "1401")
    a = toy.ask("Quelle est la réponse à la question 1402 ?", filters=Filters(document="1401"))
    assert a.citations and {c.doc_id for c in a.citations} == {mobility}


def test_a_numbered_question_with_a_subject_of_its_own_goes_to_the_reader(toy):
    from assistant.answers.lead import asks_only_for_the_page

    question = "Que répond la ministre à la question 1401 sur les zones de stationnement ?"
    assert not asks_only_for_the_page(question, {"1401"})
    assert asks_only_for_the_page("Wat is het antwoord op vraag nr. 1401?", {"1401"})
    a = toy.ask(question)
    assert a.citations and {c.doc_id for c in a.citations} <= {_doc_of_number(toy, "1401")}
