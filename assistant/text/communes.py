"""The nineteen communes of the Brussels-Capital Region, by their French and Dutch names.

A French question asks « combien … à Schaerbeek ? », the Dutch page writes « in
Schaarbeek »: :func:`names_of` gives every official name of the commune a place names, so
that the grounding (:func:`assistant.answers.grounding.missing_place`) looks for it in a
quote in either language. Names are folded (lower case, no accents) and hyphenated as the
pages write them.

Non-goals: districts (« Haren », « Neder-Over-Heembeek » are written the same in both
languages), streets, the communes of other regions.
"""

from __future__ import annotations

from .analyzer import fold

__all__ = ["COMMUNES", "names_of"]

# (French, Dutch), folded
COMMUNES: tuple[tuple[str, str], ...] = (
    ("anderlecht", "anderlecht"),
    ("auderghem", "oudergem"),
    ("berchem-sainte-agathe", "sint-agatha-berchem"),
    ("bruxelles-ville", "brussel-stad"),
    ("etterbeek", "etterbeek"),
    ("evere", "evere"),
    ("forest", "vorst"),
    ("ganshoren", "ganshoren"),
    ("ixelles", "elsene"),
    ("jette", "jette"),
    ("koekelberg", "koekelberg"),
    ("molenbeek-saint-jean", "sint-jans-molenbeek"),
    ("saint-gilles", "sint-gillis"),
    ("saint-josse-ten-noode", "sint-joost-ten-node"),
    ("schaerbeek", "schaarbeek"),
    ("uccle", "ukkel"),
    ("watermael-boitsfort", "watermaal-bosvoorde"),
    ("woluwe-saint-lambert", "sint-lambrechts-woluwe"),
    ("woluwe-saint-pierre", "sint-pieters-woluwe"),
)
# the short names people say, to the commune's French name
_SHORT = {
    "molenbeek": "molenbeek-saint-jean",
    "saint-josse": "saint-josse-ten-noode",
    "sint-joost": "saint-josse-ten-noode",
    "berchem": "berchem-sainte-agathe",
    "boitsfort": "watermael-boitsfort",
    "bosvoorde": "watermael-boitsfort",
    "watermael": "watermael-boitsfort",
}  # not « Woluwe »: two communes
_BY_NAME = {name: pair for pair in COMMUNES for name in pair}
_BY_NAME.update({short: _BY_NAME[french] for short, french in _SHORT.items()})


def names_of(place: str) -> tuple[str, ...]:
    """The folded names of the commune ``place`` names, in both languages (« Schaerbeek »:
    schaerbeek, schaarbeek; « Molenbeek »: molenbeek-saint-jean, sint-jans-molenbeek,
    molenbeek); ``(fold(place),)`` when it names none."""
    name = fold(place)
    pair = _BY_NAME.get(name)
    return (name,) if pair is None else tuple(dict.fromkeys((*pair, name)))
