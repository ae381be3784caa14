"""Questions about the written questions as a set (assistant/answers/listing.py)."""

from __future__ import annotations

import pytest

from assistant.answers.listing import listing_query

FRENCH = """Logo Parlement Buxellois

Question écrite concernant {title}

de
{author}
à
{addressee}, {function} (question n°{number})

Date de réception: {received} Date de publication: 20/06/2023
Législature: 19/24 Session: 22/23 Date de réponse: {answered}

Question    {question}

Réponse    {answer}
"""
DUTCH = """Logo Parlement Buxellois

Schriftelijke vraag betreffende de wachtlijsten in de rusthuizen

Indiener(s)
Annelies Wuyts
aan
Elisa Goossens, Lid van het Verenigd College, bevoegd voor Welzijn en Gezondheid (Vragen nr 214)

Datum ontvangst: 10/01/2022 Datum publicatie: 15/03/2022
Zittingsperiode: 19/24 Zitting: 21/22 Datum antwoord: 28/02/2022

Vraag    Hoeveel ouderen staan op een wachtlijst voor een rusthuis?

Antwoord    Er zijn vandaag 1.800 ouderen ingeschreven op een wachtlijst.
"""
DELIVERY = {
    "title": "les zones de livraison pour le commerce de proximité",
    "author": "Sophie Lambert",
    "question": "Combien de zones de livraison la Région compte-t-elle ?",
    "received": "02/03/2023",
}
PAGES = {
    "qe-1187.txt": FRENCH.format(
        **DELIVERY,
        addressee="Nathalie Dewaele",
        function="Ministre du Gouvernement de la Région de Bruxelles-Capitale, chargée de la "
        "Mobilité",
        number="1187",
        answered="24/03/2023",
        answer="Les voiries régionales comptent 1.146 zones de livraison.",
    ),
    "qe-1188.txt": FRENCH.format(
        **DELIVERY,
        addressee="Karim Benali",
        function="Secrétaire d'État à la Région de Bruxelles-Capitale, chargé de l'Urbanisme",
        number="1188",
        answered="19/04/2023",
        answer="Je vous renvoie à la réponse de ma collègue la Ministre de la Mobilité.",
    ),
    "qe-1290.txt": FRENCH.format(
        title="les logements sociaux inoccupés",
        author="Fatima El Khattabi",
        addressee="Marc Wouters",
        function="Secrétaire d'État à la Région de Bruxelles-Capitale, chargé du Logement",
        number="1290",
        question="Combien de logements sociaux sont inoccupés ?",
        received="12/05/2023",
        answered="21/06/2023",
        answer="Au 31 décembre 2022, 2.874 logements sociaux étaient inoccupés, selon le "
        "rapport de Julie Renard.",
    ),
    "qe-1300.txt": FRENCH.format(
        title="la canicule",
        author="Fatima El Khattabi",
        addressee="Alain Maron",
        function="Ministre du Gouvernement de la Région de Bruxelles-Capitale, chargé du Climat",
        number="1300",
        question="Quelles salles rafraîchies sont prévues pendant les vagues de chaleur ?",
        received="03/07/2023",
        answered="20/07/2023",
        answer="Le plan présenté avec la ministre Dewaele ouvre douze salles rafraîchies.",
    ),
    "ccc-214.txt": DUTCH,
    "note-canicule.md": "# Plan canicule\n\nLe plan canicule prévoit des salles rafraîchies "
    "dans chaque commune pendant les vagues de chaleur.\n",
}


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    from assistant import Assistant

    from .conftest import ToyEncoder

    root = tmp_path_factory.mktemp("listing")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in PAGES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Assistant.load(corpus=corpus, index=root / "index", encoder=ToyEncoder(), log=print)


def _numbers(answer) -> list[str]:
    return [c.document.number for c in answer.citations]


@pytest.mark.parametrize(
    "question",
    [
        "Quelles questions écrites portent sur les zones de livraison ?",
        "Combien de questions a posées Sophie Lambert ?",
        "Quels documents parlent des logements sociaux ?",
        "Welke vragen gaan over de rusthuizen?",
        "Welke vragen over de rusthuizen?",  # nothing but the subject after « over »
        "Quelles questions sur les zones de livraison ?",
        "Hoeveel schriftelijke vragen heeft Annelies Wuyts gesteld?",
        "Quelles questions ont été adressées à la ministre de la Mobilité ?",
        "Liste des questions écrites",
    ],
)
def test_a_question_about_the_set_of_documents_is_read_as_one(question):
    assert listing_query(question) is not None


@pytest.mark.parametrize(
    "question",
    [
        "Quelles questions pose la députée sur le monitoring ?",  # the sub-questions of one
        "Quelles questions restent sans réponse dans la réponse du ministre ?",
        "Qui a posé la question sur les zones de livraison ?",  # one document's header
        "Quelles zones de livraison ont été créées ?",
        "Quels sont les documents nécessaires pour une prime ?",
        "Quels documents faut-il pour la prime ?",
        "Quels documents la ministre cite-t-elle ?",
        "Combien de pages compte le rapport ?",
        "Combien de questions le député pose-t-il ?",
        "Hoeveel vragen stelt het parlementslid?",
        "Combien de questions ont été reçues par le call center ?",
        "Quelles questions la députée a-t-elle posées sur le monitoring ?",
        "Quelles questions écrites antérieures la ministre cite-t-elle ?",
        "Quelles questions sur le logement le député pose-t-il ?",  # one page's member
        "Quelles questions se posent sur le budget ?",
        "Quelles questions sur le RGPD faut-il se poser ?",  # a verb after the subject
        "Quelles questions sur les MRS le ministre juge-t-il prioritaires ?",
    ],
)
def test_a_question_about_one_text_is_not_a_listing(question):
    assert listing_query(question) is None


def test_the_subject_ends_where_the_rest_of_the_question_starts():
    asked = listing_query("Quelles questions écrites portent sur les zones de livraison en 2023 ?")
    assert asked.subject == "les zones de livraison" and asked.years == ("2023",)
    asked = listing_query(
        "Quelles questions écrites portent sur les zones de livraison et ont été posées par "
        "Sophie Lambert ?"
    )
    assert asked.subject == "les zones de livraison" and asked.names == ("Sophie Lambert",)
    asked = listing_query("Quelles questions portent sur l'accès à la culture ?")
    assert asked.subject == "l'accès à la culture"  # « à » is no « a »


def test_the_subject_and_the_names_are_read_as_written():
    asked = listing_query("Combien de questions écrites portent sur les Zones de livraison ?")
    assert asked.count and asked.subject == "les Zones de livraison" and asked.names == ()
    asked = listing_query("Quelles questions a posées Sophie Lambert en 2023 ?")
    assert asked.names == ("Sophie Lambert",) and asked.years == ("2023",)
    # an institution written in capitals is no person
    asked = listing_query("Quelles questions a posées la Région de Bruxelles-Capitale ?")
    assert asked is None or asked.names == ()


def test_the_documents_on_a_subject_are_listed_most_recent_first(listed):
    a = listed.ask("Quelles questions écrites portent sur les zones de livraison ?")
    assert not a.abstained
    assert _numbers(a) == ["1188", "1187"]  # answered 19/04/2023, then 24/03/2023
    assert a.answer.startswith("**2 questions écrites** sur « les zones de livraison » :")
    assert "n°1187 — zones de livraison pour le commerce de proximité (Sophie Lambert à " \
        "Nathalie Dewaele, 24/03/2023) [2]" in a.answer  # fmt: skip
    assert {c.section_id for c in a.citations} == {"metadata"}
    # « logements sociaux » is not the delivery zones' subject; the Dutch page has its own
    assert _numbers(listed.ask("Quels documents parlent des logements sociaux ?")) == ["1290"]
    dutch = listed.ask("Welke vragen gaan over de rusthuizen?")
    assert _numbers(dutch) == ["214"] and "(en néerlandais)" in dutch.answer
    assert _numbers(listed.ask("Welke vragen over de rusthuizen?")) == ["214"]


def test_a_subject_no_page_holds_says_the_other_language_was_read_by_its_words(listed):
    """A subject is met by its words: « trottinettes » cannot meet a Dutch page on
    « deelsteps », so « aucune » says which pages may write it otherwise."""
    a = listed.ask("Quelles questions portent sur les trottinettes ?")
    assert a.abstained and a.citations == ()
    assert a.answer.startswith("Aucune question écrite sur « les trottinettes » dans les")
    assert a.answer.endswith(
        "Les documents sont cherchés avec les mots mêmes du sujet : la question écrite en "
        "néerlandais peut le formuler autrement ; posez aussi la question en néerlandais."
    )
    # a subject some page holds (the Dutch one), none of them that year: nothing more to say
    that_year = listed.ask("Quelles questions écrites portent sur les rusthuizen en 2023 ?")
    assert that_year.abstained and "autrement" not in that_year.answer
    # no page in another language than the question's: nothing more to say
    only_french = listed.ask("Quelles questions écrites de Sophie Lambert portent sur les crêpes ?")
    assert only_french.abstained and "autrement" not in only_french.answer


def test_a_bare_sur_lists_only_when_pages_hold_its_subject(listed):
    """« Quelles questions sur X ? » lists the pages on X; when X runs into a verb the reading
    does not know (« … restent sans réponse »), no page holds it and the reader answers."""
    listed_ = listed.ask("Quelles questions sur les zones de livraison ?")
    assert _numbers(listed_) == ["1188", "1187"]
    assert not listed.ask("Quelles questions sur ceci ?").answer.startswith("**")  # no subject
    bare = listed.ask("Quelles questions sur les trottinettes ?")  # no page: the reader's
    assert bare.answer.startswith("Les documents ne parlent pas de « trottinettes »")
    content = listed.ask("Quelles questions sur les zones de livraison restent sans réponse ?")
    assert not content.answer.startswith("Aucune") and content.citations
    assert {c.section_id for c in content.citations} != {"metadata"}


def test_the_documents_of_a_member_or_a_minister(listed):
    assert _numbers(listed.ask("Combien de questions a posées Sophie Lambert ?")) == [
        "1188",
        "1187",
    ]
    by_office = listed.ask("Quelles questions ont été adressées à la ministre de la Mobilité ?")
    assert _numbers(by_office) == ["1187"] and "à « Nathalie Dewaele »" in by_office.answer
    # the Housing secretary of State's portfolio is a subject too (« belast met … »)
    assert _numbers(listed.ask("Quelles questions portent sur le logement ?")) == ["1290"]
    assert _numbers(listed.ask("Quelles questions écrites ont reçu une réponse en 2022 ?")) == [
        "214"
    ]


def test_a_member_named_by_a_last_name_alone_is_the_filter(listed):
    # a last name of the documents' people, in any case, where it asks who asked or was asked
    a = listed.ask("Combien de questions a posées Lambert ?")
    assert _numbers(a) == ["1188", "1187"] and "de ou à « Sophie Lambert »" in a.answer
    assert _numbers(listed.ask("Combien de questions ont été adressées à dewaele ?")) == ["1187"]
    assert _numbers(listed.ask("Hoeveel vragen stelde Wuyts?")) == ["214"]
    assert _numbers(listed.ask("Combien de questions a posées Mme Lambert ?")) == ["1188", "1187"]


def test_written_questions_or_documents_as_asked(listed):
    # the plain note is a document, not a written question
    counted = listed.ask("Combien de questions écrites ?")
    assert counted.answer.startswith("**5 questions écrites**")
    note = listed.ask("Quels documents parlent des vagues de chaleur ?")
    assert note.answer.startswith("**2 documents** sur « vagues de chaleur » :")
    assert "- n°1300 — canicule (" in note.answer and "- Plan canicule [2]" in note.answer


def test_a_name_that_is_nobody_s_is_said_so_not_answered_with_another(listed):
    a = listed.ask("Quelles questions a posées Inès Lemaire ?")
    assert a.abstained and not a.citations
    assert a.answer == (
        "Aucune question écrite de ou à « Inès Lemaire » parmi les 5 questions écrites chargées."
    )
    none = listed.ask("Quelles questions écrites portent sur les trottinettes ?")
    assert none.abstained and "Aucune question écrite sur « les trottinettes »" in none.answer


def test_a_caller_filter_bounds_the_list(listed):
    from assistant.search.filters import Filters

    a = listed.ask(
        "Quelles questions écrites portent sur les zones de livraison ?",
        filters=Filters(document="1187"),
    )
    assert _numbers(a) == ["1187"]


def test_the_names_a_question_writes_where_a_person_stands():
    from assistant.answers.persons import names_in

    # civilities left out; a name in capitals is one, an acronym is not
    assert names_in("Qu'a demandé Mme Lambert ?") == ("Lambert",)
    assert names_in("Combien de questions a posées Pierre-Yves Lux ?") == ("Pierre-Yves Lux",)
    assert names_in("Que dit Sophie LAMBERT ?") == ("Sophie LAMBERT",)
    assert names_in("Selon M. Dupont, quoi ?") == ("Dupont",)
    assert names_in("Wanneer gaat het ontwerp van RPA Mediapark naar de regering?") == ()

    assert names_in("Qu'a demandé Inès Lemaire ?", people_only=True) == ("Inès Lemaire",)
    assert names_in("Qu'a répondu la ministre à Pierre Dupont ?", people_only=True) == (
        "Pierre Dupont",
    )
    assert names_in("Komt er volgens Hélène Vandamme een plan?", people_only=True) == (
        "Hélène Vandamme",
    )
    # a programme, a place, an institution: no person
    for question in (
        "Qu'est-il prévu autour de l'appel à projets Open Soon ?",
        "Combien de stages First Actiris a-t-il conclus ?",
        "Que fait la Région de Bruxelles-Capitale ?",
        "Que dit le Plan Régional pour l'Innovation ?",
    ):
        assert names_in(question, people_only=True) == (), question


def test_a_member_nobody_in_the_documents_is_refused_by_name(listed):
    a = listed.ask("Qu'a demandé Inès Lemaire ?")
    assert a.abstained
    assert a.answer.startswith("Les documents ne parlent pas de « Inès Lemaire ».")
    # her words are nobody's: not even a name that shares a word with a member (« Sophie »)
    assert listed.ask("Qu'a répondu la ministre à Sophie Dupont ?").abstained
    # a member of the documents, and a name written in a passage, are known
    known = listed.ask("Qu'a demandé Sophie Lambert ?")
    assert not known.abstained and {c.document.number for c in known.citations} <= {"1187", "1188"}
    from assistant.answers.persons import unknown_names

    def unknown(question):
        return unknown_names(
            question, metadata=listed.searcher.metadata, lexical=listed.built.lexical
        )

    assert unknown("Que dit le rapport de Julie Renard ?") == []
    assert unknown("Que dit le rapport de Julie Dupont ?") == ["Julie Dupont"]
    assert unknown("Qu'a demandé Mme Lambert ?") == []  # her last name is a member's
    # a last name a passage holds (« la ministre Dewaele »), a question in capitals
    assert unknown("Que prévoit le plan canicule selon Karima Dewaele ?") == []
    assert unknown("QU'A DEMANDÉ INÈS LEMAIRE ?") == []


def test_a_member_named_is_searched_and_quoted_in_their_pages(listed):
    for question in ("Qu'a demandé Sophie Lambert ?", "Qu'a demandé Mme Lambert ?"):
        a = listed.ask(question)
        assert not a.abstained, question
        assert {(c.document.number, c.section_id) for c in a.citations} == {
            ("1187", "question"),
            ("1188", "question"),
        }
    # two people named: the pages where both are
    both = listed.ask("Qu'a répondu Nathalie Dewaele à Sophie Lambert ?")
    assert [(c.document.number, c.section_id) for c in both.citations] == [("1187", "answer-intro")]
    # a question of its own is searched everywhere: the answer may be on another page
    hits = listed.search("Que dit Marc Wouters sur les zones de livraison ?", k=10)
    assert {"qe-1187", "qe-1188"} & {h.doc_id for h in hits}


def test_quotes_from_other_pages_than_the_named_member_s_say_so(listed):
    from assistant.answers.values import citation_of

    def cited(doc_id, kind="answer-intro"):
        chunk = next(c for c in listed.chunks if c.doc_id == doc_id and c.kind == kind)
        return [citation_of(1, chunk)]

    question = "Que dit Marc Wouters sur les zones de livraison ?"
    assert listed._elsewhere(question, cited("qe-1187")) == (
        "Les passages cités viennent d'autres pages que celles de « Marc Wouters »."
    )
    assert listed._elsewhere(question, cited("qe-1290")) == ""  # his own page
    # another page that names her (« la ministre Dewaele ») speaks of her: no note
    assert listed._elsewhere("Que dit Nathalie Dewaele sur la canicule ?", cited("qe-1300")) == ""
    assert listed._elsewhere("Que prévoit le plan canicule ?", cited("qe-1187")) == ""  # nobody
