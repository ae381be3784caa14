"""The one list of civilities, as words and as a pattern before a name."""

from __future__ import annotations

import re

import pytest

from assistant.text.civilities import CIVILITY, is_civility

NAME_AFTER = re.compile(CIVILITY + r"\s+(?:[A-ZÀ-Ý][\w'’-]+\s+)?([A-ZÀ-Ý][\w'’-]+)")


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
    "text", ["5 m de long", "Emme Lambert", "la ministre Dewaele", "Madame la ministre Dewaele"]
)
def test_no_civility_there(text):
    assert NAME_AFTER.findall(text) == []


def test_words_as_written():
    assert is_civility("M.") and is_civility("Mevrouw") and is_civility("MME")
    assert not is_civility("Marc") and not is_civility("ministre")
