"""An amount must be the amount of what was asked (answers.funded), on hand-written questions
and sentences, and through the grounding's refusal."""

from __future__ import annotations

import pytest

from assistant.answers.funded import funded_words, unfunded
from assistant.answers.grounding import Grounder, Levels, Quote
from assistant.answers.question_types import AnswerType


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Quel est le budget consacré à la culture par la Région en 2021 ?", ["culture"]),
        ("Quel est le budget annuel total d'Innoviris ?", ["Innoviris"]),
        ("Quel budget pour les écoles ?", ["écoles"]),
        ("Quel est le budget alloué aux nouvelles écoles ?", ["écoles"]),
        ("Quel est le montant de la prime Renolution ?", ["prime", "Renolution"]),
        ("Quel est le budget de l'appel Open Soon ?", ["appel", "Open", "Soon"]),
        ("Combien coûte la nouvelle ligne de tram ?", []),  # the verb's subject: not read
        ("Quel est le montant total ?", []),  # no « for what »
        ("Combien de zones de livraison y a-t-il ?", []),  # a count, not an amount
        ("Quand le budget de la culture sera-t-il voté ?", []),  # a date is asked
    ],
)
def test_what_an_amount_is_asked_for(question, words):
    assert funded_words(question) == words


CULTURE = "Quel est le budget consacré à la culture par la Région en 2021 ?"
DIGITAL = Quote(
    "Chantier 2.4 — Transition numérique",
    ("Le plan de déploiement régional pour 2021 (budget de 2,9 millions€) est en cours.",),
)


def test_an_amount_of_something_else_is_no_answer():
    assert unfunded(CULTURE, [DIGITAL]) == "culture"
    culture = Quote("Chantier 2.5 — Culture", ("Un budget de 3 millions € est prévu.",))
    assert unfunded(CULTURE, [culture]) is None  # the label names it
    said = Quote("Réponse", ("Le secteur culturel reçoit 3 millions € en 2021.",))
    assert unfunded(CULTURE, [said]) is None  # « culturel » shares « cultur »
    # the sentence before names it, and the figure's sentence continues it (an anaphor)
    continued = Quote("Réponse", ("La culture est une priorité.", "Elle reçoit 3 millions €."))
    assert unfunded(CULTURE, [continued]) is None
    # no amount quoted at all: the typed grounding says so, not this rule
    assert unfunded(CULTURE, [Quote("Réponse", ("La culture est une priorité.",))]) is None
    # a quote in another language cannot be checked word for word: trusted
    dutch = Quote("Antwoord", ("Het budget bedraagt 2,9 miljoen euro.",), "nl")
    assert unfunded(CULTURE, [dutch]) is None


def test_the_grounding_refuses_an_amount_of_something_else():
    levels = Levels(zipf=0.0, present=0.0, neighbour=None, typed=False)  # the rest is off
    gap = Grounder(levels).gap(CULTURE, [DIGITAL])
    assert gap is not None and gap.phrase == "culture" and gap.value is AnswerType.AMOUNT
    assert gap.lines() == ["Les documents ne donnent pas de montant pour « culture »."]


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Quel est le budget de la Région pour la culture ?", ["culture"]),  # not the payer
        ("Quel est le montant des subsides octroyés aux associations sportives ?",
         ["associations", "sportives"]),  # the money words passed over
        ("Hoeveel kost de subsidie voor scholen?", ["scholen"]),
    ],
)  # fmt: skip
def test_what_an_amount_is_for_when_the_phrase_says_more(question, words):
    assert funded_words(question) == words
