"""French analysis for lexical matching: folding, elisions, stop words, stems, numbers."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.text.analyzer import STOPWORDS, fold, tokenize


@pytest.mark.parametrize(
    "word", ["écoles", "ecole", "École", "ÉCOLES", "l'école", "L’École", "l‘école"]
)
def test_forms_of_ecole_give_one_term(word):
    assert tokenize(word) == ["ecol"]


@pytest.mark.parametrize("form", ["d’emploi", "d'emploi", "l’emploi", "emploi", "Emploi"])
def test_elided_and_bare_emploi_meet(form):
    assert tokenize(form) == ["emploi"]


def test_elisions_drop_only_the_article():
    assert tokenize("qu’il l’emploi", stem=False) == ["emploi"]
    assert tokenize("l’emploi", stem=False, stopwords=False) == ["l", "emploi"]


@pytest.mark.parametrize(
    "word", ["le", "de", "quels", "comment", "Quels", "COMMENT", "été", "à", "où"]
)
def test_stop_words_are_dropped(word):
    assert tokenize(word) == []


def test_stop_words_in_a_question():
    assert tokenize("Quels sont les objectifs de la Stratégie ?", stem=False) == [
        "objectifs",
        "strategie",
    ]
    assert tokenize("Comment le budget est-il utilisé ?", stem=False) == ["budget", "utilise"]


def test_content_words_are_not_stop_words():
    assert tokenize("budget date ministre", stem=False) == ["budget", "date", "ministre"]
    assert {"budget", "date", "ministre"}.isdisjoint(STOPWORDS)


def test_stop_words_can_be_kept():
    assert tokenize("le budget", stem=False, stopwords=False) == ["le", "budget"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("400.000", ["400000"]),
        ("un budget de 400.000€", ["budget", "400000"]),
        ("1.500.000 €", ["1500000"]),
        ("2,50€ par heure", ["2.50", "heur"]),
        ("en 2021", ["2021"]),
        ("2021-2025", ["2021", "2025"]),
    ],
)
def test_numbers(text, expected):
    assert tokenize(text) == expected


def test_hyphenated_words_are_split():
    assert tokenize("socio-économique", stem=False) == ["socio", "economique"]
    assert tokenize("Bruxelles-Capitale") == tokenize("Bruxelles Capitale")


def test_ligatures_and_accents_fold():
    assert tokenize("œuvre", stem=False) == ["oeuvre"]
    assert tokenize("mise en œuvre") == tokenize("mise en oeuvre")
    assert fold("L’École") == "l'ecole"
    assert fold("Œuvre ÉTÉ") == "oeuvre ete"


@pytest.mark.parametrize(
    "text",
    ["Créer une société économique", "Réforme du congé éducation payé", "L’École élémentaire"],
)
def test_nfc_and_nfd_give_the_same_terms(text):
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert nfc != nfd
    assert tokenize(nfd) == tokenize(nfc)
    assert tokenize(nfd, stem=False) == tokenize(nfc, stem=False)
    assert fold(nfd) == fold(nfc)


@pytest.mark.parametrize("text", ["", "   ", "...!?;:", "« » – — … ( ) [ ]", "’'", "- - -"])
def test_only_punctuation_gives_nothing(text):
    assert tokenize(text) == []


def test_terms_keep_order_and_duplicates():
    assert tokenize("écoles et écoles, emploi", stem=False) == ["ecoles", "ecoles", "emploi"]


def test_terms_are_folded_ascii_lower_case(doc):
    terms = tokenize(doc.section("chantier-1.2.2").text)
    assert len(terms) > 50
    for t in terms:
        assert t == t.lower()
        assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", t))
        assert fold(t) == t
