"""The one list of civilities, as words and as a pattern before a name."""

from __future__ import annotations

import pytest

from assistant.search.metadata_match import _CIVIL_NAME as NAME_AFTER
from assistant.text.civilities import is_civility


@pytest.mark.parametrize(
    "text, last_name",
    [
        ("Mme Lambert", "Lambert"),
        ("selon M. Vervoort", "Vervoort"),
        ("M Vervoort", "Vervoort"),
        ("mevrouw Wuyts", "Wuyts"),
        ("Mevr. Dewaele", "Dewaele"),
        ("de heer Jan Pinxteren", "Pinxteren"),
        ("Dhr. Smet", "Smet"),
        ("Madame Sophie Lambert", "Lambert"),
        ("Mr Smith", "Smith"),
    ],
)
def test_the_last_name_after_a_civility(text, last_name):
    assert NAME_AFTER.findall(text) == [last_name]


@pytest.mark.parametrize(
    "text",
    [
        "5 m de long",
        "Emme Lambert",
        "la ministre Dewaele",
        "Madame la ministre Dewaele",
        "MS Teams",  # acronyms in capitals
        "les lits en MRS Bruxelles",
    ],
)
def test_no_civility_there(text):
    assert NAME_AFTER.findall(text) == []


def test_words_as_written():
    assert is_civility("M.") and is_civility("Mevrouw") and is_civility("Mme")
    assert not is_civility("Marc") and not is_civility("ministre")
    # in capitals, an acronym: multiple sclerosis, a party, maisons de repos et de soins
    assert not is_civility("MS") and not is_civility("MR") and not is_civility("MRS")


def test_a_page_asked_for_keeps_an_acronym_that_looks_like_a_civility():
    from assistant.answers.lead import asks_only_for_the_page

    assert asks_only_for_the_page("Qu'a demandé Mme Lambert ?", [], names="Lambert")
    assert not asks_only_for_the_page(
        "Que répond le ministre à la question 1290 sur les MRS ?", ["1290"]
    )
