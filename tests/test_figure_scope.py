"""A figure asked for a time or a place must be quoted with it (answers.figure_scope)."""

import pytest

from assistant.answers.figure_scope import missing_place, missing_year
from assistant.answers.grounding import Quote
from assistant.text.communes import asked_places, names_of, says

EPICERIES = "Les services subventionnent 36 épiceries sociales, réparties dans 15 communes."


@pytest.mark.parametrize(
    ("question", "quoted", "missing"),
    [
        # the Region's figure is not that of one commune
        ("Combien d'épiceries sociales y a-t-il à Anderlecht ?", EPICERIES, "Anderlecht"),
        ("Combien d'épiceries sociales dans la commune d'Ixelles ?", EPICERIES, "Ixelles"),
        ("Hoeveel sociale kruideniers zijn er in Sint-Gillis?", EPICERIES, "Sint-Gillis"),
        ("À Anderlecht, combien d'épiceries sociales ?", EPICERIES, "Anderlecht"),
        ("Combien d'épiceries sociales à anderlecht ?", EPICERIES, "anderlecht"),
        # the place said, under any of its names
        ("Combien d'épiceries sociales à Anderlecht ?", "À Anderlecht, 4 épiceries.", None),
        ("Combien de logements à Molenbeek-Saint-Jean ?", "À Molenbeek, 120 logements.", None),
        ("Combien de logements à St-Gilles ?", "À Saint Gilles, 120 logements.", None),
        ("Combien de logements à Sint-Joost ?", "À Saint-Josse, 120 logements.", None),
        # the Region, a place off the list, a comparison, a body: nothing to look for
        ("Combien d'épiceries sociales y a-t-il à Bruxelles ?", EPICERIES, None),
        ("Combien de trains à Bruxelles-Midi ?", EPICERIES, None),
        ("Combien de dossiers ont été transmis à Actiris ?", EPICERIES, None),
        ("Combien d'épiceries sociales, comme à Anderlecht ?", EPICERIES, None),
        ("Combien d'épiceries sociales par rapport à Uccle ?", EPICERIES, None),
        # no figure asked
        ("Qui gère les épiceries sociales à Anderlecht ?", EPICERIES, None),
    ],
)
def test_a_figure_asked_for_a_place_must_be_quoted_with_that_place(question, quoted, missing):
    assert missing_place(question, [Quote("Aide alimentaire", (quoted,))]) == missing


def test_a_commune_is_looked_for_under_both_its_names_in_either_language():
    nl = Quote("Voedselhulp", ("In Schaarbeek zijn er 4 sociale kruideniers.",), language="nl")
    assert missing_place("Combien d'épiceries sociales à Schaerbeek ?", [nl]) is None
    elsewhere = Quote("Voedselhulp", ("In Elsene zijn er 4 sociale kruideniers.",), language="nl")
    assert missing_place("Combien d'épiceries sociales à Schaerbeek ?", [elsewhere]) == (
        "Schaerbeek"
    )
    assert missing_place("Combien d'épiceries sociales à Ixelles ?", [elsewhere]) is None
    # the page's title names the place for all its sentences
    titled = Quote("Réponse", (EPICERIES,), title="les épiceries sociales à Uccle")
    assert missing_place("Combien d'épiceries sociales à Uccle ?", [titled]) is None


@pytest.mark.parametrize(
    ("question", "quoted", "missing"),
    [
        (
            "Combien de stages ont été conclus en 2019 ?",
            "En 2022, 1.287 stages, 1.034 en 2021.",
            "2019",
        ),
        (
            "Hoeveel vergunningen werden sinds 2019 afgeleverd?",
            "Sinds 2019 werden 57 vergunningen afgeleverd.",
            None,
        ),
        ("Quel budget pour 2021 ?", "Le budget 2022 est de 3 millions d'euros.", "2021"),
        # a year in a name, and a question that wants no figure: no year asked
        ("Combien de mesures compte la Stratégie 2030 ?", "La Stratégie compte 40 mesures.", None),
        ("Pourquoi le plan s'est-il arrêté en 2020 ?", "Le plan s'est arrêté avec la crise.", None),
    ],
)
def test_a_figure_asked_for_a_year_must_be_quoted_with_that_year(question, quoted, missing):
    assert missing_year(question, [Quote("Stages", (quoted,))]) == missing


def test_the_year_may_be_in_the_quoted_passage_label():
    quotes = [Quote("Bilan 2019", ("1.034 stages ont été conclus.",))]
    assert missing_year("Combien de stages ont été conclus en 2019 ?", quotes) is None


@pytest.mark.parametrize(
    ("question", "quoted", "missing"),
    [
        (
            "Combien de places pour l'hiver 2024-2025 ?",
            "Pour l'hiver 2023-2024, 1.320 places.",
            "2024-2025",
        ),
        ("Combien de places pour l'hiver 2023–24 ?", "Pour l'hiver 2023-2024, 1.320 places.", None),
        ("Combien de places pour l'hiver 2023 ?", "Pour l'hiver 2023-2024, 1.320 places.", None),
        ("Combien de places pour l'hiver 2025 ?", "Pour l'hiver 2023-2024, 1.320 places.", "2025"),
        # both years said otherwise: « du 15 novembre 2024 au 31 mars 2025 »
        (
            "Combien de places pour l'hiver 2024-2025 ?",
            "Du 15 novembre 2024 au 31 mars 2025, 1.400 places.",
            None,
        ),
        # a month or « fin » before the year asks for that year too
        ("Combien de places en janvier 2025 ?", "Pour l'hiver 2023-2024, 1.320 places.", "2025"),
        ("Combien de places fin 2023 ?", "Pour l'hiver 2023-2024, 1.320 places.", None),
        # no period: ten years apart
        ("Combien de places prévues 2020-2030 ?", "En 2021, 1.320 places.", None),
    ],
)
def test_a_season_or_a_period_of_two_years_must_be_quoted_too(question, quoted, missing):
    assert missing_year(question, [Quote("Accueil", (quoted,))]) == missing


def test_the_places_of_the_list_under_all_their_names():
    assert names_of("Schaerbeek") == ("schaerbeek", "schaarbeek")
    assert "molenbeek" in names_of("Sint-Jans-Molenbeek")
    assert names_of("Saint Josse") == names_of("saint-josse-ten-noode")
    assert names_of("Haren") == ("haren",) and names_of("Laken") == ("laeken", "laken")
    assert names_of("Woluwe") == ("woluwe",)  # two communes: neither
    assert says(names_of("Bruxelles-Ville"), "la Ville de Bruxelles compte 12 crèches")
    assert not says(names_of("Jette"), "Jetten a répondu")
    assert asked_places("Combien à Uccle et à Evere ?") == ["uccle", "evere"]
    # a refusal names the place as the question wrote it
    assert missing_place("Combien à St-Gilles ?", [Quote("", ("Rien.",))]) == "Saint-Gilles"
