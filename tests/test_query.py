"""Cleaning and checking user questions."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.errors import QueryError
from assistant.search.query import clean_query


@pytest.mark.parametrize(
    "bad", ["", "   ", "\n\t", "???", "!!! ... ?", "le la les de", "\u200b\u202e"]
)
def test_unsearchable_questions_raise_in_french(bad):
    with pytest.raises(QueryError) as err:
        clean_query(bad)
    assert "question" in str(err.value).lower()


def test_control_zero_width_and_bidi_are_stripped():
    q = clean_query("Quel\u200b budget\x07 pour\u202e les écoles ?\x00")
    assert q.text == "Quel budget pour les écoles ?"


def test_nfd_and_nfc_give_the_same_text():
    nfd = unicodedata.normalize("NFD", "Quel budget pour les écoles ?")
    assert nfd != "Quel budget pour les écoles ?"
    assert clean_query(nfd).text == "Quel budget pour les écoles ?"


def test_long_question_is_cut_with_a_warning():
    q = clean_query("budget " * 400, max_chars=1000)
    assert len(q.text) <= 1000
    assert q.warnings and "1000" in q.warnings[0]


def test_non_text_is_refused():
    with pytest.raises(QueryError, match="texte"):
        clean_query(None)
