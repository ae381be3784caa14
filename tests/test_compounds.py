"""Dutch compounds split by wordfreq's list (assistant.text.compounds), and where the parts
are used: the BM25 terms, the counted noun, the short answer."""

from __future__ import annotations

import pytest

from assistant.answers.counted import counts, stands_with
from assistant.answers.question_types import AnswerType
from assistant.answers.short_answer import find_short_answer
from assistant.indexing.lexical import LexicalIndex, analyse
from assistant.text.analyzer import tokenize
from assistant.text.compounds import split_compound


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("rusthuisbedden", ("rusthuis", "bedden")),  # "rusthuis" is known: not rust·huis
        ("deelsteps", ("deel", "steps")),
        ("taalopleiding", ("taal", "opleiding")),
        ("zondagsopening", ("zondag", "opening")),  # the linking s
        ("renovatiepremie", ("renovatie", "premie")),
        ("sociaalhuisvestingsmaatschappij", ("sociaal", "huisvesting", "maatschappij")),
    ],
)
def test_a_compound_is_cut_into_known_words(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize(
    "word",
    [
        "werkzoekenden",  # known to wordfreq: a word of its own
        "rusthuis",
        "wachtlijsten",  # the plural of a known word
        "bedden",  # too short to hold two parts
        "stationnement",  # French: "station" and no known rest
        "conteneurs",  # French: only three-letter pieces ("con", "ten")
        "2022",
        "covid-19",
    ],
)
def test_a_known_short_or_foreign_word_stays_whole(word):
    assert split_compound(word) == ()


def test_the_dutch_analyzer_adds_the_parts_after_the_compound():
    assert tokenize("De rusthuisbedden.", language="nl", compounds=True) == [
        "rusthuisbed",
        "rusthuis",
        "bed",
    ]
    assert tokenize("De rusthuisbedden.", language="nl") == ["rusthuisbed"]
    # French has no compounds to split
    assert tokenize("les rusthuisbedden", compounds=True) == tokenize("les rusthuisbedden")
    assert tokenize("Twee deelsteps.", language="nl", compounds=True) == [
        "twee",
        "deelstep",
        "deel",
        "step",
    ]


def test_a_name_inside_a_sentence_is_not_cut():
    # « Schaarbeek » is no « schaar », « beek »: it would meet « Maalbeek » by its « beek »
    assert tokenize("De scholen van Schaarbeek.", language="nl", compounds=True) == [
        "school",
        "schaarbeek",
    ]
    # the same word in lower case, or a compound at a sentence's or an item's start, is cut
    assert "beek" in tokenize("scholen in schaarbeek", language="nl", compounds=True)
    # a dash inside a line starts nothing: « Schaarbeek » there is still a name
    assert "beek" not in tokenize("de gemeenten – Schaarbeek", language="nl", compounds=True)
    for text in (
        "Rusthuisbedden zijn schaars.",
        "Er zijn wachtlijsten. Rusthuisbedden…",
        "• Rusthuisbedden",
        "o Rusthuisbedden",
        "a) Rusthuisbedden",
        "- Rusthuisbedden",
        "Antwoord    Rusthuisbedden zijn er genoeg.",
        "« Rusthuisbedden »",
        "RUSTHUISBEDDEN",
    ):
        assert "bed" in tokenize(text, language="nl", compounds=True), text


def test_bm25_meets_a_compound_with_its_parts_written_apart():
    texts = [
        "Het Gewest telde 15.204 bedden in 141 rusthuizen.",  # the parts, apart
        "Het Gewest telde 2.000 parkeerplaatsen.",
        "La Région comptait 15.204 lits.",
    ]
    index = LexicalIndex.build(texts, languages=["nl", "nl", "fr"])
    scores = index.scores("Hoeveel rusthuisbedden?")
    assert scores[0] > 0 and scores[1] == scores[2] == 0
    assert "nl:bed" in analyse("rusthuisbedden", "nl")


def test_a_compound_counts_what_its_head_counts():
    sentence = "De bezettingsgraad bedroeg 86 %, zodat ongeveer 2.100 bedden niet bezet waren."
    assert counts("rusthuisbedden", sentence, language="nl")
    assert counts("bedden", "Het Gewest telde 15.204 rusthuisbedden.", language="nl")
    # the modifier is no count of the compound: 141 counts rusthuizen, not beds
    assert not counts("rusthuisbedden", "Er zijn 141 rusthuizen.", language="nl")
    # nor another compound with the same head: hospital beds are no rest-home beds
    assert not counts("rusthuisbedden", "Er zijn 500 ziekenhuisbedden.", language="nl")
    assert not counts("schoolstraten", "Het Gewest telt 40 fietsstraten.", language="nl")
    assert counts("rusthuisbedden", "Er zijn 15.204 rusthuisbedden.", language="nl")


def test_a_figure_followed_by_the_noun_stands_with_it_more_than_one_after_it():
    sentence = "Op 1 januari 2023 telde het Gewest 15.204 erkende bedden in 141 rusthuizen."
    at = {figure: sentence.index(figure) for figure in ("15.204", "141")}
    ranks = {
        f: stands_with("bedden", sentence, a, a + len(f), language="nl") for f, a in at.items()
    }
    assert ranks == {"15.204": 2, "141": 1}
    short = find_short_answer(
        frozenset({AnswerType.COUNT}),
        sentence,
        [(0, len(sentence))],
        citation=1,
        question="Hoeveel rusthuisbedden telt het Gewest?",
    )
    assert short is not None and short.text == "15.204"
