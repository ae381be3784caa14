"""A count must count what was asked (answers.counted), on hand-written questions and
sentences, and through the grounding's refusal."""

from __future__ import annotations

import pytest

from assistant.answers.counted import counted_noun, counts, uncounted
from assistant.answers.grounding import Grounder, Levels, Quote
from assistant.answers.question_types import AnswerType


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Combien de zones de livraison ont été supprimées en 2022 ?", "zones"),
        ("Combien d'arbres ont été abattus dans les parcs ?", "arbres"),
        ("Combien y a-t-il de rues scolaires dans la Région ?", "rues"),
        ("Quel est le nombre de logements sociaux inoccupés ?", "logements"),
        ("Hoeveel lesgevers werken er bij VDAB Brussel?", "lesgevers"),
        ("De combien la fréquentation des parcs a-t-elle augmenté ?", None),  # no noun
        ("Si mon commerce ferme, combien de temps dure l'aide ?", None),  # a duration
        ("Combien coûte la nouvelle ligne de tram ?", None),  # an amount
        ("Hoeveel bedraagt de premie?", None),
        ("Quand le plan vélo sera-t-il adopté ?", None),
        # adjectives and determiners passed over; money and verbs are not counted nouns
        ("Combien de nouveaux arbres ont été plantés ?", "arbres"),
        ("Hoeveel nieuwe bomen werden geplant?", "bomen"),
        ("Combien de ces logements sont vides ?", "logements"),
        ("Combien compte-t-on de crèches ?", "crèches"),
        ("Combien d'entre eux ont trouvé un emploi ?", None),
        ("Combien vaut la prime de rénovation ?", None),
        ("Combien la commune d'Anderlecht a-t-elle reçu ?", None),
        ("Hoeveel bedroeg de subsidie?", None),
        ("Hoeveel scholen er zijn in Brussel?", "scholen"),
        # a measure: room, not places; a surface
        ("Combien de place est prévue pour l'université ?", None),
        ("Combien de places d'accueil ont été créées ?", "places"),
        ("Combien de mètres carrés de bureaux sont vides ?", None),
    ],
)
def test_the_counted_noun(question, noun):
    assert counted_noun(question) == noun


@pytest.mark.parametrize(
    ("noun", "sentence", "expected"),
    [
        ("logements", "En 2022, 1.200 nouveaux logements ont été livrés.", True),  # after
        ("logements", "Logements inoccupés : 2.874 au 31 décembre.", True),  # before
        ("logements", "Le nombre de logements vides s'élève à 2.874.", True),
        ("zones", "Parking.brussels a dressé 8.430 redevances sur des zones de livraison.", False),
        ("zones", "La Région compte 412 zones de livraison.", True),
        ("zone", "La Région compte 412 zones de livraison.", True),  # the same stem
        ("zones", "Trois nouvelles zones ont été créées.", True),  # a number in words
        ("zones", "Le 31 décembre 2022, les zones ont été revues.", False),  # a date, a year
        ("places", "Le nombre de places d'accueil créées est de 120.", True),  # elision
        ("voyageurs", "La ligne a transporté 1 million de voyageurs.", True),  # a scale
        ("km", "La Région a aménagé 12km de pistes.", True),  # a unit glued to the figure
        ("communes", "Seize communes participent.", True),
        ("arbres", "La fréquentation a augmenté de 35 % dans les parcs.", False),
        ("arbres", "Aucun chiffre n'est donné.", False),  # no figure at all
    ],
)
def test_a_figure_counts_its_neighbouring_noun(noun, sentence, expected):
    assert counts(noun, sentence, language="fr") is expected


def test_dutch_counts_with_the_dutch_stemmer():
    assert counts("bezoeken", "De containerparken telden 412.000 bezoeken.", language="nl")
    assert not counts("ton", "De containerparken telden 412.000 bezoeken.", language="nl")
    assert counts("laadpalen", "In 2023 450 laadpalen werden geplaatst.", language="nl")


def test_uncounted_names_the_noun_only_when_every_quote_misses_it():
    question = "Combien de zones de livraison ont été supprimées en 2022 ?"
    fees = Quote("Réponse", ("Parking.brussels a dressé 8.430 redevances sur des zones.",))
    zones = Quote("Réponse 2", ("La Région compte 412 zones de livraison.",))
    assert uncounted(question, [fees]) == "zones"
    assert uncounted(question, [fees, zones]) is None
    # a quote in Dutch cannot be checked against a French noun: trusted
    dutch = Quote("Antwoord", ("Er werden 40 leveringszones geschrapt.",), "nl")
    assert uncounted(question, [fees, dutch]) is None
    assert uncounted("Quel est le budget de la Région ?", [fees]) is None
    assert uncounted(question, [Quote("Réponse", ())]) is None  # nothing quoted to judge


def test_the_grounding_refuses_a_count_of_something_else():
    levels = Levels(zipf=0.0, present=0.0, neighbour=None, typed=False)  # the rest is off
    grounder = Grounder(levels)
    question = "Combien de PV ont été dressés par les communes sur les zones de livraison ?"
    fees = Quote("Réponse", ("Parking.brussels a dressé 8.430 redevances sur des zones.",))
    gap = grounder.gap(question, [fees])
    assert gap is not None and gap.phrase == "PV" and gap.value is AnswerType.COUNT
    assert gap.lines() == ["Les documents ne donnent pas de nombre pour « PV »."]
    pv = Quote("Réponse", ("Les communes ont dressé 1.250 PV sur ces zones.",))
    assert grounder.gap(question, [pv]) is None


def test_a_figure_may_rename_the_noun_of_the_sentence_it_continues():
    question = "Combien de nouveaux commerces l'appel Open Soon a-t-il soutenus ?"
    lead = "L'appel Open Soon soutient l'ouverture de nouveaux commerces."
    renamed = Quote("Commerce", (lead, "Il y a eu 31 lauréats en 2020."))
    assert uncounted(question, [renamed]) is None
    # not opening on an anaphor, the next sentence is about something else
    apart = Quote("Commerce", (lead, "Au total, 31 dossiers ont été reçus."))
    assert uncounted(question, [apart]) == "commerces"
    # naming the noun itself, the sentence says its figure counts something else
    other = Quote("Commerce", (lead, "Il y a eu 31 lauréats pour 12 commerces fermés."))
    assert uncounted(question, [other]) is None  # « 12 commerces »: counted
    fees = Quote("Commerce", (lead, "Il a reçu 31 demandes de commerces."))
    assert uncounted(question, [fees]) == "commerces"


def test_households_are_not_people():
    question = "Combien de personnes ont reçu la prime rénovation ?"
    assert counted_noun(question) == "personnes"
    households = Quote("Primes", ("En 2021, 350 ménages ont reçu la prime rénovation.",))
    assert uncounted(question, [households]) == "personnes"
    people = Quote("Primes", ("En 2021, 350 personnes ont reçu la prime rénovation.",))
    assert uncounted(question, [people]) is None


def test_a_figure_with_its_unit_against_it_is_a_count():
    from assistant.answers.question_types import values

    found = [
        (v.type, "8700m² d’équipements"[v.start : v.end]) for v in values("8700m² d’équipements")
    ]
    assert found == [(AnswerType.COUNT, "8700")]
    assert [v.type for v in values("12km de pistes cyclables")] == [AnswerType.COUNT]
    assert values("en 2020h") == []
