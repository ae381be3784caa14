"""The places of the Brussels-Capital Region a question may ask a figure for: its nineteen
communes and the districts of the City of Brussels, by all their names.

A French question asks « combien … à Schaerbeek ? », the Dutch page writes « in
Schaarbeek », a French one « à Molenbeek » for Molenbeek-Saint-Jean: :func:`names_of`
gives every name of a place (official French and Dutch names, the short names people use),
and :func:`says` tells whether a text names it, so that the grounding
(:mod:`assistant.answers.figure_scope`) looks for it in a quote in either language. Names
are folded (lower case, no accents); « St-Gilles », « Saint Gilles » and « Saint-Gilles »
are one name.

Non-goals: streets, stations, other regions' places, places the list does not hold (a
capitalised word after « à » is as often a body or a person: « à Actiris », « à Mme … »).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .analyzer import fold

__all__ = ["PLACES", "as_written", "asked_places", "names_of", "says"]

# every name of each place, folded, the French official name first
PLACES: tuple[tuple[str, ...], ...] = (
    ("anderlecht",),
    ("auderghem", "oudergem"),
    ("berchem-sainte-agathe", "sint-agatha-berchem", "berchem"),
    ("bruxelles-ville", "brussel-stad", "ville de bruxelles", "stad brussel"),
    ("etterbeek",),
    ("evere",),
    ("forest", "vorst"),
    ("ganshoren",),
    ("ixelles", "elsene"),
    ("jette",),
    ("koekelberg",),
    ("molenbeek-saint-jean", "sint-jans-molenbeek", "molenbeek"),
    ("saint-gilles", "sint-gillis"),
    ("saint-josse-ten-noode", "sint-joost-ten-node", "saint-josse", "sint-joost"),
    ("schaerbeek", "schaarbeek"),
    ("uccle", "ukkel"),
    ("watermael-boitsfort", "watermaal-bosvoorde", "boitsfort", "bosvoorde", "watermael"),
    ("woluwe-saint-lambert", "sint-lambrechts-woluwe"),
    ("woluwe-saint-pierre", "sint-pieters-woluwe"),
    # the districts of the City of Brussels
    ("laeken", "laken"),
    ("haren",),
    ("neder-over-heembeek",),
)  # not « Woluwe » alone: two communes
_BY_NAME = {name: names for names in PLACES for name in names}
# « St-Gilles », « Ste-Agathe »: the abbreviations of « saint(e) »
_SAINT = re.compile(r"\b(st|ste)[-.\s]+(?=\w)")


def _normal(text: str) -> str:
    return _SAINT.sub(lambda m: "saint-" if m[1] == "st" else "sainte-", fold(text))


def _pattern(name: str) -> str:
    """``name`` as a pattern: a hyphen or a space between its words alike."""
    return r"[-\s]".join(re.escape(w) for w in re.split(r"[-\s]", name))


def names_of(place: str) -> tuple[str, ...]:
    """Every name of the place ``place`` names (« Molenbeek »: molenbeek-saint-jean,
    sint-jans-molenbeek, molenbeek); ``(place folded,)`` when the list does not hold it."""
    name = re.sub(r"\s+", "-", _normal(place).strip())
    return _BY_NAME.get(name, _BY_NAME.get(name.replace("-", " "), (name,)))


def says(names: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` names the place of ``names`` under one of them."""
    normal = _normal(text)
    return any(re.search(rf"(?<![\w-]){_pattern(n)}(?![\w-])", normal) for n in names)


@lru_cache(maxsize=1)
def _asked() -> re.Pattern:
    names = sorted((n for names in PLACES for n in names), key=len, reverse=True)
    return re.compile(
        # a place the question locates its figure in, not one it compares with
        r"(?<!comme )(?<!zoals )(?<!rapport )(?<!contrairement )(?<!qu')(?<!dan )"
        r"\b(?:a|dans|in|te|op|en)\s+(?:la commune d'|la commune de |de gemeente )?"
        rf"((?:{'|'.join(_pattern(n) for n in names)}))(?![\w-])"
    )


def asked_places(question: str) -> list[str]:
    """The places of the list ``question`` asks about (« à Anderlecht », « in Sint-Gillis »,
    « dans la commune d'Ixelles », « À Uccle, combien … »), folded, in order; not a place
    it compares with (« comme à Uccle », « par rapport à Uccle »)."""
    return [m[1] for m in _asked().finditer(_normal(question))]


def as_written(name: str, text: str) -> str:
    """The place ``name`` (folded, as :func:`asked_places` gives it) as ``text`` writes it
    (« Sint-Gillis »), else capitalised (« Saint-Gilles » for « St-Gilles »)."""
    folded = fold(text)
    m = re.search(rf"(?<![\w-]){_pattern(name)}(?![\w-])", folded)
    if m is not None and len(folded) == len(text):
        return text[m.start() : m.end()]
    return "-".join(w.capitalize() for w in name.split("-"))
