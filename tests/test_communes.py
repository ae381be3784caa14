"""The communes' two names (assistant.text.communes)."""

from assistant.text.communes import COMMUNES, names_of


def test_nineteen_communes_each_with_a_french_and_a_dutch_name():
    assert len(COMMUNES) == 19
    assert len({fr for fr, _ in COMMUNES}) == 19 and len({nl for _, nl in COMMUNES}) == 19


def test_a_commune_has_both_its_names_whichever_is_given():
    assert names_of("Schaerbeek") == ("schaerbeek", "schaarbeek")
    assert names_of("Ukkel") == ("uccle", "ukkel")
    assert names_of("Sint-Jans-Molenbeek") == ("molenbeek-saint-jean", "sint-jans-molenbeek")
    assert names_of("Molenbeek") == ("molenbeek-saint-jean", "sint-jans-molenbeek", "molenbeek")
    assert names_of("Ixelles") == ("ixelles", "elsene")


def test_another_place_is_only_itself():
    assert names_of("Haren") == ("haren",)
    assert names_of("Woluwe") == ("woluwe",)  # two communes: neither
